"""Bad input: every problem found at once, each named by file, sheet and cell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from kxassess import api
from kxassess.catalogue import grading
from kxassess.result import ScoreResult

from .conftest import INDICATORS, js_year

FULL = [15] * 10 + [5, 5, 5]
UNITS = [("U1", "一号学会", "一类", ""), ("U2", "二号学会", "一类", "")]


def issues_of(result: ScoreResult) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for i in result.issues:
        out.setdefault(i.code, []).append((i.source, i.message))
    return out


def input_issues(result: ScoreResult) -> list[str]:
    """Codes of the input problems (grading notes about bands and moves left out)."""
    return [i.code for i in result.issues if i.code not in grading.CODES]


def run(path: Path, **kw: object) -> ScoreResult:
    return api.score(path, api.ScoreOptions(write=False, **kw))  # type: ignore[arg-type]


def test_clean_year_has_no_issue(make_book: Callable[..., Path]) -> None:
    result = run(make_book(js_year(UNITS, {"U1": FULL, "U2": FULL})))
    # Only the notice's targets (20 一流学会, 10 争先进位学会) differ from two units' results.
    assert result.ok and input_issues(result) == ["honour-target"] * 2
    assert [u.total for u in result.units] == [result.units[0].total] * 2


def test_all_cell_problems_reported_together(make_book: Callable[..., Path]) -> None:
    bad = list(FULL)
    bad[0] = 21  # A1 above its max 20 → cell C2 of 评分-专家甲
    bad[1] = -1  # A2 below 0 → D2
    bad[2] = "良好"  # A3 text → E2
    bad[12] = None  # C3 left blank → O2 (the judge scored U1 on other indicators)
    sheets = js_year([*UNITS, ("U3", "三号学会", "一类", "")], {"U1": bad, "U2": FULL, "X9": FULL})
    result = run(make_book(sheets))
    found = issues_of(result)
    assert not result.ok and result.units == ()
    assert found["above-max"][0][0] == "2024.xlsx!评分-专家甲!C2"
    assert "满分 20" in found["above-max"][0][1]
    assert found["below-zero"][0][0] == "2024.xlsx!评分-专家甲!D2"
    assert found["not-a-number"][0][0] == "2024.xlsx!评分-专家甲!E2"
    assert "良好" in found["not-a-number"][0][1]
    assert found["unknown-unit"][0][0] == "2024.xlsx!评分-专家甲!A4"
    missing = [src for src, _ in found["missing-score"]]
    assert "2024.xlsx!评分-专家甲!O2" in missing  # U1's blank C3
    assert "2024.xlsx!考核对象!A4" in missing  # U3: no judge scored it at all


def test_long_form_problems(make_book: Callable[..., Path]) -> None:
    sheets = js_year(UNITS, {})
    del sheets["评分-专家甲"]
    rows: list[list[object]] = [["得分", "指标", "单位编码", "专家"]]  # columns in any order
    for code in ("U1", "U2"):
        rows += [[10, ind, code, "专家乙"] for ind in INDICATORS]
    rows.append([10, "A1", "U1", "专家乙"])  # duplicate of row 2
    rows.append([5, "Z9", "U1", "专家乙"])  # unknown indicator
    sheets["专家评分"] = rows
    found = issues_of(run(make_book(sheets)))
    assert found["duplicate-score"][0][0] == "2024.xlsx!专家评分!A28"
    assert "2024.xlsx!专家评分!A2" in found["duplicate-score"][0][1]
    assert found["unknown-indicator"][0][0] == "2024.xlsx!专家评分!B29"


def test_long_form_continues_on_more_sheets(make_book: Callable[..., Path]) -> None:
    sheets = js_year(UNITS, {})
    del sheets["评分-专家甲"]
    head = ["专家", "单位编码", "指标", "得分"]
    sheets["专家评分"] = [head, *[["专家乙", "U1", ind, 10] for ind in INDICATORS]]
    sheets["专家评分2"] = [head, *[["专家乙", "U2", ind, 10] for ind in INDICATORS]]
    result = run(make_book(sheets))
    assert result.ok, result.issues
    assert len([u for u in result.units if u.total is not None]) == 2


def test_allow_missing_scores_zero_with_warning(make_book: Callable[..., Path]) -> None:
    partial = list(FULL)
    partial[12] = None
    path = make_book(js_year(UNITS, {"U1": partial, "U2": FULL}))
    assert not run(path).ok
    result = run(path, allow_missing=True)
    assert result.ok
    warn = [i for i in result.issues if i.code == "missing-score-provisional"]
    assert warn and warn[0].severity == "warning" and warn[0].source.endswith("!O2")
    by_code = {u.code: u for u in result.units}
    u1, u2 = by_code["U1"], by_code["U2"]
    # C3 counted as 0 instead of 5: centralized lower by 5 (the 创新 cap is 20, Σ 10 vs 15)
    assert u2.components and u1.components
    assert u2.components["centralized"] - u1.components["centralized"] == 5


def test_tier_problems(make_book: Callable[..., Path]) -> None:
    units = [("U1", "一号学会", "", ""), ("U2", "二号学会", "五类", ""), ("U2", "重复", "一类", "")]
    found = issues_of(run(make_book(js_year(units, {"U1": FULL, "U2": FULL}))))
    assert found["missing-tier"][0][0] == "2024.xlsx!考核对象!C2"
    assert found["bad-tier"][0][0] == "2024.xlsx!考核对象!C3"
    assert found["duplicate-unit"][0][0] == "2024.xlsx!考核对象!A4"


def test_unknown_scheme_lists_builtins(make_book: Callable[..., Path]) -> None:
    sheets = js_year(UNITS, {"U1": FULL, "U2": FULL})
    sheets["考核设置"] = [["项目", "值"], ["方案", "js-2023-society"], ["年度", 2024]]
    found = issues_of(run(make_book(sheets)))
    source, message = found["unknown-scheme"][0]
    assert source == "2024.xlsx!考核设置!B2"
    assert "js-2024-society" in message


def test_scheme_option_overrides_workbook(make_book: Callable[..., Path]) -> None:
    sheets = js_year(UNITS, {"U1": FULL, "U2": FULL})
    sheets["考核设置"] = [["项目", "值"], ["方案", "nonsense"], ["年度", 2024]]
    assert run(make_book(sheets), scheme="js-2024-society").ok


def test_out_of_range_month_and_missing_performance(make_book: Callable[..., Path]) -> None:
    sheets = js_year(UNITS, {"U1": FULL, "U2": FULL}, perf={"U2": None})
    sheets["学会网月报"][1][5] = 101  # U1 5月 → cell F2
    found = issues_of(run(make_book(sheets)))
    assert found["out-of-range"][0][0] == "2024.xlsx!学会网月报!F2"
    assert found["missing-score"][0][0] == "2024.xlsx!日常考核!B3"


def test_missing_sheets_and_columns(make_book: Callable[..., Path]) -> None:
    sheets = js_year(UNITS, {"U1": FULL, "U2": FULL})
    del sheets["日常考核"]
    sheets["学会网月报"] = [["编码", "3月"], ["U1", 90]]
    found = issues_of(run(make_book(sheets)))
    assert "日常考核" in found["missing-sheet"][0][1]
    assert found["missing-columns"][0][0] == "2024.xlsx!学会网月报"  # no header row at all
    assert "单位编码" in found["missing-columns"][0][1]


def test_formula_without_cached_value(tmp_path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in js_year(UNITS, {"U1": FULL, "U2": FULL}).items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    wb["日常考核"]["B2"] = "=80+5"  # openpyxl stores no cached value
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    found = issues_of(run(path))
    source, message = found["formula-no-value"][0]
    assert source == "formula.xlsx!日常考核!B2"
    assert "从未计算" in message


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("just text", encoding="utf-8")
    result = run(path)
    assert not result.ok
    assert result.issues[0].code == "unreadable"
    assert result.issues[0].source == "notes.xlsx"


def test_scores_for_absent_unit_ignored_with_warning(make_book: Callable[..., Path]) -> None:
    units = [*UNITS, ("U3", "三号学会", "一类", "否")]
    result = run(make_book(js_year(units, {"U1": FULL, "U2": FULL, "U3": FULL})))
    assert result.ok
    assert [c for c in input_issues(result) if c != "honour-target"] == ["score-for-nonparticipant"]
    u3 = next(u for u in result.units if u.code == "U3")
    assert u3.status == "absent" and u3.total is None


def test_input_never_modified(make_book: Callable[..., Path], tmp_path: Path) -> None:
    path = make_book(js_year(UNITS, {"U1": FULL, "U2": FULL}))
    before = path.read_bytes()
    api.score(path, api.ScoreOptions(out=tmp_path / "out"))
    assert path.read_bytes() == before
