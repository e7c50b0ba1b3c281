"""The results workbook staff open (SPEC §6): Chinese headers, ranked, print-ready."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from kxassess.inputs import Score, YearInput
from kxassess.numbers import as_decimal
from kxassess.result import MOVE_LABELS, STATUS_LABELS, ScoreResult, UnitResult, flag_label
from kxassess.scheme.model import Scheme
from kxassess.writing.sheets import ledger_sheet, self_sheet, stats_sheet
from kxassess.writing.xlsx import add_sheet, issues_sheet, run_sheet

GRADE_FILLS = ["C6EFCE", "FFEB9C", "FCE4D6", "EDEDED"]  # best grade first


Column = tuple[str, Callable[[UnitResult], object]]


def _component_getter(comp_id: str) -> Callable[[UnitResult], object]:
    return lambda u: (u.components or {}).get(comp_id)


def _summary_columns(scheme: Scheme, units: Sequence[UnitResult]) -> list[Column]:
    """The summary's columns; optional ones only where the scheme or the data has them."""
    cols: list[Column] = [
        ("分组", lambda u: u.group),
        ("排名", lambda u: u.rank),
        ("单位编码", lambda u: u.code),
        ("单位名称", lambda u: u.name),
        ("类别", lambda u: u.tier or ""),
        ("状态", lambda u: STATUS_LABELS[u.status]),
        ("总分", lambda u: u.total),
    ]
    cols += [(c.name, _component_getter(c.id)) for c in scheme.components]
    if any(c.events for c in scheme.indicator_components):
        cols += [("加分", lambda u: u.bonus), ("扣分", lambda u: u.deduction)]
    if scheme.grade_names:
        cols.append(("等级", lambda u: u.grade or ""))
    if any(u.previous_grade or u.previous_rank for u in units):
        cols += [
            ("上年等级", lambda u: u.previous_grade or ""),
            ("上年排名", lambda u: u.previous_rank),
        ]
    if scheme.rewards:
        cols.append(("以奖代补（元）", lambda u: u.reward))
    if scheme.tiers:
        cols += [
            ("升降", lambda u: MOVE_LABELS.get(u.move, u.move or "")),
            ("下年度类别", lambda u: u.next_tier or ""),
        ]
    if scheme.vetoes:
        cols.append(("否决事项", lambda u: "；".join(u.vetoes)))
    cols += [
        ("荣誉", lambda u: "、".join(u.honours)),
        ("标记", lambda u: "、".join(map(flag_label, u.flags))),
    ]
    return cols


def _colour_grades(ws: Worksheet, scheme: Scheme, grade_col: int) -> None:
    fills = {
        g: PatternFill("solid", fgColor=GRADE_FILLS[min(i, len(GRADE_FILLS) - 1)])
        for i, g in enumerate(scheme.grade_names)
    }
    for row in ws.iter_rows(min_row=2, min_col=grade_col, max_col=grade_col):
        for cell in row:
            fill = fills.get(str(cell.value))
            if fill is not None:
                cell.fill = fill


def write_results_workbook(path: Path, result: ScoreResult, data: YearInput | None) -> None:

    scores = data.scores if data is not None else ()
    scheme = result.scheme
    assert isinstance(scheme, Scheme)
    wb = Workbook()
    wb.remove(wb.active)
    columns = _summary_columns(scheme, result.units)
    headers = [h for h, _ in columns]
    groups = list(dict.fromkeys(u.group for u in result.units))
    sheets = [("汇总", list(result.units))]
    if len(groups) > 1:
        sheets += [(g, [u for u in result.units if u.group == g]) for g in groups]
    for title, members in sheets:
        rows = ([get(u) for _, get in columns] for u in members)
        ws = add_sheet(wb, title[:31], headers, rows)
        if "等级" in headers:
            _colour_grades(ws, scheme, headers.index("等级") + 1)
    stats_sheet(wb, scheme, result)
    _indicator_sheet(wb, scheme, result.units)
    _judge_sheet(wb, scheme, result.units, scores)
    self_sheet(wb, scheme, result.units)
    ledger_sheet(wb, scheme, result.units, data)
    issues_sheet(wb, result)
    run_sheet(wb, result)
    wb.save(path)


def _indicator_sheet(wb: Workbook, scheme: Scheme, units: Sequence[UnitResult]) -> None:
    inds = [i for c in scheme.indicator_components for i in c.indicators]
    parts = [p for c in scheme.indicator_components for p in c.parts]
    headers = [
        "单位编码",
        "单位名称",
        "类别",
        *[i.code for i in inds],
        *[f"{p.name or p.id}得分" for p in parts],
    ]
    rows: list[list[object]] = [
        ["满分", "", "", *[as_decimal(i.max) for i in inds], *[""] * len(parts)]
    ]
    for u in units:
        if u.indicators:
            rows.append(
                [
                    u.code,
                    u.name,
                    u.tier or "",
                    *[u.indicators.get(i.code) for i in inds],
                    *[u.parts.get(p.id) for p in parts],
                ]
            )
    ws = add_sheet(wb, "指标明细", headers, rows)
    ws.freeze_panes = "D3"


def _judge_sheet(
    wb: Workbook, scheme: Scheme, units: Sequence[UnitResult], scores: Sequence[Score]
) -> None:
    inds = [i.code for c in scheme.indicator_components for i in c.indicators]
    names = {u.code: u.name for u in units}
    table: dict[tuple[str, str], dict[str, Decimal]] = {}
    for s in scores:
        cell = table.setdefault((s.judge, s.unit), {})
        cell[s.indicator] = as_decimal(s.value)
    rows = (
        [judge, unit, names.get(unit, ""), *[values.get(c) for c in inds]]
        for (judge, unit), values in sorted(table.items())
    )
    add_sheet(wb, "专家评分", ["专家", "单位编码", "单位名称", *inds], rows)


def write_roster(path: Path, rows: Sequence[tuple[str, str, str, dict[str, str]]]) -> None:
    """A roster in the 考核对象 layout, ready to paste into next year's workbook."""
    extra = list(dict.fromkeys(k for *_, attrs in rows for k in attrs))
    wb = Workbook()
    wb.remove(wb.active)
    body = (
        [code, name, tier, "", *[attrs.get(k, "") for k in extra]]
        for code, name, tier, attrs in rows
    )
    add_sheet(wb, "考核对象", ["单位编码", "单位名称", "类别", "参加", *extra], body)
    wb.save(path)
