"""Registry reads and writes. Every write of one run happens in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kxassess.inputs import PreviousResult
from kxassess.issues import KxError
from kxassess.registry.migrations import LATEST, migrate
from kxassess.result import ScoreResult, UnitResult
from kxassess.scheme import Scheme

ENV_VAR = "KXASSESS_REGISTRY"
DEFAULT_NAME = "kxassess.db"


def resolve_registry_path(option: Path | None) -> Path:
    """``--registry``, else ``$KXASSESS_REGISTRY``, else ``./kxassess.db`` (SPEC §7)."""
    if option is not None:
        return option
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else Path(DEFAULT_NAME)


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def results_digest(units: Sequence[UnitResult]) -> str:
    """Fingerprint of a year's results: what ``tiers --promote`` applies."""
    doc = json.dumps([u.to_dict() for u in units], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(doc.encode()).hexdigest()


@dataclass(frozen=True)
class MoveRow:
    scheme: str
    year: int
    code: str
    name: str
    tier: str | None
    status: str
    grade: str | None
    move: str | None
    next_tier: str | None


@dataclass(frozen=True)
class ApplyOutcome:
    """``written`` tiers of year + 1, of which ``moved`` differ from the unit's tier in year."""

    scheme: str
    year: int
    written: int
    moved: int
    already: bool


@dataclass(frozen=True)
class HistoryRow:
    year: int
    scheme: str
    tier: str | None
    status: str
    total: str | None
    rank: int | None
    grade: str | None
    move: str | None
    next_tier: str | None
    honours: tuple[str, ...]
    flags: tuple[str, ...]


class Registry:
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    # --- reads ------------------------------------------------------------------------
    def tiers_for(self, year: int) -> dict[str, str]:
        rows = self.conn.execute("SELECT code, tier FROM unit_tiers WHERE year = ?", (year,))
        return dict(rows.fetchall())

    def previous(self, year: int) -> dict[str, PreviousResult]:
        """Each unit's result of ``year`` (any scheme; the best-ranked row if several)."""
        rows = self.conn.execute(
            "SELECT code, status, grade, rank, tier FROM results WHERE year = ? "
            "ORDER BY code, rank IS NULL, rank",
            (year,),
        )
        out: dict[str, PreviousResult] = {}
        for code, status, grade, rank, tier in rows:
            out.setdefault(code, PreviousResult(year, status, grade, rank, tier))
        return out

    def scored_years(self, scheme: str | None = None) -> list[tuple[str, int]]:
        sql = "SELECT DISTINCT scheme, year FROM results"
        args: tuple[object, ...] = ()
        if scheme:
            sql += " WHERE scheme = ?"
            args = (scheme,)
        return [(s, int(y)) for s, y in self.conn.execute(sql + " ORDER BY year, scheme", args)]

    def moves(self, scheme: str, year: int) -> list[MoveRow]:
        rows = self.conn.execute(
            "SELECT scheme, year, code, name, tier, status, grade, move, next_tier FROM results "
            "WHERE scheme = ? AND year = ? ORDER BY position",
            (scheme, year),
        )
        return [MoveRow(*r) for r in rows]

    def digest(self, scheme: str, year: int) -> str | None:
        row = self.conn.execute(
            "SELECT digest FROM runs WHERE scheme = ? AND year = ? AND exit_code = 0 "
            "ORDER BY id DESC LIMIT 1",
            (scheme, year),
        ).fetchone()
        return row[0] if row else None

    def application(self, scheme: str, year: int) -> str | None:
        row = self.conn.execute(
            "SELECT digest FROM tier_applications WHERE scheme = ? AND year = ?", (scheme, year)
        ).fetchone()
        return row[0] if row else None

    def roster(self, year: int) -> list[tuple[str, str, str, dict[str, str]]]:
        rows = self.conn.execute(
            "SELECT t.code, COALESCE(u.name, ''), t.tier, COALESCE(u.attributes, '{}') "
            "FROM unit_tiers t LEFT JOIN units u ON u.code = t.code WHERE t.year = ? "
            "ORDER BY t.code",
            (year,),
        )
        return [(c, n, t, json.loads(a)) for c, n, t, a in rows]

    def history(self, code: str) -> list[HistoryRow]:
        rows = self.conn.execute(
            "SELECT year, scheme, tier, status, total, rank, grade, move, next_tier, honours, "
            "flags FROM results WHERE code = ? ORDER BY year, scheme",
            (code,),
        )
        return [
            HistoryRow(
                year=y,
                scheme=s,
                tier=t,
                status=st,
                total=tot,
                rank=rk,
                grade=g,
                move=m,
                next_tier=nt,
                honours=tuple(json.loads(h)),
                flags=tuple(json.loads(f)),
            )
            for y, s, t, st, tot, rk, g, m, nt, h, f in rows
        ]

    def unit_name(self, code: str) -> str | None:
        row = self.conn.execute("SELECT name FROM units WHERE code = ?", (code,)).fetchone()
        return row[0] if row else None

    # --- writes -----------------------------------------------------------------------
    def record_run(
        self, result: ScoreResult, exit_code: int, attributes: Mapping[str, Mapping[str, str]]
    ) -> None:
        """The audit row, and for a scored run the year's results (replacing earlier ones),
        the units and their tiers of that year — all in one transaction."""
        digest = results_digest(result.units) if result.units else None
        inputs = json.dumps(
            [{"path": f.path, "sha256": f.sha256} for f in result.inputs], ensure_ascii=False
        )
        scheme = result.scheme.id if result.scheme else None
        with self.conn:
            self.conn.execute(
                "INSERT INTO runs (started, finished, scheme, year, inputs, version, exit_code, "
                "digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    result.started,
                    _now(),
                    scheme,
                    result.year,
                    inputs,
                    result.version,
                    exit_code,
                    digest,
                ),
            )
            if exit_code != 0 or not result.units or scheme is None or result.year is None:
                return
            self.conn.execute(
                "DELETE FROM results WHERE scheme = ? AND year = ?", (scheme, result.year)
            )
            now = _now()
            ranking = isinstance(result.scheme, Scheme)  # a programme's rows are applications
            for position, u in enumerate(result.units):
                if not ranking:
                    self._insert_result(scheme, result.year, u, position)
                    continue
                self.conn.execute(
                    "INSERT INTO units (code, name, attributes, updated) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                    "attributes = excluded.attributes, updated = excluded.updated",
                    (
                        u.code,
                        u.name,
                        json.dumps(dict(attributes.get(u.code, {})), ensure_ascii=False),
                        now,
                    ),
                )
                if u.tier is not None:
                    self.conn.execute(
                        "INSERT OR REPLACE INTO unit_tiers VALUES (?, ?, ?, 'roster')",
                        (u.code, result.year, u.tier),
                    )
                self._insert_result(scheme, result.year, u, position)

    def _insert_result(self, scheme: str, year: int, u: UnitResult, position: int) -> None:
        components = (
            None
            if u.components is None
            else json.dumps({k: str(v) for k, v in u.components.items()})
        )
        self.conn.execute(
            "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                scheme,
                year,
                u.code,
                u.name,
                u.tier,
                u.group,
                str(u.status),
                None if u.total is None else str(u.total),
                components,
                u.rank,
                u.grade,
                u.move,
                u.next_tier,
                json.dumps(list(u.honours), ensure_ascii=False),
                json.dumps(list(u.flags), ensure_ascii=False),
                position,
            ),
        )

    def apply_moves(self, scheme: str, year: int, force: bool) -> ApplyOutcome:
        """Write every unit's tier for ``year + 1`` from the results of ``year``."""
        digest = self.digest(scheme, year)
        rows = self.moves(scheme, year)
        if digest is None or not rows:
            raise KxError(f"the registry holds no results of {scheme} for {year}", str(self.path))
        applied = self.application(scheme, year)
        if applied == digest:
            return ApplyOutcome(scheme, year, 0, 0, already=True)
        if applied is not None and not force:
            raise KxError(
                f"the moves of {scheme} {year} were applied before and the year has been "
                "re-scored since with different results; check them with `kxassess tiers` "
                "and apply again with --force",
                str(self.path),
            )
        targets = [r for r in rows if r.next_tier is not None]
        with self.conn:
            for r in targets:
                self.conn.execute(
                    "INSERT OR REPLACE INTO unit_tiers VALUES (?, ?, ?, 'moves')",
                    (r.code, year + 1, r.next_tier),
                )
            self.conn.execute(
                "INSERT OR REPLACE INTO tier_applications VALUES (?, ?, ?, ?)",
                (scheme, year, digest, _now()),
            )
        moved = sum(1 for r in targets if r.next_tier != r.tier)
        return ApplyOutcome(scheme, year, len(targets), moved, already=False)


@contextmanager
def open_registry(path: Path) -> Iterator[Registry]:
    """Open (creating if needed) and migrate the registry; a damaged file is a clear error."""
    if path.exists() and path.is_dir():
        raise KxError("the registry path is a folder, not a file", str(path))
    if path.parent != Path("") and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, timeout=30)
    except sqlite3.Error as exc:
        raise KxError(f"cannot open the registry ({exc})", str(path)) from exc
    try:
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            version = migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise KxError(
                f"the registry file is damaged or is not a kxassess registry ({exc}); restore "
                "it from a backup or point --registry / KXASSESS_REGISTRY to another file",
                str(path),
            ) from exc
        if version > LATEST:
            raise KxError(
                f"the registry was written by a newer kxassess (schema {version}, this one "
                f"knows {LATEST}); upgrade kxassess",
                str(path),
            )
        yield Registry(conn, path)
    except sqlite3.DatabaseError as exc:
        raise KxError(f"the registry could not be read or written ({exc})", str(path)) from exc
    finally:
        conn.close()
