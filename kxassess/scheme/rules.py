"""Scheme rules that sit beside the scoring core: marked defaults, deadlines, the pass line,
how progress (进步显著) is read, and count thresholds of an indicator."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from kxassess.scheme.base import Exact, Frozen

DEFAULT_MARK = "原文未规定，默认"
"""How every output marks a value the notice does not state."""


class Default(Frozen):
    """A value the source notice does not state, chosen by this scheme (shown marked
    「原文未规定，默认」 by ``scheme show``, the results workbook and the README)."""

    rule: str
    value: str


class Step(Frozen):
    """One threshold of a counted indicator: a count (or value) of at least ``at_least``
    earns ``points`` (「3次以上得满分」, 「≥600 3分」)."""

    at_least: Exact = Field(ge=0)
    points: Exact = Field(ge=0)


class Deadline(Frozen):
    """A date by which units hand something in, read from a column of 考核对象 (blank =
    not known, no check). ``consequence``: ``warning`` only, or ``absent`` — the unit is
    not assessed (「未报送单位不参加本次考核」, 视为未参与评价)."""

    what: str
    date: date
    column: str = "提交日期"
    consequence: Literal["warning", "absent"] = "warning"
    stated: bool = Field(default=True, description="the notice states this date")


class Progress(Frozen):
    """How 进步显著 (争先进位) is read: ``promoted`` this year; ``rank`` — ranked at least
    ``places`` places better than last year within the same tier; ``both`` — either."""

    reading: Literal["promoted", "rank", "both"] = "promoted"
    places: int = Field(default=1, ge=1)


class PassMark(Frozen):
    """A 合格 line: a scored unit whose total is below ``min`` is 不合格 and gets
    ``fail_flags`` (e.g. 动态管理: funding adjusted or stopped)."""

    min: Exact = Field(ge=0)
    label: str = "合格"
    fail_flags: tuple[str, ...] = ()
