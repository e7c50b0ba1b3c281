"""Opening the registry safely: checked, created and migrated under its lock, backed up
before a run writes.

- A new registry is built in a temporary file beside it and renamed into place, under the
  registry lock: other processes see no file or a complete one, never a half-made one.
- Migrations of an existing file run in one transaction under the same lock.
- ``PRAGMA quick_check`` runs on every open; a damaged file (a 0-byte one included) is an
  error that names the backup ``<registry>.bak`` to restore.
- Readers (``history``, ``tiers``, ``roster``) never create a registry.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from kxassess.failures import RunError, describe
from kxassess.locking import run_lock
from kxassess.registry.migrations import LATEST, foreign_tables, migrate, schema_version
from kxassess.registry.store import Registry
from kxassess.writing.atomic import usual_mode


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def registry_lock(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextmanager
def open_registry(path: Path, *, create: bool = True, locked: bool = False) -> Iterator[Registry]:
    """Open the registry at ``path``, checked and migrated.

    ``create``: make a new registry when none exists (runs that write); readers pass False
    and get an error instead, with no file or folder created. ``locked``: the caller holds
    the registry lock already (creation and migration take it otherwise)."""
    if path.is_dir():
        raise RunError("registry-is-folder", str(path))
    if not path.exists() and not create:
        raise RunError("registry-missing", str(path))
    conn = _prepare(path, create, locked)
    try:
        yield Registry(conn, path)
    except sqlite3.DatabaseError as exc:
        raise RunError("registry-failed", str(path), detail=str(exc)) from exc
    finally:
        conn.close()


def _prepare(path: Path, create: bool, locked: bool) -> sqlite3.Connection:
    if path.exists():
        conn = _connect(path)
        if _version(conn, path) == LATEST:
            return conn
        conn.close()
    # A new registry or an older schema: set it up under the lock, then look again
    # (another process may have done it while this one waited).
    with nullcontext() if locked else run_lock([registry_lock(path)], wait=True):
        if not path.exists():
            if not create:
                raise RunError("registry-missing", str(path))
            _create(path)
        conn = _connect(path)
        try:
            if _version(conn, path) != LATEST:
                _migrate(conn, path)
        except BaseException:
            conn.close()
            raise
        return conn


def _connect(path: Path) -> sqlite3.Connection:
    """Open an existing file (never creating one) and check it."""
    if path.stat().st_size == 0:
        raise _damaged(path, "文件为空；若是刚建的空文件，删除它后重新运行即可")
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=rw"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise RunError("registry-failed", str(path), detail=str(exc)) from exc
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        check = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.OperationalError as exc:
        conn.close()
        if "unable to open" in str(exc) or "readonly" in str(exc):
            raise RunError(
                "registry-unwritable", str(path), folder=str(path.parent), detail=str(exc)
            ) from exc
        raise _damaged(path, str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _damaged(path, str(exc)) from exc
    if check != [("ok",)]:
        conn.close()
        raise _damaged(path, "完整性检查未通过：" + "；".join(str(r[0]) for r in check[:3]))
    return conn


def _version(conn: sqlite3.Connection, path: Path) -> int:
    try:
        version = schema_version(conn)
        if version == 0 and foreign_tables(conn):
            raise _damaged(path, "缺少结构版本记录")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _damaged(path, str(exc)) from exc
    except RunError:
        conn.close()
        raise
    if version > LATEST:
        conn.close()
        raise RunError("registry-newer", str(path), version=version, latest=LATEST)
    return version


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    try:
        migrate(conn)
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc) or "unable to open" in str(exc):
            raise RunError(
                "registry-unwritable", str(path), folder=str(path.parent), detail=str(exc)
            ) from exc
        raise _damaged(path, str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, str(exc)) from exc


def _create(path: Path) -> None:
    """A new, fully migrated registry, built beside ``path`` and renamed into place."""
    _write_beside(path, ".new.tmp", migrate)


# SQLite's words for the usual kinds of damage, as staff read them.
_SQLITE_WORDS = {
    "file is not a database": "不是数据库文件",
    "database disk image is malformed": "数据库内容已损坏",
    "no such table": "缺少数据表",
}


def _damaged(path: Path, detail: str) -> RunError:
    for english, chinese in _SQLITE_WORDS.items():
        if detail.startswith(english):
            detail = chinese + detail[len(english) :]
    bak = backup_path(path)
    if bak.is_file():
        return RunError("registry-damaged", str(path), detail=detail, backup=bak)
    return RunError("registry-damaged-no-backup", str(path), detail=detail, backup=bak)


def backup(registry: Registry) -> Path:
    """Copy the registry with SQLite's backup API to ``<registry>.bak`` (through a
    temporary file, so the old backup stays whole until the new one is)."""
    target = backup_path(registry.path)
    _write_beside(target, ".tmp", registry.conn.backup)
    return target


def _write_beside(target: Path, suffix: str, fill: Callable[[sqlite3.Connection], object]) -> None:
    """A SQLite file filled by ``fill`` in a temporary file beside ``target``, given the
    usual permissions and renamed into place in one step: ``target`` is either as before
    or complete. Any failure is an environment error naming the folder."""
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
        os.close(fd)
        tmp = Path(name)
        conn = sqlite3.connect(tmp)
        try:
            fill(conn)
        finally:
            conn.close()
        os.chmod(tmp, usual_mode())
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        detail = describe(exc) if isinstance(exc, OSError) else str(exc)
        raise RunError(
            "registry-unwritable", str(target), folder=str(target.parent), detail=detail
        ) from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}-journal").unlink(missing_ok=True)


def remove_leftovers(path: Path) -> None:
    """Temporary files of killed runs beside the registry (call under its lock)."""
    if not path.parent.is_dir():
        return
    for pattern in (f".{path.name}.*.new.tmp*", f".{path.name}.bak.*.tmp*"):
        for leftover in path.parent.glob(pattern):
            leftover.unlink(missing_ok=True)
