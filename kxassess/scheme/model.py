"""Typed, frozen scheme objects (考核方案).

A scheme file is YAML parsed into these models. Every model forbids unknown keys, so a
typo in a user's scheme is reported with the key's path instead of being ignored.
Numbers that must stay exact (weights, fractions, maxima) are held as ``Fraction`` and may
be written in the file as ``0.8``, ``80%`` or ``1/3``.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, model_validator


def _exact(value: object) -> Fraction:
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    if isinstance(value, str):
        text = value.strip()
        try:
            if text.endswith("%"):
                return Fraction(Decimal(text[:-1])) / 100
            return Fraction(Decimal(text)) if "/" not in text else Fraction(text)
        except (ValueError, ZeroDivisionError, ArithmeticError):
            pass
    raise ValueError(f"expected a number such as 0.8, 80% or 1/3, got {value!r}")


Exact = Annotated[
    Fraction,
    BeforeValidator(_exact),
    PlainSerializer(lambda f: str(f), return_type=str),
]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Part(Frozen):
    """A group of indicators (部分) and how its sum enters the component.

    contribution = Σ scores × weight(tier) / out_of, then at most ``cap``. Without
    ``weights`` the sum enters as it is.
    """

    id: str
    name: str = ""
    weights: dict[str, Exact] | None = None
    out_of: Exact = Fraction(100)
    cap: Exact | None = None


class Indicator(Frozen):
    code: str
    part: str
    text: str
    max: Exact = Field(description="分值: the indicator's maximum points")


class Aggregation(Frozen):
    """How judges' scores of one indicator become its score (SPEC §5.1)."""

    method: Literal["mean", "trimmed"] = "mean"
    trim_min_judges: int = Field(default=4, ge=3)


class IndicatorsComponent(Frozen):
    """An expert-scored indicator table (专家评分)."""

    kind: Literal["indicators"]
    id: str
    name: str
    weight: Exact
    representative: bool = Field(
        default=False,
        description="the seed gives no indicator lines: the table is a representative one",
    )
    aggregation: Aggregation = Aggregation()
    parts: tuple[Part, ...]
    indicators: tuple[Indicator, ...]

    @model_validator(mode="after")
    def _parts_known(self) -> IndicatorsComponent:
        part_ids = [p.id for p in self.parts]
        if len(set(part_ids)) != len(part_ids):
            raise ValueError(f"component {self.id}: a part id is used twice")
        for ind in self.indicators:
            if ind.part not in part_ids:
                raise ValueError(
                    f"indicator {ind.code}: part {ind.part!r} is not one of {part_ids}"
                )
        codes = [i.code for i in self.indicators]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"indicator code used twice: {', '.join(dupes)}")
        return self

    def part_indicators(self, part_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.part == part_id)


class MonthlyComponent(Frozen):
    """Monthly scores (月报): the mean over a range of months; a missing month counts 0."""

    kind: Literal["monthly"]
    id: str
    name: str
    weight: Exact
    sheet: str
    first_month: int = Field(ge=1, le=12)
    last_month: int = Field(ge=1, le=12)
    max: Exact = Fraction(100)

    @model_validator(mode="after")
    def _range(self) -> MonthlyComponent:
        if self.first_month > self.last_month:
            raise ValueError(f"component {self.id}: first_month is after last_month")
        return self

    @property
    def months(self) -> range:
        return range(self.first_month, self.last_month + 1)


class SingleComponent(Frozen):
    """One score per unit from one column of one sheet (e.g. 日常考核!工作表现)."""

    kind: Literal["single"]
    id: str
    name: str
    weight: Exact
    sheet: str
    column: str
    max: Exact = Fraction(100)


Component = Annotated[
    IndicatorsComponent | MonthlyComponent | SingleComponent, Field(discriminator="kind")
]


class GradeQuota(Frozen):
    """A grade and its share of the group; the last grade, with no fraction, takes the rest."""

    grade: str
    fraction: Exact | None = None


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


class Absence(Frozen):
    absent: AbsentRule = AbsentRule()


class Honour(Frozen):
    """A unit earns the honour when every condition given here holds."""

    name: str
    tiers: tuple[str, ...] | None = None
    grades: tuple[str, ...] | None = None
    moves: tuple[Literal["promote", "demote"], ...] | None = None


class Scheme(Frozen):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    year: int
    issuer: str
    unit_kind: str
    seed: str = ""
    launch_notice: str = ""
    notes: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    grading_group: Literal["tier", "all"] = "tier"
    components: tuple[Component, ...]
    tie_breakers: tuple[str, ...] = ()
    grades: tuple[GradeQuota, ...]
    moves: Moves = Moves()
    absence: Absence = Absence()
    honours: tuple[Honour, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Scheme:
        comp_ids = [c.id for c in self.components]
        if len(set(comp_ids)) != len(comp_ids):
            raise ValueError("a component id is used twice")
        for tb in self.tie_breakers:
            if tb not in comp_ids:
                raise ValueError(f"tie_breakers: {tb!r} is not a component ({comp_ids})")
        grade_names = [g.grade for g in self.grades]
        if not self.grades or self.grades[-1].fraction is not None:
            raise ValueError("grades: the last grade takes the rest and has no fraction")
        if any(g.fraction is None for g in self.grades[:-1]):
            raise ValueError("grades: every grade but the last needs a fraction")
        if sum((g.fraction or Fraction(0)) for g in self.grades) > 1:
            raise ValueError("grades: the fractions add up to more than 1")
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
        for comp in self.components:
            if isinstance(comp, IndicatorsComponent):
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
        return tuple(g.grade for g in self.grades)

    def component(self, comp_id: str) -> IndicatorsComponent | MonthlyComponent | SingleComponent:
        for c in self.components:
            if c.id == comp_id:
                return c
        raise KeyError(comp_id)
