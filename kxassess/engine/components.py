"""Component values of one unit, exact (fractions); rounding happens at publication."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from kxassess.inputs import Score
from kxassess.scheme.model import Aggregation, Indicator, IndicatorsComponent, MonthlyComponent


def rate_score(ind: Indicator, count: Fraction) -> Fraction:
    """An indicator scored per event: min(count × rate, max) (e.g. 5分/项, at most 10)."""
    if ind.rate is None:
        raise ValueError(f"indicator {ind.code} is not scored per event")
    return min(count * ind.rate, ind.max)


def consensus(values: Sequence[Fraction], aggregation: Aggregation, trim: bool) -> Fraction:
    """SPEC §5.1: the judges' mean; trimmed (one highest and one lowest dropped) when the
    scheme or ``--trim`` asks for it and enough judges scored."""
    if not values:
        raise ValueError("no score to aggregate")
    ordered = sorted(values)
    trimmed = trim or aggregation.method == "trimmed"
    if trimmed and len(ordered) >= aggregation.trim_min_judges:
        ordered = ordered[1:-1]
    return sum(ordered, Fraction(0)) / len(ordered)


def indicator_consensus(
    scores: Iterable[Score], comp: IndicatorsComponent, trim: bool
) -> dict[str, dict[str, Fraction]]:
    """unit → indicator → consensus score, for the indicators of ``comp``."""
    codes = {i.code for i in comp.indicators}
    gathered: dict[tuple[str, str], list[Fraction]] = defaultdict(list)
    for s in scores:
        if s.indicator in codes:
            gathered[(s.unit, s.indicator)].append(s.value)
    out: dict[str, dict[str, Fraction]] = defaultdict(dict)
    for (unit, code), values in gathered.items():
        out[unit][code] = consensus(values, comp.aggregation, trim)
    return out


def part_contributions(
    comp: IndicatorsComponent, tier: str | None, by_indicator: Mapping[str, Fraction]
) -> dict[str, Fraction]:
    """part id → Σ scores × weight(tier) / out_of, capped. The component is their sum."""
    out: dict[str, Fraction] = {}
    for part in comp.parts:
        total = sum(
            (by_indicator.get(i.code, Fraction(0)) for i in comp.part_indicators(part.id)),
            Fraction(0),
        )
        if part.weights is not None:
            if tier is None:
                raise ValueError(f"part {part.id} is weighted by tier but the unit has none")
            total = total * part.weights[tier] / part.out_of
        if part.cap is not None:
            total = min(total, part.cap)
        out[part.id] = total
    return out


def monthly_value(comp: MonthlyComponent, months: Mapping[int, Fraction]) -> Fraction:
    """Mean over the component's months; a month without a score counts 0."""
    span = comp.months
    return sum((months.get(m, Fraction(0)) for m in span), Fraction(0)) / len(span)
