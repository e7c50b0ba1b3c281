"""审定 (decisions after the 公示) and 异议 (objections): golden cases on small-year.

Formula results (tests/cases/small-year/README.md): 一类 S01 A (一流学会), S02 C (the
bottom 30% of two units rounds to one);
二类 S03 A 升类 (争先进位学会), S04 A, S05 S06 S07 B, S08 C, S09 C 降类 → 三类."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from kxassess import api
from kxassess.result import ScoreResult

from .conftest import CASES

YEAR = CASES / "small-year" / "input.xlsx"
MEETING = "2024年12月28日主席办公会"
HEADER = ["单位编码", "项目", "调整为", "理由", "审批"]


def _with(tmp_path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    path = tmp_path / "2024-审定.xlsx"
    shutil.copy(YEAR, path)
    wb = openpyxl.load_workbook(path)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _score(path: Path, tmp_path: Path) -> ScoreResult:
    return api.score(path, api.ScoreOptions(out=tmp_path / "out", write=False))


@pytest.fixture
def decided(tmp_path: Path) -> ScoreResult:
    rows = [
        HEADER,
        ["S02", "等级", "B", "复核后认定佐证材料属实", MEETING],
        ["S09", "升降", "不变", "年内承办全国学术会议，酌情保留类别", MEETING],
        ["S04", "荣誉", "+争先进位学会", "服务全省重大战略成效突出", MEETING],
        ["S05", "等级", "A", "异议复核后认定", MEETING],
        ["S01", "荣誉", "-一流学会", "年内发生负面舆情", MEETING],
    ]
    result = _score(_with(tmp_path, {"审定": rows}), tmp_path)
    assert result.ok, [i.message for i in result.issues if i.is_error]
    return result


def _unit(result: ScoreResult, code: str) -> dict[str, object]:
    return next(u.to_dict() for u in result.units if u.code == code)


def test_grade_override_rederives_grade_honours_only(decided: ScoreResult) -> None:
    s02 = _unit(decided, "S02")
    assert (s02["grade"], s02["honours"], s02["move"], s02["rank"]) == ("B", ["一流学会"], None, 2)
    assert s02["overrides"] == [
        {
            "field": "grade",
            "from": "C",
            "to": "B",
            "reason": "复核后认定佐证材料属实",
            "approver": MEETING,
        },
        {
            "field": "honours",
            "from": [],
            "to": ["一流学会"],
            "reason": "复核后认定佐证材料属实",
            "approver": MEETING,
        },
    ]
    # 二类 A by decision: no 一流学会 (一类 only), the total and rank stay the formula's
    s05 = _unit(decided, "S05")
    assert (s05["grade"], s05["honours"], s05["total"], s05["rank"]) == ("A", [], 84.4, 3)
    assert [o["field"] for o in s05["overrides"]] == ["grade"]


def test_move_override_changes_next_tier(decided: ScoreResult) -> None:
    s09 = _unit(decided, "S09")
    assert (s09["grade"], s09["move"], s09["next_tier"]) == ("C", None, "二类")
    assert s09["overrides"] == [
        {
            "field": "move",
            "from": "demote",
            "to": None,
            "reason": "年内承办全国学术会议，酌情保留类别",
            "approver": MEETING,
        }
    ]
    # quotas and moves are not re-run: S08 stays C and is not demoted in S09's place
    assert (_unit(decided, "S08")["move"], _unit(decided, "S03")["move"]) == (None, "promote")


def test_honour_added_and_removed(decided: ScoreResult) -> None:
    assert _unit(decided, "S04")["honours"] == ["争先进位学会"]
    assert _unit(decided, "S04")["overrides"][0]["from"] == []
    s01 = _unit(decided, "S01")
    assert (s01["grade"], s01["honours"]) == ("A", [])
    assert s01["overrides"][0]["to"] == [] and s01["overrides"][0]["from"] == ["一流学会"]
    untouched = _unit(decided, "S06")
    assert untouched["overrides"] == [] and untouched["grade"] == "B"


def test_breaking_a_quota_is_a_warning(decided: ScoreResult) -> None:
    quota = [i for i in decided.issues if i.code == "review-breaks-quota"]
    assert [i.message for i in quota] == [
        "审定后一类的B等级为 1 家，多于按比例确定的 0 家",
        "审定后二类的A等级为 3 家，多于按比例确定的 2 家",
    ]
    assert all(not i.is_error for i in quota)


def test_missing_reason_and_approver_are_errors_naming_the_cell(tmp_path: Path) -> None:
    rows = [HEADER, ["S02", "等级", "C", "", MEETING], ["S03", "升降", "不变", "理由", None]]
    result = _score(_with(tmp_path, {"审定": rows}), tmp_path)
    assert not result.ok and not result.units
    errors = [(i.code, i.source) for i in result.issues if i.is_error]
    assert errors == [
        ("review-missing-reason", "2024-审定.xlsx!审定!D2"),
        ("review-missing-approver", "2024-审定.xlsx!审定!E3"),
    ]


def test_bad_values_are_errors_naming_the_cell(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["S02", "等第", "C", "理由", MEETING],
        ["S02", "等级", "D", "理由", MEETING],
        ["S03", "荣誉", "+先进学会", "理由", MEETING],
        ["S99", "升降", "不变", "理由", MEETING],
        ["S04", "升降", "升级", "理由", MEETING],
        ["S10", "等级", "C", "理由", MEETING],
        ["S03", "等级", "B", "理由", MEETING],
        ["S03", "等级", "C", "理由", MEETING],
    ]
    result = _score(_with(tmp_path, {"审定": rows}), tmp_path)
    errors = [(i.code, i.source.split("!", 1)[1]) for i in result.issues if i.is_error]
    assert errors == [
        ("review-unknown-item", "审定!B2"),
        ("review-bad-grade", "审定!C3"),
        ("review-bad-honour", "审定!C4"),
        ("review-unknown-unit", "审定!A5"),
        ("review-bad-move", "审定!C6"),
        ("review-not-scored", "审定!B7"),
        ("review-twice", "审定!B9"),
    ]


def test_pending_objection_is_a_warning(tmp_path: Path) -> None:
    rows = [
        ["单位编码", "异议人", "内容", "处理结果", "处理日期"],
        ["S08", "辛学会", "学会网月报4月得分漏计", "经复核属实，已更正", "2024-12-26"],
        ["S09", "张某", "对日常考核分数有异议", None, None],
    ]
    result = _score(_with(tmp_path, {"异议": rows}), tmp_path)
    assert result.ok
    pending = [i for i in result.issues if i.code == "objection-pending"]
    assert [(i.source.split("!", 1)[1], i.message) for i in pending] == [
        ("异议!D3", "张某 对 S09 的异议尚无处理结果，结果通报还不是最终版本")
    ]


def test_workbook_and_notice_show_the_review(tmp_path: Path) -> None:
    review = [HEADER, ["S02", "等级", "B", "复核后认定佐证材料属实", MEETING]]
    objections = [
        ["单位编码", "异议人", "内容", "处理结果", "处理日期"],
        ["S08", "辛学会", "学会网月报4月得分漏计", "经复核，4月未报送，维持原结果", "2024-12-26"],
        ["S02", "乙学会", "佐证材料漏计", "经复核属实，等级调整为B", "2024-12-27"],
    ]
    path = _with(tmp_path, {"审定": review, "异议": objections})
    result = api.score(path, api.ScoreOptions(out=tmp_path / "out"))
    assert result.ok
    book = next(p for p in result.outputs if p.endswith("结果.xlsx"))
    wb = openpyxl.load_workbook(book)
    rows = list(wb["审定记录"].iter_rows(values_only=True))
    assert rows == [
        ("单位编码", "单位名称", "项目", "计算结果", "审定结果", "理由", "审批"),
        ("S02", "乙学会", "等级", "C", "B", "复核后认定佐证材料属实", MEETING),
        ("S02", "乙学会", "荣誉", "（无）", "一流学会", "复核后认定佐证材料属实", MEETING),
    ]
    listed = list(wb["异议"].iter_rows(values_only=True))
    assert listed[2][:3] == ("S02", "乙学会", "乙学会") and len(listed) == 3
    notice = next(p for p in result.outputs if "通报" in p and p.endswith(".md"))
    text = Path(notice).read_text(encoding="utf-8")
    assert "综合评定，公示期间收到异议2件，均已按程序处理，现将考核结果通报如下。" in text
    # the notice shows the final values: 乙学会 is B and 一流学会
    assert "**B等**（1家）：乙学会" in text
    assert "**一流学会**（2家）：甲学会、乙学会" in text


def test_no_objection_sentence_while_one_is_pending(tmp_path: Path) -> None:
    objections = [
        ["单位编码", "异议人", "内容", "处理结果", "处理日期"],
        ["S09", "张某", "对日常考核分数有异议", None, None],
    ]
    result = api.score(_with(tmp_path, {"异议": objections}), api.ScoreOptions(out=tmp_path / "o"))
    notice = next(p for p in result.outputs if "通报" in p and p.endswith(".md"))
    text = Path(notice).read_text(encoding="utf-8")
    assert "异议" not in text and "综合评定，现将考核结果通报如下。" in text


def test_a_decision_that_changes_nothing_is_a_warning(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["S03", "等级", "A", "维持", MEETING],
        ["S10", "升降", "不变", "因公请假", MEETING],
    ]
    result = _score(_with(tmp_path, {"审定": rows}), tmp_path)
    assert result.ok
    assert [i.message for i in result.issues if i.code == "review-no-effect"] == [
        "审定未改变结果：S03 丙学会 的等级本来就是「A」"
    ]
    # an absent unit's move may be decided: S10 keeps 三类 instead of going to 四类
    s10 = _unit(result, "S10")
    assert (s10["status"], s10["move"], s10["next_tier"]) == ("absent", None, "三类")
    assert s10["overrides"][0]["from"] == "absent"


def test_cli_missing_reason_exits_1_naming_the_cell(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kxassess.cli import app

    path = _with(tmp_path, {"审定": [HEADER, ["S02", "等级", "C", None, MEETING]]})
    done = CliRunner().invoke(app, ["score", str(path), "--out", str(tmp_path / "o")])
    assert done.exit_code == 1
    assert "审定!D2" in done.stderr and "缺少理由" in done.stderr
    assert "Traceback" not in done.output
