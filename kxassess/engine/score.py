"""One year's scoring: components → total → rank → grade → move → honours. Pure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from kxassess.engine.components import (
    ZERO,
    event_points,
    indicator_consensus,
    mean,
    monthly_value,
    part_contributions,
)
from kxassess.engine.grading import (
    Note,
    SortKey,
    assign_grades,
    band_grade,
    competition_ranks,
    select_moves,
)
from kxassess.engine.normalize import normalize_scores
from kxassess.engine.outcomes import (
    count_points_issues,
    count_target_issues,
    eligibility,
    honour_target_issues,
    honours_of_group,
    next_tier,
    pass_flags,
    reward_of,
    self_gap_issues,
)
from kxassess.engine.review import apply_review
from kxassess.inputs import Participation, PreviousResult, Unit, YearInput
from kxassess.issues import Issue, IssueList
from kxassess.numbers import as_decimal, round2
from kxassess.result import Status, UnitResult
from kxassess.scheme.model import (
    IndicatorsComponent,
    MonthlyComponent,
    MoveRule,
    RatingsComponent,
    Scheme,
    SingleComponent,
)

ALL_UNITS = "全部"


@dataclass
class Exact:
    """A scored unit's exact values before rounding."""

    components: dict[str, Fraction] = field(default_factory=dict)
    indicators: dict[str, Fraction] = field(default_factory=dict)
    parts: dict[str, Fraction] = field(default_factory=dict)
    bonus: Fraction | None = None
    deduction: Fraction | None = None
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class YearOutcome:
    units: list[UnitResult]
    issues: list[Issue]


def status_of(inp: YearInput, u: Unit) -> Status:
    if u.participation is Participation.ABSENT or late_absent(inp, u):
        return Status.ABSENT
    if u.participation is Participation.EXCUSED:
        return Status.EXCUSED
    rules = inp.scheme.vetoes
    if any(rules[v.action].exclude for v in inp.vetoes.get(u.code, ())):
        return Status.EXCLUDED
    return Status.SCORED


def late_absent(inp: YearInput, u: Unit) -> bool:
    """Handed in after a deadline whose consequence is 不参加本次考核 (视为未参与评价)."""
    dates = inp.submitted.get(u.code, {})
    return any(
        d.consequence == "absent" and d.column in dates and dates[d.column] > d.date
        for d in inp.scheme.deadlines
    )


def exact_values(inp: YearInput, scored: list[Unit], trim: bool) -> dict[str, Exact]:
    """unit → exact component values and detail, for the units that are scored."""
    out = {u.code: Exact() for u in scored}
    for comp in inp.scheme.components:
        if isinstance(comp, IndicatorsComponent):
            by_unit = indicator_consensus(inp.scores, comp, trim)
            for u in scored:
                ex = out[u.code]
                values = _verified(comp, inp, u, by_unit.get(u.code, {}), ex)
                contributions = part_contributions(comp, u.tier, values)
                value = sum(contributions.values(), ZERO)
                if comp.events is not None:
                    points = event_points(comp.events, inp.events.get(u.code, {}))
                    ex.bonus, ex.deduction = points.bonus, points.deduction
                    value += points.bonus - points.deduction
                ex.components[comp.id] = value
                ex.indicators.update(values)
                ex.parts.update(contributions)
        elif isinstance(comp, MonthlyComponent):
            for u in scored:
                months = inp.monthly[comp.id].get(u.code, {})
                out[u.code].components[comp.id] = monthly_value(comp, months)
        elif isinstance(comp, SingleComponent):
            for u in scored:
                out[u.code].components[comp.id] = inp.singles[comp.id].get(u.code, ZERO)
        elif isinstance(comp, RatingsComponent):
            for u in scored:
                out[u.code].components[comp.id] = mean(inp.ratings[comp.id].get(u.code, []))
    return out


def _verified(
    comp: IndicatorsComponent, inp: YearInput, u: Unit, values: dict[str, Fraction], ex: Exact
) -> dict[str, Fraction]:
    """核实: an indicator with enough items found 不实 scores 0 (flag ``zeroed:<code>``); with
    enough zeroed indicators the unit scores 0 in all (flag ``total_zeroed``)."""
    rule = comp.verification
    if rule is None:
        return values
    own = inp.self_scores.get(u.code, {})
    zeroed = [
        i.code
        for i in comp.indicators
        if own.get(i.code) is not None and own[i.code].false_items >= rule.false_items
    ]
    if not zeroed:
        return values
    ex.flags += [f"zeroed:{code}" for code in zeroed]
    if rule.zeroed_indicators is not None and len(zeroed) >= rule.zeroed_indicators:
        ex.flags.append("total_zeroed")
        return {code: ZERO for code in values}
    return {code: (ZERO if code in zeroed else v) for code, v in values.items()}


