"""审定: the decisions taken after the 公示, applied to the formula's results. Pure.

Decisions apply after grading and moves, 等级 first, then 升降, then 荣誉. A 等级 decision
re-derives the honours the scheme defines by grade (一流学会 = 一类 A/B) and the reward of
the grade; it does not re-run quotas or moves. Every change is kept on the unit as an
``Override`` with its reason and approver. A decision that gives a group more units of a
grade, move or quota honour than the formula did is a warning (the quota is broken)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from kxassess.engine.outcomes import next_tier, reward_of
from kxassess.inputs import Decision, YearInput
from kxassess.issues import Issue, IssueList
from kxassess.result import STATUS_LABELS, Override, Status, UnitResult
from kxassess.scheme.model import Scheme

ITEM_LABELS = {"grade": "等级", "move": "升降", "honours": "荣誉"}
MOVE_TEXT = {"promote": "升类", "demote": "降类", None: "不变"}
ORDER = ("grade", "move", "honours")


def apply_review(
    scheme: Scheme, inp: YearInput, results: Sequence[UnitResult]
) -> tuple[list[UnitResult], list[Issue]]:
    issues = IssueList()
    if not inp.review:
        return list(results), []
    by_code = {u.code: u for u in results}
    decisions = sorted(inp.review, key=lambda d: ORDER.index(d.item))
    for d in decisions:
        unit = by_code[d.unit]
        if unit.status is not Status.SCORED and d.item != "move":
            issues.add(
                "review-not-scored",
                d.source,
                unit=unit.code,
                name=unit.name,
                status=STATUS_LABELS[unit.status],
                item=ITEM_LABELS[d.item],
            )
            continue
        by_code[d.unit] = _apply(scheme, inp, unit, d, issues)
    after = [by_code[u.code] for u in results]
    _quota_warnings(scheme, list(results), after, issues)
    return after, list(issues)


def _apply(
    scheme: Scheme, inp: YearInput, u: UnitResult, d: Decision, issues: IssueList
) -> UnitResult:
    Value = str | list[str] | None

    def note(field: str, before: Value, after: Value) -> Override:
        return Override(field, before, after, d.reason, d.approver, d.source)

    if d.item == "grade":
        if d.value == u.grade:
            _no_effect(u, d, d.value or "无", issues)
            return u
        honours = _grade_honours(scheme, inp, u, d.value)
        notes = [note("grade", u.grade, d.value)]
        if honours != u.honours:
            notes.append(note("honours", list(u.honours), list(honours)))
        return replace(
            u,
            grade=d.value,
            honours=honours,
            reward=reward_of(scheme, d.value),
            overrides=u.overrides + tuple(notes),
        )
    if d.item == "move":
        current = u.move if u.move in ("promote", "demote") else None
        if d.value == current and u.move != "absent":
            _no_effect(u, d, MOVE_TEXT[d.value], issues)
            return u
        return replace(
            u,
            move=d.value,
            next_tier=next_tier(scheme, u.tier, d.value),
            overrides=(*u.overrides, note("move", u.move, d.value)),
        )
    assert d.value is not None
    sign, name = d.value[0], d.value[1:]
    held = name in u.honours
    if (sign == "+") == held:
        _no_effect(u, d, ("已获得" if held else "未获得") + name, issues)
        return u
    honours = (*u.honours, name) if sign == "+" else tuple(h for h in u.honours if h != name)
    return replace(
        u,
        honours=honours,
        overrides=(*u.overrides, note("honours", list(u.honours), list(honours))),
    )


def _no_effect(u: UnitResult, d: Decision, value: str, issues: IssueList) -> None:
    issues.add(
        "review-no-effect",
        d.source,
        unit=u.code,
        name=u.name,
        item=ITEM_LABELS[d.item],
        value=value,
    )


def _grade_honours(
    scheme: Scheme, inp: YearInput, u: UnitResult, grade: str | None
) -> tuple[str, ...]:
    """The unit's honours with those the scheme defines by grade re-derived for ``grade``;
    honours not defined by grade stay as they were."""
    barred = {h for v in inp.vetoes.get(u.code, ()) for h in scheme.vetoes[v.action].bars_honours}
    out: list[str] = []
    for h in scheme.honours:
        if h.grades is None:
            if h.name in u.honours:
                out.append(h.name)
            continue
        earned = (
            grade in h.grades
            and (h.tiers is None or u.tier in h.tiers)
            and (h.moves is None or u.move in h.moves)
            and h.name not in barred
        )
        if earned:
            out.append(h.name)
    return tuple(out)


def _quota_warnings(
    scheme: Scheme, before: list[UnitResult], after: list[UnitResult], issues: IssueList
) -> None:
    """Per group: more units of a grade, a move or a quota honour than the formula gave."""
    quota_honours = {h.name for h in scheme.honours if h.fraction is not None}

    def counts(units: list[UnitResult]) -> Counter[tuple[str, str]]:
        c: Counter[tuple[str, str]] = Counter()
        for u in units:
            if u.grade is not None and scheme.grades:
                c[(u.group, f"{u.grade}等级")] += 1
            if u.move in ("promote", "demote"):
                c[(u.group, MOVE_TEXT[u.move])] += 1
            for h in u.honours:
                if h in quota_honours:
                    c[(u.group, h)] += 1
        return c

    old, new = counts(before), counts(after)
    sources: dict[str, str] = {}
    for u in after:
        for o in u.overrides:
            sources.setdefault(u.group, o.source)
    for (group, what), count in new.items():
        if count > old.get((group, what), 0):
            issues.add(
                "review-breaks-quota",
                sources.get(group, ""),
                group=group,
                what=what,
                count=count,
                quota=old.get((group, what), 0),
            )
