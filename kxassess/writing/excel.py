"""The results workbook staff open: Chinese headers, ranked, print-ready."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from kxassess.inputs import Score, YearInput
from kxassess.numbers import as_decimal
from kxassess.result import MOVE_LABELS, STATUS_LABELS, ScoreResult, UnitResult, flag_label
from kxassess.scheme.model import Scheme
from kxassess.writing.judges_sheet import judges_sheet
from kxassess.writing.review_sheets import review_sheets
from kxassess.writing.sheets import ledger_sheet, self_sheet, stats_sheet
from kxassess.writing.xlsx import Book, add_sheet, colour_grades, issues_sheet, run_sheet
from kxassess.writing.xlsx_block import write_block
from kxassess.writing.xlsx_scores import score_block

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
        ("标记", lambda u: "、".join(flag_label(f, scheme) for f in u.flags)),
    ]
    return cols


ALWAYS = ("单位编码", "单位名称", "状态")


def _with_values(columns: list[Column], units: Sequence[UnitResult]) -> list[Column]:
    """Columns that some unit has a value in: no empty 类别 or 荣誉 column on paper."""
    return [
        (h, get)
        for h, get in columns
        if h in ALWAYS or any(get(u) not in (None, "") for u in units)
    ]


def write_results_workbook(
    path: Path, scheme: Scheme, result: ScoreResult, data: YearInput | None
) -> None:
    """汇总, a sheet per group, 统计, 指标明细, 专家评分, 评委分析, 自评对比, 加减分与否决,
    问题清单, 运行信息."""
    scores = data.scores if data is not None else ()
    book = Book(path)
    columns = _with_values(_summary_columns(scheme, result.units), result.units)
    headers = [h for h, _ in columns]
    groups = list(dict.fromkeys(u.group for u in result.units))
    sheets = [("汇总", list(result.units))]
    if len(groups) > 1:
        sheets += [(g, [u for u in result.units if u.group == g]) for g in groups]
    for title, members in sheets:
        rows = ([get(u) for _, get in columns] for u in members)
        ws = add_sheet(book, title, headers, rows)
        if "等级" in headers:
            colour_grades(book, ws, headers.index("等级"), scheme.grade_names, len(members))
    stats_sheet(book, scheme, result)
    _indicator_sheet(book, scheme, result.units)
    _judge_sheet(book, scheme, result.units, scores)
    judges_sheet(book, scheme, result)
    self_sheet(book, scheme, result.units)
    ledger_sheet(book, scheme, result.units, data)
    review_sheets(book, result)
    issues_sheet(book, result)
    run_sheet(book, result)
    book.close()


def _indicator_sheet(book: Book, scheme: Scheme, units: Sequence[UnitResult]) -> None:
    inds = [i for c in scheme.indicator_components for i in c.indicators]
    parts = [p for c in scheme.indicator_components for p in c.parts]
    tiers = any(u.tier for u in units)
    headers = [
        "单位编码",
        "单位名称",
        *(["类别"] if tiers else []),
        *[i.code for i in inds],
        *[f"{p.name or p.id}得分" for p in parts],
    ]
    rows: list[list[object]] = [
        ["满分", "", *([""] if tiers else []), *[as_decimal(i.max) for i in inds]]
        + [""] * len(parts)
    ]
    for u in units:
        if u.indicators:
            rows.append(
                [
                    u.code,
                    u.name,
                    *([u.tier or ""] if tiers else []),
                    *[u.indicators.get(i.code) for i in inds],
                    *[u.parts.get(p.id) for p in parts],
                ]
            )
    ws = add_sheet(book, "指标明细", headers, rows)
    ws.freeze_panes(2, 3 if tiers else 2)


def _judge_sheet(
    book: Book, scheme: Scheme, units: Sequence[UnitResult], scores: Sequence[Score]
) -> None:
    """Every judge's scores, a row per judge and unit — the largest sheet of a national
    year (about two million cells), written as a block of columns (:func:`judge_rows`)."""
    inds = [i.code for c in scheme.indicator_components for i in c.indicators]
    judges, codes, values = score_block(scores, inds)
    names = {u.code: u.name for u in units}
    judge_rows(book, inds, judges, codes, [names.get(code, "") for code in codes], values)


def judge_rows(
    book: Book,
    indicators: Sequence[str],
    judges: Sequence[str],
    codes: Sequence[str],
    names: Sequence[str],
    values: np.ndarray,
) -> None:
    """专家评分 from plain columns, in the order given: a row per judge and unit, the
    indicators' scores as float64 with NaN where the judge gave none."""
    headers = ["专家", "单位编码", "单位名称", *indicators]
    ws = add_sheet(book, "专家评分", headers, [])
    write_block(ws, 1, [judges, codes, names], values, book.number)
    if len(judges):
        ws.autofilter(0, 0, len(judges), len(headers) - 1)
    for c, width in enumerate([10, 12, 24]):
        ws.set_column(c, c, width)


def write_roster(path: Path, rows: Sequence[tuple[str, str, str, dict[str, str]]]) -> None:
    """A roster in the 考核对象 layout, ready to paste into next year's workbook."""
    extra = list(dict.fromkeys(k for *_, attrs in rows for k in attrs))
    book = Book(path)
    body = (
        [code, name, tier, "", *[attrs.get(k, "") for k in extra]]
        for code, name, tier, attrs in rows
    )
    add_sheet(book, "考核对象", ["单位编码", "单位名称", "类别", "参加", *extra], body)
    book.close()
