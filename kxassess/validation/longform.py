"""The long form's common rows taken in blocks (专家评分, one row per score).

Most rows of a national 专家评分 sheet say nothing to report: a judge's plain score, within
the indicator's range, of a unit taking part whose code (and name) were found without a
problem, for an indicator named by its code, the first score of that judge, unit and
indicator. Such rows are found by looking up each distinct cell text once, and each run
of them is recorded as one block: the scores appended to the table as arrays, and what the
row-by-row reading records for them (the judge first seen, the units a judge scored, the
indicators each judge scored for a unit, the first place of each score) recorded once per
distinct judge, unit and pair. Every other row is read row by row as before, in its place
between the blocks, so that the issues and the order of the scores stay the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kxassess.inputs import Participation, Unit
from kxassess.issues import IssueList
from kxassess.reading.cells import display_text, norm_text
from kxassess.reading.tables import Record, Table
from kxassess.reading.workbook import Row
from kxassess.validation.collected import Collected

I64 = npt.NDArray[np.int64]


def _codes(values: Sequence[object]) -> tuple[I64, list[object]]:
    """Each value's number among the distinct values (in first-seen order), and those."""
    seen: dict[object, int] = {}
    out = np.empty(len(values), dtype=np.int64)
    for n, v in enumerate(values):
        try:
            code = seen.setdefault(v, len(seen))
        except TypeError:  # not a key: a value of its own (never a common row)
            code = -1
        out[n] = code
    return out, list(seen)


Body = Sequence[tuple[int, Row]]  # the table's rows: (0-based row index, values)


def _column(body: Body, at: int | None) -> list[object]:
    if at is None:
        return [None] * len(body)
    return [values[at] if at < len(values) else None for _, values in body]


@dataclass
class _Rows:
    """Per row: the judge's text, the unit, the indicator (numbers into lists; −1 none)."""

    judge: I64
    judges: list[str]
    unit: I64
    units: list[Unit]
    indicator: I64
    indicators: list[str]
    group: I64  # the judge's details: (judge, 评委组, 所属单位) number
    details: list[tuple[str, str, str]]


def _resolve(table: Table, body: Body, col: Collected) -> tuple[_Rows, npt.NDArray[np.bool_]]:
    """Each row's judge, unit and indicator, found once per distinct cell text; and which
    rows are common apart from their value and their being first (a boolean mask)."""
    columns = table.columns
    raw_judge, judge_values = _codes(_column(body, columns["专家"]))
    judge_text = [display_text(v) for v in judge_values]
    judges = list(dict.fromkeys(t for t in judge_text if t))
    judge_number = {t: n for n, t in enumerate(judges)}
    judge = np.array([judge_number.get(t, -1) for t in judge_text] + [-1], dtype=np.int64)[
        raw_judge
    ]
    pairs = list(
        zip(
            _column(body, columns.get("单位编码")),
            _column(body, columns.get("单位名称")),
            strict=True,
        )
    )
    raw_unit, unit_values = _codes(pairs)
    units: list[Unit] = []
    unit_number: dict[str, int] = {}
    clean = np.zeros(len(unit_values) + 1, dtype=bool)  # found without a word to say
    unit_of_value = np.full(len(unit_values) + 1, -1, dtype=np.int64)
    first_row = {int(c): n for n, c in reversed(list(enumerate(raw_unit.tolist())))}
    for value_code in range(len(unit_values)):
        scratch = IssueList()
        found = col.index.find(Record(table, *body[first_row[value_code]]), scratch)
        if found is None:
            continue
        unit_of_value[value_code] = unit_number.setdefault(found.code, len(units))
        if len(units) < len(unit_number):
            units.append(found)
        clean[value_code] = not scratch.items and found.participation is Participation.YES
    unit = unit_of_value[raw_unit]
    raw_ind, ind_values = _codes(_column(body, columns["指标"]))
    indicators = list(col.indicators)
    ind_number = {code: n for n, code in enumerate(indicators)}
    indicator = np.array(
        [ind_number.get(norm_text(v), -1) for v in ind_values] + [-1], dtype=np.int64
    )[raw_ind]
    triples = [
        (judge_text[j] if j >= 0 else "", display_text(g), display_text(a))
        for j, g, a in zip(
            raw_judge.tolist(),
            _column(body, columns.get("评委组")),
            _column(body, columns.get("所属单位")),
            strict=True,
        )
    ]
    group, distinct = _codes(triples)
    details = [t for t in distinct if isinstance(t, tuple)]  # every triple is one
    common = (judge >= 0) & clean[raw_unit] & (indicator >= 0) & (raw_unit >= 0)
    rows = _Rows(judge, judges, unit, units, indicator, indicators, group, details)
    return rows, common


