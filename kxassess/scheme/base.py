"""Shared pieces of the scheme models: exact numbers and frozen, strict models."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer


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


class Notice(Frozen):
    """The 公示: how many working days, and whom to contact with an objection; the 结果通报's
    红头 (``organ``, printed in red over a red rule) and 文号 (``doc_number``), if any."""

    days: int = Field(default=5, ge=1)
    department: str = ""
    contact: str = ""
    phone: str = ""
    organ: str = ""
    doc_number: str = ""
