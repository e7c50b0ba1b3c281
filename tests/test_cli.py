"""The command line through Typer's CliRunner: exit codes, --json, messages."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from kxassess import api
from kxassess.cli import app

from .conftest import CASES, OUTPUT_KINDS, ROOT, js_year

runner = CliRunner()
GOLDEN = CASES / "small-year" / "input.xlsx"

NOTICE = "《2024年度省科协所属学会高质量发展考核实施办法》"


def visible(folder: Path) -> list[str]:
    """Files staff see (the hidden lock file that guards the folder is left out)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_score_writes_outputs_and_exits_0(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["score", str(GOLDEN), "--out", str(out), "--date", "2024-12-20"])
    assert result.exit_code == 0, result.output
    names = visible(out)
    assert names == sorted(f"js-2024-society-2024-{n}" for n in OUTPUT_KINDS)
    assert (
        len(list((out / "js-2024-society-2024-反馈").iterdir())) == 2 * 11 + 1
    )  # per unit .md and .docx, and all letters in one .docx
    # not a terminal: tab-separated lines under a header row, the top of each tier
    lines = result.stdout.splitlines()
    assert lines[0] == "组别\t排名\t单位编码\t单位名称\t总分\t等级\t升降\t荣誉"
    assert "二类\t1\tS03\t丙学会\t104.00\tA\t升类\t争先进位学会" in lines


def test_json_is_the_library_result(tmp_path: Path) -> None:
    args = ["score", str(GOLDEN), "--out", str(tmp_path), "--date", "2024-12-20", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    doc = json.loads(result.stdout)  # stdout holds the JSON document and nothing else
    library = api.score(GOLDEN, api.ScoreOptions(out=tmp_path, date=None)).to_dict()
    assert doc == library
    assert set(doc) == {"scheme", "year", "units", "issues", "outputs", "judges"}
    assert set(doc["units"][0]) == {
        "code",
        "name",
        "tier",
        "status",
        "total",
        "components",
        "rank",
        "grade",
        "move",
        "next_tier",
        "honours",
        "flags",
        "overrides",
    }
    # one serialiser for issues everywhere: severity, code, source, message
    assert all(set(i) == {"severity", "code", "source", "message"} for i in doc["issues"])
    assert [(i["severity"], i["code"], i["source"]) for i in doc["issues"]] == [
        ("warning", "month-blank", "input.xlsx!学会网月报!H2"),
        ("warning", "month-blank", "input.xlsx!学会网月报!E9"),
        ("warning", "no-row", "input.xlsx!学会网月报"),
        ("warning", "move-rounds-zero", "input.xlsx!考核对象"),
        ("warning", "honour-target", "js-2024-society"),
        ("warning", "honour-target", "js-2024-society"),
        ("warning", "notice-no-contact", "js-2024-society!公示"),
    ]
    assert [i["message"] for i in doc["issues"]] == [
        "S01 甲学会 的 7月 未填分数：按本方案规定计 0 分",
        "S08 辛学会 的 4月、10月 未填分数：按本方案规定计 0 分",
        "S09 壬学会 在本表中没有数据行：各月均按 0 分计",
        "一类：「C」等次只有 1 个单位，按 1/3 计算降类名额为 0 个，本组无降类",
        f"一流学会：认定 1 家，与{NOTICE}确定的目标 20 家不同",
        f"争先进位学会：认定 1 家，与{NOTICE}确定的目标 10 家不同",
        "公示没有联系人和联系电话：对公示有异议的单位和个人无从联系",
    ]
    # workbook, 2 notices × (md, docx), report; feedback: 11 × (md, docx) and all in one
    assert len(doc["outputs"]) == 6 + 2 * 11 + 1


def test_input_errors_exit_1_with_report_and_no_results(
    make_book: Callable[..., Path], tmp_path: Path
) -> None:
    sheets = js_year([("U1", "一号学会", "一类", "")], {"U1": [25] + [10] * 12})
    out = tmp_path / "out"
    result = runner.invoke(app, ["score", str(make_book(sheets)), "--out", str(out)])
    assert result.exit_code == 1
    assert "2024.xlsx!评分-专家甲!C2" in result.stderr
    assert "Traceback" not in result.output
    assert visible(out) == ["js-2024-society-2024-问题清单.md"]
    report = (out / "js-2024-society-2024-问题清单.md").read_text(encoding="utf-8")
    assert "2024.xlsx!评分-专家甲!C2" in report and "above-max" in report


def test_input_errors_in_json(make_book: Callable[..., Path], tmp_path: Path) -> None:
    sheets = js_year([("U1", "一号学会", "一类", "")], {"U1": [25] + [10] * 12})
    result = runner.invoke(app, ["score", str(make_book(sheets)), "--out", str(tmp_path), "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["units"] == []
    assert doc["issues"][0]["source"] == "2024.xlsx!评分-专家甲!C2"


def test_missing_file_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(tmp_path / "nope.xlsx"), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "文件不存在" in result.stderr


def test_usage_errors_exit_2() -> None:
    assert runner.invoke(app, ["score"]).exit_code == 2
    assert runner.invoke(app, ["score", str(GOLDEN), "--bogus"]).exit_code == 2
    assert runner.invoke(app, ["score", str(GOLDEN), "--date", "20/12/2024"]).exit_code == 2
    assert runner.invoke(app, ["nonsense"]).exit_code == 2


def test_validate_command(make_book: Callable[..., Path]) -> None:
    ok = runner.invoke(app, ["validate", str(GOLDEN)])
    assert ok.exit_code == 0 and "可以计分" in ok.stderr
    sheets = js_year([("U1", "一号学会", "一类", "")], {"U1": ["优"] + [10] * 12})
    bad = runner.invoke(app, ["validate", str(make_book(sheets)), "--json"])
    assert bad.exit_code == 1
    issues = json.loads(bad.stdout)
    assert next(iter(issues.values()))[0]["source"] == "2024.xlsx!评分-专家甲!C2"


def test_schemes_and_scheme_show() -> None:
    listed = runner.invoke(app, ["schemes"])
    assert listed.exit_code == 0 and "js-2024-society" in listed.stdout
    shown = runner.invoke(app, ["scheme", "show", "js-2024-society"])
    assert shown.exit_code == 0 and "B5" in shown.stdout
    unknown = runner.invoke(app, ["scheme", "show", "xx-1999"])
    assert unknown.exit_code == 1 and "js-2024-society" in unknown.stderr


def test_console_script_has_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from kxassess.cli import main; main()",
            "score",
            str(bad),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "bad.xlsx" in proc.stderr and "压缩包" in proc.stderr


def test_every_command_is_documented() -> None:
    """Each command of the app appears as `kxassess <command>` in the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name for c in app.registered_commands]
    names += [
        f"{g.name} {c.name}"
        for g in app.registered_groups
        for c in g.typer_instance.registered_commands
    ]
    assert {"score", "validate", "schemes", "tiers", "roster", "history", "scheme show"} <= set(
        names
    )
    missing = [n for n in names if f"kxassess {n}" not in readme]
    assert not missing, f"commands missing from README.md: {missing}"
