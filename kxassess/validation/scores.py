"""Expert scores (专家评分): long-form sheets and wide-form ``评分-<专家>`` sheets.

Judges may belong to groups (评委组, from the long form or the 评委 roster); a judge whose
所属单位 is the unit being scored is left out for that unit when the scheme asks for
recusal (回避). An indicator scored per event may be given a count (``3次``, or a 次数
column in the long form) instead of a score.

The scores go into a columnar table (:mod:`kxassess.scoretable`): a judge's wide sheet as
one block of integer hundredths, found for whole columns at once; only the cells that are
not plain numbers go through the exact per-cell parser, and only problems get an address.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from kxassess.inputs import Participation, Unit
from kxassess.issues import IssueList
from kxassess.reading.cells import display_text, is_no_score, norm_text
from kxassess.reading.columns import PLAIN_LIMIT, plain_hundredths, top_hundredths
from kxassess.reading.sheets import hidden_like, sheet_hint, sheet_key, sheets_starting, suggestion
from kxassess.reading.tables import Record, find_table
from kxassess.reading.workbook import Workbook
from kxassess.scheme.model import Scheme
from kxassess.scoretable import ScoreBuilder, ScoreTable
from kxassess.validation.collected import Collected, listed_judge
from kxassess.validation.completeness import check_complete, check_groups
from kxassess.validation.longform import read_long_rows
from kxassess.validation.lookup import UnitIndex, find_indicator
from kxassess.validation.panel import (
    PANEL_SHEET,
    Judge,
    parse_scope,
    read_panel,
)
from kxassess.validation.score_cells import cell_value, count_cell, fast_bound, fast_number

LONG_PREFIX = "专家评分"
WIDE_PREFIX = "评分-"
# Columns a judge's wide sheet may carry besides the indicator codes.
WIDE_EXTRA = {
    "单位编码",
    "单位名称",
    "序号",
    "类别",
    "合计",
    "总分",
    "小计",
    "备注",
    "签名",
    "专家",
}


def score_sheets(book: Workbook) -> tuple[list[str], list[str]]:
    """The long-form (专家评分…) and wide-form (评分-<专家>) sheets, names normalised."""
    return sheets_starting(book, LONG_PREFIX), sheets_starting(book, WIDE_PREFIX)


def read_scores(
    book: Workbook,
    scheme: Scheme,
    units: list[Unit],
    issues: IssueList,
    allow_missing: bool,
) -> ScoreTable:
    indicators = scheme.all_indicators
    if not indicators:
        return ScoreBuilder().freeze()
    panel = read_panel(book, scheme, units, issues)
    scopes = {
        who: parse_scope(text, f"{scheme.id}!review_scope!{who}", scheme, units, issues)
        for who, text in scheme.review_scope.items()
    }
    col = Collected(scheme, indicators, UnitIndex.of(units), panel, issues, scopes=scopes)
    long_sheets, wide_sheets = score_sheets(book)
    if not long_sheets and not wide_sheets:
        hint = sheet_hint(book, WIDE_PREFIX, prefix=True) or sheet_hint(book, LONG_PREFIX)
        issues.add("missing-scores", book.label, hint=hint)
        return ScoreBuilder().freeze()
    for sheet in long_sheets:
        _read_long(book, sheet, col)
    judges_sheet: dict[str, str] = {}
    for sheet in wide_sheets:
        judge = norm_text(sheet_key(sheet)[len(WIDE_PREFIX) :])
        if judge in judges_sheet:  # 评分-张明 and 评分－张明: one judge, two sheets
            first = judges_sheet[judge]
            issues.add("duplicate-judge-sheet", f"{book.label}!{sheet}", sheet=sheet, first=first)
            continue
        judges_sheet[judge] = sheet
        _read_wide(book, sheet, col)
    check_groups(scheme, col, issues)
    if panel is not None:
        _check_panel(book, panel, col, issues)
    check_complete(scheme, units, col, issues, allow_missing)
    return col.scores.freeze()


def _check_panel(
    book: Workbook, panel: dict[str, Judge], col: Collected, issues: IssueList
) -> None:
    """Both ways: every listed judge has scores, every score's judge is listed."""
    found = {norm_text(j) for j in col.judges}
    for name, info in panel.items():
        if norm_text(name) in found:
            continue
        hidden = hidden_like(book, WIDE_PREFIX + name)
        if hidden is not None:
            hint = f"（其评分表「{hidden}」是隐藏工作表，未读取）"
        else:
            near = suggestion(list(col.judges), name)
            hint = f"，是否为「{near}」？" if near else ""
        where = info.source or f"{book.label}!{PANEL_SHEET}"
        issues.add("judge-without-scores", where, judge=name, hint=hint)
    for name in col.judges:
        if listed_judge(panel, name) is None:
            near = suggestion(list(panel), name)
            hint = f"，是否为「{near}」？" if near else ""
            sheet = col.sheet_of[name].split("!", 1)[-1]
            issues.add("judge-not-listed", col.first_seen[name], judge=name, sheet=sheet, hint=hint)


