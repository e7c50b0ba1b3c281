"""No silent wrong result: error values, no-score marks, sheet names, judges."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from kxassess import api
from kxassess.catalogue import grading
from kxassess.reading.cells import NO_SCORE, is_no_score
from kxassess.result import ScoreResult

from .conftest import CASES, INDICATORS, js_year

FULL = [15] * 10 + [5, 5, 5]
UNITS = [("U1", "一号学会", "一类", ""), ("U2", "二号学会", "一类", "")]


def run(path: Path, **kw: object) -> ScoreResult:
    return api.score(path, api.ScoreOptions(write=False, **kw))  # type: ignore[arg-type]


# grading notes and the notice's honour targets (一流学会 20, 争先进位学会 10)
NOT_INPUT = {*grading.CODES, "honour-target"}


def found(result: ScoreResult) -> list[tuple[str, str]]:
    """(code, source) of every issue but the grading notes."""
    return [(i.code, i.source) for i in result.issues if i.code not in NOT_INPUT]


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


def two_judges(**extra: object) -> dict[str, list[list[object]]]:
    sheets = js_year(UNITS, {"U1": FULL, "U2": FULL})
    sheets["评分-专家乙"] = [
        ["单位编码", "单位名称", *INDICATORS],
        ["U1", "", *([10] * 10 + [4, 4, 4])],
        ["U2", "", *([12] * 10 + [3, 3, 3])],
    ]
    return sheets  # type: ignore[return-value]


def totals(result: ScoreResult) -> dict[str, object]:
    return {u.code: u.total for u in result.units}


@pytest.mark.parametrize("name", ["评分－专家乙", "评分 - 专家乙", "评分—专家乙", "评分 – 专家乙"])
def test_dashes_and_spaces_in_judge_sheet_names(make_book: Callable[..., Path], name: str) -> None:
    clean = run(make_book(two_judges(), "clean.xlsx"))
    sheets = two_judges()
    sheets[name] = sheets.pop("评分-专家乙")
    result = run(make_book(sheets))
    assert result.ok and totals(result) == totals(clean)
    assert found(result) == []


def test_score_table_under_another_name_is_an_error(make_book: Callable[..., Path]) -> None:
    sheets = two_judges()
    sheets["Sheet1"] = sheets.pop("评分-专家乙")
    result = run(make_book(sheets))
    assert not result.ok
    assert ("unmatched-score-sheet", "2024.xlsx!Sheet1") in found(result)
    sheets["评分专家乙"] = sheets.pop("Sheet1")
    result = run(make_book(sheets, "b.xlsx"))
    issue = next(i for i in result.issues if i.code == "unmatched-score-sheet")
    assert "是否应为「评分-专家乙」？" in issue.message


def hide(path: Path, sheet: str, state: str = "hidden") -> Path:
    wb = openpyxl.load_workbook(path)
    wb[sheet].sheet_state = state
    wb.save(path)
    return path


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheet_is_never_read(make_book: Callable[..., Path], state: str) -> None:
    clean = run(make_book(js_year(UNITS, {"U1": FULL, "U2": FULL}), "clean.xlsx"))
    sheets = two_judges()
    sheets["评分-陈静(旧)"] = sheets.pop("评分-专家乙")
    result = run(hide(make_book(sheets), "评分-陈静(旧)", state))
    assert result.ok and totals(result) == totals(clean)
    assert found(result) == [("hidden-sheet", "2024.xlsx!评分-陈静(旧)")]
    assert result.issues[0].message == "隐藏工作表「评分-陈静(旧)」未读取"


def test_hidden_sheet_as_only_source_is_an_error(make_book: Callable[..., Path]) -> None:
    result = run(hide(make_book(two_judges()), "考核对象"))
    assert found(result) == [
        ("hidden-sheet", "2024.xlsx!考核对象"),
        ("missing-sheet", "2024.xlsx"),
    ]
    assert "隐藏工作表「考核对象」" in result.issues[1].message


def test_panel_both_ways(make_book: Callable[..., Path]) -> None:
    sheets = two_judges()
    sheets["评委"] = [["专家", "评委组"], ["专家甲", ""], ["专家乙", ""], ["专家丙", ""]]
    result = run(make_book(sheets))
    assert found(result) == [("judge-without-scores", "2024.xlsx!评委!A4")]
    assert "专家丙" in result.issues[0].message
    sheets["评委"] = [["专家"], ["专家甲"]]
    result = run(make_book(sheets, "b.xlsx"))
    assert found(result) == [("judge-not-listed", "b.xlsx!评分-专家乙")]
    assert "专家乙" in result.issues[0].message


def test_judge_row_deleted(make_book: Callable[..., Path]) -> None:
    sheets = two_judges()
    del sheets["评分-专家乙"][2]  # 专家乙 lost U2's row
    path = make_book(sheets)
    result = run(path)
    assert found(result) == [("judge-missing-unit", "2024.xlsx!评分-专家乙")]
    message = result.issues[0].message
    assert "专家乙" in message and "U2" in message and "评分-专家乙" in message
    provisional = run(path, allow_missing=True)
    assert provisional.ok
    assert found(provisional) == [("judge-missing-unit-provisional", "2024.xlsx!评分-专家乙")]


def test_declared_assignment(make_book: Callable[..., Path]) -> None:
    sheets = two_judges()
    del sheets["评分-专家乙"][2]
    sheets["评委"] = [["专家", "评审范围"], ["专家甲", ""], ["专家乙", "U1"]]
    assert found(run(make_book(sheets))) == []
    # scope by indicators: 专家乙 scores only 创新 (C1–C3) of every unit
    sheets = two_judges()
    sheets["评分-专家乙"] = [
        ["单位编码", "C1", "C2", "C3"],
        ["U1", 4, 4, 4],
        ["U2", 3, 3, 3],
    ]
    sheets["评委"] = [["专家", "评审范围"], ["专家甲", ""], ["专家乙", "C1、C2、C3"]]
    assert found(run(make_book(sheets, "b.xlsx"))) == []
    sheets["评委"] = [["专家", "评审范围"], ["专家甲", ""], ["专家乙", "创新、X9"]]
    assert found(run(make_book(sheets, "c.xlsx"))) == [("bad-scope", "c.xlsx!评委!B3")]


def test_long_form_under_another_name_is_an_error(make_book: Callable[..., Path]) -> None:
    sheets = js_year(UNITS, {"U1": FULL, "U2": FULL})
    sheets["评分明细"] = [["专家", "单位编码", "指标", "得分"], ["乙", "U1", "A1", 5]]
    result = run(make_book(sheets))
    assert found(result) == [("unmatched-score-sheet", "2024.xlsx!评分明细")]


def test_hidden_judge_sheets_as_only_scores(make_book: Callable[..., Path]) -> None:
    result = run(hide(make_book(js_year(UNITS, {"U1": FULL, "U2": FULL})), "评分-专家甲"))
    assert found(result) == [
        ("hidden-sheet", "2024.xlsx!评分-专家甲"),
        ("missing-scores", "2024.xlsx"),
    ]
    assert "隐藏工作表「评分-专家甲」" in result.issues[1].message


def test_cli_exits_1_naming_the_error_cell(make_book: Callable[..., Path], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kxassess.cli import app

    path = set_error(make_book(js_year(UNITS, {"U1": FULL, "U2": FULL})), "学会网月报", "F2")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["score", str(path), "--out", str(out), "--no-registry"])
    assert result.exit_code == 1
    assert "2024.xlsx!学会网月报!F2" in result.output + result.stderr
    assert "#DIV/0!" in result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr


def ods_year(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """The year as an ods; a cell holding "ERR" becomes an error cell as LibreOffice writes
    it (calamine would read it as blank)."""
    import re
    import zipfile

    import pandas as pd

    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, header=False, index=False)
    with zipfile.ZipFile(path) as zin:
        members = {i.filename: zin.read(i) for i in zin.infolist()}
    error = (
        '<table:table-cell table:formula="of:=1/0" office:value-type="string" '
        'office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>'
        "</table:table-cell>"
    )
    content = members["content.xml"].decode()
    if "xmlns:calcext" not in content:
        content = content.replace(
            "<office:document-content ",
            '<office:document-content xmlns:calcext="urn:org:documentfoundation:names:'
            'experimental:calc:xmlns:calcext:1.0" ',
            1,
        )
    content = re.sub(
        r"<table:table-cell[^>]*><text:p>ERR</text:p></table:table-cell>", error, content
    )
    members["content.xml"] = content.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members.items():
            zout.writestr(name, data)
    return path


def test_error_value_in_an_ods_workbook(tmp_path: Path) -> None:
    sheets = js_year(UNITS, {"U1": FULL, "U2": FULL})
    sheets["学会网月报"][2][5] = "ERR"  # U2's 5月 → F3
    path = ods_year(tmp_path / "2024.ods", sheets)  # type: ignore[arg-type]
    result = run(path)
    assert found(result) == [("error-value", "2024.ods!学会网月报!F3")]


def test_error_value_in_an_xls_workbook(tmp_path: Path) -> None:
    import xlwt

    sheets = js_year(UNITS, {"U1": FULL, "U2": FULL})
    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        ws = book.add_sheet(name)
        errors = {("评分-专家甲", 1, 4): "#DIV/0!", ("日常考核", 2, 1): "#N/A!"}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if (name, r, c) in errors:  # U1's A3 → E2; U2's 工作表现 → B3
                    ws.row(r).set_cell_error(c, errors[(name, r, c)])
                elif value is not None:
                    ws.write(r, c, value)
    path = tmp_path / "2024.xls"
    book.save(str(path))
    result = run(path)
    assert found(result) == [
        ("error-value", "2024.xls!评分-专家甲!E2"),
        ("error-value", "2024.xls!日常考核!B3"),
    ]


def test_two_sheets_for_one_judge(make_book: Callable[..., Path]) -> None:
    sheets = two_judges()
    sheets["评分－专家乙"] = sheets["评分-专家乙"]
    result = run(make_book(sheets))
    assert found(result) == [("duplicate-judge-sheet", "2024.xlsx!评分－专家乙")]


def test_judge_in_long_form_and_own_sheet_is_one_error(tmp_path: Path) -> None:
    """赵一 scores S01 in 专家评分 and again in a sheet 评分-赵一: an error naming both places,
    never a crash (this once raised a KeyError)."""
    path = tmp_path / "2024.xlsx"
    wb = openpyxl.load_workbook(CASES / "small-year" / "input.xlsx")
    ws = wb.create_sheet("评分-赵一")
    ws.append(["单位编码", "单位名称", *INDICATORS])
    ws.append(["S01", "甲学会", *([15] * 10 + [7, 7, 7])])
    wb.save(path)
    result = run(path)
    assert not result.ok
    errors = [(i.code, i.source) for i in result.issues if i.is_error]
    assert ("duplicate-row", "2024.xlsx!评分-赵一!A2") in errors
    [dup] = [i for i in result.issues if i.code == "duplicate-row"]
    assert "2024.xlsx!专家评分!" in dup.message


def test_assignment_declared_by_the_scheme(make_book: Callable[..., Path], tmp_path: Path) -> None:
    """The scheme file may declare what a judge (or a 评委组) scores, as the 评委 sheet's
    评审范围 does: 专家乙 scores only 创新 (C1–C3), so the other indicators are not missing."""
    builtin = Path(api.__file__).parent / "scheme" / "builtin" / "js-2024-society.yaml"
    scheme = tmp_path / "js-scoped.yaml"
    scheme.write_text(
        builtin.read_text(encoding="utf-8") + "\nreview_scope:\n  专家乙: 创新\n", encoding="utf-8"
    )
    sheets = two_judges()
    sheets["评分-专家乙"] = [["单位编码", "C1", "C2", "C3"], ["U1", 4, 4, 4], ["U2", 3, 3, 3]]
    scoped = run(make_book(sheets), scheme=str(scheme))
    assert scoped.ok and found(scoped) == []
    # without the declaration 专家乙 misses A1…B5 of both units: 20 errors naming the judge
    unscoped = run(make_book(sheets, "b.xlsx"))
    errors = [i for i in unscoped.issues if i.is_error]
    assert {(i.code, i.source) for i in errors} == {("missing-score", "b.xlsx!评分-专家乙")}
    assert len(errors) == 2 * 10 and all("专家「专家乙」" in i.message for i in errors)
