"""Help for the typical mistake (a misspelt sheet or code, merged 类别, signature rows)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl

from kxassess import api
from kxassess.catalogue import grading
from kxassess.result import ScoreResult

from .conftest import js_year

FULL = [15] * 10 + [5, 5, 5]
UNITS = [
    ("U1", "一号学会", "一类", ""),
    ("U2", "二号学会", "一类", ""),
    ("U3", "三号学会", "二类", ""),
]
SCORES = {"U1": FULL, "U2": FULL, "U3": FULL}


def run(path: Path) -> ScoreResult:
    return api.score(path, api.ScoreOptions(write=False))


# grading notes and the notice's honour targets (一流学会 20, 争先进位学会 10)
NOT_INPUT = {*grading.CODES, "honour-target"}


def found(result: ScoreResult) -> list[tuple[str, str]]:
    return [(i.code, i.source) for i in result.issues if i.code not in NOT_INPUT]


def test_misspelt_roster_sheet_is_one_error(make_book: Callable[..., Path]) -> None:
    sheets = js_year(UNITS, SCORES)
    sheets["考核对像"] = sheets.pop("考核对象")
    result = run(make_book(sheets))
    assert found(result) == [("missing-sheet", "2024.xlsx")]
    assert result.issues[0].message == "工作簿中没有工作表「考核对象」，是否为「考核对像」？"


def test_misspelt_component_sheet(make_book: Callable[..., Path]) -> None:
    sheets = js_year(UNITS, SCORES)
    sheets["学会网月报表"] = sheets.pop("学会网月报")
    result = run(make_book(sheets))
    assert found(result) == [("missing-sheet", "2024.xlsx")]
    assert "是否为「学会网月报表」？" in result.issues[0].message


def test_unknown_code_gets_the_closest_roster_code(make_book: Callable[..., Path]) -> None:
    sheets = js_year(UNITS, {**SCORES, "U33": FULL})
    result = run(make_book(sheets))
    assert found(result) == [("unknown-unit", "2024.xlsx!评分-专家甲!A5")]
    assert result.issues[0].message == "单位编码「U33」不在考核对象名单中，是否为「U3 三号学会」？"


def test_signature_rows_end_the_table(make_book: Callable[..., Path]) -> None:
    sheets = js_year(UNITS, SCORES)
    judge = list(sheets["评分-专家甲"])
    sheets["评分-专家甲"] = [*judge, [], ["专家签名：", "", "张三"], ["日期：", "2024-12-01"]]
    result = run(make_book(sheets))
    assert result.ok and found(result) == []


def test_merged_tier_cells_read_as_filled(make_book: Callable[..., Path]) -> None:
    units = [
        ("U1", "一号学会", "一类", ""),
        ("U2", "二号学会", None, ""),
        ("U3", "三号学会", "二类", ""),
    ]
    path = make_book(js_year(units, SCORES))  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(path)
    wb["考核对象"].merge_cells("C2:C3")
    wb.save(path)
    result = run(path)
    assert result.ok
    assert found(result) == [("merged-tier", "2024.xlsx!考核对象!C2:C3")]
    assert "「一类」" in result.issues[0].message
    assert {u.code: u.tier for u in result.units} == {"U1": "一类", "U2": "一类", "U3": "二类"}
