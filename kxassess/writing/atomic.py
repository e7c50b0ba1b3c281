"""Atomic file writes: a temporary file beside the target, then one rename. Written files
get the usual permissions (0666 & ~umask), so colleagues can open what cron wrote."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')

NAME_MAX = 255
"""The file system's limit on one file name, in bytes (ext4, tmpfs, NTFS via UTF-16 is
more generous)."""
TMP_PREFIX = "."
TMP_SUFFIX_BYTES = len(".12345678.tmp")
"""What :func:`atomic_path` adds to a name: a leading dot and ``.XXXXXXXX.tmp``."""
NAME_BYTES = NAME_MAX - len(TMP_PREFIX) - TMP_SUFFIX_BYTES
"""The longest final name whose temporary file still fits :data:`NAME_MAX`."""


def usual_mode() -> int:
    """0666 & ~umask: the mode ``open()`` would give a new file."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def cut_bytes(text: str, limit: int) -> str:
    """The longest prefix of ``text`` whose UTF-8 encoding fits ``limit`` bytes."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def safe_name(text: str, limit: int = 80) -> str:
    """A file name part from free text (unit names): no separators, no control characters,
    at most ``limit`` characters."""
    cleaned = _UNSAFE.sub("_", text).strip(" ._") or "unnamed"
    return cleaned[:limit]


LONGEST_SUFFIX = ".docx"  # a unit's files share their stem: cut for the longest suffix


def unit_file_name(code: str, name: str, suffix: str) -> str:
    """``<code>-<name><suffix>`` cut to fit the file system's byte limit, temporary suffix
    included: the name is shortened, the unit code and the suffix are kept whole, and a
    unit's .md and .docx files keep the same stem."""
    head = f"{safe_name(code)}-"
    longest = max(len(suffix.encode()), len(LONGEST_SUFFIX.encode()))
    room = NAME_BYTES - len(head.encode()) - longest
    return head + cut_bytes(safe_name(name), max(room, 0)).rstrip(" ._") + suffix


def _tmp_prefix(target: Path) -> str:
    """``.<name>.`` cut so that the temporary name fits :data:`NAME_MAX`."""
    return f"{TMP_PREFIX}{cut_bytes(target.name, NAME_BYTES)}."


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``target`` in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_tmp_prefix(target), suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, usual_mode())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(target: Path, text: str) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def write_with(target: Path, writer: Callable[[Path], None]) -> Path:
    with atomic_path(target) as tmp:
        writer(tmp)
    return target
