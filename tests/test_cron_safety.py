"""Crash and cron safety without killing processes: the registry's setup, checks and
backup; outputs staged and published as one set; environment problems as exit 1."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import xlsxwriter
from typer.testing import CliRunner
from xlsxwriter.exceptions import FileCreateError

from kxassess import api
from kxassess.cli import app
from kxassess.issues import KxError
from kxassess.reading.names import printable
from kxassess.registry import migrations
from kxassess.registry.store import Registry

from .conftest import CASES, OUTPUT_KINDS, js_year

runner = CliRunner()
YEAR1 = CASES / "small-year" / "input.xlsx"
STEM = "js-2024-society-2024"
FULL = [15] * 10 + [5, 5, 5]


def score(path: Path, out: Path, registry: Path | None) -> api.ScoreResult:
    return api.score(path, api.ScoreOptions(out=out, registry=registry))


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def small_year(codes: list[str], names: dict[str, str] | None = None) -> dict[str, object]:
    names = names or {}
    units = [(c, names.get(c, f"{c}学会"), "一类", "") for c in codes]
    return js_year(units, {c: FULL for c in codes})


# --- the registry ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["history", "S01"], ["tiers"], ["tiers", "--promote"], ["roster", "--year", "2024"]],
)
def test_readers_never_create_a_registry(tmp_path: Path, args: list[str]) -> None:
    reg = tmp_path / "mistyped" / "kx.db"
    result = runner.invoke(app, [*args, "--registry", str(reg)])
    assert result.exit_code == 1
    assert "登记库不存在" in result.stderr and str(reg) in result.stderr
    assert not (tmp_path / "mistyped").exists()


def test_empty_registry_file_names_the_backup(tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    assert score(YEAR1, tmp_path / "o", reg).ok
    assert score(YEAR1, tmp_path / "o", reg).ok
    reg.write_bytes(b"")  # truncated by a full disk or a bad copy
    for args in (["history", "S01"], ["score", str(YEAR1), "--out", str(tmp_path / "o")]):
        result = runner.invoke(app, [*args, "--registry", str(reg)])
        assert result.exit_code == 1, result.output
        assert "登记库文件已损坏" in result.stderr and f"{reg}.bak" in result.stderr
    assert reg.read_bytes() == b""  # never silently started afresh
    shutil.copy(f"{reg}.bak", reg)  # what the README tells staff to do
    assert runner.invoke(app, ["history", "S01", "--registry", str(reg)]).exit_code == 0
    assert sqlite3.connect(reg).execute("SELECT COUNT(*) FROM runs").fetchone() == (1,)


def test_damaged_registry_with_json_prints_one_document(tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    reg.write_bytes(b"not a database at all" * 200)
    args = ["score", str(YEAR1), "--out", str(tmp_path / "o"), "--registry", str(reg), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    # no .bak beside it: the message says so and does not tell staff to copy one back
    assert [i["code"] for i in doc["issues"]] == ["registry-damaged-no-backup"]
    assert "不是数据库文件" in doc["issues"][0]["message"]
    assert f"没有找到备份文件 {reg}.bak" in doc["issues"][0]["message"]
    assert "cp kxassess.db.bak" not in doc["issues"][0]["message"]
    assert doc["units"] == [] and doc["outputs"] == []


def test_promote_backs_the_registry_up_first(tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    assert score(YEAR1, tmp_path / "o", reg).ok
    promoted = runner.invoke(app, ["tiers", "--promote", "--registry", str(reg)])
    assert promoted.exit_code == 0, promoted.output
    applied = "SELECT COUNT(*) FROM tier_applications"
    assert sqlite3.connect(f"{reg}.bak").execute(applied).fetchone() == (0,)
    assert sqlite3.connect(reg).execute(applied).fetchone() == (1,)


def test_quick_check_finds_a_damaged_page(tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    assert score(YEAR1, tmp_path / "o", reg).ok
    data = bytearray(reg.read_bytes())
    page = 4096
    for offset in range(page * 2, len(data), page):  # wreck every page after the schema
        data[offset : offset + 64] = b"\xff" * 64
    reg.write_bytes(bytes(data))
    result = runner.invoke(app, ["history", "S01", "--registry", str(reg)])
    assert result.exit_code == 1
    assert "登记库文件已损坏" in result.stderr and "kx.db.bak" in result.stderr


def test_backup_holds_the_state_before_the_run(
    make_book: Callable[..., Path], tmp_path: Path
) -> None:
    reg = tmp_path / "kx.db"
    assert score(YEAR1, tmp_path / "o", reg).ok
    assert score(YEAR1, tmp_path / "o", reg).ok
    count = "SELECT COUNT(*) FROM runs"
    assert sqlite3.connect(f"{reg}.bak").execute(count).fetchone() == (1,)
    assert sqlite3.connect(reg).execute(count).fetchone() == (2,)
    assert sqlite3.connect(f"{reg}.bak").execute("PRAGMA quick_check").fetchone() == ("ok",)


def test_an_interrupted_first_setup_is_finished(tmp_path: Path) -> None:
    """What an older kxassess left when killed between two CREATE TABLEs."""
    reg = tmp_path / "kx.db"
    conn = sqlite3.connect(reg)
    conn.execute("CREATE TABLE units (code TEXT PRIMARY KEY, name TEXT, attributes TEXT)")
    conn.commit()
    conn.close()
    assert score(YEAR1, tmp_path / "o", reg).ok
    versions = sqlite3.connect(reg).execute("SELECT version FROM schema_migrations").fetchall()
    assert versions == [(v,) for v, _ in migrations.MIGRATIONS]


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    conn = sqlite3.connect(reg)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.execute("INSERT INTO invoices VALUES (1)")
    conn.commit()
    conn.close()
    with pytest.raises(KxError, match="不是本程序的登记库"):
        score(YEAR1, tmp_path / "o", reg)
    assert sqlite3.connect(reg).execute("SELECT * FROM invoices").fetchall() == [(1,)]


def test_migrations_run_in_one_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    conn = sqlite3.connect(":memory:")
    broken = [*migrations.MIGRATIONS, (99, "CREATE TABLE extra (x INTEGER); CREATE TABLE (")]
    monkeypatch.setattr(migrations, "MIGRATIONS", broken)
    with pytest.raises(sqlite3.OperationalError):
        migrations.migrate(conn)
    tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables == []  # not units without schema_migrations, nor extra without 99


def test_registry_folder_that_is_read_only(
    tmp_path: Path, readonly: Callable[[Path], None]
) -> None:
    folder = tmp_path / "reg"
    folder.mkdir()
    reg = folder / "kx.db"
    assert score(YEAR1, tmp_path / "o", reg).ok
    readonly(folder)
    result = runner.invoke(
        app, ["score", str(YEAR1), "--out", str(tmp_path / "o"), "--registry", str(reg)]
    )
    assert result.exit_code == 1, result.output
    assert str(folder) in result.stderr and "写" in result.stderr
    # reading still works
    assert runner.invoke(app, ["history", "S01", "--registry", str(reg)]).exit_code == 0


# --- outputs as one set ------------------------------------------------------------------


def test_outputs_get_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        assert score(YEAR1, tmp_path / "o", tmp_path / "kx.db").ok
    finally:
        os.umask(old)
    for path in [*(tmp_path / "o").glob(f"{STEM}-*"), *(tmp_path / "o").glob("*/*.md")]:
        want = 0o775 if path.is_dir() else 0o664
        assert path.stat().st_mode & 0o777 == want, path
    assert (tmp_path / "kx.db").stat().st_mode & 0o777 == 0o664


def test_a_rescore_replaces_the_set_whole(make_book: Callable[..., Path], tmp_path: Path) -> None:
    out, reg = tmp_path / "o", tmp_path / "kx.db"
    assert score(make_book(small_year(["S01", "S02", "S03"])), out, reg).ok
    assert score(make_book(small_year(["S01", "S02"]), "again.xlsx"), out, reg).ok
    assert visible(out) == sorted(f"{STEM}-{k}" for k in OUTPUT_KINDS)
    assert visible(out / f"{STEM}-反馈") == [
        "S01-S01学会.docx",
        "S01-S01学会.md",
        "S02-S02学会.docx",
        "S02-S02学会.md",
        "全部单位反馈.docx",
    ]
    conn = sqlite3.connect(reg)
    codes = conn.execute("SELECT code FROM results ORDER BY code").fetchall()
    assert codes == [("S01",), ("S02",)]
    tiers = conn.execute("SELECT code FROM unit_tiers WHERE year = 2024 ORDER BY code")
    assert tiers.fetchall() == [("S01",), ("S02",)]


def test_a_blocked_run_keeps_the_previous_results(
    make_book: Callable[..., Path], tmp_path: Path
) -> None:
    out, reg = tmp_path / "o", tmp_path / "kx.db"
    assert score(YEAR1, out, reg).ok
    before = (out / f"{STEM}-结果.xlsx").read_bytes()
    bad = small_year(["S01"])
    bad["评分-专家甲"] = [["单位编码", "单位名称", "A1"], ["S01", "", "abc"]]
    assert not score(make_book(bad), out, reg).ok
    assert (out / f"{STEM}-结果.xlsx").read_bytes() == before
    assert len(visible(out / f"{STEM}-反馈")) == 2 * 11 + 1
    assert "错误" in (out / f"{STEM}-问题清单.md").read_text(encoding="utf-8")
    rows = sqlite3.connect(reg).execute("SELECT exit_code, reason FROM runs ORDER BY id")
    assert [(c, r is not None) for c, r in rows] == [(0, False), (1, True)]


def test_a_failed_registry_commit_puts_the_previous_set_back(
    make_book: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, reg = tmp_path / "o", tmp_path / "kx.db"
    assert score(YEAR1, out, reg).ok
    before = {p.name: p.read_bytes() for p in out.glob(f"{STEM}-*") if p.is_file()}
    calls: list[int] = []
    real = Registry.record_run

    def failing(self: Registry, result: api.ScoreResult, code: int, *args: object) -> None:
        calls.append(code)
        if code == 0:
            real(self, result, code, *args)  # the rows are written, then the commit fails
            raise sqlite3.OperationalError("disk I/O error")
        real(self, result, code, *args)

    monkeypatch.setattr(Registry, "record_run", failing)
    with pytest.raises(KxError, match="登记库读写失败"):
        score(make_book(small_year(["S01", "S02"])), out, reg)
    assert {p.name: p.read_bytes() for p in out.glob(f"{STEM}-*") if p.is_file()} == before
    assert len(visible(out / f"{STEM}-反馈")) == 2 * 11 + 1
    conn = sqlite3.connect(reg)
    assert conn.execute("SELECT COUNT(*) FROM results").fetchone() == (11,)
    runs = conn.execute("SELECT exit_code, reason FROM runs ORDER BY id").fetchall()
    assert [c for c, _ in runs] == [0, 1] and "disk I/O error" in runs[1][1]
    assert not list(tmp_path.glob(".o.kxassess-*"))


def test_leftovers_of_killed_runs_are_removed(tmp_path: Path) -> None:
    out, reg = tmp_path / "o", tmp_path / "kx.db"
    assert score(YEAR1, out, reg).ok
    stale = [
        out / f".{STEM}-结果.xlsx.k2j4h5g6.tmp",
        out / f"{STEM}-反馈" / ".S01-甲学会.md.abcdefgh.tmp",
        tmp_path / ".o.kxassess-staging-x1y2z3" / f"{STEM}-结果.xlsx",
        tmp_path / ".o.kxassess-old-x1y2z3" / f"{STEM}-公示.md",
        tmp_path / ".kx.db.abc.new.tmp",
    ]
    for path in stale:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"half")
    assert score(YEAR1, out, reg).ok
    assert not [p for p in stale if p.exists()]
    assert not (tmp_path / ".o.kxassess-staging-x1y2z3").exists()


# --- environment problems: exit 1 with a message ----------------------------------------


def test_out_naming_a_file(tmp_path: Path) -> None:
    target = tmp_path / "results.xlsx"
    target.write_bytes(b"x")
    args = ["score", str(YEAR1), "--out", str(target), "--no-registry", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "输出位置是一个文件" in result.stderr and str(target) in result.stderr
    doc = json.loads(result.stdout)
    assert doc["issues"][0]["code"] == "out-is-file" and doc["outputs"] == []
    assert target.read_bytes() == b"x"


def test_output_folder_that_is_read_only(tmp_path: Path, readonly: Callable[[Path], None]) -> None:
    out = tmp_path / "o"
    out.mkdir()
    readonly(out)
    result = runner.invoke(app, ["score", str(YEAR1), "--out", str(out), "--no-registry"])
    assert result.exit_code == 1, result.output
    assert str(out) in result.stderr
    assert "权限" in result.stderr or "只读" in result.stderr


def test_lock_file_of_another_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from filelock import FileLock

    def refuse(self: FileLock, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", self.lock_file)

    monkeypatch.setattr(FileLock, "acquire", refuse)
    out = tmp_path / "o"
    result = runner.invoke(app, ["score", str(YEAR1), "--out", str(out), "--json"])
    assert result.exit_code == 1, result.output
    assert ".kxassess.lock" in result.stderr and "不同用户" in result.stderr
    assert json.loads(result.stdout)["issues"][0]["code"] == "lock-unwritable"


def test_full_disk_while_writing_the_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, reg = tmp_path / "o", tmp_path / "kx.db"
    assert score(YEAR1, out, reg).ok
    before = sorted((p.name, p.read_bytes()) for p in out.glob(f"{STEM}-*") if p.is_file())

    def full(path: Path, *args: object) -> None:
        raise FileCreateError(OSError(errno.ENOSPC, "No space left on device", str(path)))

    monkeypatch.setattr("kxassess.writing.outputs.write_results_workbook", full)
    result = runner.invoke(app, ["score", str(YEAR1), "--out", str(out), "--registry", str(reg)])
    assert result.exit_code == 1, result.output
    assert "磁盘空间不足" in result.stderr and "原有结果保持不变" in result.stderr
    after = sorted((p.name, p.read_bytes()) for p in out.glob(f"{STEM}-*") if p.is_file())
    assert after == before
    assert not list(tmp_path.glob(".o.kxassess-*"))
    codes = sqlite3.connect(reg).execute("SELECT exit_code FROM runs ORDER BY id").fetchall()
    assert codes == [(0,), (1,)]


def test_full_disk_on_a_small_file_system(tmp_path: Path, small_fs: Path) -> None:
    """A real full disk: a 2 MB tmpfs holds one set but not a second one beside it."""
    out, reg = small_fs / "o", tmp_path / "kx.db"
    first = runner.invoke(app, ["score", str(YEAR1), "--out", str(out), "--registry", str(reg)])
    assert first.exit_code == 0, first.output
    before = sorted((p.name, p.read_bytes()) for p in out.glob(f"{STEM}-*") if p.is_file())
    filler = small_fs / "filler"
    free = shutil.disk_usage(small_fs).free
    filler.write_bytes(b"\0" * max(free - 20_000, 0))
    again = runner.invoke(app, ["score", str(YEAR1), "--out", str(out), "--registry", str(reg)])
    assert again.exit_code == 1, again.output
    assert "磁盘空间不足" in again.stderr
    after = sorted((p.name, p.read_bytes()) for p in out.glob(f"{STEM}-*") if p.is_file())
    assert after == before
    assert not [p for p in out.iterdir() if "kxassess-staging" in p.name]


# --- names -------------------------------------------------------------------------------


def test_control_characters_are_removed_from_names(
    make_book: Callable[..., Path], tmp_path: Path
) -> None:
    names = {"S01": "甲\x01学会", "S02": "乙\x1f学会", "S03": "丙\n学会"}
    book = xlsx_book(tmp_path / "2024.xlsx", small_year(["S01", "S02", "S03"], names))
    result = score(book, tmp_path / "o", None)
    assert result.ok, result.issues
    assert [u.name for u in result.units if u.code in names] == ["甲学会", "乙学会", "丙 学会"]
    warned = [i for i in result.issues if i.code == "name-control-chars"]
    assert [i.source for i in warned] == [f"2024.xlsx!考核对象!B{r}" for r in (2, 3, 4)]
    assert (tmp_path / "o" / f"{STEM}-反馈" / "S01-甲学会.md").is_file()
    made = runner.invoke(
        app, ["template", "js-2024-society", "--roster", str(book), "--out", str(tmp_path / "t")]
    )
    assert made.exit_code == 0, made.output
    assert (tmp_path / "t" / "S02-乙学会-自评表.xlsx").is_file()


def test_long_names_fit_the_byte_limit(make_book: Callable[..., Path], tmp_path: Path) -> None:
    long = "中国科学技术协会所属全国学会" * 6  # 84 characters, 252 bytes in UTF-8
    book = make_book(small_year(["S01", "S02"], {"S01": long}))
    assert score(book, tmp_path / "o", None).ok
    files = visible(tmp_path / "o" / f"{STEM}-反馈")
    assert len(files) == 2 * 2 + 1 and files[0].startswith("S01-中国科学技术协会")
    assert all(len(f.encode()) + len(".") + len(".12345678.tmp") <= 255 for f in files)
    own = [f for f in files if f.startswith("S01-")]  # the letter in Markdown and in Word
    assert {Path(f).suffix for f in own} == {".md", ".docx"}
    assert len({Path(f).stem for f in own}) == 1  # cut alike: the same name for both
    made = runner.invoke(
        app, ["template", "js-2024-society", "--roster", str(book), "--out", str(tmp_path / "t")]
    )
    assert made.exit_code == 0, made.output
    form = visible(tmp_path / "t")[0]
    assert form.startswith("S01-") and form.endswith("-自评表.xlsx")
    assert len(form.encode()) <= 241


def test_printable_removes_raw_and_escaped_controls() -> None:
    assert printable("甲\x01学会") == "甲学会"
    assert printable("乙_x0002_学会_x001F_") == "乙学会"
    assert printable("丙\r\n学\t会") == "丙 学 会"
    assert printable("_x4E01_学会") == "_x4E01_学会"  # not a control character: kept


def xlsx_book(path: Path, sheets: dict[str, object]) -> Path:
    """A workbook as Excel writes one: control characters stored as ``_xHHHH_``."""
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):  # type: ignore[arg-type]
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    book.close()
    return path


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def readonly() -> Iterator[Callable[[Path], None]]:
    """Make a folder read-only for this process: chmod for a normal user; for root (who
    ignores modes) a read-only bind mount, skipped where mounting is not allowed."""
    mounted: list[Path] = []

    def make(folder: Path) -> None:
        if os.geteuid() != 0:
            folder.chmod(0o555)
            return
        bind = subprocess.run(["mount", "--bind", str(folder), str(folder)], check=False)
        ro = subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(folder)], check=False, capture_output=True
        )
        if bind.returncode or ro.returncode:
            if not bind.returncode:
                subprocess.run(["umount", str(folder)], check=False)
            pytest.skip(
                "running as root where mount is not allowed: cannot make a read-only folder"
            )
        mounted.append(folder)

    yield make
    for folder in mounted:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs; skipped where the platform does not allow mounting one."""
    point = tmp_path / "small"
    point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(point)],
        check=False,
        capture_output=True,
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_mistyped_input_file_makes_nothing(tmp_path: Path) -> None:
    """No registry, no output folder, no 问题清单: exit 1 naming the file."""
    args = ["score", str(tmp_path / "2024年.xlsx"), "--out", str(tmp_path / "o")]
    result = runner.invoke(app, [*args, "--registry", str(tmp_path / "kx.db")])
    assert result.exit_code == 1
    assert "2024年.xlsx" in result.stderr and "要计分的文件不存在" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_killed_run_stays_listed_as_unfinished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run is numbered when it starts: killed half-way (here: interrupted while writing,
    which no handler catches, as with kill -9) it stays in `runs` as 未完成; the next run
    gets the next number and ends as 成功."""
    reg = tmp_path / "kx.db"

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr("kxassess.publishing.write_outputs", killed)
        with pytest.raises(KeyboardInterrupt):
            score(YEAR1, tmp_path / "o", reg)
    assert score(YEAR1, tmp_path / "o", reg).ok
    rows = sqlite3.connect(reg).execute("SELECT id, exit_code FROM runs ORDER BY id").fetchall()
    assert rows == [(1, -1), (2, 0)]
    shown = runner.invoke(app, ["runs", "--registry", str(reg)])
    lines = shown.stdout.splitlines()
    assert lines[1].split("\t")[0] == "1" and "未完成（运行中，或被中止）" in lines[1]
    assert lines[2].split("\t")[0] == "2" and "成功" in lines[2]