def score_year(inp: YearInput, trim: bool = False, normalize: bool = False) -> YearOutcome:
    """Results for every unit of the roster, grouped and ranked, non-scored units included.
    ``normalize`` (or the scheme's ``judges.normalize``) z-scores the judges' scores first."""
    scheme = inp.scheme
    if normalize or scheme.judges.normalize:
        inp = replace(inp, scores=normalize_scores(inp.scores, scheme))
    status = {u.code: status_of(inp, u) for u in inp.units}
    scored_units = [u for u in inp.units if status[u.code] is Status.SCORED]
    exact = exact_values(inp, scored_units, trim)
    for ex in exact.values():
        if "total_zeroed" in ex.flags:  # every component counts 0, not just the indicators
            ex.components = {c: ZERO for c in ex.components}
    weights = {c.id: c.weight for c in scheme.components}
    totals = {
        code: round2(sum((weights[c] * v for c, v in ex.components.items()), ZERO))
        for code, ex in exact.items()
    }
    rounded = {code: {c: round2(v) for c, v in ex.components.items()} for code, ex in exact.items()}
    keys: dict[str, SortKey] = {
        code: (totals[code], *(rounded[code][tb] for tb in scheme.tie_breakers)) for code in totals
    }
    deducted = {code for code, ex in exact.items() if ex.deduction}
    allowed = eligibility(scheme, inp, exact, deducted)

    groups: dict[str, list[Unit]] = defaultdict(list)
    for u in inp.units:
        groups[_group_of(scheme, u)].append(u)

    results: list[UnitResult] = []
    notes = IssueList()
    for group in _group_order(scheme, groups):
        members = groups[group]
        group_keys = {u.code: keys[u.code] for u in members if u.code in keys}
        ranks = competition_ranks(group_keys)
        grades, band_notes = _grades(scheme, group_keys, totals, allowed)
        moves, move_notes = _moves(scheme, members, group_keys, grades)
        _report(notes, group, members, band_notes + move_notes)
        honours = honours_of_group(scheme, inp, members, group_keys, grades, moves)
        scored = sorted(
            (u for u in members if u.code in group_keys), key=lambda u: (ranks[u.code], u.code)
        )
        for u in scored:
            ex = exact[u.code]
            move = moves.get(u.code)
            grade = grades.get(u.code)
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
                    grade=grade,
                    move=move,
                    next_tier=next_tier(scheme, u.tier, move),
                    honours=honours.get(u.code, ()),
                    flags=tuple(ex.flags)
                    + _deduction_cap(scheme, u.code in deducted)
                    + _downgrade_flags(scheme, grade, before)
                    + pass_flags(scheme, totals[u.code]),
                    indicators={k: round2(v) for k, v in ex.indicators.items()},
                    parts={k: round2(v) for k, v in ex.parts.items()},
                    previous_grade=before.grade if before else None,
                    previous_rank=before.rank if before else None,
                    bonus=None if ex.bonus is None else round2(ex.bonus),
                    deduction=None if ex.deduction is None else round2(ex.deduction),
                    vetoes=_veto_texts(inp, u),
                    reward=reward_of(scheme, grade),
                    self_scores=_self(inp, u),
                )
            )
        unscored = sorted((u for u in members if u.code not in group_keys), key=lambda u: u.code)
        results.extend(
            _not_scored(scheme, inp, u, group, status[u.code], inp.previous.get(u.code))
            for u in unscored
        )
    results, decided = apply_review(scheme, inp, results)  # 审定, after grades and moves
    issues = list(notes) + self_gap_issues(scheme, inp, results)
    issues += honour_target_issues(scheme, results)
    issues += count_target_issues(scheme, inp) + count_points_issues(scheme, inp, results)
    return YearOutcome(results, issues + decided)


def _report(issues: IssueList, group: str, members: list[Unit], notes: list[Note]) -> None:
    """Grading notes as warnings naming the group, placed at the roster sheet."""
    sheet = next((u.source.rsplit("!", 1)[0] for u in members if "!" in u.source), group)
    for note in notes:
        issues.add(note.code, sheet, group=group, **note.fields)


def _group_of(scheme: Scheme, unit: Unit) -> str:
    return unit.tier or ALL_UNITS if scheme.grading_group == "tier" else ALL_UNITS


