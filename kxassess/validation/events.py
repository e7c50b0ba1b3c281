"""Sheets 加减分 (bonus/deduction events), 否决事项 (vetoes) and 自评 (self-assessment)."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from kxassess.inputs import SelfScore, Veto
from kxassess.issues import IssueList
from kxassess.numbers import as_decimal
from kxassess.reading.cells import display_text
from kxassess.reading.sheets import find_sheet
from kxassess.reading.tables import find_table
from kxassess.reading.workbook import Workbook
from kxassess.scheme.model import Scheme
from kxassess.validation.lookup import UnitIndex, find_indicator, number_cell

EVENTS_SHEET = "加减分"
VETO_SHEET = "否决事项"
SELF_SHEET = "自评"


def read_events(
    book: Workbook, scheme: Scheme, index: UnitIndex, issues: IssueList
) -> dict[str, dict[str, Fraction]]:
    """unit → event code → number of events (rows of one unit and code add up)."""
    codes = scheme.event_codes
    out: dict[str, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    if find_sheet(book, EVENTS_SHEET) is None:
        return {}
    table = find_table(book, EVENTS_SHEET, ["单位编码", "项目", "次数"], issues)
    if table is None:
        return {}
    if not codes:
        if table.body:
            issues.add("no-events", table.source)
        return {}
    for rec in table.records():
        unit = index.find(rec, issues)
        code = rec.text("项目")
        if code not in codes:
            text = display_text(rec.raw("项目"))
            issues.add("unknown-event", rec.ref("项目"), text=text, codes="、".join(codes))
            continue
        count, ok = number_cell(rec, "次数", issues)
        if not ok:
            continue
        if count is None or count < 0 or count.denominator != 1:
            issues.add("bad-count", rec.ref("次数"), text=display_text(rec.raw("次数")))
            continue
        if unit is not None:
            out[unit.code][code] += count
    return {u: dict(c) for u, c in out.items()}


def read_vetoes(
    book: Workbook, scheme: Scheme, index: UnitIndex, issues: IssueList
) -> dict[str, list[Veto]]:
    if find_sheet(book, VETO_SHEET) is None:
        return {}
    table = find_table(book, VETO_SHEET, ["单位编码", "事项", "处理"], issues)
    if table is None:
        return {}
    out: dict[str, list[Veto]] = defaultdict(list)
    allowed = list(scheme.vetoes)
    for rec in table.records():
        unit = index.find(rec, issues)
        action = rec.text("处理")
        if action not in scheme.vetoes:
            choice = "、".join(allowed) if allowed else "考核方案没有否决事项"
            text = display_text(rec.raw("处理"))
            issues.add("unknown-veto", rec.ref("处理"), text=text, choice=choice)
            continue
        if unit is not None:
            out[unit.code].append(Veto(display_text(rec.raw("事项")), action, rec.ref("处理")))
    return dict(out)


def read_self(
    book: Workbook, scheme: Scheme, index: UnitIndex, issues: IssueList
) -> dict[str, dict[str, SelfScore]]:
    """unit → indicator → the unit's own score (自评分) and what it reported (完成情况)."""
    if find_sheet(book, SELF_SHEET) is None:
        return {}
    table = find_table(book, SELF_SHEET, ["单位编码", "指标", "自评分"], issues)
    if table is None:
        return {}
    indicators = scheme.all_indicators
    out: dict[str, dict[str, SelfScore]] = defaultdict(dict)
    for rec in table.records():
        unit = index.find(rec, issues)
        ind = find_indicator(rec, indicators, issues)
        if ind is None:
            continue
        code = ind.code
        value, _ = number_cell(rec, "自评分", issues)
        if value is None or unit is None:
            continue
        if not 0 <= value <= ind.max:
            issues.add(
                "above-max" if value > ind.max else "below-zero",
                rec.ref("自评分"),
                what="自评分",
                text=display_text(rec.raw("自评分")),
                max=as_decimal(ind.max),
                indicator=code,
            )
            continue
        verified = rec.text("核实")
        if verified not in ("", "属实", "不实"):
            issues.add("bad-verification", rec.ref("核实"))
            continue
        before = out[unit.code].get(code)
        if before is not None and not table.has("核实"):
            where, unit_code = rec.ref("指标"), f"{unit.code} 的指标 {code}"
            issues.add("duplicate-row", where, unit=unit_code, first=before.source)
            continue
        # with a 核实 column every row is one self-reported item of its indicator
        report = display_text(rec.raw("完成情况"))
        false = int(verified == "不实")
        if before is not None:
            value = before.value + value
            report = "；".join(x for x in (before.report, report) if x)
            false += before.false_items
        out[unit.code][code] = SelfScore(value, report, rec.ref("自评分"), verified, false)
    return dict(out)
