"""Publishing a run's outputs as one set.

A run writes into a staging folder beside the output folder; only when every file is
written are they moved into the output folder, replacing the previous set of the same
scheme and year whole (feedback of units no longer present included). If anything fails
before the end, the previous set is put back. Leftovers of killed runs (staging folders,
``*.tmp`` files) are removed by the next run, under the output folder's lock.

The names of the published set are kept in ``.<stem>.kxassess-set`` so that the next run
replaces exactly them, whatever kinds of output a later version adds.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kxassess.failures import RunError, from_os_error
from kxassess.writing.atomic import write_text

STAGING = ".kxassess-staging"
_TMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # what atomic_path leaves when killed
OLD = ".kxassess-old"
# The kinds a run published before the set was recorded (kept for older output folders).
KNOWN_KINDS = (
    "问题清单.md",
    "结果.xlsx",
    "结果通报.md",
    "结果通报.docx",
    "公示.md",
    "公示.docx",
    "反馈",
)


def prepare_out(out: Path) -> Path:
    """The output folder, created if needed; a path that is a file or a folder that
    cannot be created is an error naming it."""
    if out.exists() and not out.is_dir():
        raise RunError("out-is-file", str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise RunError("out-is-file", str(out)) from exc
    except NotADirectoryError as exc:
        raise RunError("out-is-file", str(out)) from exc
    except OSError as exc:
        raise from_os_error(exc, str(out)) from exc
    return out


def _work_folder(out: Path, kind: str) -> Path:
    """A new private folder beside ``out`` (inside it when the parent is not writable or
    another file system, so that renames into ``out`` stay atomic)."""
    out = out.resolve()
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".{out.name}{kind}-", dir=out.parent))
        if folder.stat().st_dev == out.stat().st_dev:
            return folder
        folder.rmdir()
    except OSError:
        pass
    try:
        return Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=out))
    except OSError as exc:
        raise from_os_error(exc, str(out)) from exc


def remove_leftovers(out: Path) -> list[Path]:
    """Staging folders and temporary files of killed runs (call under the out lock)."""
    out = out.resolve()
    found: list[Path] = []
    for kind in (STAGING, OLD):
        found += out.parent.glob(f".{out.name}{kind}-*")
        found += out.glob(f"{kind}-*")
    for folder in [out, *(p for p in out.iterdir() if p.is_dir())]:
        found += (p for p in folder.glob(".*.tmp") if _TMP.match(p.name) and p.is_file())
    for path in found:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return found


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A fresh staging folder for one run's outputs; removed at the end whatever happens."""
    folder = _work_folder(out, STAGING)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _manifest(out: Path, stem: str) -> Path:
    return out / f".{stem}.kxassess-set"


def previous_set(out: Path, stem: str) -> set[str]:
    """Names of the set of ``stem`` now in ``out``."""
    names = {f"{stem}-{kind}" for kind in KNOWN_KINDS}
    manifest = _manifest(out, stem)
    if manifest.is_file():
        names |= {n for n in manifest.read_text(encoding="utf-8").splitlines() if n}
    return {n for n in names if "/" not in n and (out / n).exists()}


@contextmanager
def publish(staged: Path, out: Path, stem: str, whole_set: bool) -> Iterator[list[Path]]:
    """Move the staged outputs into ``out``; yields their final paths.

    ``whole_set``: the previous set of ``stem`` is replaced whole (names this run did not
    write disappear); otherwise only the names written are replaced (a run blocked by
    input errors writes only its 问题清单 and the previous results stay, as in the
    registry). If the body raises (the registry commit failed), the previous set is put
    back before the error goes on."""
    if whole_set:
        names = sorted(p.name for p in staged.iterdir())
        try:
            write_text(_manifest(staged, stem), "".join(f"{n}\n" for n in names))
        except OSError as exc:
            raise from_os_error(exc, str(out)) from exc
    new = sorted(p.name for p in staged.iterdir())
    old = previous_set(out, stem) if whole_set else set()
    old |= {n for n in new if (out / n).exists()}
    trash = _work_folder(out, OLD)
    moved_old: list[str] = []
    moved_new: list[str] = []
    try:
        try:
            for name in sorted(old):
                os.replace(out / name, trash / name)
                moved_old.append(name)
            for name in new:
                os.replace(staged / name, out / name)
                moved_new.append(name)
        except OSError as exc:
            raise from_os_error(exc, str(out)) from exc
        yield [out / n for n in new if not n.startswith(".")]
    except BaseException:
        for name in reversed(moved_new):
            _remove(out / name)
        for name in reversed(moved_old):
            os.replace(trash / name, out / name)
        raise
    finally:
        shutil.rmtree(trash, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
