"""The registry's commands of the library (``tiers``, ``roster``, ``history``, ``runs``,
``diff``): each opens the registry, reads or applies, and returns data for the command
line. Re-exported by :mod:`kxassess.api`, where callers find them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from kxassess.failures import RunError, from_os_error
from kxassess.issues import KxError
from kxassess.kinds import path_for
from kxassess.locking import lock_paths, run_lock
from kxassess.registry import (
    ApplyOutcome,
    HistoryRow,
    MoveRow,
    Registry,
    backup,
    open_registry,
)
from kxassess.registry.diff import DiffReport, compare
from kxassess.registry.runs import RunInfo, get_run, last_two, list_runs, run_units
from kxassess.scheme import builtin_ids, load_builtin


@dataclass(frozen=True)
class TiersReport:
    """The moves of one scored year (every scheme scored that year, or the one asked for)."""

    year: int
    rows: tuple[MoveRow, ...]
    applied: dict[str, bool]  # scheme → moves already applied with these very results
    stale: dict[str, bool] = field(default_factory=dict)  # applied, then re-scored differently

    def to_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "next_year": self.year + 1,
            "applied": self.applied,
            "stale": self.stale,
            "moves": [
                {
                    "scheme": r.scheme,
                    "code": r.code,
                    "name": r.name,
                    "tier": r.tier,
                    "status": r.status,
                    "grade": r.grade,
                    "move": r.move,
                    "next_tier": r.next_tier,
                }
                for r in self.rows
                if r.move is not None
            ],
        }


def _pick_year(
    reg: Registry, year: int | None, scheme: str | None, population: str | None = None
) -> tuple[int, list[str]]:
    scored = reg.scored_years(scheme, population)
    if not scored:
        what = f"方案 {scheme} " if scheme else ""
        raise RunError("registry-no-scored-year", str(reg.path), what=what)
    chosen = year if year is not None else max(y for _, y in scored)
    schemes = [s for s, y in scored if y == chosen]
    if not schemes:
        years = "、".join(str(y) for y in sorted({y for _, y in scored}))
        raise RunError("registry-no-year", str(reg.path), year=chosen, years=years)
    return chosen, schemes


def tiers(
    registry: Path,
    year: int | None = None,
    scheme: str | None = None,
    population: str | None = None,
) -> TiersReport:
    with open_registry(registry, create=False) as reg:
        chosen, schemes = _pick_year(reg, year, scheme, population)
        rows = tuple(r for s in schemes for r in reg.moves(s, chosen))
        applications = {s: reg.application(s, chosen) for s in schemes}
        digests = {s: reg.digest(s, chosen) for s in schemes}
    applied = {s: applications[s] == digests[s] for s in schemes}
    stale = {s: applications[s] is not None and not applied[s] for s in schemes}
    return TiersReport(chosen, rows, applied, stale)


def apply_tiers(
    registry: Path,
    year: int | None = None,
    scheme: str | None = None,
    force: bool = False,
    wait: bool = False,
    population: str | None = None,
) -> list[ApplyOutcome]:
    """``tiers --promote``: every unit's tier for year + 1, from the year's results."""
    if not registry.exists():  # before the lock, which would create its folder
        raise RunError("registry-missing", str(registry))
    with (
        run_lock(lock_paths(None, registry), wait),
        open_registry(registry, create=False, locked=True) as reg,
    ):
        chosen, schemes = _pick_year(reg, year, scheme, population)
        backup(reg)
        return [reg.apply_moves(s, chosen, force) for s in schemes]


def export_roster(registry: Path, year: int, target: Path, population: str | None = None) -> int:
    """The roster of ``year`` (units with their tier) as an xlsx for 考核对象."""
    with open_registry(registry, create=False) as reg:
        rows = reg.roster(year, population)
        populations = reg.roster_populations(year) if population is None else []
    if len(populations) > 1:  # one 考核对象 sheet never mixes units that share codes
        raise RunError("roster-populations", str(registry), year=year, names="、".join(populations))
    if not rows:
        raise RunError("registry-no-tiers", str(registry), year=year)
    if target.is_dir():
        raise RunError("out-write-failed", str(target), detail="目标是一个文件夹")
    from kxassess.writing.atomic import write_with
    from kxassess.writing.excel import write_roster

    try:
        write_with(target, lambda tmp: write_roster(tmp, rows))
    except OSError as exc:
        raise from_os_error(exc, str(target)) from exc
    return len(rows)


def history(registry: Path, code: str, population: str | None = None) -> list[HistoryRow]:
    """A unit's results year by year; each row carries its population and the unit's name
    there (Chongqing's four populations all number from CQ001)."""
    with open_registry(registry, create=False) as reg:
        return reg.history(code, population)


def runs(registry: Path, year: int | None = None) -> list[RunInfo]:
    """``kxassess runs``: the numbered score runs (of one year when given)."""
    with open_registry(registry, create=False) as reg:
        return list_runs(reg.conn, year)


def diff(
    registry: Path, before: int | None = None, after: int | None = None, out: Path | None = None
) -> tuple[DiffReport, Path | None]:
    """``kxassess diff``: what changed between two runs (default: the last two successful
    runs of the latest year, same scheme); with ``out`` also the 变更对照 workbook."""
    where = str(registry)
    with open_registry(registry, create=False) as reg:
        if before is None or after is None:
            before, after = last_two(reg.conn, where)
        kept = [run_units(reg.conn, get_run(reg.conn, n, where).number) for n in (before, after)]
        for number, units in zip((before, after), kept, strict=True):
            if not units:
                raise KxError(
                    f"第 {number} 次运行没有保存结果（该次运行有错误，或由旧版本记录），无法对照",
                    where,
                )
        report = replace(
            compare(before, after, *kept),
            components=_component_names(get_run(reg.conn, after, where).scheme),
        )
    target = None
    if out is not None:
        from kxassess.writing.atomic import write_with
        from kxassess.writing.review_sheets import write_diff_workbook

        target = out / f"变更对照-第{before}次-第{after}次运行.xlsx"
        write_with(target, lambda tmp: write_diff_workbook(tmp, report))
    return report, target


def _component_names(scheme_id: str | None) -> dict[str, str]:
    """The components' names of a built-in scheme (a scheme file's path is not kept)."""
    if scheme_id is None or scheme_id not in builtin_ids():
        return {}
    return path_for(load_builtin(scheme_id)).component_names()
