"""The expert scores as the 专家评分 sheet lays them out: a row per judge and unit, sorted,
a column per indicator."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kxassess.inputs import Score


def score_block(
    scores: Sequence[Score], indicators: Sequence[str]
) -> tuple[list[str], list[str], np.ndarray]:
    """The judges and unit codes of the rows, sorted by judge then unit, and their scores
    (float64, NaN where the judge gave none; a repeated score keeps the last value)."""
    position = {code: n for n, code in enumerate(indicators)}
    pairs = [(s.judge, s.unit) for s in scores]
    index = dict.fromkeys(pairs, 0)
    for n, key in enumerate(index):
        index[key] = n
    rows = list(map(index.__getitem__, pairs))
    cols = [position[s.indicator] for s in scores]
    # numerator / denominator: float() of a Fraction, without its slower generic path
    values = [s.value.numerator / s.value.denominator for s in scores]
    width = len(indicators)
    block = np.full((len(index), width), np.nan)
    if values:
        flat = np.asarray(rows, dtype=np.int64) * width + np.asarray(cols, dtype=np.int64)
        # the last of repeated scores, as a dict filled in order would keep
        last = len(flat) - 1 - np.unique(flat[::-1], return_index=True)[1]
        block.flat[flat[last]] = np.asarray(values)[last]
    keys = list(index)
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return [keys[i][0] for i in order], [keys[i][1] for i in order], block[order]
