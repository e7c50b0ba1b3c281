"""Scheme components (考核构成): indicator tables with their parts, judge groups, events and
verification; monthly, single-score and ratings components. Parsed from YAML, frozen."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from kxassess.scheme.base import Frozen, NonNegative, Positive
from kxassess.scheme.rules import Step


def _n(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return (
        f"{value.numerator}/{value.denominator}"
        if 10**6 % value.denominator
        else f"{float(value):g}"
    )


def duplicates(names: list[str]) -> list[str]:
    return sorted({n for n in names if names.count(n) > 1})


def component_problems(
    parts: list[str], indicators: list[tuple[str, str]], events: list[str], groups: list[str]
) -> list[str]:
    """Cross-references inside one indicator table, in Chinese. Shared by the model and
    by ``scheme check``'s pass over the raw file (which must report them even when other
    values of the table are wrong)."""
    out = []
    if dupes := duplicates(parts):
        out.append(f"部分代码重复：{'、'.join(dupes)}")
    for code, part in indicators:
        if part not in parts:
            out.append(f"指标 {code} 的部分「{part}」不存在（可用：{'、'.join(parts)}）")
    if dupes := duplicates([c for c, _ in indicators] + events):
        out.append(f"指标或加减分代码重复：{'、'.join(dupes)}")
    if dupes := duplicates(groups):
        out.append(f"评委组名称重复：{'、'.join(dupes)}")
    return out


class Part(Frozen):
    """A group of indicators (部分) and how its sum enters the component.

    contribution = Σ scores × weight(tier) / out_of, then at most ``cap``. Without
    ``weights`` the sum enters as it is.
    """

    id: str
    name: str = ""
    weights: dict[str, NonNegative] | None = None
    out_of: Positive = Fraction(100)
    cap: NonNegative | None = None


PER_UNIT = re.compile(r"\d分/([\u4e00-\u9fff]{1,2})")


class Indicator(Frozen):
    """One scored line (指标). A counted indicator takes a count (次数, 数量) instead of a
    score: with ``rate`` the notice scores it per event ("10分，5分/项") and the count
    yields min(count × rate, max); with ``thresholds`` the count earns the points of the
    highest step it reaches (「3次以上得满分」, ≥600 → 3, ≥200 → 2, ≥50 → 1), else 0."""

    code: str
    part: str
    text: str
    max: Positive = Field(description="分值: the indicator's maximum points")
    rate: Positive | None = None
    thresholds: tuple[Step, ...] | None = Field(default=None, min_length=1)
    count_unit: str = Field(default="次", description="how the count is named: 次, 场次, 家")
    inferred: bool = Field(
        default=False, description="points not stated by the notice: the remainder to 100"
    )

    @model_validator(mode="before")
    @classmethod
    def _unit_of_the_notice(cls, data: Any) -> Any:
        """The count is named as the notice's text names it: 「4分，2分/次」 counts 次,
        「10分，5分/项」 counts 项 (unless the scheme file says ``count_unit``)."""
        if isinstance(data, dict) and "count_unit" not in data:
            found = PER_UNIT.search(str(data.get("text", "")))
            if found:
                return {**data, "count_unit": found.group(1)}
        return data

    @model_validator(mode="after")
    def _one_way(self) -> Indicator:
        problems = []
        if self.rate is not None and self.thresholds is not None:
            problems.append("rate（每项分值）与 thresholds（计分档次）只能二选一")
        for step in self.thresholds or ():
            if step.points > self.max:
                problems.append(f"计分档次的得分 {_n(step.points)} 超过分值 {_n(self.max)}")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @property
    def counted(self) -> bool:
        """Scored from a count (per event or by thresholds) rather than only by judges."""
        return self.rate is not None or self.thresholds is not None

    def points_for(self, count: Fraction) -> Fraction:
        """The points a reported count earns under this indicator's rule."""
        if self.rate is not None:
            return min(count * self.rate, self.max)
        if self.thresholds is not None:
            reached = [s.points for s in self.thresholds if count >= s.at_least]
            return min(max(reached, default=Fraction(0)), self.max)
        raise ValueError(f"indicator {self.code} is not scored from a count")

    def points_for_percent(self, percent: Fraction) -> Fraction:
        """The points of a score written as a percentage of full marks (``80%``)."""
        return self.max * percent / 100


