"""How far judges agree on the order of the units: Kendall's W. Pure.

Each judge ranks the units by the judge's own total (the highest total rank 1, ties
sharing the mean of their ranks). Kendall's W needs every judge to rank the same units;
when a judge recused (回避) or scored only some units, the table has holes, and W is
taken from its identity with the mean Spearman correlation of the pairs of judges, each
pair on the units both of them scored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from kxassess.engine.normalize import sqrt_ratio

MIN_COMMON = 3  # a pair's correlation on fewer units says little


@dataclass(frozen=True)
class Concordance:
    w: Fraction | None  # None: fewer than 2 judges or 2 units, or no ranking to agree on
    judges: int
    units: int
    complete: bool  # every judge ranked every unit


def midranks(values: Sequence[int | Fraction]) -> list[Fraction]:
    """Rank 1 for the highest value; tied values share the mean of their ranks."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    ranks = [Fraction(0)] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for i in order[start : end + 1]:
            ranks[i] = Fraction(start + end + 2, 2)
        start = end + 1
    return ranks


def kendall_w(table: Sequence[Sequence[int | Fraction]]) -> Fraction | None:
    """Kendall's coefficient of concordance W, exact, with the correction for ties.

    ``table`` has one row per judge (m rows) and one column per unit (n columns); each row
    is ranked with :func:`midranks`. With R_i the sum of the ranks of unit i,
    R̄ = m(n + 1)/2 and S = Σ_i (R_i − R̄)²,

        W = 12 S / (m²(n³ − n) − m Σ_j T_j),   T_j = Σ (t³ − t) over the groups of t
                                                       tied values in judge j's row.

    W is 1 when every judge ranks the units alike and 0 when the rankings cancel out (two
    judges in reverse order). None when the denominator is 0: every judge gave every unit
    the same total, so there is no order to agree on.
    """
    m = len(table)
    n = len(table[0]) if m else 0
    ranks = [midranks(row) for row in table]
    ties = 0
    for row in table:
        counts: dict[int | Fraction, int] = defaultdict(int)
        for v in row:
            counts[v] += 1
        ties += sum(t**3 - t for t in counts.values())
    denominator = m * m * (n**3 - n) - m * ties
    if denominator == 0:
        return None
    mean_rank = Fraction(m * (n + 1), 2)
    s = sum(((sum(r[i] for r in ranks) - mean_rank) ** 2 for i in range(n)), Fraction(0))
    return 12 * s / denominator


def spearman(x: Sequence[int | Fraction], y: Sequence[int | Fraction]) -> Fraction | None:
    """Spearman's correlation (Pearson's on the midranks); None when a row is all ties.
    The square root is exact when rational, else to 40 digits (see ``sqrt_ratio``)."""
    rx, ry = midranks(x), midranks(y)
    centre = Fraction(len(x) + 1, 2)
    dx = [r - centre for r in rx]
    dy = [r - centre for r in ry]
    vx = sum((d * d for d in dx), Fraction(0))
    vy = sum((d * d for d in dy), Fraction(0))
    if vx == 0 or vy == 0:
        return None
    cov = sum((a * b for a, b in zip(dx, dy, strict=True)), Fraction(0))
    return cov * sqrt_ratio(Fraction(1), vx * vy)


def pairwise_w(by_judge: Mapping[str, Mapping[str, int | Fraction]]) -> Fraction | None:
    """W from the mean Spearman correlation r̄ of the pairs of judges, each pair on the
    units both scored (at least ``MIN_COMMON``): W = (1 + (m − 1)·r̄)/m, the identity that
    holds for complete rankings without ties (at least 0, as W is). None when no pair can
    be compared."""
    judges = list(by_judge)
    found: list[Fraction] = []
    for a, b in combinations(judges, 2):
        common = [u for u in by_judge[a] if u in by_judge[b]]
        if len(common) < MIN_COMMON:
            continue
        r = spearman([by_judge[a][u] for u in common], [by_judge[b][u] for u in common])
        if r is not None:
            found.append(r)
    if not found:
        return None
    m = len(judges)
    mean_r = sum(found, Fraction(0)) / len(found)
    return max((1 + (m - 1) * mean_r) / m, Fraction(0))


def concordance(by_judge: Mapping[str, Mapping[str, int | Fraction]]) -> Concordance:
    """W of the judges' rankings (``by_judge``: judge → unit → the judge's total)."""
    judges = list(by_judge)
    units = list(dict.fromkeys(u for totals in by_judge.values() for u in totals))
    complete = all(len(by_judge[j]) == len(units) for j in judges)
    if len(judges) < 2 or len(units) < 2:
        return Concordance(None, len(judges), len(units), complete)
    if complete:
        table = [[by_judge[j][u] for u in units] for j in judges]
        return Concordance(kendall_w(table), len(judges), len(units), True)
    return Concordance(pairwise_w(by_judge), len(judges), len(units), False)
