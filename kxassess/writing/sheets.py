"""Further sheets of the results workbook: statistics with charts, self vs assessed, and the
bonus/deduction and veto ledger."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from kxassess.inputs import YearInput
from kxassess.numbers import as_decimal
from kxassess.result import ScoreResult, Status, UnitResult
from kxassess.scheme import Scheme
from kxassess.writing.xlsx import add_sheet

BIN = 10


def _bins(totals: Sequence[Decimal]) -> list[tuple[int, int]]:
    low = int(math.floor(min(totals) / BIN) * BIN)
    high = int(math.floor(max(totals) / BIN) * BIN) + BIN
    return [(b, b + BIN) for b in range(low, high, BIN)]


def stats_sheet(wb: Workbook, scheme: Scheme, result: ScoreResult) -> None:
    """Score distribution per group (10-point bins) and grade counts, each with a chart."""
    scored = [u for u in result.units if u.status is Status.SCORED and u.total is not None]
    if not scored:
        return
    groups = list(dict.fromkeys(u.group for u in scored))
    bins = _bins([u.total for u in scored if u.total is not None])
    rows: list[list[object]] = []
    for low, high in bins:
        counts = [
            sum(1 for u in scored if u.group == g and u.total is not None and low <= u.total < high)
            for g in groups
        ]
        rows.append([f"{low}–{high}", *counts])
    ws = add_sheet(wb, "统计", ["总分区间", *groups], rows)
    chart = BarChart()
    chart.title = "总分分布"
    chart.y_axis.title = "单位数"
    chart.x_axis.title = "总分区间"
    data = Reference(ws, min_col=2, max_col=len(groups) + 1, min_row=1, max_row=len(rows) + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(rows) + 1))
    chart.width, chart.height = 18, 8
    ws.add_chart(chart, f"{_col(len(groups) + 3)}2")
    grades = scheme.grade_names
    if not grades:
        return
    start = len(rows) + 4
    ws.cell(row=start, column=1, value="等级")
    for n, g in enumerate(groups, start=2):
        ws.cell(row=start, column=n, value=g)
    for r, grade in enumerate(grades, start=start + 1):
        ws.cell(row=r, column=1, value=grade)
        for n, g in enumerate(groups, start=2):
            ws.cell(
                row=r, column=n, value=sum(1 for u in scored if u.group == g and u.grade == grade)
            )
    counts = BarChart()
    counts.title = "等级分布"
    counts.y_axis.title = "单位数"
    ref = Reference(
        ws, min_col=2, max_col=len(groups) + 1, min_row=start, max_row=start + len(grades)
    )
    counts.add_data(ref, titles_from_data=True)
    counts.set_categories(Reference(ws, min_col=1, min_row=start + 1, max_row=start + len(grades)))
    counts.width, counts.height = 18, 8
    ws.add_chart(counts, f"{_col(len(groups) + 3)}20")


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def self_sheet(wb: Workbook, scheme: Scheme, units: Sequence[UnitResult]) -> None:
    """自评对比: per unit and indicator the self score, the assessed score and the gap."""
    rows: list[list[object]] = []
    for u in units:
        for comp in scheme.indicator_components:
            for ind in comp.indicators:
                mine = u.self_scores.get(ind.code)
                if mine is None:
                    continue
                assessed = u.indicators.get(ind.code)
                gap = None if assessed is None else mine - assessed
                rows.append([u.code, u.name, ind.code, as_decimal(ind.max), mine, assessed, gap])
    if rows:
        add_sheet(
            wb,
            "自评对比",
            ["单位编码", "单位名称", "指标", "分值", "自评分", "评定分", "差值"],
            rows,
        )


def ledger_sheet(
    wb: Workbook, scheme: Scheme, units: Sequence[UnitResult], data: YearInput | None
) -> None:
    """加减分与否决: every event with its points before the caps, and every veto."""
    if data is None or (not data.events and not data.vetoes):
        return
    codes = scheme.event_codes
    names = {u.code: u.name for u in units}
    rows: list[list[object]] = []
    for unit, events in sorted(data.events.items()):
        for code, count in sorted(events.items()):
            item, rate = codes[code]
            kind = "加分" if item.kind == "bonus" else "扣分"
            text = f"{item.text} {rate.text}".strip()
            rows.append(
                [
                    unit,
                    names.get(unit, ""),
                    kind,
                    code,
                    text,
                    as_decimal(count),
                    as_decimal(count * rate.rate),
                    "",
                ]
            )
    for unit, vetoes in sorted(data.vetoes.items()):
        for v in vetoes:
            rows.append([unit, names.get(unit, ""), "否决", "", v.matter, None, None, v.action])
    add_sheet(
        wb,
        "加减分与否决",
        ["单位编码", "单位名称", "类型", "项目", "事项", "次数", "分值（未计上限）", "处理"],
        rows,
    )