class Verification(Frozen):
    """核实 of self-reported items (属实/不实), as the national capacity evaluation does it:
    an indicator with at least ``false_items`` items found 不实 scores 0; a unit with at
    least ``zeroed_indicators`` such indicators scores 0 in all."""

    false_items: int = Field(default=1, ge=1)
    zeroed_indicators: int | None = Field(default=None, ge=1)


class JudgeGroup(Frozen):
    """A group of judges (评委组) whose mean counts with ``weight`` (weights add up to 1)."""

    name: str
    weight: NonNegative


class EventRate(Frozen):
    """One event code of a bonus/deduction item and its points per event."""

    code: str
    rate: Positive
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
    item_cap: NonNegative | None = None
    bonus_cap: NonNegative | None = None
    deduction_cap: NonNegative | None = None
    deduction_best_grade: str | None = None

    @property
    def codes(self) -> dict[str, tuple[EventItem, EventRate]]:
        return {r.code: (item, r) for item in self.items for r in item.rates}


class Aggregation(Frozen):
    """How judges' scores of one indicator become its score."""

    method: Literal["mean", "trimmed"] = "mean"
    trim_min_judges: int = Field(default=4, ge=3)


class IndicatorsComponent(Frozen):
    """An expert-scored indicator table (专家评分)."""

    kind: Literal["indicators"]
    id: str
    name: str
    weight: NonNegative
    representative: bool = Field(
        default=False,
        description="the seed gives no indicator lines: the table is a representative one",
    )
    aggregation: Aggregation = Aggregation()
    judge_groups: tuple[JudgeGroup, ...] = ()
    recusal: bool = Field(
        default=False, description="leave out a judge's scores of the judge's own unit (回避)"
    )
    self_gap: NonNegative | None = Field(
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
        problems = component_problems(
            [p.id for p in self.parts],
            [(i.code, i.part) for i in self.indicators],
            list(self.events.codes) if self.events else [],
            [g.name for g in self.judge_groups],
        )
        if self.judge_groups and sum(g.weight for g in self.judge_groups) != 1:
            problems.append("评委组权重合计不等于1")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def part_indicators(self, part_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.part == part_id)


class MonthlyComponent(Frozen):
    """Monthly scores (月报): the mean over a range of months; a missing month counts 0."""

    kind: Literal["monthly"]
    id: str
    name: str
    weight: NonNegative
    sheet: str
    first_month: int = Field(ge=1, le=12)
    last_month: int = Field(ge=1, le=12)
    max: Positive = Fraction(100)

    @model_validator(mode="after")
    def _range(self) -> MonthlyComponent:
        if self.first_month > self.last_month:
            raise ValueError("起始月份（first_month）晚于结束月份（last_month）")
        return self

    @property
    def months(self) -> range:
        return range(self.first_month, self.last_month + 1)


class SingleComponent(Frozen):
    """One score per unit from one column of one sheet (e.g. 日常考核!工作表现)."""

    kind: Literal["single"]
    id: str
    name: str
    weight: NonNegative
    sheet: str
    column: str
    max: Positive = Fraction(100)


class RatingsComponent(Frozen):
    """Ratings by respondents (服务对象评价, 领导评价): the mean of their 0…max scores."""

    kind: Literal["ratings"]
    id: str
    name: str
    weight: NonNegative
    sheet: str
    max: Positive = Fraction(100)
    expected_respondents: int | None = Field(default=None, ge=1)


Component = Annotated[
    IndicatorsComponent | MonthlyComponent | SingleComponent | RatingsComponent,
    Field(discriminator="kind"),
]
