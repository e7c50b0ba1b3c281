"""The registry over two years: score, promote (twice), score the next year with blank 类别."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
from filelock import FileLock
from typer.testing import CliRunner

from kxassess import api
from kxassess.cli import app

from .conftest import CASES, js_year

runner = CliRunner()
YEAR1 = CASES / "small-year" / "input.xlsx"
FULL = [15] * 10 + [5, 5, 5]
CODES = [f"S{n:02d}" for n in range(1, 12)]


def year2(tiers: dict[str, str] | None = None) -> dict[str, list[list[object]]]:
    """2025: the small-year units with blank 类别 (unless given); S10 absent again."""
    tiers = tiers or {}
    units = [(c, f"{c}学会", tiers.get(c, ""), "否" if c == "S10" else "") for c in CODES]
    sheets = js_year(units, {c: FULL for c in CODES if c != "S10"})
    sheets["考核设置"] = [["项目", "值"], ["方案", "js-2024-society"], ["年度", 2025]]
    return sheets


def score(path: Path, out: Path, registry: Path) -> api.ScoreResult:
    return api.score(path, api.ScoreOptions(out=out, registry=registry))


def test_two_years(make_book: Callable[..., Path], tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    assert score(YEAR1, tmp_path / "o1", reg).ok

    first = runner.invoke(app, ["tiers", "--promote", "--registry", str(reg)])
    assert first.exit_code == 0, first.output
    assert "已写入 11 家单位的 2025 年度类别，其中 3 家调整" in first.stderr
    again = runner.invoke(app, ["tiers", "--promote", "--registry", str(reg)])
    assert again.exit_code == 0
    assert "此前已应用过，本次未作改动" in again.stderr

    result = score(make_book(year2(), "2025.xlsx"), tmp_path / "o2", reg)
    assert result.ok, result.issues
    by = {u.code: u for u in result.units}
    # hand-checked from small-year: S03 promoted to 一类, S09 demoted to 三类, S10 absent → 四类
    assert {c: by[c].tier for c in CODES} == {
        "S01": "一类",
        "S02": "一类",
        "S03": "一类",
        "S04": "二类",
        "S05": "二类",
        "S06": "二类",
        "S07": "二类",
        "S08": "二类",
        "S09": "三类",
        "S10": "四类",
        "S11": "四类",
    }
    assert by["S10"].flags == ("suspend_capacity_projects", "suspend_all_projects", "expel")
    assert by["S03"].previous_grade == "A" and by["S03"].previous_rank == 1
    wb = openpyxl.load_workbook(next(p for p in result.outputs if p.endswith(".xlsx")))
    header = [c.value for c in wb["汇总"][1]]
    assert "上年等级" in header and "上年排名" in header


def test_roster_conflict_is_a_warning_naming_both(
    make_book: Callable[..., Path], tmp_path: Path
) -> None:
    reg = tmp_path / "kx.db"
    score(YEAR1, tmp_path / "o1", reg)
    api.apply_tiers(reg)
    result = score(make_book(year2({"S03": "二类"}), "2025.xlsx"), tmp_path / "o2", reg)
    warning = next(i for i in result.issues if i.code == "tier-conflict")
    assert warning.source == "2025.xlsx!考核对象!C4"
    assert "在考核对象表中为二类，登记库中 2025 年度为一类" in warning.message
    assert next(u for u in result.units if u.code == "S03").tier == "二类"


def test_blank_tier_without_registry_entry_is_an_error(
    make_book: Callable[..., Path], tmp_path: Path
) -> None:
    result = score(make_book(year2(), "2025.xlsx"), tmp_path / "o", tmp_path / "empty.db")
    assert not result.ok
    assert {i.code for i in result.issues if i.is_error} == {"missing-tier"}


def test_rescored_year_needs_force(make_book: Callable[..., Path], tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    score(YEAR1, tmp_path / "o1", reg)
    api.apply_tiers(reg)
    changed = tmp_path / "changed.xlsx"
    shutil.copy(YEAR1, changed)
    wb = openpyxl.load_workbook(changed)
    wb["考核对象"]["D9"] = "否"  # S08 absent after all: 二类 keeps one C unit, none demoted
    wb.save(changed)
    rescored = score(changed, tmp_path / "o2", reg)
    assert rescored.ok
    # the re-score says that next year's tiers in the registry are out of date …
    stale = [i for i in rescored.issues if i.code == "moves-stale"]
    assert [(i.source, i.is_error) for i in stale] == [("js-2024-society", False)]
    # … and so do `tiers` (on screen and in JSON) before it is applied again
    before = runner.invoke(app, ["tiers", "--registry", str(reg)])
    assert "此前已应用，但之后重新计分且结果有变" in before.stderr and "--force" in before.stderr
    shown = json.loads(runner.invoke(app, ["tiers", "--json", "--registry", str(reg)]).stdout)
    assert (shown["applied"], shown["stale"]) == (
        {"js-2024-society": False},
        {"js-2024-society": True},
    )
    refused = runner.invoke(app, ["tiers", "--promote", "--registry", str(reg)])
    assert refused.exit_code == 1
    assert "重新计分" in refused.stderr and "--force" in refused.stderr
    forced = runner.invoke(app, ["tiers", "--promote", "--force", "--registry", str(reg)])
    assert forced.exit_code == 0
    shown = json.loads(runner.invoke(app, ["tiers", "--json", "--registry", str(reg)]).stdout)
    assert (shown["applied"], shown["stale"]) == (
        {"js-2024-society": True},
        {"js-2024-society": False},
    )
    moves = {m["code"]: m["move"] for m in shown["moves"]}
    assert moves == {"S03": "promote", "S08": "absent", "S10": "absent"}


def test_runs_are_audited_and_rescoring_replaces_results(
    make_book: Callable[..., Path], tmp_path: Path
) -> None:
    reg = tmp_path / "kx.db"
    score(YEAR1, tmp_path / "o", reg)
    score(YEAR1, tmp_path / "o", reg)
    bad = make_book(js_year([("U1", "一号", "一类", "")], {"U1": [99] * 13}))
    assert not score(bad, tmp_path / "o", reg).ok
    conn = sqlite3.connect(reg)
    assert [r[0] for r in conn.execute("SELECT exit_code FROM runs ORDER BY id")] == [0, 0, 1]
    assert conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 11
    assert conn.execute("SELECT version FROM schema_migrations").fetchall() == [
        (1,),
        (2,),
        (3,),
        (4,),
    ]
    inputs = json.loads(conn.execute("SELECT inputs FROM runs WHERE id = 1").fetchone()[0])
    assert len(inputs[0]["sha256"]) == 64


def test_roster_export_and_history(tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    score(YEAR1, tmp_path / "o", reg)
    api.apply_tiers(reg)
    target = tmp_path / "roster.xlsx"
    done = runner.invoke(
        app, ["roster", "--year", "2025", "--out", str(target), "--registry", str(reg)]
    )
    assert done.exit_code == 0, done.output
    rows = list(openpyxl.load_workbook(target)["考核对象"].iter_rows(values_only=True))
    assert rows[0][:4] == ("单位编码", "单位名称", "类别", "参加")
    assert ("S03", "丙学会", "一类") in [r[:3] for r in rows]
    assert ("S09", "壬学会", "三类") in [r[:3] for r in rows]
    hist = runner.invoke(app, ["history", "S03", "--json", "--registry", str(reg)])
    doc = json.loads(hist.stdout)
    assert doc["years"][0]["move"] == "promote" and doc["years"][0]["total"] == 104.0
    assert runner.invoke(app, ["history", "ZZZ", "--registry", str(reg)]).exit_code == 1
    none = runner.invoke(app, ["roster", "--year", "2030", "--registry", str(reg)])
    assert none.exit_code == 1 and "没有 2030 年度的考核对象名单" in none.stderr


def test_damaged_registry_is_a_clear_error(tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    reg.write_bytes(b"this is not sqlite" * 100)
    for args in (["tiers"], ["score", str(YEAR1), "--out", str(tmp_path / "o")]):
        result = runner.invoke(app, [*args, "--registry", str(reg)])
        assert result.exit_code == 1
        assert "登记库文件已损坏" in result.stderr and "kx.db.bak" in result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)
    proc = subprocess.run(
        [sys.executable, "-m", "kxassess.cli", "tiers", "--registry", str(reg)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


def test_tiers_before_any_score(tmp_path: Path) -> None:
    result = runner.invoke(app, ["tiers", "--registry", str(tmp_path / "new.db")])
    assert result.exit_code == 1 and "登记库不存在" in result.stderr
    assert not (tmp_path / "new.db").exists()


def test_concurrent_runs_serialise(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    reg = tmp_path / "kx.db"
    lock = FileLock(str(out / ".kxassess.lock"))
    lock.acquire()  # another run is busy with this output folder
    try:
        busy = runner.invoke(app, ["score", str(YEAR1), "--out", str(out), "--registry", str(reg)])
        assert busy.exit_code == 4
        assert "另一个计分程序" in busy.stderr and "--wait" in busy.stderr
        waiting = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kxassess.cli",
                "score",
                str(YEAR1),
                "--out",
                str(out),
                "--registry",
                str(reg),
                "--wait",
                "--quiet",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(1.0)
        assert waiting.poll() is None  # blocked behind the lock, not interleaving
        assert not list(out.glob("*.xlsx"))
    finally:
        lock.release()
    assert waiting.wait(timeout=60) == 0
    assert list(out.glob("*.xlsx"))
