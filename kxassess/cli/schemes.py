"""``kxassess schemes`` and ``kxassess scheme show ID``."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from kxassess.cli.common import (
    DebugOpt,
    JsonOpt,
    err_console,
    fail,
    out_console,
    piped,
    print_tsv,
    screen_table,
    set_debug,
)
from kxassess.issues import Issue, KxError

scheme_app = typer.Typer(
    help="方案：查看方案的指标表（show），检查自己编写的方案文件（check）。", no_args_is_help=True
)


SCHEMES_HEADER = ("方案编号", "名称", "年度", "发文单位", "考核对象")


def schemes() -> None:
    """列出内置考核方案。"""
    from kxassess import api

    rows = [[s.id, s.title, str(s.year), s.issuer, s.unit_kind] for s in api.list_schemes()]
    if piped():
        print_tsv(SCHEMES_HEADER, rows)
        return
    out_console.print(screen_table(SCHEMES_HEADER, rows, keep=("方案编号", "年度")))


def _print(what: object) -> None:
    """A line of ``scheme show``: long lines wrap at the terminal's edge (never inside a
    scheme id such as sz-2022-capacity); tables fit themselves to the width."""
    out_console.print(what, soft_wrap=isinstance(what, str))


def _table(*names: str, title: str | None = None) -> Table:
    """A table of ``scheme show``: long texts fold onto more lines, never cut short."""
    table = Table(title=title)
    for name in names:
        table.add_column(name, overflow="fold")
    return table


@scheme_app.command("show")
def show(
    scheme_id: Annotated[
        str, typer.Argument(metavar="方案", help="内置方案编号或方案文件（YAML）。")
    ],
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """列出方案的全部规则：构成与权重、指标、定等、升降类、荣誉、否决、截止日期和默认值。"""
    set_debug(debug)
    from kxassess import api

    try:
        info = api.describe_scheme(scheme_id)
    except KxError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    show_scheme(info)


@scheme_app.command("check")
def check(
    path: Annotated[
        str, typer.Argument(metavar="方案文件", help="方案文件（YAML）或内置方案编号。")
    ],
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """检查自编的方案文件：列出全部错误（退出码 1）和提示（退出码 0）。"""
    set_debug(debug)
    from kxassess import api
    from kxassess.scheme.check import warnings_despite
    from kxassess.scheme.problems import SchemeInvalid

    try:
        scheme, warnings = api.check_scheme_file(path)
    except KxError as exc:
        errors = exc.issues if isinstance(exc, SchemeInvalid) else []
        also = warnings_despite(exc, path) if isinstance(exc, SchemeInvalid) else []
        if as_json:
            listed = [_issue(e) for e in errors] or [
                {"code": "scheme-invalid", "source": exc.source or path, "message": exc.message}
            ]
            doc = {"ok": False, "errors": listed, "warnings": [_issue(w) for w in also]}
            typer.echo(json.dumps(doc, ensure_ascii=False))
            raise typer.Exit(1) from None
        if not also:
            fail(str(exc))
        err_console.print(f"[bold red]错误[/]：{escape(str(exc))}", soft_wrap=True)
        _print_warnings(also)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(
            json.dumps(
                {"ok": True, "errors": [], "warnings": [_issue(w) for w in warnings]},
                ensure_ascii=False,
            )
        )
        return
    _print_warnings(warnings)
    err_console.print(f"[green]可以使用[/]：{escape(scheme.id)}（{len(warnings)} 条提示）")


def _print_warnings(warnings: list[Issue]) -> None:
    for w in warnings:
        err_console.print(
            f"[yellow]提示[/] {escape(w.message)} [dim]（{w.code}）[/]", soft_wrap=True
        )


def _issue(i: Issue) -> dict[str, str]:
    return {"code": i.code, "source": i.source, "message": i.message}


SIDES = {"top": "从前往后", "bottom": "从后往前", "rest": "其余"}
ROUNDING = {"half_up": "四舍五入", "floor": "向下取整", "ceil": "向上取整"}
READINGS = {
    "promoted": "本年度获升类",
    "rank": "类别内名次比上一年度提升{places}位及以上",
    "both": "本年度获升类，或类别内名次比上一年度提升{places}位及以上",
}
CONSEQUENCES = {"warning": "仅作提示", "absent": "不参加本次考核（视为未参与评价）"}
MOVE_WORDS = {"promote": "升类", "demote": "降类"}


def _pct(value: str | None) -> str:
    if value is None:
        return ""
    if "/" in value:
        return value
    return f"{(Decimal(value) * 100).normalize():f}%"


def _flags(flags: list[str]) -> str:
    from kxassess.result import flag_label

    return "、".join(flag_label(f) for f in flags)


def show_scheme(info: dict[str, Any]) -> None:
    from kxassess.scheme.rules import DEFAULT_MARK

    p = _print
    p(f"[bold]{escape(info['id'])}[/] {info['title']}（{info['year']}，{info['issuer']}）")
    if info["notice_title"]:
        p(f"依据：{info['notice_title']}")
    p(f"考核对象：{info['unit_kind']}；登记库中的考核对象范围：{info['population']}")
    if info.get("kind") == "programme":
        _show_programme(info)
    else:
        _show_ranking(info)
    notice = info["notice"]
    contact = "，".join(x for x in (notice["department"], notice["contact"], notice["phone"]) if x)
    p(f"公示：{notice['days']} 个工作日" + (f"（{contact}）" if contact else ""))
    if info["defaults"]:
        table = _table("规则", "取值", "说明", title=f"{DEFAULT_MARK}的取值")
        for d in info["defaults"]:
            table.add_row(d["rule"], d["value"], d["mark"])
        p(table)
    for note in info["notes"]:
        p(f"[dim]注：{escape(note)}[/]")


def _show_ranking(info: dict[str, Any]) -> None:
    p = _print
    comps = _table("考核构成", "权重", "来源", title="考核构成与权重")
    for c in info["components"]:
        source = c.get("sheet") or "专家评分"
        if "months" in c:
            source += f"（{c['months'][0]}月至{c['months'][1]}月平均，缺月计0分）"
        comps.add_row(c["name"], _pct(c["weight"]), source)
    p(comps)
    for c in info["components"]:
        if c["kind"] == "indicators":
            _show_table(c, info["tiers"])
    group = "按类别" if info["grading_group"] == "tier" else "全部单位一起"
    names = {c["id"]: c["name"] for c in info["components"]}
    ties = "、".join(f"{names.get(t, t)}得分" for t in info["tie_breakers"]) or "无（同分并列）"
    p(f"定等范围：{group}；总分相同时依次比较：{ties}")
    if info["grades"]:
        table = _table("等级", "比例", "计数方向", "取整", "最少人数", title="等级名额")
        for g in info["grades"]:
            min_group = "" if g["min_group"] is None else str(g["min_group"])
            table.add_row(
                g["grade"], _pct(g["fraction"]) or "其余", SIDES.get(g["side"], g["side"]),
                ROUNDING.get(g["rounding"], g["rounding"]), min_group,
            )  # fmt: skip
        p(table)
    if info["bands"]:
        table = _table("等级", "分数段", title="按总分定等")
        for b in info["bands"]:
            upper = f"，低于 {b['below']}" if b["below"] else ""
            table.add_row(b["grade"], f"不低于 {b['min']}{upper}")
        p(table)
    if info["pass_mark"]:
        pm = info["pass_mark"]
        below = _flags(pm["fail_flags"]) or "不合格"
        p(f"{pm['label']}线：总分不低于 {pm['min']}；低于者：{below}")
    if not info["moves"]:
        p("升降类：本方案没有升降类")
    for name, rule in info["moves"].items():
        side = "前" if name == "promote" else "后"
        target = "上一类" if name == "promote" else "下一类"
        p(
            f"{MOVE_WORDS[name]}：{'、'.join(rule['tiers'])}中 {rule['grade']} 等得分{side}"
            f" {_pct(rule['fraction'])} 的单位下年度{MOVE_WORDS[name][0]}入{target}"
        )
    absent = info["absence"]
    bits = [absent["label"], "不评等级"]
    if absent["next_tier"]:
        bits.append(f"下年度降至{absent['next_tier']}")
    if absent["flags"]:
        bits.append(_flags(absent["flags"]))
    if absent["repeat_flags"]:
        bits.append(f"连续两年未参加另：{_flags(absent['repeat_flags'])}")
    p("未参加考核（参加 = 否）：" + "，".join(bits))
    _show_rules(info)


def _show_table(c: dict[str, Any], tiers: list[str]) -> None:
    p = _print
    table = _table("指标", "部分", "内容", "分值", "按数量计分", title=c["name"])
    for ind in c["indicators"]:
        counted = ""
        if ind["rate"]:
            counted = f"{ind['rate']}分/{ind['count_unit']}，至多 {ind['max']} 分"
        elif ind["thresholds"]:
            counted = "；".join(
                f"{s['at_least']}{ind['count_unit']}及以上 {s['points']}分"
                for s in ind["thresholds"]
            )
        points = ind["max"] + (" 推定" if ind["inferred"] else "")
        table.add_row(ind["code"], ind["part"], ind["text"], points, counted)
    p(table)
    if c["representative"]:
        p("[dim]此指标表为代表性指标表（原文未附指标明细）。[/]")
    weighted = [part for part in c["parts"] if part["weights"]]
    if weighted:
        table = _table("部分", *tiers, "折算", title="各类别的部分权重")
        for part in weighted:
            table.add_row(
                part["name"] or part["id"], *(part["weights"].get(t, "") for t in tiers),
                f"÷{part['out_of']}",
            )  # fmt: skip
        p(table)
    for part in c["parts"]:
        if part["cap"]:
            p(f"{part['name'] or part['id']}：合计至多 {part['cap']} 分")
    if c["judge_groups"]:
        groups = "、".join(f"{g['name']} {_pct(g['weight'])}" for g in c["judge_groups"])
        p(f"评委组：{groups}")
    method = (
        "去掉一个最高分和一个最低分后平均" if c["aggregation"]["method"] == "trimmed" else "平均"
    )
    p(f"评分汇总：{method}" + ("；评委对本单位回避" if c["recusal"] else ""))
    ev = c["events"]
    if ev is None:
        return
    events = _table("代码", "加/扣", "事项", "每次分值", title="加减分项")
    for item in ev["items"]:
        for r in item["rates"]:
            kind = "加分" if item["kind"] == "bonus" else "扣分"
            events.add_row(r["code"], kind, f"{item['text']} {r['text']}".strip(), r["rate"])
    p(events)
    caps = [
        f"每项加分至多 {ev['item_cap']} 分" if ev["item_cap"] else "",
        f"加分合计至多 {ev['bonus_cap']} 分" if ev["bonus_cap"] else "",
        f"扣分合计至多 {ev['deduction_cap']} 分" if ev["deduction_cap"] else "",
        f"有扣分项的单位最高评为{ev['deduction_best_grade']}" if ev["deduction_best_grade"] else "",
    ]
    p("加减分上限：" + ("；".join(x for x in caps if x) or "无"))


def _show_rules(info: dict[str, Any]) -> None:
    from kxassess.scheme.rules import DEFAULT_MARK

    p = _print
    if not info["vetoes"]:
        p("否决事项：本方案没有否决处理")
    if not info["honours"]:
        p("荣誉：本方案没有荣誉")
    if info["vetoes"]:
        table = _table("处理", "效果", title="否决事项的处理")
        for action, v in info["vetoes"].items():
            effects = []
            if v["best_grade"]:
                effects.append(f"最高评为{v['best_grade']}")
            if v["bars_honours"]:
                effects.append(f"不得评为{'、'.join(v['bars_honours'])}")
            if v["exclude"]:
                effects.append("不予考核（不评等级）")
            table.add_row(action, "；".join(effects))
        p(table)
    if info["honours"]:
        table = _table("荣誉", "条件", "目标数", title="荣誉")
        for h in info["honours"]:
            cond = []
            if h["tiers"]:
                cond.append("、".join(h["tiers"]))
            if h["grades"]:
                cond.append(f"等级为{'、'.join(h['grades'])}")
            if h["moves"]:
                cond.append("、".join(MOVE_WORDS.get(m, m) for m in h["moves"]))
            if h["progress"]:
                cond.append(READINGS[h["progress"]["reading"]].format(**h["progress"]))
            if h["fraction"]:
                cond.append(f"名额为参加考核单位数的 {_pct(h['fraction'])}（四舍五入），按名次")
            table.add_row(h["name"], "；".join(cond), str(h["target"] or ""))
        p(table)
    if info["targets"]:
        table = _table("指标", "目标", "按单位或属性", title="分单位目标（与填报的完成数量核对）")
        for t in info["targets"]:
            spec = "；".join(f"{k} {v}{t['unit']}" for k, v in t["values"].items())
            if t["at_least"] is not None:
                spec = f"各单位 {t['at_least']}{t['unit']}"
            table.add_row(
                t["indicator"], t["text"], (f"{t['attribute']}：" if t["attribute"] else "") + spec
            )
        p(table)
    if info["rewards"]:
        p("以奖代补（元）：" + "；".join(f"{g} {v}" for g, v in info["rewards"].items()))
    if info["downgrade_flags"]:
        p(f"动态管理：等级低于上一年度的单位标记 {_flags(info['downgrade_flags'])}")
    if info["deadlines"]:
        table = _table("事项", "截止日期", "考核对象中的列", "逾期处理", "依据", title="截止日期")
        for d in info["deadlines"]:
            table.add_row(
                d["what"], d["date"], d["column"], CONSEQUENCES[d["consequence"]],
                "原文规定" if d["stated"] else DEFAULT_MARK,
            )  # fmt: skip
        p(table)


def _show_programme(info: dict[str, Any]) -> None:
    p = _print
    table = _table("类别", "子类", "奖补上限", title="申报类别")
    for c in info["categories"]:
        top = "" if c["max_awards"] is None else f"{c['max_awards']}项"
        table.add_row(c["name"], "、".join(c["subtypes"]), top)
    p(table)
    for g in info["gates"]:
        p(f"- 资格条件（{g['stage']}）：{g['reason']}")
    if info["pass_score"] is not None:
        p(f"- 奖补最低分：{info['pass_score']}")
