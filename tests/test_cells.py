from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from kxassess.reading.cells import NotANumber, cell_ref, col_letter, norm_text, parse_number


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (8, Fraction(8)),
        (8.5, Fraction(17, 2)),
        (8.0, Fraction(8)),
        ("8", Fraction(8)),
        ("８", Fraction(8)),
        ("８．５", Fraction(17, 2)),
        (" 8分 ", Fraction(8)),
        ("8.0", Fraction(8)),
        ("8 分", Fraction(8)),
        ("0.1", Fraction(1, 10)),
        (0.1, Fraction(1, 10)),  # the float's shortest repr, not its binary value
        ("-2", Fraction(-2)),
    ],
)
def test_numbers_as_typed(raw: object, value: Fraction) -> None:
    assert parse_number(raw) == value


@pytest.mark.parametrize("raw", [None, "", "  ", "—", "-", "/", "－", "／"])
def test_no_score_marks(raw: object) -> None:
    assert parse_number(raw) is None


@pytest.mark.parametrize("raw", ["优", "8..5", "八", "8/10", "#DIV/0!", True, dt.date(2024, 1, 1)])
def test_not_a_number(raw: object) -> None:
    with pytest.raises(NotANumber):
        parse_number(raw)


def test_norm_text_full_width_and_spaces() -> None:
    assert norm_text(" 单位 名称 ") == "单位名称"
    assert norm_text("ＪＳ００１") == "JS001"
    assert norm_text(2024.0) == "2024"


def test_cell_refs() -> None:
    assert col_letter(0) == "A"
    assert col_letter(25) == "Z"
    assert col_letter(26) == "AA"
    assert cell_ref(16, 5) == "F17"
