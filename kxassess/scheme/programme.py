"""Project programmes (项目计划) such as the Suzhou capacity programme: applications per
category pass hard eligibility gates, are reviewed by experts, and the best are awarded
within their category. A programme scheme file says ``kind: programme``."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Literal

from pydantic import Field, model_validator

from kxassess.scheme.base import NonNegative, Positive, SchemeKind
from kxassess.scheme.components import duplicates
from kxassess.scheme.flags import require_labels
from kxassess.scheme.model import Aggregation, Exact, Frozen, SchemeHeader

STAGES = ("申报", "预立项", "项目实施", "绩效评审", "公示发文", "表彰奖补")


class Gate(Frozen):
    """A hard eligibility condition on a column of sheet 申报: ``affirmed`` (the cell says
    是), ``date_by`` (a date no later than ``date``), ``at_least`` (a number ≥ ``value``),
    ``rating_at_least`` (a rating such as 3A ≥ ``value``, still valid by the expiry date in
    ``valid_column``). ``stage`` is where it is checked: 预立项 (at application) or 绩效评审
    (at the performance review)."""

    check: Literal["affirmed", "date_by", "at_least", "rating_at_least"]
    column: str
    reason: str
    date: dt.date | None = None
    value: Exact | str | None = None
    valid_column: str | None = Field(
        default=None, description="rating_at_least: the column with the rating's expiry date"
    )
    stage: Literal["预立项", "绩效评审"] = "预立项"

    @model_validator(mode="after")
    def _needs(self) -> Gate:
        if self.check == "date_by" and self.date is None:
            raise ValueError("截止日期条件（date_by）须写明日期（date）")
        if self.check in ("at_least", "rating_at_least") and self.value is None:
            raise ValueError(f"条件 {self.check} 须写明数值（value）")
        return self


class Category(Frozen):
    """An application category (申报类别). Awards go to the best reviewed applications at
    or above ``pass_score``, at most ``max_awards`` (ties at the boundary all in, with a
    warning)."""

    name: str
    subtypes: tuple[str, ...] = ()
    gates: tuple[Gate, ...] = ()
    max_awards: int | None = Field(default=None, ge=0)


class Priority(Frozen):
    """Preferred applicants (优先支持): flagged, and ahead of equal scores."""

    column: str
    rating_at_least: str
    valid_column: str | None = None
    flag: str = "priority"


class ProgrammeScheme(SchemeHeader):
    kind: Literal[SchemeKind.PROGRAMME]
    gates: tuple[Gate, ...] = ()
    categories: tuple[Category, ...]
    priority: Priority | None = None
    review_max: Positive = Fraction(100)
    aggregation: Aggregation = Aggregation()
    pass_score: NonNegative | None = None

    @model_validator(mode="after")
    def _flags_named(self) -> ProgrammeScheme:
        require_labels((self.priority.flag,) if self.priority else (), self.flag_labels)
        return self

    @model_validator(mode="after")
    def _unique(self) -> ProgrammeScheme:
        names = [c.name for c in self.categories]
        if len(set(names)) != len(names):
            raise ValueError(f"申报类别：名称重复：{'、'.join(duplicates(names))}")
        return self

    def category(self, name: str) -> Category | None:
        return next((c for c in self.categories if c.name == name), None)

    @property
    def gate_columns(self) -> tuple[str, ...]:
        cols = [g.column for g in self.gates] + [g.column for c in self.categories for g in c.gates]
        cols += [g.valid_column for g in self.all_gates() if g.valid_column]
        if self.priority:
            cols.append(self.priority.column)
            if self.priority.valid_column:
                cols.append(self.priority.valid_column)
        return tuple(dict.fromkeys(cols))

    def all_gates(self) -> tuple[Gate, ...]:
        return self.gates + tuple(g for c in self.categories for g in c.gates)
