"""Locks so that two runs (cron and a person, say) never interleave on one registry or
one output folder. Lock files sit beside what they guard."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from kxassess.issues import KxError


class Busy(KxError):
    """Another run holds a lock and the caller chose not to wait."""


@contextmanager
def run_lock(paths: Sequence[Path], wait: bool) -> Iterator[None]:
    """Hold every lock in ``paths`` (always taken in the same order, so two runs cannot
    deadlock). Without ``wait`` a held lock raises :class:`Busy` at once."""
    with ExitStack() as stack:
        for path in sorted({p.resolve() for p in paths}):
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(path))
            try:
                lock.acquire(timeout=-1 if wait else 0)
            except Timeout:
                raise Busy(
                    "another kxassess run is working on this now; try again later, or pass "
                    "--wait to wait for it",
                    str(path),
                ) from None
            stack.callback(lock.release)
        yield


def lock_paths(out: Path | None, registry: Path | None) -> list[Path]:
    paths = []
    if out is not None:
        paths.append(out / ".kxassess.lock")
    if registry is not None:
        paths.append(registry.with_name(registry.name + ".lock"))
    return paths
