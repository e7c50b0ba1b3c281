"""Sheets 审定 (decisions after the 公示) and 异议 (objections), both optional.

审定: 单位编码, 项目 (等级 / 升降 / 荣誉), 调整为, 理由, 审批 — 理由 and 审批 required.
异议: 单位编码, 异议人, 内容, 处理结果, 处理日期 — a blank 处理结果 means still pending.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from kxassess.inputs import Decision, Objection, Participation, Unit
from kxassess.issues import IssueList
from kxassess.reading.cells import display_text
from kxassess.reading.tables import Record, find_table
from kxassess.reading.workbook import Workbook
from kxassess.scheme.model import Scheme

REVIEW_SHEET = "审定"
OBJECTION_SHEET = "异议"
ITEMS = {"等级": "grade", "升降": "move", "荣誉": "honours"}
MOVES = {"升类": "promote", "降类": "demote", "不变": None}
NO_GRADE = "无"
PARTICIPATION_TEXT = {
    Participation.YES: "参加",
    Participation.ABSENT: "无故未参加",
    Participation.EXCUSED: "请假",
}


def read_review(
    book: Workbook, scheme: Scheme, units: Sequence[Unit], issues: IssueList
) -> tuple[Decision, ...]:
    """The decisions of sheet 审定, each checked; a problem is an error naming the cell."""
    if REVIEW_SHEET not in book.sheet_names:
        return ()
    table = find_table(book, REVIEW_SHEET, ["单位编码", "项目", "调整为", "理由", "审批"], issues)
    if table is None:
        return ()
    known = {u.code: u for u in units}
    seen: dict[tuple[str, str], str] = {}
    out: list[Decision] = []
    for rec in table.records():
        code = display_text(rec.raw("单位编码"))
        item_text = display_text(rec.raw("项目"))
        item = ITEMS.get(item_text)
        ok = _unit_ok(rec, code, known, issues)
        if item is None:
            issues.add("review-unknown-item", rec.ref("项目"), value=item_text)
            ok = False
        reason = _plain(rec.raw("理由"))
        approver = _plain(rec.raw("审批"))
        for column, text in (("理由", reason), ("审批", approver)):
            if not text:
                issues.add(
                    f"review-missing-{'reason' if column == '理由' else 'approver'}",
                    rec.ref(column),
                    unit=code,
                    item=item_text,
                )
                ok = False
        value = _value(rec, scheme, item, issues) if item is not None else (False, None)
        if not (ok and value[0]) or item is None:
            continue
        unit = known[code]
        if item != "move" and unit.participation is not Participation.YES:
            issues.add(
                "review-not-scored",
                rec.ref("项目"),
                unit=code,
                name=unit.name,
                status=PARTICIPATION_TEXT[unit.participation],
                item=item_text,
            )
            continue
        if item != "honours":
            other = seen.setdefault((code, item), rec.ref("项目"))
            if other != rec.ref("项目"):
                issues.add("review-twice", rec.ref("项目"), unit=code, item=item_text, other=other)
                continue
        out.append(Decision(code, item, value[1], reason, approver, rec.ref("调整为")))
    return tuple(out)


def _plain(value: object) -> str:
    """Free text as typed (full-width punctuation kept), trimmed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _unit_ok(rec: Record, code: str, known: Mapping[str, Unit], issues: IssueList) -> bool:
    if not code:
        issues.add("review-blank-unit", rec.ref("单位编码"))
        return False
    if code not in known:
        issues.add("review-unknown-unit", rec.ref("单位编码"), unit=code)
        return False
    return True


def _value(rec: Record, scheme: Scheme, item: str, issues: IssueList) -> tuple[bool, str | None]:
    """(ok, value) of 调整为 for the item: a grade or None, a move or None, ±honour."""
    text = display_text(rec.raw("调整为"))
    where = rec.ref("调整为")
    if item == "grade":
        if not scheme.grade_names:
            issues.add("review-no-grades", where)
            return False, None
        if text == NO_GRADE:
            return True, None
        if text not in scheme.grade_names:
            issues.add("review-bad-grade", where, value=text, grades="、".join(scheme.grade_names))
            return False, None
        return True, text
    if item == "move":
        if not scheme.tiers:
            issues.add("review-no-tiers", where)
            return False, None
        if text not in MOVES:
            issues.add("review-bad-move", where, value=text)
            return False, None
        return True, MOVES[text]
    names = [h.name for h in scheme.honours]
    sign, name = text[:1].replace("＋", "+").replace("－", "-"), text[1:].strip()
    if sign not in ("+", "-") or name not in names:
        issues.add(
            "review-bad-honour", where, value=text, honours="、".join(names) or "本方案无荣誉"
        )
        return False, None
    return True, sign + name


def read_objections(
    book: Workbook, units: Sequence[Unit], issues: IssueList
) -> tuple[Objection, ...]:
    """The objections of sheet 异议; each without a 处理结果 is a warning: the 通报 is not
    final while one is pending."""
    if OBJECTION_SHEET not in book.sheet_names:
        return ()
    table = find_table(book, OBJECTION_SHEET, ["单位编码", "异议人", "内容", "处理结果"], issues)
    if table is None:
        return ()
    known = {u.code for u in units}
    out: list[Objection] = []
    for rec in table.records():
        code = display_text(rec.raw("单位编码"))
        objector = _plain(rec.raw("异议人"))
        outcome = _plain(rec.raw("处理结果"))
        if code and code not in known:
            issues.add("objection-unknown-unit", rec.ref("单位编码"), unit=code)
        if not outcome:
            issues.add(
                "objection-pending",
                rec.ref("处理结果"),
                objector=objector or "（未填）",
                unit=code or "（未填）",
            )
        raw_date = rec.raw("处理日期")
        date = (
            raw_date.date().isoformat()
            if isinstance(raw_date, dt.datetime)
            else (raw_date.isoformat() if isinstance(raw_date, dt.date) else display_text(raw_date))
        )
        out.append(
            Objection(code, objector, _plain(rec.raw("内容")), outcome, date, rec.ref("内容"))
        )
    return tuple(out)
