"""Scheme checking beyond what the model refuses: things that load but deserve a look."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from itertools import pairwise

from kxassess.catalogue import render
from kxassess.issues import Issue, Severity
from kxassess.numbers import as_decimal
from kxassess.scheme.model import IndicatorsComponent, Scheme
from kxassess.scheme.problems import SchemeInvalid

Warn = Callable[..., None]


def _n(value: Fraction) -> str:
    return f"{as_decimal(value).normalize():f}"


def check_scheme(scheme: Scheme, source: str) -> list[Issue]:
    """Warnings: rates above their caps, band gaps and overlaps, weights that do not add
    up, thresholds out of order. They do not stop a scheme from being used (the notices
    themselves contain some of them)."""
    out: list[Issue] = []

    def warn(code: str, place: str, **fields: object) -> None:
        message = render(code, {"place": place, **fields})
        out.append(Issue(Severity.WARNING, code, f"{source}: {place}", message))

    total = sum((c.weight for c in scheme.components), Fraction(0))
    if total != 1:
        warn("weights", "考核构成", total=_n(total), expected=1)
    for comp in scheme.indicator_components:
        _check_component(comp, scheme, warn)
    _check_bands(scheme, warn)
    return out


def warnings_despite(problem: SchemeInvalid, source: str) -> list[Issue]:
    """The warnings of a scheme file that has errors too, so that ``scheme check`` lists
    every problem at once: those of the scheme as it loads with the wrong values left out
    (none when it cannot load even so)."""
    from kxassess.kinds import path_for

    salvaged = problem.salvaged
    return path_for(salvaged).check(source) if salvaged is not None else []


def _check_component(comp: IndicatorsComponent, scheme: Scheme, warn: Warn) -> None:
    for ind in comp.indicators:
        if ind.rate is not None and ind.rate > ind.max:
            warn("rate-above-cap", f"指标 {ind.code}", rate=_n(ind.rate), cap=_n(ind.max))
        steps = sorted(ind.thresholds or (), key=lambda s: s.at_least)
        for low, high in pairwise(steps):
            if high.points < low.points:
                warn("steps-order", f"指标 {ind.code}", low=_n(low.points), high=_n(high.points))
    weighted = [p for p in comp.parts if p.weights is not None]
    for tier in scheme.tiers if weighted else ():
        by_out = {p.out_of for p in weighted}
        share = sum((p.weights[tier] for p in weighted if p.weights), Fraction(0))
        if len(by_out) == 1 and share != next(iter(by_out)):
            warn(
                "weights",
                f"考核构成 {comp.id} 各部分（{tier}）",
                total=_n(share),
                expected=_n(next(iter(by_out))),
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
                    f"加减分项 {rate.code}",
                    rate=_n(rate.rate),
                    cap=_n(events.item_cap),
                )


def _check_bands(scheme: Scheme, warn: Warn) -> None:
    """Bands sorted by their lower bound: each band's upper bound should meet the next one's
    lower bound exactly — a gap leaves scores without a grade, an overlap gives two."""
    bands = sorted(scheme.bands, key=lambda b: b.min)
    for low, high in pairwise(bands):
        if low.below is None:
            warn("band-overlap", f"分数段 {low.grade}/{high.grade}", low=_n(high.min), high="∞")
        elif low.below < high.min:
            warn(
                "band-gap", f"分数段 {low.grade}/{high.grade}", low=_n(low.below), high=_n(high.min)
            )
        elif low.below > high.min:
            warn(
                "band-overlap",
                f"分数段 {low.grade}/{high.grade}",
                low=_n(high.min),
                high=_n(low.below),
            )
    for band in bands:
        if band.below is not None and band.below <= band.min:
            warn("band-empty", f"分数段 {band.grade}")
