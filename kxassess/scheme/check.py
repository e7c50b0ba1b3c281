"""Scheme checking beyond what the model refuses: things that load but deserve a look."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from itertools import pairwise

from kxassess.issues import Issue, Severity
from kxassess.numbers import as_decimal
from kxassess.scheme.model import IndicatorsComponent, Scheme

Warn = Callable[[str, str, str], None]


def _n(value: Fraction) -> str:
    return f"{as_decimal(value).normalize():f}"


def check_scheme(scheme: Scheme, source: str) -> list[Issue]:
    """Warnings: rates above their caps, band gaps and overlaps, weights that do not add
    up. They do not stop a scheme from being used (the seeds contain some of them)."""
    out: list[Issue] = []

    def warn(code: str, where: str, message: str) -> None:
        out.append(Issue(Severity.WARNING, code, f"{source}: {where}", message))

    total = sum((c.weight for c in scheme.components), Fraction(0))
    if total != 1:
        warn("weights", "components", f"the component weights add up to {_n(total)}, not 1")
    for comp in scheme.indicator_components:
        _check_component(comp, scheme, warn)
    _check_bands(scheme, warn)
    return out


def _check_component(comp: IndicatorsComponent, scheme: Scheme, warn: Warn) -> None:
    for ind in comp.indicators:
        if ind.rate is not None and ind.rate > ind.max:
            warn(
                "rate-above-cap",
                f"indicator {ind.code}",
                f"{_n(ind.rate)} points per event is above the indicator's max {_n(ind.max)}",
            )
    weighted = [p for p in comp.parts if p.weights is not None]
    for tier in scheme.tiers if weighted else ():
        by_out = {p.out_of for p in weighted}
        share = sum((p.weights[tier] for p in weighted if p.weights), Fraction(0))
        if len(by_out) == 1 and share != next(iter(by_out)):
            warn(
                "weights",
                f"component {comp.id} parts",
                f"the part weights of {tier} add up to {_n(share)}, not {_n(next(iter(by_out)))}",
            )
    events = comp.events
    if events is None or events.item_cap is None:
        return
    for item in events.items:
        if item.kind != "bonus":
            continue
        for rate in item.rates:
            if rate.rate > events.item_cap:
                warn(
                    "rate-above-cap",
                    f"event {rate.code}",
                    f"{_n(rate.rate)} points per event is above the item cap "
                    f"{_n(events.item_cap)}: one event already reaches the cap (kept as written)",
                )


def _check_bands(scheme: Scheme, warn: Warn) -> None:
    """Bands sorted by their lower bound: each band's upper bound should meet the next one's
    lower bound exactly — a gap leaves scores without a grade, an overlap gives two."""
    bands = sorted(scheme.bands, key=lambda b: b.min)
    for low, high in pairwise(bands):
        if low.below is None:
            warn(
                "band-overlap",
                f"band {low.grade}",
                f"{low.grade} has no upper bound and overlaps {high.grade} (from {_n(high.min)})",
            )
        elif low.below < high.min:
            warn(
                "band-gap",
                f"bands {low.grade}/{high.grade}",
                f"scores from {_n(low.below)} to below {_n(high.min)} get no grade",
            )
        elif low.below > high.min:
            warn(
                "band-overlap",
                f"bands {low.grade}/{high.grade}",
                f"scores from {_n(high.min)} to below {_n(low.below)} fall in both",
            )
    for band in bands:
        if band.below is not None and band.below <= band.min:
            warn("band-empty", f"band {band.grade}", "its upper bound is not above its lower bound")
