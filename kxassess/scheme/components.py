"""Scheme components (考核构成): indicator tables with their parts, judge groups, events and
verification; monthly, single-score and ratings components. Parsed from YAML, frozen."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Literal

from pydantic import Field, model_validator

from kxassess.scheme.base import Exact, Frozen


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
    """One scored line (指标). With ``rate`` the seed scores it per event ("10分，5分/项"):
    a count given instead of a score yields min(count × rate, max)."""

    code: str
    part: str
    text: str
    max: Exact = Field(description="分值: the indicator's maximum points")
    rate: Exact | None = None
    inferred: bool = Field(default=False, description="points not in the seed: inferred")


class Verification(Frozen):
    """核实 of self-reported items (属实/不实), as the national capacity evaluation does it:
    an indicator with at least ``false_items`` items found 不实 scores 0; a unit with at
    least ``zeroed_indicators`` such indicators scores 0 in all."""

    false_items: int = Field(default=1, ge=1)
    zeroed_indicators: int | None = Field(default=None, ge=1)


class JudgeGroup(Frozen):
    """A group of judges (评委组) whose mean counts with ``weight`` (weights add up to 1)."""

    name: str
    weight: Exact


class EventRate(Frozen):
    """One event code of a bonus/deduction item and its points per event."""

    code: str
    rate: Exact
    text: str = ""


class EventItem(Frozen):
    """A bonus (加分) or deduction (扣分) item; events are counted (次数) in sheet 加减分."""

    id: str
    kind: Literal["bonus", "deduction"]
    text: str
    rates: tuple[EventRate, ...] = Field(min_length=1)


class Events(Frozen):
    """Event-based points of a component: each bonus item at most ``item_cap``, all bonus
    at most ``bonus_cap``, all deductions at most ``deduction_cap``. With
    ``deduction_best_grade`` a unit with any deduction can be graded at best that."""

    items: tuple[EventItem, ...]
    item_cap: Exact | None = None
    bonus_cap: Exact | None = None
    deduction_cap: Exact | None = None
    deduction_best_grade: str | None = None

    @property
    def codes(self) -> dict[str, tuple[EventItem, EventRate]]:
        return {r.code: (item, r) for item in self.items for r in item.rates}


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
    judge_groups: tuple[JudgeGroup, ...] = ()
    recusal: bool = Field(
        default=False, description="leave out a judge's scores of the judge's own unit (回避)"
    )
    self_gap: Exact | None = Field(
        default=Fraction(1, 5),
        description="warn when 自评分 and the assessed score differ by more than this share "
        "of the indicator's max",
    )
    parts: tuple[Part, ...]
    indicators: tuple[Indicator, ...]
    events: Events | None = None
    verification: Verification | None = None

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
        codes += list(self.events.codes) if self.events else []
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"code used twice: {', '.join(dupes)}")
        if self.judge_groups:
            names = [g.name for g in self.judge_groups]
            if len(set(names)) != len(names):
                raise ValueError(f"component {self.id}: a judge group is named twice")
            if sum(g.weight for g in self.judge_groups) != 1:
                raise ValueError(f"component {self.id}: judge group weights do not add up to 1")
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


class RatingsComponent(Frozen):
    """Ratings by respondents (服务对象评价, 领导评价): the mean of their 0…max scores."""

    kind: Literal["ratings"]
    id: str
    name: str
    weight: Exact
    sheet: str
    max: Exact = Fraction(100)
    expected_respondents: int | None = Field(default=None, ge=1)


Component = Annotated[
    IndicatorsComponent | MonthlyComponent | SingleComponent | RatingsComponent,
    Field(discriminator="kind"),
]
