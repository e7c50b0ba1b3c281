"""Errors that stop a run because of its environment (files, folders, disk, locks), with
a catalogue code so that ``--json`` can report them as issues. Exit 1, never 3."""

from __future__ import annotations

import errno

from kxassess.catalogue import entry, render
from kxassess.issues import Issue, KxError


class RunError(KxError):
    """A :class:`KxError` with a catalogue code: its message says what to do."""

    def __init__(self, code: str, source: str = "", **params: object) -> None:
        item = entry(code)
        super().__init__(f"{render(code, params)}。{item.fix}", source)
        self.code = code


def as_issue(exc: KxError) -> Issue:
    """A run-stopping error as one issue of the run's report."""
    code = getattr(exc, "code", "run-failed")
    return Issue(entry(code).severity, code, exc.source, exc.message)


def describe(exc: OSError) -> str:
    """An OS error in a few Chinese words (the reason, not the path)."""
    reasons = {
        errno.ENOSPC: "磁盘已满",
        errno.EDQUOT: "超出磁盘配额",
        errno.EACCES: "没有权限",
        errno.EPERM: "不允许的操作",
        errno.EROFS: "只读文件系统",
        errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
        errno.EISDIR: "目标是一个文件夹",
        errno.EEXIST: "已存在同名文件",
        errno.ENOENT: "路径不存在",
        errno.ENAMETOOLONG: "文件名过长",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return f"{reason}：{exc.filename}" if exc.filename else reason


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


def from_os_error(exc: OSError, source: str) -> RunError:
    """The exit-1 error of a failed write at ``source``."""
    if is_disk_full(exc):
        return RunError("disk-full", source, detail=describe(exc))
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return RunError("out-unwritable", source, detail=describe(exc))
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return RunError("out-is-file", source)
    return RunError("out-write-failed", source, detail=describe(exc))
