"""Project programmes: gates, expert review, awards within category, stages. Pure."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from kxassess.engine.components import consensus
from kxassess.engine.grading import SortKey, competition_ranks, top_within
from kxassess.engine.score import YearOutcome
from kxassess.inputs import Application, ProgrammeInput
from kxassess.issues import IssueList
from kxassess.numbers import as_decimal, round2
from kxassess.result import Status, UnitResult
from kxassess.scheme.programme import Gate, ProgrammeScheme

AWARD = "表彰奖补"


def gate_met(gate: Gate, app: Application) -> bool:
    value = app.values.get(gate.column)
    if value is None:
        return False
    if gate.check == "affirmed":
        return value is True
    if gate.check == "date_by":
        return gate.date is not None and value <= gate.date  # type: ignore[operator]
    if gate.check == "at_least":
        return value >= gate.value  # type: ignore[operator]
    level = int(str(gate.value).upper().removesuffix("A") or 0) if gate.value else 0
    if value < level:  # type: ignore[operator]
        return False
    if gate.valid_column:
        expiry = app.values.get(gate.valid_column)
        applied = app.values.get("申报日期")
        return expiry is not None and (applied is None or expiry >= applied)  # type: ignore[operator]
    return True


def failed_gates(scheme: ProgrammeScheme, app: Application) -> list[Gate]:
    category = scheme.category(app.category)
    gates = scheme.gates + (category.gates if category else ())
    return [g for g in gates if not gate_met(g, app)]


def is_priority(scheme: ProgrammeScheme, app: Application) -> bool:
    """优先支持: a rating at least the scheme's, still valid on the application date."""
    rule = scheme.priority
    if rule is None:
        return False
    level = app.values.get(rule.column)
    wanted = int(rule.rating_at_least.upper().removesuffix("A"))
    if not isinstance(level, int) or isinstance(level, bool) or level < wanted:
        return False
    if rule.valid_column is None:
        return True
    expiry, applied = app.values.get(rule.valid_column), app.values.get("申报日期")
    return expiry is not None and (applied is None or expiry >= applied)  # type: ignore[operator]


def score_programme(inp: ProgrammeInput, trim: bool = False) -> YearOutcome:
    scheme = inp.scheme
    by_app: dict[str, list] = defaultdict(list)
    for s in inp.scores:
        by_app[s.unit].append(s.value)
    issues = IssueList()
    failed = {a.code: failed_gates(scheme, a) for a in inp.applications}
    reviewed = {
        a.code: round2(consensus(by_app[a.code], scheme.aggregation, trim))
        for a in inp.applications
        if not failed[a.code] and by_app.get(a.code)
    }
    for a in inp.applications:
        if failed[a.code] and by_app.get(a.code):
            issues.add("review-ignored", a.source, application=a.code)
        elif not failed[a.code] and not by_app.get(a.code):
            issues.add("not-reviewed", a.source, application=a.code)
    results: list[UnitResult] = []
    for category in scheme.categories:
        members = [a for a in inp.applications if a.category == category.name]
        keys: dict[str, SortKey] = {
            a.code: (reviewed[a.code], Decimal(int(is_priority(scheme, a))))
            for a in members
            if a.code in reviewed
        }
        ranks = competition_ranks(keys)
        awarded = _awards(scheme, category.name, category.max_awards, keys, issues)
        for a in sorted(members, key=lambda a: (ranks.get(a.code, 10**9), a.code)):
            results.append(
                _result(
                    scheme,
                    a,
                    category.name,
                    failed[a.code],
                    reviewed.get(a.code),
                    ranks.get(a.code),
                    a.code in awarded,
                )
            )
    return YearOutcome(results, issues.items)


def _awards(
    scheme: ProgrammeScheme,
    category: str,
    max_awards: int | None,
    keys: dict[str, SortKey],
    issues: IssueList,
) -> set[str]:
    """The best reviewed applications at or above the pass score, at most ``max_awards``;
    applications tied at the boundary are all awarded and this is warned."""
    passing = {
        c: k
        for c, k in keys.items()
        if scheme.pass_score is None or k[0] >= as_decimal(scheme.pass_score)
    }
    if max_awards is None:
        return set(passing)
    chosen = top_within(passing, max_awards)
    if len(chosen) > max_awards:
        issues.add(
            "award-tie",
            category,
            category=category,
            count=len(chosen),
            max_awards=max_awards,
            codes="、".join(sorted(chosen)),
        )
    return chosen


def stage_of(app: Application, failed: list[Gate], reviewed: bool, awarded: bool) -> str:
    """The last of the six stages the application has reached."""
    if any(g.stage == "预立项" for g in failed):
        return "申报"
    if failed or not reviewed:
        return "项目实施"
    if not awarded:
        return "绩效评审"
    return "表彰奖补" if app.stage == "表彰奖补" else "公示发文"


def _result(
    scheme: ProgrammeScheme,
    a: Application,
    category: str,
    failed: list[Gate],
    score: Decimal | None,
    rank: int | None,
    awarded: bool,
) -> UnitResult:
    flags = tuple(f"gate:{g.column}" for g in failed)
    if is_priority(scheme, a):
        flags += (scheme.priority.flag,) if scheme.priority else ()
    return UnitResult(
        code=a.code,
        name=f"{a.unit_name}：{a.project}" if a.project else a.unit_name,
        tier=category,
        group=category,
        status=Status.EXCLUDED if failed else Status.SCORED,
        total=score,
        components=None if score is None else {"review": score},
        rank=rank,
        grade=None,
        move=None,
        next_tier=None,
        honours=(AWARD,) if awarded else (),
        flags=flags,
        stage=stage_of(a, failed, score is not None, awarded),
        reasons=tuple(g.reason for g in failed),
        subtype=a.subtype,
    )