def _group_order(scheme: Scheme, groups: dict[str, list[Unit]]) -> list[str]:
    known = [t for t in scheme.tiers if t in groups]
    return known + sorted(g for g in groups if g not in known)


def _grades(
    scheme: Scheme,
    keys: dict[str, SortKey],
    totals: dict[str, Decimal],
    allowed: dict[str, int],
) -> tuple[dict[str, str], list[Note]]:
    """By quota or by score band; never better than the unit may hold."""
    if scheme.grades:
        graded = assign_grades(keys, scheme.grades, allowed)
        return graded.grades, graded.notes
    if not scheme.bands:
        return {}, []
    bands = [
        (b.grade, as_decimal(b.min), None if b.below is None else as_decimal(b.below))
        for b in scheme.bands
    ]
    names = scheme.grade_names
    out: dict[str, str] = {}
    for code in keys:
        grade = band_grade(totals[code], bands)
        if grade is not None:
            out[code] = names[max(names.index(grade), allowed.get(code, 0))]
    return out, []


def _moves(
    scheme: Scheme, members: list[Unit], keys: dict[str, SortKey], grades: dict[str, str]
) -> tuple[dict[str, str], list[Note]]:
    """promote/demote for the scored members of one group."""
    tier_of = {u.code: u.tier for u in members}
    out: dict[str, str] = {}
    notes: list[Note] = []
    rules: tuple[tuple[Literal["promote", "demote"], MoveRule | None], ...] = (
        ("promote", scheme.moves.promote),
        ("demote", scheme.moves.demote),
    )
    for move, rule in rules:
        if rule is None:
            continue
        by_tier: dict[str | None, dict[str, SortKey]] = defaultdict(dict)
        for code, key in keys.items():
            if grades.get(code) == rule.grade and tier_of[code] in rule.tiers:
                by_tier[tier_of[code]][code] = key
        for tier_keys in by_tier.values():
            chosen, found = select_moves(tier_keys, rule.fraction, move, rule.grade)
            notes += found
            for code in chosen:
                out[code] = move
    return out, notes


def _deduction_cap(scheme: Scheme, deducted: bool) -> tuple[str, ...]:
    """Say why a unit with a deduction holds no better grade (「出现扣分项不能评特等」):
    ``deduction_cap:一等`` reads 有扣分项，最高评为一等."""
    caps = [
        c.events.deduction_best_grade
        for c in scheme.indicator_components
        if deducted and c.events and c.events.deduction_best_grade
    ]
    return (f"deduction_cap:{caps[0]}",) if caps else ()


def _downgrade_flags(
    scheme: Scheme, grade: str | None, before: PreviousResult | None
) -> tuple[str, ...]:
    """A unit whose grade falls below last year's (e.g. a star society losing a star)."""
    names = scheme.grade_names
    if not scheme.downgrade_flags or before is None or before.grade not in names:
        return ()
    now = names.index(grade) if grade in names else len(names)
    return scheme.downgrade_flags if now > names.index(before.grade) else ()


def _veto_texts(inp: YearInput, u: Unit) -> tuple[str, ...]:
    return tuple(f"{v.matter}（{v.action}）" for v in inp.vetoes.get(u.code, ()))


def _self(inp: YearInput, u: Unit) -> dict[str, Decimal]:
    return {k: round2(v.value) for k, v in inp.self_scores.get(u.code, {}).items()}


def _not_scored(
    scheme: Scheme,
    inp: YearInput,
    u: Unit,
    group: str,
    status: Status,
    before: PreviousResult | None,
) -> UnitResult:
    """Absent (参加 = 否), excused (请假) and excluded (不予考核) units: listed, never dropped.
    A unit absent this year and the year before gets the repeat flags too."""
    move: str | None = None
    next_tier = u.tier
    flags: tuple[str, ...] = ()
    if status is Status.ABSENT:
        rule = scheme.absence.absent
        repeat = before is not None and before.status == Status.ABSENT
        move = "absent"
        next_tier = rule.next_tier or u.tier
        flags = rule.flags + (rule.repeat_flags if repeat else ())
    return UnitResult(
        code=u.code,
        name=u.name,
        tier=u.tier,
        group=group,
        status=status,
        total=None,
        components=None,
        rank=None,
        grade=None,
        move=move,
        next_tier=next_tier,
        flags=flags,
        previous_grade=before.grade if before else None,
        previous_rank=before.rank if before else None,
        vetoes=_veto_texts(inp, u),
        self_scores=_self(inp, u),
    )
