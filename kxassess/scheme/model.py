"""Typed, frozen scheme objects (考核方案).

A scheme file is YAML parsed into these models. Every model forbids unknown keys, so a
typo in a user's scheme is reported with the key's path instead of being ignored.
Numbers that must stay exact (weights, fractions, maxima) are held as ``Fraction`` and may
be written in the file as ``0.8``, ``80%`` or ``1/3``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from kxassess.scheme.base import Exact, Frozen, Notice
from kxassess.scheme.components import (
    Aggregation,
    Component,
    EventItem,
    EventRate,
    Events,
    Indicator,
    IndicatorsComponent,
    JudgeGroup,
    MonthlyComponent,
    Part,
    RatingsComponent,
    SingleComponent,
    Verification,
)

__all__ = [
    "Aggregation",
    "Component",
    "EventItem",
    "EventRate",
    "Events",
    "Exact",
    "Frozen",
    "Indicator",
    "IndicatorsComponent",
    "JudgeGroup",
    "MonthlyComponent",
    "Notice",
    "Part",
    "RatingsComponent",
    "Scheme",
    "SingleComponent",
    "Verification",
]


Side = Literal["top", "bottom", "rest"]
Rounding = Literal["half_up", "floor", "ceil"]


class GradeQuota(Frozen):
    """A grade and its share of the group (SPEC §5.5), counted from the side the notice
    names: ``from: top`` fills the band in rank order, ``from: bottom`` in reverse rank
    order, and the one ``rest`` band takes the units in between (it absorbs the rounding).
    k = rounding(fraction × n), n the group's scored units; below ``min_group`` units the
    band is not applied. Without ``from``, a band with a fraction counts from the top and
    the band without one is the rest (how older scheme files read)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    grade: str
    fraction: Exact | None = None
    side: Side | None = Field(default=None, alias="from")
    rounding: Rounding = "half_up"
    min_group: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _side(self) -> GradeQuota:
        if self.side is None:
            object.__setattr__(self, "side", "top" if self.fraction is not None else "rest")
        if self.side == "rest" and self.fraction is not None:
            raise ValueError(f"grade {self.grade}: the band from rest takes no fraction")
        if self.side != "rest" and self.fraction is None:
            raise ValueError(f"grade {self.grade}: a band from {self.side} needs a fraction")
        return self


class Band(Frozen):
    """A grade given by score: ``min`` ≤ total < ``below`` (no ``below``: no upper bound)."""

    grade: str
    min: Exact
    below: Exact | None = None


class VetoRule(Frozen):
    """What a 处理 in sheet 否决事项 does: cap the grade, bar honours, or exclude the unit."""

    best_grade: str | None = None
    bars_honours: tuple[str, ...] = ()
    exclude: bool = False


class Target(Frozen):
    """A per-unit target of an indicator (e.g. ≥ 6 academic events for 东海县), by unit
    name, or by the value of a roster attribute (e.g. 科普大篷车 有/无)."""

    indicator: str
    text: str
    unit: str = ""
    by_unit: dict[str, Exact] | None = None
    attribute: str | None = None
    by_attribute: dict[str, Exact] | None = None

    @model_validator(mode="after")
    def _one_way(self) -> Target:
        if (self.by_unit is None) == (self.by_attribute is None):
            raise ValueError(f"target of {self.indicator}: give by_unit or by_attribute")
        if self.by_attribute is not None and not self.attribute:
            raise ValueError(f"target of {self.indicator}: by_attribute needs attribute")
        return self


class MoveRule(Frozen):
    """Top (promote) or bottom (demote) ``fraction`` of a grade's units in the given tiers."""

    tiers: tuple[str, ...]
    grade: str
    fraction: Exact


class Moves(Frozen):
    promote: MoveRule | None = None
    demote: MoveRule | None = None


class AbsentRule(Frozen):
    """参加 = 否: no grade; ``next_tier`` for next year (None keeps the tier); flags raised.
    ``repeat_flags`` are raised too when the registry shows the unit absent the year before."""

    next_tier: str | None = None
    flags: tuple[str, ...] = ()
    repeat_flags: tuple[str, ...] = ()
    label: str = Field(default="无故未参加考核", description="how notices name absentees")


class Absence(Frozen):
    absent: AbsentRule = AbsentRule()


class Honour(Frozen):
    """A unit earns the honour when every condition given here holds. With ``fraction``
    the honour has a quota, round_half_up(fraction × scored units of the group), filled by
    the eligible units in rank order (ties at the boundary all in)."""

    name: str
    tiers: tuple[str, ...] | None = None
    grades: tuple[str, ...] | None = None
    moves: tuple[Literal["promote", "demote"], ...] | None = None
    fraction: Exact | None = None


