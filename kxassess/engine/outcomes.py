"""Eligibility, honours and the self-vs-assessed review. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

from kxassess.engine.grading import SortKey, competition_ranks
from kxassess.inputs import Unit, YearInput
from kxassess.issues import Issue, IssueList
from kxassess.numbers import as_decimal, fmt2, quota, round2
from kxassess.result import Status, UnitResult
from kxassess.scheme.model import Scheme
from kxassess.scheme.rules import Progress


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
    ranks = competition_ranks(keys)
    for h in scheme.honours:
        candidates = {
            code: key
            for code, key in keys.items()
            if (h.tiers is None or tier[code] in h.tiers)
            and (h.grades is None or grades.get(code) in h.grades)
            and (h.moves is None or moves.get(code) in h.moves)
            and (h.progress is None or _progressed(h.progress, inp, code, tier[code], ranks, moves))
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


def _progressed(
    rule: Progress,
    inp: YearInput,
    code: str,
    tier: str | None,
    ranks: Mapping[str, int],
    moves: Mapping[str, str],
) -> bool:
    """进步显著 as the scheme reads it: promoted this year, and/or ranked at least
    ``places`` places better than last year within the same tier (registry needed)."""
    promoted = moves.get(code) == "promote"
    before = inp.previous.get(code)
    improved = (
        before is not None
        and before.rank is not None
        and before.tier == tier
        and before.rank - ranks[code] >= rule.places
    )
    if rule.reading == "promoted":
        return promoted
    if rule.reading == "rank":
        return improved
    return promoted or improved


def pass_flags(scheme: Scheme, total: Decimal) -> tuple[str, ...]:
    """动态管理: a scored unit below the 合格 line gets the scheme's fail flags."""
    mark = scheme.pass_mark
    if mark is None or total >= as_decimal(mark.min):
        return ()
    return mark.fail_flags or ("unqualified",)


def honour_target_issues(scheme: Scheme, results: list[UnitResult]) -> list[Issue]:
    """The notice's targets (「年内力争认定20家一流学会」) against the honours given."""
    out: list[Issue] = []
    for h in scheme.honours:
        if h.target is None:
            continue
        count = sum(1 for u in results if h.name in u.honours)
        if count != h.target:
            fields = {"honour": h.name, "count": count, "target": h.target}
            out.append(Issue.of("honour-target", scheme.id, **fields, notice=_notice(scheme)))
    return out


def _notice(scheme: Scheme) -> str:
    return scheme.launch_notice.strip("《》").split("》")[0] or scheme.title


def count_target_issues(scheme: Scheme, inp: YearInput) -> list[Issue]:
    """Reported counts (完成数量) below the unit's target (连云港: 东海县 ≥ 6 场次 …)."""
    out: list[Issue] = []
    by_indicator = {t.indicator: t for t in scheme.targets}
    for u in inp.units:
        for code, count in inp.counts.get(u.code, {}).items():
            t = by_indicator.get(code)
            target = t.value_for(u.name, u.attributes) if t is not None else None
            if t is None or target is None or count >= target:
                continue
            out.append(
                Issue.of(
                    "count-below-target",
                    u.source,
                    unit=f"{u.code} {u.name}",
                    indicator=code,
                    text=t.text,
                    count=fmt_n(count),
                    target=fmt_n(target),
                    unit_word=t.unit,
                )
            )
    return out


def count_points_issues(scheme: Scheme, inp: YearInput, results: list[UnitResult]) -> list[Issue]:
    """A counted indicator («3次以上得满分», 5分/项) whose reported count (完成数量) earns
    other points under the scheme than the assessed score: staff look at both."""
    out: list[Issue] = []
    indicators = scheme.all_indicators
    by_code = {u.code: u for u in results if u.status is Status.SCORED}
    for u in inp.units:
        result = by_code.get(u.code)
        for code, count in inp.counts.get(u.code, {}).items():
            ind = indicators[code]
            assessed = result.indicators.get(code) if result is not None else None
            if not ind.counted or assessed is None:
                continue
            points = as_decimal(ind.points_for(count))
            if points != assessed:
                fields: dict[str, object] = {
                    "unit": f"{u.code} {u.name}",
                    "indicator": code,
                    "count": fmt_n(count),
                    "unit_word": ind.count_unit,
                    "points": fmt_n(Fraction(points)),
                    "assessed": fmt2(assessed),
                }
                out.append(Issue.of("count-points-gap", u.source, **fields))
    return out


def fmt_n(value: Fraction) -> str:
    return f"{as_decimal(value).normalize():f}"


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


def next_tier(scheme: Scheme, tier: str | None, move: str | None) -> str | None:
    """Next year's tier after a move (promote: one tier up, demote: one down)."""
    if tier is None or move not in ("promote", "demote") or tier not in scheme.tiers:
        return tier
    index = scheme.tiers.index(tier) + (-1 if move == "promote" else 1)
    return scheme.tiers[max(0, min(index, len(scheme.tiers) - 1))]


def reward_of(scheme: Scheme, grade: str | None) -> Decimal | None:
    """The 以奖代补 amount of a grade, if the scheme has one."""
    amount = scheme.rewards.get(grade) if grade is not None else None
    return None if amount is None else round2(amount)
