"""The expert scores as the 专家评分 sheet lays them out: a row per judge and unit, sorted,
a column per indicator."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kxassess.inputs import Score
from kxassess.scoretable import ScoreTable

CHUNK = 1 << 16


def score_block(
    scores: Sequence[Score], indicators: Sequence[str]
) -> tuple[list[str], list[str], np.ndarray]:
    """The judges and unit codes of the rows, sorted by judge then unit, and their scores
    (float64, NaN where the judge gave none; a repeated score keeps the last value)."""
    if isinstance(scores, ScoreTable):
        return table_block(scores, indicators)
    position = {code: n for n, code in enumerate(indicators)}
    width = len(indicators)
    index: dict[tuple[str, str], int] = {}
    flats: list[np.ndarray] = []
    values: list[np.ndarray] = []
    # a chunk at a time: no list of a million pairs alive at once (memory, and the cyclic
    # garbage collector walking it)
    for start in range(0, len(scores), CHUNK):
        part = scores[start : start + CHUNK]
        rows = [index.setdefault((s.judge, s.unit), len(index)) for s in part]
        cols = [position[s.indicator] for s in part]
        flats.append(np.asarray(rows, dtype=np.int64) * width + np.asarray(cols, dtype=np.int64))
        # numerator / denominator: float() of a Fraction, without its slower generic path
        values.append(np.asarray([s.value.numerator / s.value.denominator for s in part]))
    block = np.full((len(index), width), np.nan)
    if flats:
        flat, value = np.concatenate(flats), np.concatenate(values)
        # the last of repeated scores, as a dict filled in order would keep
        last = len(flat) - 1 - np.unique(flat[::-1], return_index=True)[1]
        block.flat[flat[last]] = value[last]
    keys = list(index)
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return [keys[i][0] for i in order], [keys[i][1] for i in order], block[order]


def table_block(
    table: ScoreTable, indicators: Sequence[str]
) -> tuple[list[str], list[str], np.ndarray]:
    """:func:`score_block` from the columns of the score table: no object per score."""
    width = len(indicators)
    if not len(table):
        return [], [], np.full((0, width), np.nan)
    position = {code: n for n, code in enumerate(indicators)}
    column = np.asarray([position[code] for code in table.indicators], dtype=np.int64)
    pairs = table.judge.astype(np.int64) * len(table.units) + table.unit
    keys, row = np.unique(pairs, return_inverse=True)
    flat = row * width + column[table.indicator]
    exact = table.exact_ints and (not len(table.value) or np.abs(table.value).max() < 1 << 53)
    if exact and table.den < 1 << 53:  # both exact in float64: each quotient rounded once,
        value = table.value.astype(np.float64) / table.den  # as float() of the Fraction
    else:
        value = np.asarray([v / table.den for v in table.value.tolist()], dtype=np.float64)
    block = np.full((len(keys), width), np.nan)
    last = len(flat) - 1 - np.unique(flat[::-1], return_index=True)[1]
    block.flat[flat[last]] = value[last]
    judges = [table.judges[k] for k in (keys // len(table.units)).tolist()]
    codes = [table.units[k] for k in (keys % len(table.units)).tolist()]
    order = sorted(range(len(keys)), key=lambda i: (judges[i], codes[i]))
    return [judges[i] for i in order], [codes[i] for i in order], block[order]