class SchemeHeader(Frozen):
    """What every scheme file starts with: its id, title, year, issuer and source."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    year: int
    issuer: str
    unit_kind: str
    seed: str = ""
    launch_notice: str = ""
    notes: tuple[str, ...] = ()
    notice: Notice = Notice()


class Scheme(SchemeHeader):
    """A ranking scheme: components → total → rank → grade → moves and honours."""

    tiers: tuple[str, ...] = ()
    grading_group: Literal["tier", "all"] = "tier"
    components: tuple[Component, ...]
    tie_breakers: tuple[str, ...] = ()
    grades: tuple[GradeQuota, ...] = ()
    bands: tuple[Band, ...] = ()
    moves: Moves = Moves()
    absence: Absence = Absence()
    vetoes: dict[str, VetoRule] = Field(default_factory=dict)
    honours: tuple[Honour, ...] = ()
    targets: tuple[Target, ...] = ()
    rewards: dict[str, Exact] = Field(
        default_factory=dict, description="以奖代补: amount (元) per grade"
    )
    downgrade_flags: tuple[str, ...] = Field(
        default=(), description="raised when a unit's grade falls below last year's"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Scheme:
        comp_ids = [c.id for c in self.components]
        if len(set(comp_ids)) != len(comp_ids):
            raise ValueError("a component id is used twice")
        for tb in self.tie_breakers:
            if tb not in comp_ids:
                raise ValueError(f"tie_breakers: {tb!r} is not a component ({comp_ids})")
        if self.grades and self.bands:
            raise ValueError("give grades (quotas) or bands (score thresholds), not both")
        grade_names = list(self.grade_names)
        if self.grades:
            sides = [g.side for g in self.grades]
            if sides.count("rest") != 1:
                raise ValueError("grades: exactly one grade takes the rest (from: rest)")
            order = {"top": 0, "rest": 1, "bottom": 2}
            if [order[s or "rest"] for s in sides] != sorted(order[s or "rest"] for s in sides):
                raise ValueError(
                    "grades: list the grades best first: bands from top, then the rest, "
                    "then bands from bottom"
                )
            if sum((g.fraction or Fraction(0)) for g in self.grades) > 1:
                raise ValueError("grades: the fractions add up to more than 1")
        for action, veto in self.vetoes.items():
            if veto.best_grade is not None and veto.best_grade not in grade_names:
                raise ValueError(f"vetoes.{action}.best_grade: {veto.best_grade!r} is not a grade")
            for barred in veto.bars_honours:
                if barred not in [x.name for x in self.honours]:
                    raise ValueError(f"vetoes.{action}.bars_honours: {barred!r} is not an honour")
        for g in self.rewards:
            if g not in grade_names:
                raise ValueError(f"rewards: {g!r} is not a grade")
        if self.grading_group == "tier" and not self.tiers:
            raise ValueError("grading_group is tier but the scheme declares no tiers")
        for rule_name, rule in (("promote", self.moves.promote), ("demote", self.moves.demote)):
            if rule is None:
                continue
            self._check_tiers(f"moves.{rule_name}.tiers", rule.tiers)
            if rule.grade not in grade_names:
                raise ValueError(f"moves.{rule_name}.grade: {rule.grade!r} is not a grade")
        if self.absence.absent.next_tier is not None:
            self._check_tiers("absence.absent.next_tier", (self.absence.absent.next_tier,))
        for h in self.honours:
            self._check_tiers(f"honours {h.name}: tiers", h.tiers or ())
            for g in h.grades or ():
                if g not in grade_names:
                    raise ValueError(f"honours {h.name}: {g!r} is not a grade")
        codes = [i.code for c in self.indicator_components for i in c.indicators]
        for t in self.targets:
            if t.indicator not in codes:
                raise ValueError(f"targets: {t.indicator!r} is not an indicator")
        for comp in self.components:
            if isinstance(comp, IndicatorsComponent):
                events = comp.events
                if events and events.deduction_best_grade not in (None, *grade_names):
                    raise ValueError(
                        f"events.deduction_best_grade: {events.deduction_best_grade!r} "
                        "is not a grade"
                    )
                for part in comp.parts:
                    self._check_tiers(f"part {part.id}: weights", tuple(part.weights or {}))
                    if part.weights is not None and set(part.weights) != set(self.tiers):
                        raise ValueError(f"part {part.id}: weights must name every tier")
        return self

    def _check_tiers(self, where: str, tiers: tuple[str, ...]) -> None:
        for t in tiers:
            if t not in self.tiers:
                raise ValueError(f"{where}: {t!r} is not one of the tiers {list(self.tiers)}")

    # Convenience look-ups -------------------------------------------------------------
    @property
    def indicator_components(self) -> tuple[IndicatorsComponent, ...]:
        return tuple(c for c in self.components if isinstance(c, IndicatorsComponent))

    @property
    def grade_names(self) -> tuple[str, ...]:
        """Grades best first, from the quotas or the bands."""
        return tuple(g.grade for g in self.grades) or tuple(b.grade for b in self.bands)

    @property
    def all_indicators(self) -> dict[str, Indicator]:
        return {i.code: i for c in self.indicator_components for i in c.indicators}

    @property
    def event_codes(self) -> dict[str, tuple[EventItem, EventRate]]:
        out: dict[str, tuple[EventItem, EventRate]] = {}
        for c in self.indicator_components:
            if c.events is not None:
                out.update(c.events.codes)
        return out
