"""Numbered runs and ``kxassess diff``: a one-cell correction (复核) lists exactly the units
it changes, with both values."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from kxassess import api
from kxassess.cli import app

from .conftest import CASES

runner = CliRunner()
YEAR = CASES / "small-year" / "input.xlsx"


def _corrected(tmp_path: Path) -> Path:
    """small-year with one cell changed: 日常考核 工作表现 of S06 82 → 86 after 复核."""
    path = tmp_path / "2024-复核.xlsx"
    shutil.copy(YEAR, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["日常考核"]
    assert ws["A7"].value == "S06" and ws["B7"].value == 82
    ws["B7"] = 86
    wb.save(path)
    return path


def test_one_cell_correction_lists_exactly_the_changed_units(tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    first = api.score(YEAR, api.ScoreOptions(out=tmp_path / "o", registry=reg))
    second = api.score(_corrected(tmp_path), api.ScoreOptions(out=tmp_path / "o", registry=reg))
    assert first.ok and second.ok
    done = runner.invoke(app, ["diff", "--json", "--registry", str(reg)])
    assert done.exit_code == 0, done.output
    # Hand-worked (tests/cases/small-year/README.md): S06 = 67.2 + 9 + 0.1·86 = 84.80, now
    # third in 二类 ahead of S05 (84.40, centralized 85.5) and S07 (84.40, centralized 84),
    # who were 3 and 4 (tied with S06). Grades: A S03 S04, B the next three (S06 S05 S07),
    # C S08 S09 — unchanged, and so are moves and honours.
    assert json.loads(done.stdout) == {
        "from": 1,
        "to": 2,
        "changes": [
            {"code": "S06", "name": "己学会", "field": "total", "from": 84.4, "to": 84.8},
            {
                "code": "S06",
                "name": "己学会",
                "field": "component:performance",
                "from": 82.0,
                "to": 86.0,
            },
            {"code": "S06", "name": "己学会", "field": "rank", "from": 4, "to": 3},
            {"code": "S05", "name": "戊学会", "field": "rank", "from": 3, "to": 4},
            {"code": "S07", "name": "庚学会", "field": "rank", "from": 4, "to": 5},
        ],
    }
    explicit = runner.invoke(app, ["diff", "2", "1", "--json", "--registry", str(reg)])
    back = json.loads(explicit.stdout)["changes"]
    assert {"code": "S06", "name": "己学会", "field": "total", "from": 84.8, "to": 84.4} in back
    screen = runner.invoke(app, ["diff", "--registry", str(reg), "--out", str(tmp_path / "对照")])
    assert screen.exit_code == 0, screen.output
    assert "共 3 家单位有变化，5 项" in screen.stderr
    book = openpyxl.load_workbook(tmp_path / "对照" / "变更对照-第1次-第2次运行.xlsx")
    rows = list(book["变更对照"].iter_rows(values_only=True))
    assert rows[0] == ("单位编码", "单位名称", "项目", "第1次运行", "第2次运行")
    assert rows[1] == ("S06", "己学会", "总分", 84.4, 84.8)
    assert rows[2] == ("S06", "己学会", "工作开展与综合表现", 82, 86)
    assert len(rows) == 6


def test_the_same_input_twice_has_no_changes(tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    for _ in range(2):
        assert api.score(YEAR, api.ScoreOptions(out=tmp_path / "o", registry=reg)).ok
    done = runner.invoke(app, ["diff", "--registry", str(reg)])
    assert done.exit_code == 0 and "没有变化" in done.stderr


def test_runs_lists_every_run_with_inputs_and_counts(tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    assert api.score(YEAR, api.ScoreOptions(out=tmp_path / "o", registry=reg)).ok
    done = runner.invoke(app, ["runs", "--year", "2024", "--json", "--registry", str(reg)])
    assert done.exit_code == 0, done.output
    (run,) = json.loads(done.stdout)["runs"]
    assert run["run"] == 1 and run["scheme"] == "js-2024-society" and run["year"] == 2024
    assert run["exit_code"] == 0 and len(run["inputs"][0]["sha256"]) == 64
    # 11 units, 9 scored (S10 absent, S11 excused); no errors
    assert run["counts"]["units"] == 11 and run["counts"]["scored"] == 9
    assert run["counts"]["errors"] == 0
    assert json.loads(
        runner.invoke(app, ["runs", "--year", "2030", "--json", "--registry", str(reg)]).stdout
    ) == {"runs": []}
    screen = runner.invoke(app, ["runs", "--registry", str(reg)])
    head, row = (line.split("\t") for line in screen.stdout.splitlines())  # piped: TSV
    assert (head[6], row[6], row[7], row[8]) == ("结果", "成功", "11", "9")
    only_one = runner.invoke(app, ["diff", "--registry", str(reg)])
    assert only_one.exit_code == 1 and "只有一次成功的计分运行" in only_one.stderr
    missing = runner.invoke(app, ["diff", "1", "9", "--registry", str(reg)])
    assert missing.exit_code == 1 and "没有第 9 次运行" in missing.stderr
    broken = tmp_path / "broken.xlsx"
    shutil.copy(YEAR, broken)
    wb = openpyxl.load_workbook(broken)
    wb["日常考核"]["B7"] = 120  # over the maximum: the run fails
    wb.save(broken)
    assert not api.score(broken, api.ScoreOptions(out=tmp_path / "o", registry=reg)).ok
    failed = runner.invoke(app, ["diff", "1", "2", "--registry", str(reg)])
    assert failed.exit_code == 1 and "第 2 次运行没有保存结果" in failed.stderr
    listed = json.loads(runner.invoke(app, ["runs", "--json", "--registry", str(reg)]).stdout)
    assert [(r["run"], r["exit_code"]) for r in listed["runs"]] == [(1, 0), (2, 1)]
    assert listed["runs"][1]["counts"]["errors"] >= 1


def test_compare_on_small_inputs() -> None:
    from kxassess.registry.diff import compare

    a = [
        {
            "code": "U1",
            "name": "一号",
            "status": "scored",
            "total": 80.0,
            "rank": 1,
            "honours": ["甲", "乙"],
            "components": {"x": 80.0},
            "indicators": {"1.1": 5.0},
        },
        {"code": "U2", "name": "二号", "status": "scored", "total": 70.0, "rank": 2},
    ]
    b = [
        {
            "code": "U1",
            "name": "一号",
            "status": "scored",
            "total": 80.0,
            "rank": 1,
            "honours": ["乙", "甲"],
            "components": {"x": 80.0},
            "indicators": {"1.1": 4.5},
        },
        {"code": "U3", "name": "三号", "status": "absent", "total": None, "rank": None},
    ]
    report = compare(7, 8, a, b)
    assert report.to_dict() == {
        "from": 7,
        "to": 8,
        "changes": [
            # honours in another order are the same honours
            {"code": "U1", "name": "一号", "field": "indicator:1.1", "from": 5.0, "to": 4.5},
            {"code": "U3", "name": "三号", "field": "status", "from": None, "to": "absent"},
            {"code": "U2", "name": "二号", "field": "status", "from": "scored", "to": None},
        ],
    }
    assert report.units == ["U1", "U3", "U2"]
