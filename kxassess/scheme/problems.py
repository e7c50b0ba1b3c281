"""Why a scheme file cannot be used: every problem at once, in Chinese, each at a place
named as staff know it (考核构成 work 指标 B1 的分值), never a key path like
``components[0].indicators[10].max``."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from kxassess.catalogue import render
from kxassess.issues import Issue, KxError, Severity
from kxassess.scheme.components import component_problems

FIELDS = {
    "max": "分值",
    "rate": "每项分值",
    "weight": "权重",
    "weights": "权重",
    "fraction": "比例",
    "cap": "上限",
    "out_of": "满分",
    "item_cap": "每项加分上限",
    "bonus_cap": "加分合计上限",
    "deduction_cap": "扣分合计上限",
    "thresholds": "计分档次",
    "at_least": "达到数量",
    "points": "得分",
    "min": "下限",
    "below": "上限",
    "tiers": "类别",
    "grade": "等级",
    "grades": "等级",
    "code": "代码",
    "part": "部分",
    "text": "内容",
    "name": "名称",
    "id": "代码",
    "title": "名称",
    "year": "年度",
    "date": "日期",
    "target": "目标数",
    "places": "名次",
    "reading": "认定口径",
    "consequence": "逾期处理",
    "first_month": "起始月份",
    "last_month": "结束月份",
    "days": "公示天数",
    "gates": "资格条件",
    "categories": "申报类别",
    "review_max": "评审满分",
    "pass_score": "奖补最低分",
    "defaults": "默认值",
    "deadlines": "截止日期",
    "targets": "分单位目标",
    "honours": "荣誉",
    "bands": "分数段",
}

_COMPONENT_TAGS = {"indicators", "monthly", "single", "ratings"}

# A list item is named by its kind and its own code or name: 「指标 B1」, 「荣誉 一流学会」.
_ITEMS: dict[str, tuple[str, str]] = {
    "components": ("考核构成", "id"),
    "indicators": ("指标", "code"),
    "parts": ("部分", "id"),
    "items": ("加减分项", "id"),
    "rates": ("加减分代码", "code"),
    "judge_groups": ("评委组", "name"),
    "grades": ("等级", "grade"),
    "bands": ("分数段", "grade"),
    "honours": ("荣誉", "name"),
    "targets": ("分单位目标 指标", "indicator"),
    "deadlines": ("截止日期", "what"),
    "thresholds": ("计分档次", "at_least"),
    "defaults": ("默认值", "rule"),
    "gates": ("资格条件", "column"),
    "categories": ("申报类别", "name"),
}

# Sections named as staff know them ("" = no word of its own: 升类规则 says it all).
_SECTIONS: dict[str, str] = {
    "components": "考核构成",
    "events": "加减分",
    "moves": "",
    "promote": "升类规则",
    "demote": "降类规则",
    "vetoes": "否决处理",
    "absence": "",
    "absent": "无故不参加考核",
    "notice": "公示",
    "pass_mark": "合格线",
    "progress": "进步认定",
    "rewards": "以奖代补金额",
    "aggregation": "评分汇总",
}


def _label(item: object, key: str, fallback: str) -> str:
    return str(item.get(key, fallback)) if isinstance(item, dict) else fallback


def _where(loc: tuple[int | str, ...], data: object) -> tuple[str, str | None]:
    """(place as staff say it, the last key when it is a field of that place)."""
    words: list[str] = []
    node: object = data
    field: str | None = None
    parent = ""
    component_index = False
    for item in loc:
        if component_index and item in _COMPONENT_TAGS:
            component_index = False
            continue  # discriminator tag that pydantic inserts for unions
        component_index = isinstance(item, int) and parent == "components"
        if isinstance(item, int):
            child = node[item] if isinstance(node, list) and item < len(node) else None
            number = f"第{item + 1}个"
            name = _ITEMS.get(parent)
            if name is not None:
                words[-1:] = [f"{name[0]} {_label(child, name[1], number)}"]
            else:
                words.append(number)
            node, field = child, None
            continue
        key = str(item)
        parent = key
        node = node.get(key) if isinstance(node, dict) else None
        section = _SECTIONS.get(key)
        if section is not None:
            words += [section] if section else []
            field = key
        elif words and words[-1] == "否决处理":
            words[-1] = f"否决处理 {key}"
        elif words and words[-1] == "权重" and field in ("weights", "rewards"):
            words[-1] = f"{key} 的权重"
            field = None
        else:
            words.append(FIELDS.get(key, key))
            field = key
    return (" ".join(words) or "方案", field)


def _translate(err: dict[str, Any], data: object) -> tuple[str, str]:
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        place, _ = _where(loc[:-1], data)
        return "scheme-unknown-key", render("scheme-unknown-key", {"place": place, "key": loc[-1]})
    if kind == "missing":
        place, _ = _where(loc[:-1], data)
        return "scheme-missing-key", render("scheme-missing-key", {"place": place, "key": loc[-1]})
    place, _ = _where(loc, data)
    if loc == ("id",):
        place = "方案编号"
    if kind == "value_error" and not loc:
        # the scheme-wide check names its places itself: 「等级 A：…」
        lines = str(err["msg"]).removeprefix("Value error, ").split("\n")
        return "scheme-rule", "\n".join(
            render("scheme-rule", dict(zip(("place", "problem"), line.split("：", 1), strict=True)))
            for line in lines
            if "：" in line
        )
    if kind == "value_error":
        problem = str(err["msg"]).removeprefix("Value error, ")
    elif kind == "literal_error":
        expected = str(err.get("ctx", {}).get("expected", ""))
        problem = f"取值「{err.get('input')}」无效，应为 {expected.replace(' or ', '、')}"
    elif kind in ("greater_than_equal", "greater_than"):
        limit = err.get("ctx", {}).get("ge", err.get("ctx", {}).get("gt"))
        word = "不小于" if kind == "greater_than_equal" else "大于"
        problem = f"须{word} {limit}，现为 {err.get('input')}"
    elif kind in ("less_than_equal", "less_than"):
        limit = err.get("ctx", {}).get("le", err.get("ctx", {}).get("lt"))
        problem = f"须不大于 {limit}，现为 {err.get('input')}"
    elif kind.startswith("int_"):
        problem = f"应为整数，现为「{err.get('input')}」"
    elif kind.startswith("date_"):
        problem = f"应为日期（如 2020-12-31），现为「{err.get('input')}」"
    elif kind.startswith(("tuple_", "list_")):
        problem = "应为列表（如 [一类, 二类]）"
    elif kind.startswith("dict_") or kind == "model_type":
        problem = "应为“键: 值”的结构"
    elif kind == "string_pattern_mismatch":
        problem = f"只能由小写字母、数字和“-”组成，现为「{err.get('input')}」"
    elif kind.startswith("string_"):
        problem = f"应为文字，现为「{err.get('input')}」"
    elif kind == "too_short":
        problem = "至少要写一项"
    else:
        problem = f"取值「{err.get('input')}」无效"
    lines = [line for line in problem.split("\n") if line]
    return "scheme-bad-value", "\n".join(
        render("scheme-bad-value", {"place": place, "problem": line}) for line in lines
    )


def raw_problems(data: dict[str, Any]) -> list[str]:
    """Cross-references inside each indicator table, read from the raw file, so that a
    code used twice is reported even when other values of the same table are wrong."""
    out: list[str] = []
    for comp in data.get("components") or []:
        if not isinstance(comp, dict) or comp.get("kind") != "indicators":
            continue
        parts = [str(p.get("id")) for p in comp.get("parts") or [] if isinstance(p, dict)]
        inds = [
            (str(i.get("code")), str(i.get("part")))
            for i in comp.get("indicators") or []
            if isinstance(i, dict)
        ]
        events = comp.get("events") if isinstance(comp.get("events"), dict) else {}
        codes = [
            str(r.get("code"))
            for item in (events or {}).get("items") or []
            if isinstance(item, dict)
            for r in item.get("rates") or []
            if isinstance(r, dict)
        ]
        groups = [str(g.get("name")) for g in comp.get("judge_groups") or [] if isinstance(g, dict)]
        place = f"考核构成 {comp.get('id', '')}".strip()
        out += [
            render("scheme-bad-value", {"place": place, "problem": p})
            for p in component_problems(parts, inds, codes, groups)
        ]
    return out


def _without(data: Any, loc: tuple[int | str, ...]) -> bool:
    """Delete the dict key at ``loc`` (tags skipped); False when there is none to delete."""
    node = data
    path = [x for x in loc if not (isinstance(x, str) and x in _COMPONENT_TAGS)]
    for item in path[:-1]:
        in_dict = isinstance(node, dict) and item in node
        in_list = isinstance(node, list) and isinstance(item, int) and item < len(node)
        if not (in_dict or in_list):
            return False
        node = node[item]
    if isinstance(node, dict) and path and path[-1] in node:
        del node[path[-1]]
        return True
    return False


def _cross_references(data: dict[str, Any], model: Any) -> tuple[list[dict[str, Any]], Any]:
    """The scheme-wide check runs only once every part of the scheme is valid. To report
    its problems together with the others, the wrong values are taken out of a copy (a
    wrong optional rule or a key that is not known left out, never a component) until it
    loads or nothing is left to take out. Returns the scheme-wide problems and the scheme
    that loaded without the wrong values (None when none did), whose warnings can then be
    reported at once too."""
    trial = copy.deepcopy(data)
    for _ in range(6):
        try:
            return [], model.model_validate(trial)
        except ValidationError as exc:
            errors: list[dict[str, Any]] = [dict(e) for e in exc.errors()]
        whole = [e for e in errors if not e["loc"]]
        if whole:
            return whole, None
        progress = False
        for err in errors:
            loc: tuple[int | str, ...] = tuple(err["loc"])
            unknown = err["type"] == "extra_forbidden"
            if loc and loc[0] == "components" and not unknown:
                return [], None  # a component cannot be left out without false alarms
            while loc and not _without(trial, loc if err["type"] != "missing" else loc[:-1]):
                loc = loc[:-1]
                if unknown:
                    break  # never more than the unknown key itself
            progress = progress or bool(loc)
        if not progress:
            return [], None
    return [], None


class SchemeInvalid(KxError):
    """The scheme cannot be used; ``issues`` holds every problem found."""

    def __init__(self, issues: list[Issue], source: str, salvaged: Any = None) -> None:
        lines = "\n".join(f"  {i.message}" for i in issues)
        super().__init__(f"方案文件有 {len(issues)} 处错误：\n{lines}", source)
        self.issues = issues
        # the scheme as it loads with the wrong values left out, for its warnings
        self.salvaged = salvaged


def invalid(
    data: object, exc: ValidationError | None, source: str, model: Any = None
) -> SchemeInvalid | None:
    """Every problem of ``data`` (the raw file) and of pydantic's ``exc``, de-duplicated."""
    found: list[tuple[str, str]] = []
    if isinstance(data, dict):
        found += [("scheme-bad-value", m) for m in raw_problems(data)]
    errors = [dict(e) for e in exc.errors()] if exc is not None else []
    salvaged = None
    if errors and model is not None and isinstance(data, dict) and all(e["loc"] for e in errors):
        whole, salvaged = _cross_references(data, model)
        errors += whole
    for err in errors:
        code, text = _translate(err, data)
        found += [(code, line) for line in text.split("\n")]
    seen: set[str] = set()
    issues: list[Issue] = []
    for code, message in found:
        if message not in seen:
            seen.add(message)
            issues.append(Issue(Severity.ERROR, code, source, message))
    return SchemeInvalid(issues, source, salvaged) if issues else None
