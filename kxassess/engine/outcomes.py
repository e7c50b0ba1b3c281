"""Eligibility, honours and the self-vs-assessed review. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kxassess.engine.grading import SortKey, competition_ranks
from kxassess.inputs import Unit, YearInput
from kxassess.issues import Issue, IssueList
from kxassess.numbers import as_decimal, fmt2, quota
from kxassess.result import Status, UnitResult
from kxassess.scheme.model import Scheme


def eligibility(
    scheme: Scheme, inp: YearInput, scored: Iterable[str], deducted: set[str]
) -> dict[str, int]:
    """unit → index of the best grade it may hold: vetoes (取消特等 → at most 一等 …) and,
    where the scheme says so, any deduction (扣分, units in ``deducted``) bar the better
    grades."""
    names = scheme.grade_names
    out: dict[str, int] = {}
    for code in scored:
        best = 0
        for v in inp.vetoes.get(code, ()):
            rule = scheme.vetoes[v.action]
            if rule.best_grade is not None:
                best = max(best, names.index(rule.best_grade))
        for comp in scheme.indicator_components:
            events = comp.events
            if events and events.deduction_best_grade and code in deducted:
                best = max(best, names.index(events.deduction_best_grade))
        if best:
            out[code] = best
    return out


def honours_of_group(
    scheme: Scheme,
    inp: YearInput,
    members: list[Unit],
    keys: Mapping[str, SortKey],
    grades: Mapping[str, str],
    moves: Mapping[str, str],
) -> dict[str, tuple[str, ...]]:
    """Honours of the scored members of one group. A quota honour takes the eligible units
    ranking within round_half_up(fraction × scored units of the group) among themselves."""
    tier = {u.code: u.tier for u in members}
    barred = {
        code: {h for v in vetoes for h in scheme.vetoes[v.action].bars_honours}
        for code, vetoes in inp.vetoes.items()
    }
    earned: dict[str, list[str]] = {code: [] for code in keys}
    for h in scheme.honours:
        candidates = {
            code: key
            for code, key in keys.items()
            if (h.tiers is None or tier[code] in h.tiers)
            and (h.grades is None or grades.get(code) in h.grades)
            and (h.moves is None or moves.get(code) in h.moves)
            and h.name not in barred.get(code, set())
        }
        if h.fraction is not None:
            k = quota(h.fraction, len(keys))
            candidates = {
                c: candidates[c] for c, r in competition_ranks(candidates).items() if r <= k
            }
        for code in candidates:
            earned[code].append(h.name)
    return {code: tuple(names) for code, names in earned.items() if names}


def self_gap_issues(scheme: Scheme, inp: YearInput, results: list[UnitResult]) -> list[Issue]:
    """Warnings where a unit's 自评分 differs from the assessed score by more than the
    component's ``self_gap`` share of the indicator's max."""
    out = IssueList()
    for comp in scheme.indicator_components:
        if comp.self_gap is None:
            continue
        for u in results:
            if u.status is not Status.SCORED:
                continue
            own = inp.self_scores.get(u.code, {})
            for ind in comp.indicators:
                mine = own.get(ind.code)
                assessed = u.indicators.get(ind.code)
                if mine is None or assessed is None:
                    continue
                claimed = as_decimal(mine.value)
                limit = as_decimal(comp.self_gap * ind.max)
                gap = claimed - assessed
                if abs(gap) > limit:
                    out.add(
                        "self-gap",
                        mine.source,
                        unit=u.code,
                        name=u.name,
                        indicator=ind.code,
                        claimed=fmt2(claimed),
                        assessed=fmt2(assessed),
                        gap=fmt2(gap),
                        limit=fmt2(limit),
                    )
    return out.items
