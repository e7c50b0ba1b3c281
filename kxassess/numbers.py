"""Exact arithmetic helpers: fractions inside, half-up decimals at publication."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def round_half_up_int(value: Fraction) -> int:
    """Nearest integer; a half goes away from zero (ROUND_HALF_UP), computed exactly."""
    return _half_up(value.numerator, value.denominator)


def _half_up(numerator: int, denominator: int) -> int:
    """round_half_up(numerator / denominator) for denominator > 0, in integers only."""
    whole, rest = divmod(abs(numerator), denominator)
    if 2 * rest >= denominator:
        whole += 1
    return -whole if numerator < 0 else whole


def round2(value: Fraction) -> Decimal:
    """Round half-up to 2 decimals, exactly (no binary floating point on the way)."""
    hundredths = _half_up(value.numerator * 100, value.denominator)
    return (Decimal(hundredths) * CENT).quantize(CENT)


def quota(fraction: Fraction, n: int) -> int:
    """k = round_half_up(fraction × n)."""
    return round_half_up_int(fraction * n)


def fmt2(value: Decimal | None) -> str:
    """Text of a published number, always with two decimals."""
    return "" if value is None else f"{value:.2f}"


def as_decimal(value: Fraction) -> Decimal:
    """A fraction as a Decimal for display (inputs are decimals, so this is exact for them)."""
    return Decimal(value.numerator) / Decimal(value.denominator)