def _read_long(book: Workbook, sheet: str, col: Collected) -> None:
    issues = col.issues
    table = find_table(book, sheet, ["专家", "单位编码", "指标", "得分"], issues)
    if table is None:
        return
    body = table.body
    # The plain numbers of the 得分 column at once (checked against each row's max below);
    # only the other cells go through the exact per-cell parser.
    score_col = table.columns["得分"]
    hundredths, plain = plain_hundredths([v for _, v in body], [score_col], [PLAIN_LIMIT])
    fast = np.where(plain[:, 0], hundredths[:, 0], -1).tolist() if body else []
    tops = {code: top_hundredths(ind.max) for code, ind in col.indicators.items()}
    place = col.scores.place(table.source)

    def one_row(rec: Record, h: int) -> None:
        judge = display_text(rec.raw("专家"))
        if not judge:
            issues.add("blank-judge", rec.ref("专家"))
            return
        unit = col.index.find(rec, issues)
        ind = find_indicator(rec, col.indicators, issues)
        if ind is None:
            return
        code = ind.code
        if unit is None:
            return
        if unit.participation is not Participation.YES:
            col.nonparticipant(unit, rec.ref("单位编码"))
            return
        info = col.judge(
            judge,
            display_text(rec.raw("评委组")),
            display_text(rec.raw("所属单位")),
            "" if judge in col.first_seen else rec.ref("专家"),
            table.source,
        )
        col.rows_of[judge].add(unit.code)
        if col.recusal and col.recuses(judge, info, unit, rec.ref("专家")):
            return
        if 0 <= h <= tops[code]:  # a plain number within the range: the common case
            col.add(judge, unit.code, code, info.group, h, (place, rec.row, score_col))
            return
        by_count = is_no_score(rec.raw("得分")) and not is_no_score(rec.raw("次数"))
        if by_count:
            value, ok = count_cell(rec, ind, issues)
        else:
            value, ok = cell_value(rec, "得分", ind, issues)
        if not ok:
            col.reported.add((judge, unit.code, code))
        elif value is not None:
            column = table.columns.get("次数" if by_count else "得分", 0)
            col.add(judge, unit.code, code, info.group, value, (place, rec.row, column))

    read_long_rows(table, body, fast, tops, col, place, score_col, one_row)


