"""One year's scoring: components → total → rank → grade → move → honours. Pure."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from kxassess.engine.components import (
    indicator_consensus,
    monthly_value,
    part_contributions,
)
from kxassess.engine.grading import (
    SortKey,
    assign_grades,
    competition_ranks,
    select_bottom,
    select_top,
)
from kxassess.inputs import Participation, PreviousResult, Unit, YearInput
from kxassess.numbers import round2
from kxassess.result import Status, UnitResult
from kxassess.scheme.model import (
    IndicatorsComponent,
    MonthlyComponent,
    Scheme,
    SingleComponent,
)

ALL_UNITS = "全部"


def _group_of(scheme: Scheme, unit: Unit) -> str:
    return unit.tier or ALL_UNITS if scheme.grading_group == "tier" else ALL_UNITS


def _exact_components(
    inp: YearInput, trim: bool
) -> tuple[
    dict[str, dict[str, Fraction]], dict[str, dict[str, Fraction]], dict[str, dict[str, Fraction]]
]:
    """unit → component → exact value, plus per-unit indicator and part detail."""
    scheme = inp.scheme
    comps: dict[str, dict[str, Fraction]] = defaultdict(dict)
    indicators: dict[str, dict[str, Fraction]] = defaultdict(dict)
    parts: dict[str, dict[str, Fraction]] = defaultdict(dict)
    scored = [u for u in inp.units if u.participation is Participation.YES]
    for comp in scheme.components:
        if isinstance(comp, IndicatorsComponent):
            by_unit = indicator_consensus(inp.scores, comp, trim)
            for u in scored:
                values = by_unit.get(u.code, {})
                contributions = part_contributions(comp, u.tier, values)
                comps[u.code][comp.id] = sum(contributions.values(), Fraction(0))
                indicators[u.code].update(values)
                parts[u.code].update(contributions)
        elif isinstance(comp, MonthlyComponent):
            for u in scored:
                comps[u.code][comp.id] = monthly_value(comp, inp.monthly[comp.id].get(u.code, {}))
        elif isinstance(comp, SingleComponent):
            for u in scored:
                comps[u.code][comp.id] = inp.singles[comp.id].get(u.code, Fraction(0))
    return comps, indicators, parts


def score_year(inp: YearInput, trim: bool = False) -> list[UnitResult]:
    """Results for every unit of the roster, grouped and ranked, absentees included."""
    scheme = inp.scheme
    comps, indicators, parts = _exact_components(inp, trim)
    weights = {c.id: c.weight for c in scheme.components}
    totals = {
        code: round2(sum((weights[c] * v for c, v in values.items()), Fraction(0)))
        for code, values in comps.items()
    }
    rounded = {code: {c: round2(v) for c, v in values.items()} for code, values in comps.items()}
    keys: dict[str, SortKey] = {
        code: (totals[code], *(rounded[code][tb] for tb in scheme.tie_breakers)) for code in totals
    }

    groups: dict[str, list[Unit]] = defaultdict(list)
    for u in inp.units:
        groups[_group_of(scheme, u)].append(u)
    quotas = [(g.grade, g.fraction) for g in scheme.grades]

    results: list[UnitResult] = []
    for group in _group_order(scheme, groups):
        members = groups[group]
        group_keys = {u.code: keys[u.code] for u in members if u.code in keys}
        ranks = competition_ranks(group_keys)
        grades = assign_grades(group_keys, quotas)
        moves = _moves(scheme, members, group_keys, grades)
        scored = sorted(
            (u for u in members if u.code in group_keys), key=lambda u: (ranks[u.code], u.code)
        )
        unscored = sorted((u for u in members if u.code not in group_keys), key=lambda u: u.code)
        for u in scored:
            move = moves.get(u.code)
            before = inp.previous.get(u.code)
            results.append(
                UnitResult(
                    code=u.code,
                    name=u.name,
                    tier=u.tier,
                    group=group,
                    status=Status.SCORED,
                    total=totals[u.code],
                    components=rounded[u.code],
                    rank=ranks[u.code],
                    grade=grades[u.code],
                    move=move,
                    next_tier=_shift(scheme, u.tier, move),
                    honours=_honours(scheme, u.tier, grades[u.code], move),
                    indicators={k: round2(v) for k, v in indicators[u.code].items()},
                    parts={k: round2(v) for k, v in parts[u.code].items()},
                    previous_grade=before.grade if before else None,
                    previous_rank=before.rank if before else None,
                )
            )
        results.extend(_not_scored(scheme, u, group, inp.previous.get(u.code)) for u in unscored)
    return results


def _group_order(scheme: Scheme, groups: dict[str, list[Unit]]) -> list[str]:
    known = [t for t in scheme.tiers if t in groups]
    return known + sorted(g for g in groups if g not in known)


def _moves(
    scheme: Scheme, members: list[Unit], keys: dict[str, SortKey], grades: dict[str, str]
) -> dict[str, str]:
    """promote/demote for the scored members of one group (SPEC §3.1, §5.5)."""
    tier_of = {u.code: u.tier for u in members}
    out: dict[str, str] = {}
    rules = (
        ("promote", scheme.moves.promote, select_top),
        ("demote", scheme.moves.demote, select_bottom),
    )
    for move, rule, select in rules:
        if rule is None:
            continue
        by_tier: dict[str | None, dict[str, SortKey]] = defaultdict(dict)
        for code, key in keys.items():
            if grades[code] == rule.grade and tier_of[code] in rule.tiers:
                by_tier[tier_of[code]][code] = key
        for tier_keys in by_tier.values():
            for code in select(tier_keys, rule.fraction):
                out[code] = move
    return out


def _shift(scheme: Scheme, tier: str | None, move: str | None) -> str | None:
    if tier is None or move not in ("promote", "demote"):
        return tier
    index = scheme.tiers.index(tier) + (-1 if move == "promote" else 1)
    return scheme.tiers[max(0, min(index, len(scheme.tiers) - 1))]


def _honours(
    scheme: Scheme, tier: str | None, grade: str | None, move: str | None
) -> tuple[str, ...]:
    earned = []
    for h in scheme.honours:
        if h.tiers is not None and tier not in h.tiers:
            continue
        if h.grades is not None and grade not in h.grades:
            continue
        if h.moves is not None and move not in h.moves:
            continue
        earned.append(h.name)
    return tuple(earned)


def _not_scored(scheme: Scheme, u: Unit, group: str, before: PreviousResult | None) -> UnitResult:
    """Absent (参加 = 否) and excused (请假) units: listed, never dropped (SPEC §5.6).
    A unit absent this year and the year before also gets the scheme's repeat flags."""
    previous_grade = before.grade if before else None
    previous_rank = before.rank if before else None
    if u.participation is Participation.ABSENT:
        rule = scheme.absence.absent
        repeat = before is not None and before.status == Status.ABSENT
        return UnitResult(
            code=u.code,
            name=u.name,
            tier=u.tier,
            group=group,
            status=Status.ABSENT,
            total=None,
            components=None,
            rank=None,
            grade=None,
            move="absent",
            next_tier=rule.next_tier or u.tier,
            flags=rule.flags + (rule.repeat_flags if repeat else ()),
            previous_grade=previous_grade,
            previous_rank=previous_rank,
        )
    return UnitResult(
        code=u.code,
        name=u.name,
        tier=u.tier,
        group=group,
        status=Status.EXCUSED,
        total=None,
        components=None,
        rank=None,
        grade=None,
        move=None,
        next_tier=u.tier,
        previous_grade=previous_grade,
        previous_rank=previous_rank,
    )
