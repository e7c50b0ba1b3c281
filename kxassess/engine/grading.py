"""Ranking, grade quotas and tier moves (SPEC §5 rules 4–5).

Every function takes sort keys that are already rounded (the published numbers): a key is a
tuple compared element by element, higher is better. Units with equal keys are tied.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from kxassess.numbers import quota

SortKey = tuple[Decimal, ...]


def competition_ranks(keys: Mapping[str, SortKey]) -> dict[str, int]:
    """Standard competition ranking: tied units share a rank, the next rank skips (1,2,2,4)."""
    ordered = sorted(keys, key=lambda u: keys[u], reverse=True)
    ranks: dict[str, int] = {}
    for position, unit in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        if previous is not None and keys[previous] == keys[unit]:
            ranks[unit] = ranks[previous]
        else:
            ranks[unit] = position
    return ranks


def assign_grades(
    keys: Mapping[str, SortKey],
    quotas: Sequence[tuple[str, Fraction | None]],
    best_allowed: Mapping[str, int] | None = None,
) -> dict[str, str]:
    """Grade every unit of one grading group.

    ``quotas`` lists grades best first with their fractions; the last (fraction None) takes
    the rest. For grade g, k = round_half_up(fraction × n) with n the group's size; the
    candidates are the units still unassigned that may hold g (``best_allowed`` gives the
    index of the best grade a unit may hold, default 0); a candidate whose rank among the
    candidates is ≤ k gets g — so units tied across the boundary all get the better grade.
    """
    n = len(keys)
    allowed = best_allowed or {}
    remaining = set(keys)
    grades: dict[str, str] = {}
    for index, (grade, fraction) in enumerate(quotas):
        if fraction is None:
            chosen = set(remaining)
        else:
            k = quota(fraction, n)
            candidates = {u: keys[u] for u in remaining if allowed.get(u, 0) <= index}
            ranks = competition_ranks(candidates)
            chosen = {u for u, r in ranks.items() if r <= k}
        for unit in chosen:
            grades[unit] = grade
        remaining -= chosen
    return grades


def top_within(keys: Mapping[str, SortKey], k: int) -> set[str]:
    """The units ranking within k; ties at the boundary are all in."""
    return {u for u, r in competition_ranks(keys).items() if r <= k}


def select_top(keys: Mapping[str, SortKey], fraction: Fraction) -> set[str]:
    """The top round_half_up(fraction × n) units; ties at the boundary are all in."""
    return top_within(keys, quota(fraction, len(keys)))


def band_grade(total: Decimal, bands: Sequence[tuple[str, Decimal, Decimal | None]]) -> str | None:
    """The first band (best first) with min ≤ total < below; None below every band."""
    for grade, low, below in bands:
        if total >= low and (below is None or total < below):
            return grade
    return None


def select_bottom(keys: Mapping[str, SortKey], fraction: Fraction) -> set[str]:
    """The bottom k units, k = round_half_up(fraction × n): the units that stay are those
    ranking within n − k, so units tied across the boundary all stay."""
    n = len(keys)
    stay = n - quota(fraction, n)
    return {u for u, r in competition_ranks(keys).items() if r > stay}
