"""Component values of one unit, exact (fractions); rounding happens at publication."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from kxassess.engine.consensus import table_consensus
from kxassess.inputs import Score
from kxassess.scheme.model import (
    Aggregation,
    Events,
    Indicator,
    IndicatorsComponent,
    MonthlyComponent,
)
from kxassess.scoretable import ScoreTable, as_table

ZERO = Fraction(0)


def rate_score(ind: Indicator, count: Fraction) -> Fraction:
    """A counted indicator's points for a reported count: per event, min(count × rate, max)
    (e.g. 5分/项, at most 10); by thresholds, the points of the highest step reached."""
    return ind.points_for(count)


def consensus(values: Sequence[Fraction], aggregation: Aggregation, trim: bool) -> Fraction:
    """The judges' mean; trimmed (one highest and one lowest dropped) when the
    scheme or ``--trim`` asks for it and enough judges scored."""
    if not values:
        raise ValueError("no score to aggregate")
    trimmed = trim or aggregation.method == "trimmed"
    if trimmed and len(values) >= aggregation.trim_min_judges:
        values = sorted(values)[1:-1]
    return mean(values)


def indicator_consensus(
    scores: ScoreTable | Iterable[Score], comp: IndicatorsComponent, trim: bool
) -> dict[str, dict[str, Fraction]]:
    """unit → indicator → consensus score, for the indicators of ``comp``.

    With weighted judge groups the score is Σ weight(group) × consensus within the group,
    which equals Σ weight × (mean of the group's judges' totals) as the notices define it.
    Computed on the score table (:mod:`kxassess.engine.consensus`).
    """
    return table_consensus(as_table(scores), comp, trim)


def part_contributions(
    comp: IndicatorsComponent, tier: str | None, by_indicator: Mapping[str, Fraction]
) -> dict[str, Fraction]:
    """part id → Σ scores × weight(tier) / out_of, capped. The component is their sum."""
    out: dict[str, Fraction] = {}
    for part in comp.parts:
        total = sum((by_indicator.get(i.code, ZERO) for i in comp.part_indicators(part.id)), ZERO)
        if part.weights is not None:
            if tier is None:
                raise ValueError(f"part {part.id} is weighted by tier but the unit has none")
            total = total * part.weights[tier] / part.out_of
        if part.cap is not None:
            total = min(total, part.cap)
        out[part.id] = total
    return out


@dataclass(frozen=True)
class EventPoints:
    bonus: Fraction
    deduction: Fraction


def event_points(events: Events, counts: Mapping[str, Fraction]) -> EventPoints:
    """Bonus: per item Σ count × rate, at most ``item_cap``; in all at most ``bonus_cap``.
    Deductions: Σ count × rate, at most ``deduction_cap``."""
    bonus = deduction = ZERO
    for item in events.items:
        points = sum((counts.get(r.code, ZERO) * r.rate for r in item.rates), ZERO)
        if item.kind == "bonus":
            if events.item_cap is not None:
                points = min(points, events.item_cap)
            bonus += points
        else:
            deduction += points
    if events.bonus_cap is not None:
        bonus = min(bonus, events.bonus_cap)
    if events.deduction_cap is not None:
        deduction = min(deduction, events.deduction_cap)
    return EventPoints(bonus, deduction)


def monthly_value(comp: MonthlyComponent, months: Mapping[int, Fraction]) -> Fraction:
    """Mean over the component's months; a month without a score counts 0."""
    span = comp.months
    return sum((months.get(m, ZERO) for m in span), ZERO) / len(span)


def mean(values: Sequence[Fraction]) -> Fraction:
    """The exact mean, summed over a common denominator in integers (scores are decimals,
    so the denominators are few and small; many times faster than adding Fractions)."""
    if not values:
        return ZERO
    den = 1
    for v in values:
        if den % v.denominator:
            den = lcm(den, v.denominator)
    total = sum(v.numerator * (den // v.denominator) for v in values)
    return Fraction(total, den * len(values))
