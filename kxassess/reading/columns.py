"""Score columns in bulk: the plain-number cells of a sheet as integer hundredths (numpy).

A national year has hundreds of thousands of expert scores and almost every one is a plain
number with at most two decimals within the indicator's range. Those are recognised for a
whole column at once; every other cell (text, full-width digits, ``8分``, counts,
percentages, error values, no-score marks, out of range, more decimals) is left to the
exact per-cell parser, which reports problems by cell.

Why the hundredths are exact: a float ``x`` with ``round(x × 100) / 100 == x`` (IEEE
division, correctly rounded) is the float nearest to the decimal ``h/100``; as long as
``|x|`` is far below 2⁵³/100 no other decimal with at most two places lies that close, so
``repr(x)`` — the shortest decimal that reads back as ``x`` — is ``h/100`` itself and
``Fraction(Decimal(repr(x))) == Fraction(h, 100)``: the value the exact parser gives.
The hundredths go straight into the score table (:mod:`kxassess.scoretable`).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from kxassess.reading.workbook import Row

# Far below 2**53 / 100: the argument above holds with a wide margin.
PLAIN_LIMIT = 10**9


def top_hundredths(top: Fraction) -> int:
    """An indicator's max in hundredths, or -1 when it has more than two decimals (or is
    too large): no bulk path then, every cell goes through the exact parser."""
    scaled = top * 100
    if scaled.denominator != 1 or not 0 <= scaled <= PLAIN_LIMIT:
        return -1
    return int(scaled)


def plain_hundredths(
    rows: Sequence[Row], columns: Sequence[int], tops: Sequence[int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """(hundredths, plain) for ``rows`` × ``columns``: ``plain[r, j]`` when the cell is an
    int or float (never a bool) within 0…``tops[j]`` hundredths with at most two decimals,
    and then ``hundredths[r, j]`` is its exact value × 100. Other cells: plain False."""
    n, m = len(rows), len(columns)
    hundredths = np.zeros((n, m), dtype=np.int64)
    plain = np.zeros((n, m), dtype=np.bool_)
    if n == 0:
        return hundredths, plain
    nan = float("nan")
    for j, (column, top) in enumerate(zip(columns, tops, strict=True)):
        if top < 0:
            continue
        raw = [r[column] if column < len(r) else None for r in rows]
        floats = np.array(
            [v if type(v) is float else _small(v) if type(v) is int else nan for v in raw],
            dtype=np.float64,
        )
        with np.errstate(invalid="ignore", over="ignore"):
            scaled = np.rint(floats * 100)
            ok = (floats >= 0) & (scaled <= top) & (scaled / 100 == floats)
        plain[:, j] = ok
        hundredths[ok, j] = scaled[ok].astype(np.int64)
    return hundredths, plain


def _small(value: int) -> float:
    """An int cell as a float when that is exact and could be in range, else NaN."""
    return float(value) if 0 <= value <= PLAIN_LIMIT else float("nan")
