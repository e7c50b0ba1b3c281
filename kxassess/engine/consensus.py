"""The judges' consensus per unit and indicator from the score table, exact.

Scores are integers over the table's one denominator, so a cell's mean (or trimmed
mean: one highest and one lowest dropped) is an integer sum divided once: the sums,
minima and maxima of every (unit, indicator) cell come from one sort of the table, and
a Fraction is made per cell only — 39,000 at national scale, not two million.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from kxassess.scheme.model import Aggregation, IndicatorsComponent
from kxassess.scoretable import ScoreTable

ZERO = Fraction(0)
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Groups:
    """Rows of a table grouped by an int64 key: ``keys`` (distinct, ascending), ``first``
    (the smallest row index of each group), ``starts``/``counts`` into ``order``."""

    keys: Ints
    order: Ints
    starts: Ints
    counts: Ints
    first: Ints

    def reduce(self, ufunc: np.ufunc, values: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
        if len(self.keys) == 0:
            return values[:0]
        result: npt.NDArray[np.generic] = ufunc.reduceat(values[self.order], self.starts)
        return result


def group_rows(keys: Ints) -> Groups:
    order = np.argsort(keys, kind="stable").astype(np.int64)
    ordered = keys[order]
    if len(ordered) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Groups(empty, order, empty, empty, empty)
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.diff(np.append(starts, len(ordered)))
    return Groups(ordered[starts], order, starts, counts, order[starts])


def cell_consensus(
    total: int, low: int, high: int, count: int, den: int, aggregation: Aggregation, trim: bool
) -> Fraction:
    """Mean of a cell's ``count`` values (their sum ``total`` over ``den``); trimmed when the
    scheme or ``--trim`` asks for it and enough judges scored."""
    if (trim or aggregation.method == "trimmed") and count >= aggregation.trim_min_judges:
        total, count = total - low - high, count - 2
        if count <= 0:
            return ZERO
    return Fraction(total, den * count)


def table_consensus(
    table: ScoreTable, comp: IndicatorsComponent, trim: bool
) -> dict[str, dict[str, Fraction]]:
    """unit → indicator → consensus score for the indicators of ``comp`` (the indicators
    of a unit in the order the scores first name them).

    With weighted judge groups the score is Σ weight(group) × consensus within the group;
    a missing score counted 0 for the whole unit (评委组 "") stands in for a group with no
    score."""
    wanted = {i.code for i in comp.indicators}
    in_comp = np.array([c in wanted for c in table.indicators] + [False], dtype=np.bool_)
    rows = np.flatnonzero(in_comp[table.indicator]) if len(table) else np.zeros(0, np.int64)
    n_ind, n_group = len(table.indicators), max(len(table.groups), 1)
    cell = table.unit[rows].astype(np.int64) * n_ind + table.indicator[rows]
    weights = {g.name: g.weight for g in comp.judge_groups}
    key = cell * n_group + table.group[rows] if weights else cell
    groups = group_rows(key)
    values = table.value[rows]
    sums = groups.reduce(np.add, values).tolist()
    lows = groups.reduce(np.minimum, values).tolist()
    highs = groups.reduce(np.maximum, values).tolist()
    counts = groups.counts.tolist()
    den, agg = table.den, comp.aggregation
    found = [
        cell_consensus(s, lo, hi, c, den, agg, trim)
        for s, lo, hi, c in zip(sums, lows, highs, counts, strict=True)
    ]
    first = rows[groups.first] if len(rows) else groups.first
    cells = (groups.keys // n_group if weights else groups.keys).tolist()
    by_cell: dict[int, dict[str, Fraction]] = {}
    order: dict[int, int] = {}
    group_names = table.groups
    key_groups = (groups.keys % n_group).tolist() if weights else [0] * len(cells)
    for c, g, value, at in zip(cells, key_groups, found, first.tolist(), strict=True):
        by_cell.setdefault(c, {})[group_names[g] if weights else ""] = value
        if c not in order or at < order[c]:
            order[c] = at
    out: dict[str, dict[str, Fraction]] = {}
    units, inds = table.units, table.indicators
    for c in sorted(order, key=order.__getitem__):
        by_group = by_cell[c]
        if weights:
            total = ZERO
            for group, weight in weights.items():
                found_value = by_group.get(group)
                if found_value is None:
                    found_value = by_group.get("")
                if found_value is not None:
                    total += weight * found_value
        else:
            total = by_group[""]
        out.setdefault(units[c // n_ind], {})[inds[c % n_ind]] = total
    return out
