"""The expert scores as the 专家评分 sheet lays them out: a row per judge and unit, sorted,
a column per indicator."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kxassess.inputs import Score

CHUNK = 1 << 16


def score_block(
    scores: Sequence[Score], indicators: Sequence[str]
) -> tuple[list[str], list[str], np.ndarray]:
    """The judges and unit codes of the rows, sorted by judge then unit, and their scores
    (float64, NaN where the judge gave none; a repeated score keeps the last value)."""
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
