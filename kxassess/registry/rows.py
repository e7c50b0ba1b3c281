"""What the registry's reads hand back: rows of tier moves and of a unit's history, and
the outcome of applying a year's moves."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MoveRow:
    scheme: str
    year: int
    code: str
    name: str
    tier: str | None
    status: str
    grade: str | None
    move: str | None
    next_tier: str | None
    population: str


@dataclass(frozen=True)
class ApplyOutcome:
    """``written`` units on the roster of year + 1, of which ``moved`` have a tier other
    than their tier in year; ``tiered`` is False for a scheme without tiers (类别), whose
    units go on the roster with a blank tier."""

    scheme: str
    year: int
    written: int
    moved: int
    already: bool
    tiered: bool = True


@dataclass(frozen=True)
class HistoryRow:
    year: int
    scheme: str
    population: str
    name: str
    tier: str | None
    status: str
    total: str | None
    rank: int | None
    grade: str | None
    move: str | None
    next_tier: str | None
    honours: tuple[str, ...]
    flags: tuple[str, ...]