def _read_wide(book: Workbook, sheet: str, col: Collected) -> None:
    issues = col.issues
    judge = display_text(sheet_key(sheet)[len(WIDE_PREFIX) :])
    table = find_table(book, sheet, ["单位编码"], issues)
    if table is None:
        return
    codes = [h for h in table.columns if h in col.indicators]
    for header, column in table.columns.items():
        if header not in col.indicators and header not in WIDE_EXTRA:
            issues.add("ignored-column", table.col_ref(column), header=header)
    if not codes:
        example = "、".join(list(col.indicators)[:3])
        issues.add("no-indicator-columns", table.col_ref(0), example=example)
        return
    info = col.judge(judge, "", "", table.source, table.source)
    cells = [(code, table.columns[code], col.indicators[code]) for code in codes]
    records = list(table.records())
    # The plain numbers of the whole sheet at once; only the other cells are parsed one by one.
    hundredths, plain = plain_hundredths(
        [rec.values for rec in records],
        [column for _, column, _ in cells],
        [top_hundredths(ind.max) for _, _, ind in cells],
    )
    n, m = plain.shape
    rows_of = col.rows_of[judge]
    b = col.scores
    every = frozenset(codes)
    every_plain = np.asarray(plain.all(axis=1), dtype=np.bool_)
    all_plain: list[bool] = every_plain.tolist() if m else [True] * n
    present = plain.copy()
    keep = np.zeros(n, dtype=np.bool_)
    unit_codes = np.zeros(n, dtype=np.int64)
    odd_values: dict[tuple[int, int], Fraction] = {}
    for r, rec in enumerate(records):
        unit = col.find_unit(rec)
        if unit is None:
            continue
        if unit.code in rows_of:  # a second row, here or in the long form 专家评分
            earlier = col.row_ref.get((judge, unit.code))
            first = earlier.ref("单位编码") if earlier is not None else col.source_of(judge, unit)
            issues.add("duplicate-row", rec.ref("单位编码"), unit=unit.code, first=first)
            continue
        rows_of.add(unit.code)
        col.row_ref[(judge, unit.code)] = rec
        if unit.participation is not Participation.YES:
            if not all(is_no_score(rec.raw(c)) for c in codes):
                col.nonparticipant(unit, rec.ref("单位编码"))
            continue
        if col.recusal and col.recuses(judge, info, unit, rec.ref("单位编码")):
            continue
        keep[r] = True
        unit_codes[r] = b.code(b.units, unit.code)
        if all_plain[r]:
            col.scored(unit.code, judge, every)
            continue
        odd: list[str] = []  # scored through the per-cell parser
        for j in np.flatnonzero(~plain[r]).tolist():
            code, column, ind = cells[j]
            raw = rec.values[column] if column < len(rec.values) else None
            found = fast_number(raw, fast_bound(ind))
            if found is None:
                found, ok = cell_value(rec, code, ind, issues)
                if not ok:
                    col.reported.add((judge, unit.code, code))
                    continue
                if found is None:
                    col.blanks[(judge, unit.code)][code] = rec.ref(code)
                    continue
            present[r, j] = True
            odd_values[(r, j)] = found
            odd.append(code)
        bulk = {c for (c, _, _), p in zip(cells, plain[r].tolist(), strict=True) if p}
        col.scored(unit.code, judge, bulk.union(odd))
    # Every score of the sheet at once, row by row and in column order within a row.
    rr, jj = np.nonzero(present & keep[:, None])
    hundredths = hundredths[rr, jj]
    odd_at: dict[int, Fraction] = {}
    if odd_values:
        flat = rr * m + jj
        for (r, j), value in odd_values.items():
            k = int(np.searchsorted(flat, r * m + j))
            scaled = value * 100
            if scaled.denominator == 1 and abs(scaled) < 2**53:
                hundredths[k] = int(scaled)
            else:
                odd_at[k] = value
    ind_codes = np.array([b.code(b.indicators, c) for c in codes], dtype=np.int64)
    columns = np.array([column for _, column, _ in cells], dtype=np.int64)
    rows = np.array([rec.row for rec in records], dtype=np.int64)
    b.add_block(
        b.code(b.judges, judge),
        unit_codes[rr],
        ind_codes[jj],
        b.code(b.groups, info.group),
        hundredths,
        b.place(table.source),
        rows[rr],
        columns[jj],
        odd_at,
    )
