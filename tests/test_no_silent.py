"""No silent wrong result (SPEC §4): error values, no-score marks, sheet names, judges."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from kxassess import api
from kxassess.catalogue import grading
from kxassess.reading.cells import NO_SCORE, is_no_score
from kxassess.result import ScoreResult

from .conftest import INDICATORS, js_year

FULL = [15] * 10 + [5, 5, 5]
UNITS = [("U1", "一号学会", "一类", ""), ("U2", "二号学会", "一类", "")]


def run(path: Path, **kw: object) -> ScoreResult:
    return api.score(path, api.ScoreOptions(write=False, **kw))  # type: ignore[arg-type]


def found(result: ScoreResult) -> list[tuple[str, str]]:
    """(code, source) of every issue but the grading notes."""
    return [(i.code, i.source) for i in result.issues if i.code not in grading.CODES]


def set_error(path: Path, sheet: str, ref: str, value: str = "#DIV/0!") -> Path:
    """Make ``ref`` hold an Excel error value, as Excel writes it (t="e")."""
    wb = openpyxl.load_workbook(path)
    cell = wb[sheet][ref]
    cell.value = value
    cell.data_type = "e"
    wb.save(path)
    return path


def test_marks_are_one_set() -> None:
    for mark in ("", "—", "——", "-", "/", "无", " － ", "／", None):
        assert is_no_score(mark), mark
    assert not is_no_score("#N/A") and not is_no_score(0) and not is_no_score("0")
    assert "无" in NO_SCORE and "——" in NO_SCORE


@pytest.mark.parametrize(
    ("sheet", "ref"),
    [
        ("评分-专家甲", "C2"),  # A1 of U1 in the judge's sheet
        ("学会网月报", "F2"),  # 5月 of U1
        ("日常考核", "B3"),  # 工作表现 of U2
    ],
)
@pytest.mark.parametrize("value", ["#DIV/0!", "#N/A", "#VALUE!"])
def test_error_value_is_an_error_naming_the_cell(
    make_book: Callable[..., Path], sheet: str, ref: str, value: str
) -> None:
    path = set_error(make_book(js_year(UNITS, {"U1": FULL, "U2": FULL})), sheet, ref, value)
    result = run(path)
    assert not result.ok
    assert found(result) == [("error-value", f"2024.xlsx!{sheet}!{ref}")]
    assert value in result.issues[0].message


def test_error_value_in_long_form_and_self(make_book: Callable[..., Path]) -> None:
    sheets = js_year(UNITS, {})
    del sheets["评分-专家甲"]
    sheets["专家评分"] = [
        ["专家", "单位编码", "指标", "得分"],
        *[["甲", u, code, 5] for u in ("U1", "U2") for code in INDICATORS],
    ]
    sheets["自评"] = [["单位编码", "指标", "自评分"], ["U1", "A1", 10]]
    path = make_book(sheets)
    set_error(path, "专家评分", "D3", "#N/A")
    set_error(path, "自评", "C2", "#REF!")
    assert found(run(path)) == [
        ("error-value", "2024.xlsx!专家评分!D3"),
        ("error-value", "2024.xlsx!自评!C2"),
    ]


@pytest.mark.parametrize("mark", ["——", "—", "/", "无", ""])
def test_no_score_in_a_one_value_component_is_missing(
    make_book: Callable[..., Path], mark: str
) -> None:
    path = make_book(js_year(UNITS, {"U1": FULL, "U2": FULL}, perf={"U2": mark or None}))
    result = run(path)
    assert found(result) == [("missing-score", "2024.xlsx!日常考核!B3")]
    provisional = run(path, allow_missing=True)
    assert provisional.ok
    assert [u.components["performance"] for u in provisional.units if u.code == "U2"] == [0]


def test_year_differs_from_scheme(make_book: Callable[..., Path]) -> None:
    sheets = js_year(UNITS, {"U1": FULL, "U2": FULL})
    sheets["考核设置"] = [["项目", "值"], ["方案", "js-2024-society"], ["年度", 2025]]
    result = run(make_book(sheets))
    assert result.ok and result.year == 2025
    assert found(result) == [("year-mismatch", "2024.xlsx!考核设置!B3")]
    message = result.issues[0].message
    assert "2025" in message and "《2024年度省科协所属学会高质量发展考核实施办法》" in message
