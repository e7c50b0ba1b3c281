"""Real processes killed at random moments (a seeded schedule) and run at the same time:
the registry always opens and passes ``quick_check``, the next run succeeds, and the
output folder then holds exactly one complete set."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kxassess import api
from kxassess.registry import migrations

from .conftest import CASES, OUTPUT_KINDS

YEAR1 = CASES / "small-year" / "input.xlsx"
STEM = "js-2024-society-2024"
SEED = int(os.environ.get("KXASSESS_CRASH_SEED", "20241129"))  # vary it to explore

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def kxassess(*args: str) -> list[str]:
    return [sys.executable, "-m", "kxassess.cli", *args]


def kill_after(args: list[str], delay: float) -> None:
    """Start a run and SIGKILL it after ``delay`` seconds (if it is still running)."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()


def assert_registry_sound(reg: Path) -> None:
    """The registry opens, passes quick_check and can be read (or does not exist yet)."""
    if not reg.exists():
        return
    conn = sqlite3.connect(reg)
    try:
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    api.history(reg, "S01")  # opens, checks and migrates like every command


def assert_one_complete_set(out: Path, leftovers_allowed: bool = False) -> None:
    """``out`` holds exactly the files of one scored year (and its hidden bookkeeping);
    right after a kill, temporary files the next run removes may lie about as well."""
    names = sorted(p.name for p in out.iterdir() if not p.name.endswith(".tmp"))
    hidden = {".kxassess.lock", f".{STEM}.kxassess-set"}
    assert names == sorted([*hidden, *(f"{STEM}-{kind}" for kind in OUTPUT_KINDS)])
    feedback = [p for p in (out / f"{STEM}-反馈").iterdir() if not p.name.endswith(".tmp")]
    assert len(feedback) == 2 * 11 + 1  # per unit .md and .docx, and all in one
    if not leftovers_allowed:
        assert not list(out.parent.glob(f".{out.name}.kxassess-*"))
        assert not list(out.rglob("*.tmp"))


def old_registry(path: Path) -> Path:
    """A registry of schema version 1, as the first kxassess release wrote it."""
    conn = sqlite3.connect(path)
    original = migrations.MIGRATIONS
    try:
        migrations.MIGRATIONS = original[:1]
        migrations.migrate(conn)
    finally:
        migrations.MIGRATIONS = original
        conn.close()
    return path


def test_killed_runs_leave_a_usable_registry_and_one_set(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    out, reg = tmp_path / "out", tmp_path / "reg" / "kx.db"
    score = kxassess("score", str(YEAR1), "--out", str(out), "--registry", str(reg), "-q")
    for _ in range(3):  # a new registry: killed while starting up and creating it
        kill_after(score, rng.uniform(0.2, 0.9))
        assert_registry_sound(reg)
    clock = time.perf_counter()
    first = subprocess.run(score, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    whole = time.perf_counter() - clock  # how long a run takes on this machine now
    for _ in range(8):  # re-scores killed late: writing, backup, registry commit, publish
        kill_after(score, rng.uniform(0.6 * whole, 1.05 * whole))
        assert_registry_sound(reg)
        if not list(tmp_path.glob(".out.kxassess-old-*")):  # not killed amid the publish
            assert_one_complete_set(out, leftovers_allowed=True)
    for n in range(4):  # a reader migrating an old registry, killed halfway
        old = old_registry(tmp_path / f"old-{n}.db")
        kill_after(kxassess("history", "S01", "--registry", str(old)), rng.uniform(0.1, 0.6))
        assert_registry_sound(old)
        kill_after(kxassess("history", "S01", "--registry", str(reg)), rng.uniform(0.1, 0.6))
        assert_registry_sound(reg)
    done = subprocess.run(score, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert_registry_sound(reg)
    assert_one_complete_set(out)
    assert sorted(p.name for p in reg.parent.iterdir()) == ["kx.db", "kx.db.bak", "kx.db.lock"]
    conn = sqlite3.connect(reg)
    assert conn.execute("SELECT COUNT(*) FROM results").fetchone() == (11,)
    assert conn.execute("SELECT exit_code FROM runs ORDER BY id DESC").fetchone() == (0,)


def run_together(commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    procs = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    finished = []
    for c, p in zip(commands, procs, strict=True):
        stdout, stderr = p.communicate(timeout=120)
        finished.append(subprocess.CompletedProcess(c, p.returncode, stdout, stderr))
    return finished


def assert_no_false_alarm(runs: list[subprocess.CompletedProcess[str]]) -> None:
    for run in runs:
        assert "损坏" not in run.stderr, run.stderr
        assert "内部错误" not in run.stderr and "Traceback" not in run.stderr, run.stderr


def test_five_processes_on_a_new_registry(tmp_path: Path) -> None:
    reg = tmp_path / "reg" / "kx.db"
    scores = [
        kxassess("score", str(YEAR1), "--out", str(tmp_path / f"o{n}"), "--registry", str(reg))
        for n in range(3)
    ]
    readers = [kxassess("history", "S01", "--registry", str(reg)) for _ in range(2)]
    runs = run_together([*[[*s, "--wait", "-q"] for s in scores], *readers])
    assert_no_false_alarm(runs)
    assert [r.returncode for r in runs[:3]] == [0, 0, 0]
    for reader in runs[3:]:
        assert reader.returncode in (0, 1)
        assert reader.returncode == 0 or "登记库不存在" in reader.stderr or "S01" in reader.stderr
    assert_registry_sound(reg)
    assert sqlite3.connect(reg).execute("SELECT COUNT(*) FROM runs").fetchone() == (3,)

    # five runs without --wait: the ones that find the registry busy say so (exit 4)
    fresh = tmp_path / "fresh" / "kx.db"
    busy = run_together(
        [
            kxassess(
                "score", str(YEAR1), "--out", str(tmp_path / f"b{n}"), "--registry", str(fresh)
            )
            for n in range(5)
        ]
    )
    assert_no_false_alarm(busy)
    assert sorted({r.returncode for r in busy}) in ([0], [0, 4])
    assert_registry_sound(fresh)


def test_five_readers_migrate_an_old_registry_once(tmp_path: Path) -> None:
    reg = old_registry(tmp_path / "kx.db")
    runs = run_together([kxassess("history", "S01", "--registry", str(reg)) for _ in range(5)])
    assert_no_false_alarm(runs)
    assert {r.returncode for r in runs} == {1}  # "no results for S01": the registry is empty
    versions = sqlite3.connect(reg).execute("SELECT version FROM schema_migrations").fetchall()
    assert versions == [(v,) for v, _ in migrations.MIGRATIONS]
