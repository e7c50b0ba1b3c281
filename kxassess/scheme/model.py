"""Typed, frozen scheme objects (考核方案).

A scheme file is YAML parsed into these models. Every model forbids unknown keys, so a
typo in a user's scheme is reported with the key's path instead of being ignored.
Numbers that must stay exact (weights, fractions, maxima) are held as ``Fraction`` and may
be written in the file as ``0.8``, ``80%`` or ``1/3``.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import ClassVar, Literal

from pydantic import ConfigDict, Field, model_validator

from kxassess.scheme.base import Exact, Frozen, NonNegative, Notice, SchemeKind, Share
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
from kxassess.scheme.consistency import scheme_problems
from kxassess.scheme.flags import require_labels
from kxassess.scheme.judges import JudgeSettings
from kxassess.scheme.rules import Deadline, Default, PassMark, Progress

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


_SIDE_WORDS = {"top": "前位", "bottom": "后位", "rest": "其余"}


class GradeQuota(Frozen):
    """A grade and its share of the group, counted from the side the notice
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
            raise ValueError(f"等级 {self.grade}：取其余单位（from: rest）的等级不写比例")
        if self.side != "rest" and self.fraction is None:
            side = _SIDE_WORDS[self.side or "top"]
            raise ValueError(f"等级 {self.grade}：从{side}数起的等级须写比例")
        return self


class Band(Frozen):
    """A grade given by score: ``min`` ≤ total < ``below`` (no ``below``: no upper bound)."""

    grade: str
    min: NonNegative
    below: NonNegative | None = None


class VetoRule(Frozen):
    """What a 处理 in sheet 否决事项 does: cap the grade, bar honours, or exclude the unit."""

    best_grade: str | None = None
    bars_honours: tuple[str, ...] = ()
    exclude: bool = False


class Target(Frozen):
    """A per-unit target of an indicator (e.g. ≥ 6 academic events for 东海县), by unit
    name, by the value of a roster attribute (e.g. 科普大篷车 有/无), or the same for every
    unit (``at_least``: 「不少于N」). Reported counts (sheet 完成数量) are checked against it."""

    indicator: str
    text: str
    unit: str = ""
    by_unit: dict[str, Exact] | None = None
    attribute: str | None = None
    by_attribute: dict[str, Exact] | None = None
    at_least: NonNegative | None = None

    @model_validator(mode="after")
    def _one_way(self) -> Target:
        given = [x is not None for x in (self.by_unit, self.by_attribute, self.at_least)]
        if sum(given) != 1:
            raise ValueError("目标须写 by_unit、by_attribute 或 at_least 中的一项")
        if self.by_attribute is not None and not self.attribute:
            raise ValueError("按属性的目标（by_attribute）须写明属性（attribute）")
        return self

    def value_for(self, name: str, attributes: Mapping[str, str]) -> Fraction | None:
        """The target of the unit named ``name`` with roster ``attributes`` (None: none)."""
        if self.at_least is not None:
            return self.at_least
        if self.by_unit is not None:
            return self.by_unit.get(name)
        return (self.by_attribute or {}).get(attributes.get(self.attribute or "", ""))


class MoveRule(Frozen):
    """Top (promote) or bottom (demote) ``fraction`` of a grade's units in the given tiers."""

    tiers: tuple[str, ...]
    grade: str
    fraction: Share


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
    the eligible units in rank order (ties at the boundary all in). ``progress`` reads
    进步显著 (promoted, or ranked better than last year); ``target`` is the number the
    notice aims for (「年内力争认定20家一流学会」), reported against the count."""

    name: str
    tiers: tuple[str, ...] | None = None
    grades: tuple[str, ...] | None = None
    moves: tuple[Literal["promote", "demote"], ...] | None = None
    progress: Progress | None = None
    fraction: Share | None = None
    target: int | None = Field(default=None, ge=1)


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
    population: str = Field(
        default="",
        pattern=r"^$|^[a-z0-9][a-z0-9-]*$",
        description="registry population its units belong to; blank = the scheme id",
    )
    flag_labels: dict[str, str] = Field(
        default_factory=dict,
        description="标记的中文名称（如 expel: 责令退出团体会员）：屏幕、工作簿和反馈中显示名称",
    )

    @model_validator(mode="after")
    def _default_population(self) -> SchemeHeader:
        if not self.population:
            object.__setattr__(self, "population", self.id)
        return self

    defaults: tuple[Default, ...] = Field(
        default=(), description="values the notice does not state (原文未规定，默认)"
    )


class Scheme(SchemeHeader):
    """A ranking scheme: components → total → rank → grade → moves and honours."""

    kind: ClassVar[Literal[SchemeKind.RANKING]] = SchemeKind.RANKING  # not a key of the file

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
    rewards: dict[str, NonNegative] = Field(
        default_factory=dict, description="以奖代补: amount (元) per grade"
    )
    downgrade_flags: tuple[str, ...] = Field(
        default=(), description="raised when a unit's grade falls below last year's"
    )
    judges: JudgeSettings = Field(default=JudgeSettings(), description="评委分析 thresholds")
    review_scope: dict[str, str] = Field(
        default_factory=dict,
        description="评审范围 declared by the scheme: a judge's name or a 评委组 → what it "
        "scores (tiers, unit codes, indicator codes or parts, as in the 评委 sheet's column); "
        "the 评委 sheet's own 评审范围 takes precedence",
    )

    @model_validator(mode="after")
    def _flags_named(self) -> Scheme:
        absent = self.absence.absent
        require_labels(
            (*absent.flags, *absent.repeat_flags, *self.downgrade_flags), self.flag_labels
        )
        return self

    pass_mark: PassMark | None = None
    deadlines: tuple[Deadline, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Scheme:
        problems = scheme_problems(self)
        if problems:
            raise ValueError("\n".join(problems))
        return self

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
