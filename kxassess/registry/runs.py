"""Numbered runs (运行记录): every ``score`` run with its inputs, counts and full results.

A run keeps each unit as the score JSON has it (``UnitResult.to_dict``) plus the indicator
consensus scores, so that any two runs can be compared (``kxassess diff``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kxassess.issues import KxError
from kxassess.result import ScoreResult, Status, UnitResult


@dataclass(frozen=True)
class RunInfo:
    """One row of ``kxassess runs``."""

    number: int
    started: str
    finished: str
    scheme: str | None
    population: str | None
    year: int | None
    inputs: tuple[dict[str, str], ...]
    version: str
    exit_code: int
    counts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.number,
            "started": self.started,
            "finished": self.finished,
            "scheme": self.scheme,
            "population": self.population,
            "year": self.year,
            "inputs": list(self.inputs),
            "version": self.version,
            "exit_code": self.exit_code,
            "counts": self.counts,
        }


def run_counts(result: ScoreResult) -> dict[str, int]:
    """How many units, scored units, errors and warnings a run had."""
    errors = sum(1 for i in result.issues if i.is_error)
    return {
        "units": len(result.units),
        "scored": sum(1 for u in result.units if u.status is Status.SCORED),
        "errors": errors,
        "warnings": len(result.issues) - errors,
    }


def unit_detail(u: UnitResult) -> dict[str, Any]:
    """A unit as a run keeps it: the score JSON's fields and its indicator scores."""
    doc = u.to_dict()
    doc["indicators"] = {k: float(v) for k, v in u.indicators.items()}
    return doc


def save_run_units(conn: sqlite3.Connection, run: int, units: Sequence[UnitResult]) -> None:
    conn.executemany(
        "INSERT INTO run_units (run, position, code, name, detail) VALUES (?, ?, ?, ?, ?)",
        [
            (run, position, u.code, u.name, json.dumps(unit_detail(u), ensure_ascii=False))
            for position, u in enumerate(units)
        ],
    )


_COLUMNS = "id, started, finished, scheme, population, year, inputs, version, exit_code, counts"


def _info(row: tuple[Any, ...]) -> RunInfo:
    number, started, finished, scheme, population, year, inputs, version, code, counts = row
    return RunInfo(
        number=number,
        started=started,
        finished=finished,
        scheme=scheme,
        population=population,
        year=year,
        inputs=tuple(json.loads(inputs)),
        version=version,
        exit_code=code,
        counts=json.loads(counts or "{}"),
    )


def list_runs(conn: sqlite3.Connection, year: int | None = None) -> list[RunInfo]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM runs WHERE (? IS NULL OR year = ?) ORDER BY id",
        (year, year),
    )
    return [_info(r) for r in rows]


def get_run(conn: sqlite3.Connection, number: int, where: str) -> RunInfo:
    row = conn.execute(f"SELECT {_COLUMNS} FROM runs WHERE id = ?", (number,)).fetchone()
    if row is None:
        raise KxError(f"登记库中没有第 {number} 次运行（用 kxassess runs 查看运行记录）", where)
    return _info(row)


def run_units(conn: sqlite3.Connection, number: int) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT detail FROM run_units WHERE run = ? ORDER BY position", (number,))
    return [json.loads(d) for (d,) in rows]


def last_two(conn: sqlite3.Connection, where: str) -> tuple[int, int]:
    """The latest successful run of the latest year, and the successful run before it of
    the same scheme and year."""
    latest = conn.execute(
        "SELECT id, scheme, year FROM runs WHERE exit_code = 0 AND year IS NOT NULL "
        "ORDER BY year DESC, id DESC LIMIT 1"
    ).fetchone()
    if latest is None:
        raise KxError("登记库中还没有成功的计分运行，无法对照", where)
    number, scheme, year = latest
    before = conn.execute(
        "SELECT id FROM runs WHERE exit_code = 0 AND scheme = ? AND year = ? AND id < ? "
        "ORDER BY id DESC LIMIT 1",
        (scheme, year, number),
    ).fetchone()
    if before is None:
        raise KxError(
            f"{year}年度 {scheme} 只有一次成功的计分运行（第 {number} 次），没有可对照的上一次；"
            "请指定两次运行的编号",
            where,
        )
    return int(before[0]), int(number)