def read_long_rows(
    table: Table,
    body: Body,
    hundredths: Sequence[int],
    tops: dict[str, int],
    col: Collected,
    place: int,
    score_col: int,
    one_row: Callable[[Record, int], None],
) -> None:
    """Every row of the long form: common rows in blocks, the others by ``one_row``."""
    n = len(body)
    if n == 0:
        return
    if col.recusal:  # each row's judge and unit decide: row by row
        for (row, values), h in zip(body, hundredths, strict=True):
            one_row(Record(table, row, values), h)
        return
    rows, common = _resolve(table, body, col)
    score = np.asarray(hundredths, dtype=np.int64)
    top = np.array([tops[code] for code in rows.indicators] + [0], dtype=np.int64)
    common &= (score >= 0) & (score <= top[rows.indicator])
    # a score's first row: later rows with the same judge, unit and indicator are read
    # row by row (a duplicate, or the first to count after an unreadable one)
    keyed = (rows.judge >= 0) & (rows.unit >= 0) & (rows.indicator >= 0)
    width_u, width_i = len(rows.units) + 1, len(rows.indicators) + 1
    combined = (rows.judge * width_u + rows.unit) * width_i + rows.indicator
    key = np.where(keyed, combined, -1 - np.arange(n))
    _, first, counts = np.unique(key, return_index=True, return_counts=True)
    is_first = np.zeros(n, dtype=bool)
    is_first[first] = True
    again = np.zeros(n, dtype=bool)  # the first row of a score that has more rows
    again[first[counts > 1]] = True
    common &= is_first & ~_recorded_before(col, rows, keyed)
    start = 0
    while start < n:
        if not common[start]:
            one_row(Record(table, *body[start]), int(score[start]))
            start += 1
            continue
        stop = start + 1
        while stop < n and common[stop]:
            stop += 1
        _block(table, body, rows, score, again, col, place, score_col, start, stop)
        start = stop


BASE = 1 << 21  # table codes of judges, units and indicators stay below this


def _table_keys(judges: I64, units: I64, indicators: I64) -> I64:
    """(judge, unit, indicator) table codes as one number each (−1 where a code is −1)."""
    key = (judges * BASE + units) * BASE + indicators
    return np.where((judges >= 0) & (units >= 0) & (indicators >= 0), key, -1)


