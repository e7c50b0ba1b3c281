"""What staff see on a terminal and in a pipe: runs, diff and the ranking as tables that
stay whole on an 80-column terminal (nothing cut short into ``11…``), and as tab-separated
lines under one header row when the output is piped."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console
from typer.testing import CliRunner

from kxassess import api
from kxassess.cli import app, common, ranking, registry_cmds, runs, tiers

from .conftest import CASES, ROOT

runner = CliRunner()
YEAR = CASES / "small-year" / "input.xlsx"
LONG = "江苏省农业机械化与装备工程技术研究学会联合会"  # 22 characters, 44 columns


def _year(tmp_path: Path, perf: int) -> Path:
    """small-year with S06 renamed to a long name and its 工作表现 set to ``perf``
    (82 in the case: total 84.40; 86 gives 84.80, see tests/cases/small-year)."""
    path = tmp_path / f"2024-{perf}.xlsx"
    shutil.copy(YEAR, path)
    wb = openpyxl.load_workbook(path)
    roster = wb["考核对象"]
    assert roster["A7"].value == "S06"
    roster["B7"] = LONG
    daily = wb["日常考核"]
    assert daily["A7"].value == "S06"
    daily["B7"] = perf
    wb.save(path)
    return path


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch) -> Console:
    """An 80-column terminal in place of standard output."""
    console = Console(width=80, force_terminal=True, file=io.StringIO(), highlight=False)
    for module in (common, runs, ranking, tiers, registry_cmds):
        monkeypatch.setattr(module, "out_console", console)
    return console


def _text(console: Console) -> str:
    file = console.file
    assert isinstance(file, io.StringIO)
    return re.sub(r"\x1b\[[0-9;]*m", "", file.getvalue())


def _column(text: str, index: int) -> str:
    """The cells of one column of a boxed table, read top to bottom and joined."""
    return "".join(
        line.split("│")[index].strip() for line in text.splitlines() if line.count("│") > index
    )


def _two_runs(tmp_path: Path) -> Path:
    reg = tmp_path / "kx.db"
    for perf in (82, 86):
        done = api.score(_year(tmp_path, perf), api.ScoreOptions(out=tmp_path / "o", registry=reg))
        assert done.ok
    return reg


def test_diff_and_runs_stay_whole_at_80_columns(tmp_path: Path, screen: Console) -> None:
    reg = _two_runs(tmp_path)
    done = runner.invoke(app, ["diff", "--registry", str(reg)])
    assert done.exit_code == 0, done.output
    text = _text(screen)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "…" not in text
    # S06's total 84.40 → 84.80 and its rank 4 → 3, each whole; its long name unbroken
    assert "84.40" in text and "84.80" in text
    assert LONG in _column(text, 2)
    screen.file = io.StringIO()
    done = runner.invoke(app, ["runs", "--registry", str(reg)])
    assert done.exit_code == 0, done.output
    text = _text(screen)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "…" not in text
    assert "2024-82.xlsx" in text and "2024-86.xlsx" in text
    # 11 units, 9 scored (S10 absent, S11 excused)
    assert "9/11" in text


def test_runs_and_diff_piped_are_tab_separated(tmp_path: Path) -> None:
    reg = _two_runs(tmp_path)
    listed = runner.invoke(app, ["runs", "--registry", str(reg)])
    assert listed.exit_code == 0, listed.output
    lines = [line.split("\t") for line in listed.stdout.splitlines()]
    assert lines[0] == [
        "编号", "时间", "方案", "年度", "输入文件", "文件校验值", "结果",
        "单位", "参加考核", "错误", "提示",
    ]  # fmt: skip
    assert [(r[0], r[2], r[3], r[4], r[6], r[7], r[8]) for r in lines[1:]] == [
        ("1", "js-2024-society", "2024", "2024-82.xlsx", "成功", "11", "9"),
        ("2", "js-2024-society", "2024", "2024-86.xlsx", "成功", "11", "9"),
    ]
    assert "┃" not in listed.stdout and "│" not in listed.stdout
    changed = runner.invoke(app, ["diff", "--registry", str(reg)])
    assert changed.exit_code == 0, changed.output
    lines = [line.split("\t") for line in changed.stdout.splitlines()]
    assert lines[0] == ["单位编码", "单位名称", "项目", "第1次运行", "第2次运行"]
    assert ["S06", LONG, "总分", "84.40", "84.80"] in lines
    assert "│" not in changed.stdout


def test_a_programme_ranking_names_its_columns(tmp_path: Path, screen: Console) -> None:
    """sz-2022-capacity ranks applications: 申报编号, not 单位编码; 表彰奖补, not 荣誉."""
    result = api.score(
        ROOT / "sample_data" / "sz-2022.xlsx", api.ScoreOptions(out=tmp_path, registry=None)
    )
    assert result.ok
    header, rows = ranking.ranking_rows(result, 5)
    assert header == ["申报类别", "排名", "申报编号", "申报单位及项目", "评审得分", "表彰奖补"]
    assert rows[0] == [
        "综合示范学会建设", "1", "SZ2022-004", "苏州市化学化工学会：化学化工综合示范项目",
        "88.20", "获奖补",
    ]  # fmt: skip
    ranking.print_ranking(result, 5)
    text = _text(screen)
    assert "共2项通过资格审查" in text and "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    js = api.score(YEAR, api.ScoreOptions(out=tmp_path / "js", registry=None))
    header, _ = ranking.ranking_rows(js, 5)
    assert header[:5] == ["组别", "排名", "单位编码", "单位名称", "总分"]


def test_tiers_and_history_stay_whole_at_80_columns(tmp_path: Path, screen: Console) -> None:
    """small-year: S03 丙学会 二类, A, 升类 to 一类, 争先进位学会 (tests/cases/small-year)."""
    reg = _two_runs(tmp_path)
    done = runner.invoke(app, ["tiers", "--registry", str(reg)])
    assert done.exit_code == 0, done.output
    text = _text(screen)
    assert "js-2024-society 2024年度类别调整（用于2025年度）" in text
    row = next(line for line in text.splitlines() if "S03" in line)
    assert "丙学会" in row and "二类" in row and "升类" in row and "一类" in row
    assert "…" not in text and max(len(line) for line in text.splitlines()) <= 80
    screen.file = io.StringIO()
    done = runner.invoke(app, ["history", "S03", "--registry", str(reg)])
    assert done.exit_code == 0, done.output
    text = _text(screen)
    # the title names unit, population and scheme; the row keeps what differs by year
    assert (
        text.splitlines()[0] == "S03 丙学会（考核对象群体：js-2024-society），方案 js-2024-society"
    )
    row = next(line for line in text.splitlines() if "2024" in line and "│" in line)
    assert "104.00" in row and "升类" in row
    head = next(line for line in text.splitlines() if "荣誉" in line).split("┃")
    assert _column(text, next(i for i, c in enumerate(head) if "荣誉" in c)) == "争先进位学会"
    assert "…" not in text and max(len(line) for line in text.splitlines()) <= 80
