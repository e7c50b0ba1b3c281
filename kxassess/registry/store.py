"""Registry reads and writes. Every write of one run happens in one transaction.
Opening (checks, creation, migration, backup) is in :mod:`kxassess.registry.opening`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from kxassess.failures import RunError
from kxassess.inputs import PreviousResult
from kxassess.kinds import path_for
from kxassess.reading.cells import norm_text
from kxassess.registry.rows import ApplyOutcome, HistoryRow, MoveRow
from kxassess.registry.runs import run_counts, save_run_units
from kxassess.result import ScoreResult, UnitResult

ENV_VAR = "KXASSESS_REGISTRY"
UNFINISHED = -1  # exit status of a run that has not ended: still going, or killed
_RUN_FIELDS = (
    "started, finished, scheme, year, inputs, version, exit_code, digest, population, counts, "
    "reason"
)
DEFAULT_NAME = "kxassess.db"


def resolve_registry_path(option: Path | None) -> Path:
    """``--registry``, else ``$KXASSESS_REGISTRY``, else ``./kxassess.db``."""
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


class Registry:
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (``BEGIN IMMEDIATE``: the write lock at once). Nested
        uses join the outer one, which alone commits: a run keeps its registry writes
        open while it publishes its outputs, and rolls both back together."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise
        finally:
            self._depth = 0

    # --- reads ------------------------------------------------------------------------
    def tiers_for(self, year: int, population: str | None = None) -> dict[str, str]:
        """Each unit's tier of ``year`` (of one population when given); a unit of a scheme
        without tiers is on the year's roster with a blank tier, which fills nothing."""
        rows = self.conn.execute(
            "SELECT code, tier FROM unit_tiers WHERE year = ? AND tier != '' "
            "AND (? IS NULL OR population = ?)",
            (year, population, population),
        )
        return dict(rows.fetchall())

    def previous(self, year: int, population: str | None = None) -> dict[str, PreviousResult]:
        """Each unit's result of ``year`` (any scheme of the population; the best-ranked row
        if several)."""
        rows = self.conn.execute(
            "SELECT code, status, grade, rank, tier FROM results WHERE year = ? "
            "AND (? IS NULL OR population = ?) ORDER BY code, rank IS NULL, rank",
            (year, population, population),
        )
        out: dict[str, PreviousResult] = {}
        for code, status, grade, rank, tier in rows:
            out.setdefault(code, PreviousResult(year, status, grade, rank, tier))
        return out

    def scored_years(
        self, scheme: str | None = None, population: str | None = None
    ) -> list[tuple[str, int]]:
        rows = self.conn.execute(
            "SELECT DISTINCT scheme, year FROM results WHERE (? IS NULL OR scheme = ?) "
            "AND (? IS NULL OR population = ?) ORDER BY year, scheme",
            (scheme, scheme, population, population),
        )
        return [(s, int(y)) for s, y in rows]

    def populations(self) -> list[str]:
        """The populations the registry holds results of."""
        rows = self.conn.execute("SELECT DISTINCT population FROM results ORDER BY population")
        return [p for (p,) in rows]

    def unit_names(self, population: str) -> dict[str, str]:
        """code → the name the registry holds for each unit of one population."""
        rows = self.conn.execute("SELECT code, name FROM units WHERE population = ?", (population,))
        return dict(rows.fetchall())

    def moves(self, scheme: str, year: int) -> list[MoveRow]:
        rows = self.conn.execute(
            "SELECT scheme, year, code, name, tier, status, grade, move, next_tier, population "
            "FROM results WHERE scheme = ? AND year = ? ORDER BY position",
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

    def roster_populations(self, year: int) -> list[str]:
        """The populations with a roster of ``year``."""
        rows = self.conn.execute(
            "SELECT DISTINCT population FROM unit_tiers WHERE year = ? ORDER BY population",
            (year,),
        )
        return [p for (p,) in rows]

    def roster(
        self, year: int, population: str | None = None
    ) -> list[tuple[str, str, str, dict[str, str]]]:
        rows = self.conn.execute(
            "SELECT t.code, COALESCE(u.name, ''), t.tier, COALESCE(u.attributes, '{}') "
            "FROM unit_tiers t LEFT JOIN units u ON u.code = t.code "
            "AND u.population = t.population WHERE t.year = ? "
            "AND (? IS NULL OR t.population = ?) ORDER BY t.population, t.code",
            (year, population, population),
        )
        return [(c, n, t, json.loads(a)) for c, n, t, a in rows]

    def history(self, code: str, population: str | None = None) -> list[HistoryRow]:
        """A unit's results year by year, each row under its own population and name."""
        rows = self.conn.execute(
            "SELECT year, scheme, population, name, tier, status, total, rank, grade, move, "
            "next_tier, honours, flags FROM results WHERE code = ? "
            "AND (? IS NULL OR population = ?) ORDER BY population, year, scheme",
            (code, population, population),
        )
        return [
            HistoryRow(
                year=y,
                scheme=s,
                population=p,
                name=n,
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
            for y, s, p, n, t, st, tot, rk, g, m, nt, h, f in rows
        ]

    def unit_name(self, code: str, population: str) -> str | None:
        row = self.conn.execute(
            "SELECT name FROM units WHERE code = ? AND population = ?", (code, population)
        ).fetchone()
        return row[0] if row else None

    # --- writes -----------------------------------------------------------------------
    def open_run(self, inputs: Sequence[str], version: str) -> int:
        """A numbered run as soon as a writing run starts, committed at once with exit
        status :data:`UNFINISHED`: a run killed before it ends stays listed (未完成);
        :meth:`record_run` fills the row in when the run ends."""
        listed = json.dumps([{"path": p, "sha256": ""} for p in inputs], ensure_ascii=False)
        now = _now()
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT INTO runs (started, finished, inputs, version, exit_code, counts) "
                "VALUES (?, ?, ?, ?, ?, '{}')",
                (now, now, listed, version, UNFINISHED),
            )
        return int(cursor.lastrowid or 0)

    def record_run(
        self,
        result: ScoreResult,
        exit_code: int,
        attributes: Mapping[str, Mapping[str, str]],
        reason: str | None = None,
        run: int | None = None,
    ) -> int:
        """The numbered run (with its full results and, for a failed run, why it failed), and
        for a scored run the year's results (replacing earlier ones), the units and their
        tiers of that year — all in one transaction. ``run`` is the row :meth:`open_run`
        made when the run started (else a new row). Returns the run's number."""
        digest = results_digest(result.units) if result.units else None
        inputs = json.dumps(
            [{"path": f.path, "sha256": f.sha256} for f in result.inputs], ensure_ascii=False
        )
        scheme = result.scheme.id if result.scheme else None
        population = result.scheme.population if result.scheme else None
        values = (
            result.started,
            _now(),
            scheme,
            result.year,
            inputs,
            result.version,
            exit_code,
            digest,
            population,
            json.dumps(run_counts(result), ensure_ascii=False),
            reason,
        )
        with self.transaction():
            if run is None:
                cursor = self.conn.execute(
                    f"INSERT INTO runs ({_RUN_FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    values,
                )
                run = int(cursor.lastrowid or 0)
            else:  # the row open_run made when the run started
                fields = ", ".join(f"{name} = ?" for name in _RUN_FIELDS.split(", "))
                self.conn.execute(f"UPDATE runs SET {fields} WHERE id = ?", (*values, run))
            save_run_units(self.conn, run, result.units)
            if (
                exit_code != 0
                or not result.units
                or result.scheme is None
                or scheme is None
                or population is None
                or result.year is None
            ):
                return run
            kind = path_for(result.scheme)
            ranking = kind.roster_units  # a programme's rows are applications
            if ranking:  # the year's roster tiers are replaced whole, like its results
                self.conn.execute(
                    "DELETE FROM unit_tiers WHERE year = ? AND origin = 'roster' "
                    "AND population = ? AND code IN "
                    "(SELECT code FROM results WHERE scheme = ? AND year = ?)",
                    (result.year, population, scheme, result.year),
                )
            self.conn.execute(
                "DELETE FROM results WHERE scheme = ? AND year = ?", (scheme, result.year)
            )
            now = _now()
            known = self.unit_names(population) if ranking else {}
            blank = kind.blank_tier
            for position, u in enumerate(result.units):
                if not ranking:
                    self._insert_result(scheme, population, result.year, u, position)
                    continue
                old = known.get(u.code)
                if old is not None and norm_text(old) != norm_text(u.name):
                    self.conn.execute(
                        "INSERT INTO unit_renames VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (population, u.code, result.year, old, u.name, run, now),
                    )
                self.conn.execute(
                    "INSERT INTO units (population, code, name, attributes, updated) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (population, code) DO UPDATE SET "
                    "name = excluded.name, attributes = excluded.attributes, "
                    "updated = excluded.updated",
                    (
                        population,
                        u.code,
                        u.name,
                        json.dumps(dict(attributes.get(u.code, {})), ensure_ascii=False),
                        now,
                    ),
                )
                # every unit is on the year's roster; without tiers (类别) with a blank one
                tier = u.tier if u.tier is not None else blank
                if tier is not None:
                    self.conn.execute(
                        "INSERT OR REPLACE INTO unit_tiers (population, code, year, tier, origin) "
                        "VALUES (?, ?, ?, ?, 'roster')",
                        (population, u.code, result.year, tier),
                    )
                self._insert_result(scheme, population, result.year, u, position)
        return run

    def _insert_result(
        self, scheme: str, population: str, year: int, u: UnitResult, position: int
    ) -> None:
        components = (
            None
            if u.components is None
            else json.dumps({k: str(v) for k, v in u.components.items()})
        )
        self.conn.execute(
            "INSERT INTO results (scheme, year, code, name, tier, grp, status, total, components, "
            "rank, grade, move, next_tier, honours, flags, position, population) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                population,
            ),
        )

    def apply_moves(self, scheme: str, year: int, force: bool) -> ApplyOutcome:
        """Write every unit's tier for ``year + 1`` from the results of ``year``."""
        digest = self.digest(scheme, year)
        rows = self.moves(scheme, year)
        if digest is None or not rows:
            raise RunError("registry-no-results", str(self.path), scheme=scheme, year=year)
        applied = self.application(scheme, year)
        if applied == digest:
            return ApplyOutcome(scheme, year, 0, 0, already=True)
        if applied is not None and not force:
            raise RunError("moves-rescored", str(self.path), scheme=scheme, year=year)
        # A unit with a next tier moves on with it; a unit of a scheme without tiers has
        # neither tier nor next tier and moves on with a blank one (a programme's
        # applications have a category as tier and never move on).
        targets = [r for r in rows if r.next_tier is not None or r.tier is None]
        tiered = any(r.next_tier is not None for r in rows)
        with self.transaction():
            for r in targets:
                self.conn.execute(
                    "INSERT OR REPLACE INTO unit_tiers (population, code, year, tier, origin) "
                    "VALUES (?, ?, ?, ?, 'moves')",
                    (r.population, r.code, year + 1, r.next_tier or ""),
                )
            self.conn.execute(
                "INSERT OR REPLACE INTO tier_applications VALUES (?, ?, ?, ?)",
                (scheme, year, digest, _now()),
            )
        moved = sum(1 for r in targets if r.next_tier != r.tier)
        return ApplyOutcome(scheme, year, len(targets), moved, already=False, tiered=tiered)