def _recorded_before(
    col: Collected, rows: _Rows, keyed: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """The rows whose score an earlier sheet recorded, row by row (in ``seen``) or in a
    block: each is read row by row, with a block's place put in ``seen`` (as if the block
    had been read so)."""
    b = col.scores
    judge = np.array([b.judges.get(n, -1) for n in rows.judges] + [-1], dtype=np.int64)
    unit = np.array([b.units.get(u.code, -1) for u in rows.units] + [-1], dtype=np.int64)
    ind = np.array([b.indicators.get(c, -1) for c in rows.indicators] + [-1], dtype=np.int64)
    key = _table_keys(judge[rows.judge], unit[rows.unit], ind[rows.indicator])
    seen = np.array(  # a score in ``seen`` has its codes: it was added to the table
        [(b.judges[j] * BASE + b.units[u]) * BASE + b.indicators[i] for j, u, i in col.seen],
        dtype=np.int64,
    )
    blocks = np.concatenate(col.block_keys) if col.block_keys else np.zeros(0, np.int64)
    in_block = keyed & (key >= 0) & np.isin(key, blocks) & ~np.isin(key, seen)
    if in_block.any():
        at_of = np.concatenate(col.block_at)
        order = np.argsort(blocks, kind="stable")
        for at in np.flatnonzero(in_block).tolist():
            found = order[np.searchsorted(blocks, key[at], sorter=order)]
            name, code = rows.judges[int(rows.judge[at])], rows.units[int(rows.unit[at])].code
            indicator = rows.indicators[int(rows.indicator[at])]
            place, row, column = (int(x) for x in at_of[found])
            col.seen.setdefault((name, code, indicator), (place, row, column))
    return keyed & (key >= 0) & (np.isin(key, seen) | in_block)


def _first_positions(values: I64) -> list[int]:
    """The position of each distinct value's first occurrence, in order of position."""
    _, first = np.unique(values, return_index=True)
    return sorted(first.tolist())


def _block(
    table: Table,
    body: Body,
    rows: _Rows,
    h: I64,
    again: npt.NDArray[np.bool_],
    col: Collected,
    place: int,
    score_col: int,
    start: int,
    stop: int,
) -> None:
    """Rows ``start:stop``, all common: recorded as the row-by-row reading records them."""
    part = slice(start, stop)
    judge, unit, indicator = rows.judge[part], rows.unit[part], rows.indicator[part]
    details = rows.group[part]
    info: dict[int, str] = {}  # details number → the judge's 评委组
    judge_at = table.columns["专家"]
    for at in _first_positions(details):  # each judge's first row in this block, in order
        name, group_text, affiliation = rows.details[int(details[at])]
        where = "" if name in col.first_seen else table.ref(body[start + at][0], judge_at)
        info[int(details[at])] = col.judge(name, group_text, affiliation, where, table.source).group
    b = col.scores
    unit_names = [u.code for u in rows.units]
    # codes given in the order the names first come, as row by row
    for at in _first_positions(judge):
        b.code(b.judges, rows.judges[int(judge[at])])
    judge_code = np.array([b.judges.get(name, -1) for name in rows.judges], dtype=np.int64)
    for at in _first_positions(unit):
        b.code(b.units, unit_names[int(unit[at])])
    for at in _first_positions(indicator):
        b.code(b.indicators, rows.indicators[int(indicator[at])])
    for at in _first_positions(details):
        b.code(b.groups, info[int(details[at])])
    unit_code = np.array([b.units.get(name, -1) for name in unit_names], dtype=np.int64)
    ind_code = np.array([b.indicators.get(code, -1) for code in rows.indicators], dtype=np.int64)
    group_code = np.array(
        [b.groups[info[d]] if d in info else -1 for d in range(len(rows.details))],
        dtype=np.int64,
    )
    line = np.array([row for row, _ in body[part]], dtype=np.int64)
    b.add_block(
        judge_code[judge],
        unit_code[unit],
        ind_code[indicator],
        group_code[details],
        h[part],
        place,
        line,
        score_col,
    )
    col.block_keys.append(_table_keys(judge_code[judge], unit_code[unit], ind_code[indicator]))
    col.block_at.append(
        np.stack([np.full(len(line), place), line, np.full(len(line), score_col)], axis=1)
    )
    # what the row-by-row reading records per row, once per distinct judge and unit
    pair = judge * len(rows.units) + unit
    for at in _first_positions(pair):
        name, code = rows.judges[int(judge[at])], unit_names[int(unit[at])]
        col.rows_of[name].add(code)
        col.first_long.setdefault((name, code), (place, int(line[at]), score_col))
    order = np.lexsort((np.arange(len(pair)), pair))
    bounds = np.flatnonzero(np.diff(pair[order])) + 1
    for members in np.split(order, bounds):
        first = int(members[0])
        name, code = rows.judges[int(judge[first])], unit_names[int(unit[first])]
        col.scored(code, name, {rows.indicators[int(i)] for i in indicator[members].tolist()})
    for at in np.flatnonzero(again[part]).tolist():  # a later row of the same score looks
        name, code = rows.judges[int(judge[at])], unit_names[int(unit[at])]
        at_cell = (place, int(line[at]), score_col)
        col.seen[(name, code, rows.indicators[int(indicator[at])])] = at_cell
