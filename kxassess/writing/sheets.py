"""Further sheets of the results workbook: statistics with charts, self vs assessed, and the
bonus/deduction and veto ledger."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from decimal import Decimal
from itertools import chain

from xlsxwriter.chart import Chart
from xlsxwriter.utility import xl_col_to_name

from kxassess.inputs import YearInput
from kxassess.numbers import as_decimal
from kxassess.result import ScoreResult, Status, UnitResult
from kxassess.scheme import Scheme
from kxassess.writing.xlsx import Book, add_sheet

BIN = 10


def _bins(totals: Sequence[Decimal]) -> list[tuple[int, int]]:
    low = int(math.floor(min(totals) / BIN) * BIN)
    high = int(math.floor(max(totals) / BIN) * BIN) + BIN
    return [(b, b + BIN) for b in range(low, high, BIN)]


def stats_sheet(book: Book, scheme: Scheme, result: ScoreResult) -> None:
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
    grades = scheme.grade_names
    start = len(rows) + 3  # first row of the grade table, below a blank row and its header
    if grades:
        rows.append([])
        rows.append(["等级", *groups])
        for grade in grades:
            counts = [sum(1 for u in scored if u.group == g and u.grade == grade) for g in groups]
            rows.append([grade, *counts])
    # the charts' count axis: the largest count of the bins and grades (not the targets)
    most = max((c for row in rows for c in row[1:] if isinstance(c, int)), default=1)
    targets = [h for h in scheme.honours if h.target is not None]
    if targets:  # the notice's targets (「年内力争认定20家一流学会」) against the counts
        rows += [[], ["荣誉", "认定", "目标", "差额"]]
        for h in targets:
            count = sum(1 for u in result.units if h.name in u.honours)
            rows.append([h.name, count, h.target, count - (h.target or 0)])
    ws = add_sheet(book, "统计", ["总分区间", *groups], rows)
    anchor = xl_col_to_name(len(groups) + 2)
    ws.insert_chart(f"{anchor}2", _chart(book, "总分分布", "总分区间", groups, 1, len(bins), most))
    if grades:
        last = start + len(grades) - 1
        chart = _chart(book, "等级分布", "等级", groups, start, last, most)
        ws.insert_chart(f"{anchor}20", chart)


def _chart(
    book: Book, title: str, x_title: str, groups: list[str], first: int, last: int, most: int
) -> Chart:
    """A column chart of rows ``first``…``last`` of sheet 统计, one series per group; the
    count axis in whole units (steps of 1, or of a whole number for large counts)."""
    chart = book.wb.add_chart({"type": "column"})
    assert chart is not None
    for n in range(1, len(groups) + 1):
        chart.add_series(
            {
                "name": ["统计", first - 1, n],
                "categories": ["统计", first, 0, last, 0],
                "values": ["统计", first, n, last, n],
            }
        )
    chart.set_title({"name": title})
    chart.set_x_axis({"name": x_title})
    chart.set_y_axis(
        {"name": "单位数", "min": 0, "major_unit": max(1, math.ceil(most / 10)), "num_format": "0"}
    )
    chart.set_size({"width": 640, "height": 300})
    return chart


def self_sheet(book: Book, scheme: Scheme, units: Sequence[UnitResult]) -> None:
    """自评对比: per unit and indicator the self score, the assessed score and the gap."""
    rows = _self_rows(scheme, units)  # streamed: a national year has 40,000 rows
    first = next(rows, None)
    if first is not None:
        headers = ["单位编码", "单位名称", "指标", "分值", "自评分", "评定分", "差值"]
        add_sheet(book, "自评对比", headers, chain([first], rows))


def _self_rows(scheme: Scheme, units: Sequence[UnitResult]) -> Iterator[list[object]]:
    maxima = [
        (i.code, as_decimal(i.max)) for c in scheme.indicator_components for i in c.indicators
    ]
    for u in units:
        for code, most in maxima:
            mine = u.self_scores.get(code)
            if mine is None:
                continue
            assessed = u.indicators.get(code)
            gap = None if assessed is None else mine - assessed
            yield [u.code, u.name, code, most, mine, assessed, gap]


def ledger_sheet(
    book: Book, scheme: Scheme, units: Sequence[UnitResult], data: YearInput | None
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
            points = as_decimal(count * rate.rate)
            rows.append(
                [unit, names.get(unit, ""), kind, code, text, as_decimal(count), points, ""]
            )
    for unit, vetoes in sorted(data.vetoes.items()):
        for v in vetoes:
            rows.append([unit, names.get(unit, ""), "否决", "", v.matter, None, None, v.action])
    headers = ["单位编码", "单位名称", "类型", "项目", "事项", "次数", "分值（未计上限）", "处理"]
    add_sheet(book, "加减分与否决", headers, rows)
