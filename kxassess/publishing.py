"""The write step of one ``score`` run, ordered so that any failure leaves the previous
consistent state: back the registry up, write every output into a staging folder, then
publish the outputs and commit the registry's results together (a failed commit puts the
previous outputs back). A run that stops gets its audit row all the same."""

from __future__ import annotations

import sqlite3
import time
from contextlib import suppress
from dataclasses import replace
from pathlib import Path

from kxassess import __version__
from kxassess.inputs import ProgrammeInput, YearInput
from kxassess.issues import KxError
from kxassess.registry import Registry
from kxassess.result import ScoreResult
from kxassess.writing.notices import NoticeOptions
from kxassess.writing.outputs import write_outputs
from kxassess.writing.publish import publish, staging

BLOCKED = "输入有错误，未计分"


def write_run(
    result: ScoreResult,
    data: YearInput | ProgrammeInput | None,
    stem: str,
    out: Path,
    templates: Path | None,
    notice: NoticeOptions,
    registry: Registry | None,
    run: int | None = None,
) -> ScoreResult:
    """Write, publish and record one run (``run``: its row, made when it started, after
    the registry's backup); returns the result with its output paths."""
    with staging(out) as staged:
        clock = time.perf_counter()
        written = write_outputs(result, data, stem, staged, templates, notice)
        result.timings["write"] = time.perf_counter() - clock
        result = replace(result, outputs=tuple(str(out / p.relative_to(staged)) for p in written))
        with publish(staged, out, stem, whole_set=result.ok):
            if registry is not None:
                clock = time.perf_counter()
                units = data.units if isinstance(data, YearInput) else ()
                attributes = {u.code: u.attributes for u in units}
                reason = None if result.ok else BLOCKED
                with registry.transaction():  # committed only with the outputs in place
                    registry.record_run(result, 0 if result.ok else 1, attributes, reason, run)
                result.timings["registry"] = time.perf_counter() - clock
    return result


def record_failure(
    registry: Registry, result: ScoreResult | None, exc: Exception, run: int | None = None
) -> None:
    """The audit row of a run that stopped: exit status and reason. Best effort: the
    error that stopped the run is what the user must see, not one about this row."""
    environment = isinstance(exc, KxError | OSError | sqlite3.Error)
    code = 1 if environment else 3
    reason = str(exc) if environment else f"内部错误：{exc!r}"
    if result is None:
        result = ScoreResult(None, None, (), (), version=__version__)
    with suppress(Exception):
        registry.record_run(result, code, {}, reason, run)
