"""The library behind the command line: every command is one call here.

>>> from kxassess import api
>>> result = api.score(Path("2024.xlsx"), api.ScoreOptions(out=Path("out")))
>>> result.ok, result.to_dict()["units"][0]["grade"]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kxassess import __version__
from kxassess.engine import score_year
from kxassess.engine.judges import analyse_judges
from kxassess.engine.programme import score_programme
from kxassess.failures import RunError, from_os_error
from kxassess.inputs import ProgrammeInput, YearInput
from kxassess.issues import Issue, IssueList, KxError
from kxassess.locking import lock_paths, run_lock
from kxassess.reading.workbook import open_workbook
from kxassess.registry import (
    ApplyOutcome,
    HistoryRow,
    MoveRow,
    Registry,
    backup,
    open_registry,
)
from kxassess.registry import remove_leftovers as remove_registry_leftovers
from kxassess.registry.diff import DiffReport, compare
from kxassess.registry.runs import RunInfo, get_run, last_two, list_runs, run_units
from kxassess.registry.store import results_digest
from kxassess.result import InputFile, ScoreResult
from kxassess.scheme import AnyScheme, Scheme, builtin_ids, load_builtin, load_scheme
from kxassess.scheme.check import check_scheme
from kxassess.scheme.describe import describe
from kxassess.validation import Options, Validated, validate_year
from kxassess.validation.roster import read_roster
from kxassess.validation.selfassess import Progress, read_self_folder
from kxassess.writing.publish import prepare_out, remove_leftovers

if TYPE_CHECKING:
    from kxassess.writing.notices import NoticeOptions

__all__ = [
    "ScoreOptions",
    "ScoreResult",
    "apply_tiers",
    "builtin_ids",
    "diff",
    "export_roster",
    "history",
    "list_schemes",
    "load_scheme",
    "runs",
    "score",
    "tiers",
    "validate",
]


@dataclass(frozen=True)
class ScoreOptions:
    scheme: str | None = None  # built-in id or scheme file; None = 考核设置!方案
    year: int | None = None  # None = 考核设置!年度
    allow_missing: bool = False
    trim: bool = False
    normalize: bool = False  # z-score each judge's scores per indicator (or the scheme's)
    out: Path = Path("out")
    templates: Path | None = None  # None = the built-in templates
    date: dt.date | None = None  # date printed on notices; None = today
    write: bool = True  # False: validate and score, write nothing
    registry: Path | None = None  # None: no registry (tiers from the roster only)
    wait: bool = False  # wait for another run's lock instead of failing at once
    notice_start: dt.date | None = None  # first day of the 公示; None = the notices' date
    notice_days: int | None = None  # working days of the 公示; None = the scheme's
    department: str | None = None  # where objections go; None = the scheme's
    contact: str | None = None
    phone: str | None = None
    holidays: Path | None = None  # holiday file for years the calendar does not know
    notice_date: dt.date | None = None  # the 结果通报's; None = first workday after the 公示
    doc_number: str | None = None  # the 结果通报's 文号; None = the scheme's
    self_dir: Path | None = None  # a folder of per-unit 自评表 files (--self)
    progress: Progress | None = field(default=None, compare=False)  # (done, total) of files


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _validate(
    path: Path, options: ScoreOptions, issues: IssueList, registry: Registry | None = None
) -> Validated:
    try:
        book = open_workbook(path)
    except KxError as exc:
        issues.error("unreadable", exc.source or path.name, exc.message)
        return Validated(None, options.year, None)
    return validate_year(
        book,
        Options(
            options.scheme, options.year, options.allow_missing, options.trim, options.self_dir
        ),
        issues,
        registry,
        options.progress,
    )


@contextmanager
def _maybe_registry(path: Path | None, write: bool = False) -> Iterator[Registry | None]:
    """The registry of a run: created if missing when the run writes (the caller then holds
    its lock); a run that only reads does without a registry that does not exist."""
    if path is None or (not write and not path.exists()):
        yield None
        return
    with open_registry(path, create=write, locked=write) as registry:
        yield registry


def validate(path: Path, options: ScoreOptions | None = None) -> ScoreResult:
    """Validation only: the issues of one workbook, nothing scored or written."""
    options = options or ScoreOptions()
    issues = IssueList()
    with _maybe_registry(options.registry) as registry:
        checked = _validate(path, options, issues, registry)
    return ScoreResult(checked.scheme, checked.year, (), tuple(issues), version=__version__)


def validate_forms(
    folder: Path, scheme_ref: str, roster: Path | None = None, progress: Progress | None = None
) -> list[Issue]:
    """Check a folder of 自评表 files against a scheme, and against the 考核对象 of a year
    workbook when ``roster`` is given."""
    issues = IssueList()
    scheme = load_scheme(scheme_ref)
    if not isinstance(scheme, Scheme):
        raise KxError(f"{scheme.id} 是项目申报类方案，没有自评表")
    units = None
    if roster is not None:
        units = read_roster(open_workbook(roster), scheme, issues)
    read_self_folder(folder, scheme, units, issues, progress)
    return list(issues)


def score(path: Path, options: ScoreOptions | None = None) -> ScoreResult:
    """Validate, score, rank, grade and (unless ``write`` is off) write the outputs and
    record the run in the registry.

    Input problems never raise: they are in ``result.issues`` and ``result.ok`` is False;
    then only the issue report is written (and the run's audit row). ``KxError`` is raised
    only for problems with the run itself: an output folder or registry that cannot be
    written, a damaged registry, a broken user template, another run holding the lock.
    """
    options = options or ScoreOptions()
    if not path.exists():  # a mistyped name: nothing to score, so nothing made or written
        raise RunError("input-missing", str(path))
    if options.write:
        prepare_out(options.out)
    locks = lock_paths(
        options.out if options.write else None, options.registry if options.write else None
    )
    with (
        run_lock(locks, options.wait),
        _maybe_registry(options.registry, options.write) as registry,
    ):
        run: int | None = None
        if options.write:
            remove_leftovers(options.out)
            if registry is not None:
                remove_registry_leftovers(registry.path)
                backup(registry)  # <registry>.bak: the state before this run
                run = registry.open_run([str(path)], __version__)  # listed even if killed
        result: ScoreResult | None = None
        try:
            result, data = _score(path, options, registry)
            if registry is not None:
                result = _stale_moves(result, registry)
            if not options.write:
                return result
            # the writers (openpyxl, xlsxwriter, python-docx) load only when something is written
            from kxassess.publishing import write_run
            from kxassess.writing.notices import notice_issues, publication

            notice = _notice_options(options)
            if result.ok and result.scheme is not None:
                result = replace(
                    result,
                    publication=publication(result, notice),
                    issues=result.issues + tuple(notice_issues(result, notice)),
                )
            return write_run(
                result,
                data,
                output_stem(result, path),
                options.out,
                options.templates,
                notice,
                registry,
                run,
            )
        except Exception as exc:
            if options.write and registry is not None:
                from kxassess.publishing import record_failure

                record_failure(registry, result, exc, run)
            raise


def _stale_moves(result: ScoreResult, registry: Registry) -> ScoreResult:
    """A re-score whose results differ from those whose moves were already applied
    (``tiers --promote``): next year's tiers in the registry are then out of date."""
    if not result.ok or result.scheme is None or result.year is None or not result.units:
        return result
    applied = registry.application(result.scheme.id, result.year)
    if applied is None or applied == results_digest(result.units):
        return result
    stale = Issue.of("moves-stale", result.scheme.id, scheme=result.scheme.id, year=result.year)
    return replace(result, issues=(*result.issues, stale))


def _notice_options(options: ScoreOptions) -> NoticeOptions:
    from kxassess.workdays import load_holidays
    from kxassess.writing.notices import NoticeOptions

    return NoticeOptions(
        date=options.date or dt.date.today(),
        start=options.notice_start,
        days=options.notice_days,
        department=options.department,
        contact=options.contact,
        phone=options.phone,
        holidays=load_holidays(options.holidays) if options.holidays else None,
        results_date=options.notice_date,
        doc_number=options.doc_number,
    )


def _score(
    path: Path, options: ScoreOptions, registry: Registry | None
) -> tuple[ScoreResult, YearInput | ProgrammeInput | None]:
    started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    issues = IssueList()
    clock = time.perf_counter()
    checked = _validate(path, options, issues, registry)
    timings = {"read+validate": time.perf_counter() - clock}
    inputs = (InputFile(str(path), sha256_of(path)),) if path.is_file() else ()
    result = ScoreResult(
        scheme=checked.scheme,
        year=checked.year,
        units=(),
        issues=tuple(issues),
        inputs=inputs,
        started=started,
        version=__version__,
        trim=options.trim,
        allow_missing=options.allow_missing,
        timings=timings,
    )
    clock = time.perf_counter()
    judge_issues: tuple[Issue, ...] = ()
    if isinstance(checked.data, ProgrammeInput):
        outcome = score_programme(checked.data, options.trim)
    elif checked.data is not None:
        normalize = options.normalize or checked.data.scheme.judges.normalize
        outcome = score_year(checked.data, options.trim, normalize)
        analysis = analyse_judges(checked.data, outcome.units)  # 评委分析 (SPEC §11)
        result = replace(
            result, normalize=normalize, judges=analysis.judges, agreement=analysis.agreement
        )
        judge_issues = analysis.issues
    if checked.data is not None:
        result = replace(
            result, units=tuple(outcome.units), issues=result.issues + tuple(outcome.issues)
        )
        if isinstance(checked.data, YearInput):
            result = replace(result, objections=checked.data.objections)
    result = replace(result, issues=result.issues + judge_issues)
    timings["score"] = time.perf_counter() - clock
    return result, checked.data


def output_stem(result: ScoreResult, path: Path) -> str:
    if result.scheme is None:
        return path.stem
    return f"{result.scheme.id}-{result.year}"


@dataclass(frozen=True)
class SchemeInfo:
    id: str
    title: str
    year: int
    issuer: str
    unit_kind: str


def list_schemes() -> list[SchemeInfo]:
    out = []
    for scheme_id in builtin_ids():
        s = load_builtin(scheme_id)
        out.append(SchemeInfo(s.id, s.title, s.year, s.issuer, s.unit_kind))
    return out


# --- registry commands --------------------------------------------------------------------


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
    scheme = load_builtin(scheme_id)
    return {c.id: c.name for c in scheme.components} if isinstance(scheme, Scheme) else {}


def describe_scheme(ref: str) -> dict[str, object]:
    """``scheme show``: every rule of a scheme as data (``--json`` prints it as it is)."""
    return describe(load_scheme(ref))


def check_scheme_file(ref: str) -> tuple[AnyScheme, list[Issue]]:
    """``scheme check``: load (errors raise KxError naming file and key) and look deeper."""
    scheme = load_scheme(ref)
    return scheme, check_scheme(scheme, ref) if isinstance(scheme, Scheme) else []


def make_templates(
    scheme_ref: str, out: Path, roster: Path | None = None, year: int | None = None
) -> list[Path]:
    """``template``: one blank 自评表 per unit of ``roster`` (a year workbook), or one blank."""
    scheme = load_scheme(scheme_ref)
    if not isinstance(scheme, Scheme):
        raise KxError(f"{scheme.id} 是项目申报类方案，没有自评表")
    units = None
    if roster is not None:
        issues = IssueList()
        units = read_roster(open_workbook(roster), scheme, issues)
        if issues.has_errors:
            first = issues.errors[0]
            raise KxError(f"「考核对象」表有错误：{first.message}", first.source)
    from kxassess.writing.template import write_forms

    try:
        return write_forms(scheme, year or scheme.year, units, out)
    except OSError as exc:
        raise from_os_error(exc, str(out)) from exc
