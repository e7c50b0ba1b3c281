"""Locks so that two runs (cron and a person, say) never interleave on one registry or
one output folder. Lock files sit beside what they guard."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from kxassess.failures import RunError, describe


class Busy(RunError):
    """Another run holds a lock and the caller chose not to wait."""

    def __init__(self, source: str) -> None:
        super().__init__("lock-busy", source)


@contextmanager
def run_lock(paths: Sequence[Path], wait: bool) -> Iterator[None]:
    """Hold every lock in ``paths`` (always taken in the same order, so two runs cannot
    deadlock). Without ``wait`` a held lock raises :class:`Busy` at once. A lock file
    that cannot be created or opened (another user's, a read-only folder) is an error
    naming it, not a crash."""
    with ExitStack() as stack:
        for path in sorted({p.resolve() for p in paths}):
            # Lock files are shared by everyone who runs kxassess here (0666 & ~umask).
            lock = FileLock(str(path), mode=0o666)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                lock.acquire(timeout=-1 if wait else 0)
            except Timeout:
                raise Busy(str(path)) from None
            except OSError as exc:
                raise RunError("lock-unwritable", str(path), detail=describe(exc)) from exc
            stack.callback(lock.release)
        yield


def lock_paths(out: Path | None, registry: Path | None) -> list[Path]:
    paths = []
    if out is not None:
        paths.append(out / ".kxassess.lock")
    if registry is not None:
        paths.append(registry.with_name(registry.name + ".lock"))
    return paths
