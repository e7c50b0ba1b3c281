from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from kxassess.numbers import quota, round2, round_half_up_int


def test_round2_half_up() -> None:
    assert round2(Fraction("2.675")) == Decimal("2.68")  # a float would give 2.67
    assert round2(Fraction("2.665")) == Decimal("2.67")
    assert round2(Fraction(155, 3)) == Decimal("51.67")
    assert round2(Fraction("-0.005")) == Decimal("-0.01")
    assert str(round2(Fraction(101))) == "101.00"


def test_quota_round_half_up() -> None:
    assert quota(Fraction(3, 10), 5) == 2  # 1.5 → 2
    assert quota(Fraction(3, 10), 1) == 0
    assert quota(Fraction(1, 3), 2) == 1
    assert quota(Fraction(1, 3), 1) == 0
    assert quota(Fraction(2, 5), 10) == 4


@given(st.fractions(min_value=0, max_value=1000))
def test_round_half_up_int_is_nearest(value: Fraction) -> None:
    k = round_half_up_int(value)
    assert abs(value - k) <= Fraction(1, 2)
    if abs(value - k) == Fraction(1, 2):
        assert k > value  # halves go up
