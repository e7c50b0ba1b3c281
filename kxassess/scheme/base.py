"""Shared pieces of the scheme models: exact numbers and frozen, strict models."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer


class SchemeKind(StrEnum):
    """What a scheme assesses, and so which path a run takes (:mod:`kxassess.kinds`):
    units ranked and graded (考核), or a project programme's applications (项目计划)."""

    RANKING = "ranking"
    PROGRAMME = "programme"


def _exact(value: object) -> Fraction:
    if isinstance(value, bool):
        raise ValueError("应为数字，不是 是/否（true/false）")
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
    raise ValueError(f"应为数字，如 0.8、80% 或 1/3，现为「{value}」")


Exact = Annotated[
    Fraction,
    BeforeValidator(_exact),
    PlainSerializer(lambda f: str(f), return_type=str),
]


def _n(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{(Decimal(value.numerator) / Decimal(value.denominator)).normalize():f}"


def _positive(value: Fraction) -> Fraction:
    if value <= 0:
        raise ValueError(f"须大于0，现为 {_n(value)}")
    return value


def _not_negative(value: Fraction) -> Fraction:
    if value < 0:
        raise ValueError(f"不能为负数，现为 {_n(value)}")
    return value


def _share(value: Fraction) -> Fraction:
    if not 0 < value <= 1:
        raise ValueError(f"须大于0且不超过1（如 30%、1/3），现为 {_n(value)}")
    return value


Positive = Annotated[Exact, AfterValidator(_positive)]
"""A maximum, a rate, a 满分: an impossible value (0 or below) is refused."""
NonNegative = Annotated[Exact, AfterValidator(_not_negative)]
"""A weight, a cap, a threshold: negative values are refused."""
Share = Annotated[Exact, AfterValidator(_share)]
"""A fraction of a group (quota, move, honour): 0 < value ≤ 1."""


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Notice(Frozen):
    """The 公示: how many working days, and whom to contact with an objection; the 结果通报's
    红头 (``organ``, printed in red over a red rule) and 文号 (``doc_number``), if any."""

    days: int = Field(default=5, ge=1)
    department: str = ""
    contact: str = ""
    phone: str = ""
    organ: str = ""
    doc_number: str = ""
