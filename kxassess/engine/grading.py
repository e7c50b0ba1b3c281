"""Ranking, grade bands and tier moves.

Every function takes sort keys that are already rounded (the published numbers): a key is a
tuple compared element by element, higher is better. Units with equal keys are tied. Ties
at any boundary resolve in the unit's favour (the better grade, promoted, not demoted), so
a band or a move may end up larger or smaller than its quota; the functions say so as
notes (catalogue codes of ``kxassess/catalogue/grading.py``) for the caller to report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from kxassess.numbers import quota, round_half_up_int
from kxassess.scheme.model import GradeQuota

SortKey = tuple[Decimal, ...]
Rounding = Literal["half_up", "floor", "ceil"]
MOVE_LABELS = {"promote": "升类", "demote": "降类"}


@dataclass(frozen=True)
class Note:
    """Something about a group's grading staff should know: a catalogue code and the
    fields of its template (the group is filled in by the caller)."""

    code: str
    fields: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Graded:
    grades: dict[str, str]
    notes: list[Note]


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


def band_size(fraction: Fraction, n: int, rounding: Rounding = "half_up") -> int:
    """k = rounding(fraction × n): half-up by default, or floor / ceil."""
    exact = fraction * n
    if rounding == "floor":
        return exact.numerator // exact.denominator
    if rounding == "ceil":
        return -((-exact.numerator) // exact.denominator)
    return round_half_up_int(exact)


def share_text(fraction: Fraction) -> str:
    """30% for 3/10, 1/3 for 1/3: how a notice writes the share."""
    percent = fraction * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{fraction.numerator}/{fraction.denominator}"


def top_within(keys: Mapping[str, SortKey], k: int) -> set[str]:
    """The units ranking within k; ties at the boundary are all in."""
    return {u for u, r in competition_ranks(keys).items() if r <= k}


def bottom_within(keys: Mapping[str, SortKey], k: int) -> set[str]:
    """The bottom k units in reverse rank order: a unit is in when at most k units
    (itself and those tied with it included) score no better, so units tied across the
    boundary all stay out."""
    stay = len(keys) - k
    return {u for u, r in competition_ranks(keys).items() if r > stay}


def assign_grades(
    keys: Mapping[str, SortKey],
    bands: Sequence[GradeQuota],
    best_allowed: Mapping[str, int] | None = None,
) -> Graded:
    """Grade every unit of one grading group.

    ``bands`` lists grades best first. n is the group's size. Bands from the top are filled
    in rank order, best first: band i takes the units still unassigned that may hold it
    (``best_allowed`` gives the index of the best grade a unit may hold, default 0) and
    rank within k_i among them. Bands from the bottom are filled worst first in reverse
    rank order from the units still unassigned. The rest band takes everyone else. A unit
    never ends better than it may hold.
    """
    n = len(keys)
    allowed = best_allowed or {}
    remaining = dict(keys)
    grades: dict[str, str] = {}
    notes: list[Note] = []
    names = [b.grade for b in bands]

    def size(band: GradeQuota) -> int:
        assert band.fraction is not None
        if band.min_group is not None and n < band.min_group:
            if n:
                notes.append(
                    Note("band-min-group", {"n": n, "grade": band.grade, "min": band.min_group})
                )
            return 0
        k = band_size(band.fraction, n, band.rounding)
        if k == 0 and n and band.fraction > 0:
            share = share_text(band.fraction)
            notes.append(Note("band-rounds-zero", {"n": n, "grade": band.grade, "share": share}))
        return k

    for index, band in enumerate(bands):
        if band.side != "top":
            continue
        k = size(band)
        candidates = {u: key for u, key in remaining.items() if allowed.get(u, 0) <= index}
        chosen = top_within(candidates, k) if k else set()
        _note_size(notes, band.grade, k, len(chosen), short=len(candidates) < k)
        for unit in chosen:
            grades[unit] = band.grade
            del remaining[unit]
    for band in reversed(bands):
        if band.side != "bottom":
            continue
        k = size(band)
        chosen = bottom_within(remaining, k) if k else set()
        _note_size(notes, band.grade, k, len(chosen), short=False)
        for unit in chosen:
            grades[unit] = band.grade
            del remaining[unit]
    rest = next(b.grade for b in bands if b.side == "rest")
    for unit in remaining:
        grades[unit] = rest
    for unit, best in allowed.items():
        if unit in grades and names.index(grades[unit]) < best:
            grades[unit] = names[best]
    if n > 1 and len(set(keys.values())) == 1:
        notes.append(
            Note(
                "group-all-tied",
                {"n": n, "grade": "、".join(sorted(set(grades.values()), key=names.index))},
            )
        )
    return Graded(grades, notes)


def _note_size(notes: list[Note], grade: str, k: int, got: int, short: bool) -> None:
    if got == k:
        return
    code = "band-short" if short else "band-tie"
    notes.append(Note(code, {"grade": grade, "quota": k, "got": got}))


def select_moves(
    keys: Mapping[str, SortKey], fraction: Fraction, move: Literal["promote", "demote"], grade: str
) -> tuple[set[str], list[Note]]:
    """The units of one tier holding ``grade`` that move: promote the top, demote the
    bottom k = round_half_up(fraction × count); ties resolve in the units'
    favour, so a tie at the line promotes more or demotes fewer."""
    count = len(keys)
    k = quota(fraction, count)
    label = MOVE_LABELS[move]
    notes: list[Note] = []
    if count and k == 0:
        share = share_text(fraction)
        notes.append(
            Note(
                "move-rounds-zero", {"count": count, "grade": grade, "share": share, "move": label}
            )
        )
        return set(), notes
    chosen = top_within(keys, k) if move == "promote" else bottom_within(keys, k)
    if len(chosen) != k:
        notes.append(
            Note("move-tie", {"grade": grade, "move": label, "quota": k, "got": len(chosen)})
        )
    return chosen, notes


def select_top(keys: Mapping[str, SortKey], fraction: Fraction) -> set[str]:
    """The top round_half_up(fraction × n) units; ties at the boundary are all in."""
    return top_within(keys, quota(fraction, len(keys)))


def select_bottom(keys: Mapping[str, SortKey], fraction: Fraction) -> set[str]:
    """The bottom k units, k = round_half_up(fraction × n): the units that stay are those
    ranking within n − k, so units tied across the boundary all stay."""
    return bottom_within(keys, quota(fraction, len(keys)))


def band_grade(total: Decimal, bands: Sequence[tuple[str, Decimal, Decimal | None]]) -> str | None:
    """The first band (best first) with min ≤ total < below; None below every band."""
    for grade, low, below in bands:
        if total >= low and (below is None or total < below):
            return grade
    return None
