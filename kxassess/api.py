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

from kxassess import __version__
from kxassess.engine import score_year
from kxassess.engine.programme import score_programme
from kxassess.inputs import ProgrammeInput, YearInput
from kxassess.issues import Issue, IssueList, KxError
from kxassess.locking import lock_paths, run_lock
from kxassess.reading.workbook import open_workbook
from kxassess.registry import ApplyOutcome, HistoryRow, MoveRow, Registry, open_registry
from kxassess.result import InputFile, ScoreResult
from kxassess.scheme import AnyScheme, Scheme, builtin_ids, load_builtin, load_scheme
from kxassess.scheme.check import check_scheme
from kxassess.validation import Options, Validated, validate_year
from kxassess.validation.roster import read_roster
from kxassess.validation.selfassess import Progress, read_self_folder
from kxassess.workdays import load_holidays
from kxassess.writing.atomic import write_with
from kxassess.writing.excel import write_roster
from kxassess.writing.notices import NoticeOptions, notice_issues, publication
from kxassess.writing.outputs import write_outputs
from kxassess.writing.template import write_forms

__all__ = [
    "ScoreOptions",
    "ScoreResult",
    "apply_tiers",
    "builtin_ids",
    "export_roster",
    "history",
    "list_schemes",
    "load_scheme",
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
def _maybe_registry(path: Path | None) -> Iterator[Registry | None]:
    if path is None:
        yield None
        return
    with open_registry(path) as registry:
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
        raise KxError(f"{scheme.id} is a project programme: it has no 自评表")
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
    locks = lock_paths(
        options.out if options.write else None, options.registry if options.write else None
    )
    with run_lock(locks, options.wait), _maybe_registry(options.registry) as registry:
        result, data = _score(path, options, registry)
        if not options.write:
            return result
        notice = NoticeOptions(
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
        if result.ok and result.scheme is not None:
            result = replace(
                result,
                publication=publication(result, notice),
                issues=result.issues + tuple(notice_issues(result, notice)),
            )
        clock = time.perf_counter()
        written = write_outputs(
            result, data, output_stem(result, path), options.out, options.templates, notice
        )
        result.timings["write"] = time.perf_counter() - clock
        outputs = tuple(str(p) for p in written)
        result = replace(result, outputs=outputs)
        if registry is not None:
            clock = time.perf_counter()
            units = data.units if isinstance(data, YearInput) else ()
            attributes = {u.code: u.attributes for u in units}
            registry.record_run(result, 0 if result.ok else 1, attributes)
            result.timings["registry"] = time.perf_counter() - clock
        return result


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
    if isinstance(checked.data, ProgrammeInput):
        outcome = score_programme(checked.data, options.trim)
    elif checked.data is not None:
        outcome = score_year(checked.data, options.trim)
    if checked.data is not None:
        result = replace(
            result, units=tuple(outcome.units), issues=result.issues + tuple(outcome.issues)
        )
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

    def to_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "next_year": self.year + 1,
            "applied": self.applied,
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


def _pick_year(reg: Registry, year: int | None, scheme: str | None) -> tuple[int, list[str]]:
    scored = reg.scored_years(scheme)
    if not scored:
        what = f" of {scheme}" if scheme else ""
        raise KxError(
            f"the registry holds no scored year{what}; run `kxassess score` first", str(reg.path)
        )
    chosen = year if year is not None else max(y for _, y in scored)
    schemes = [s for s, y in scored if y == chosen]
    if not schemes:
        years = ", ".join(str(y) for y in sorted({y for _, y in scored}))
        raise KxError(
            f"no results for {chosen} in the registry (scored years: {years})", str(reg.path)
        )
    return chosen, schemes


def tiers(registry: Path, year: int | None = None, scheme: str | None = None) -> TiersReport:
    with open_registry(registry) as reg:
        chosen, schemes = _pick_year(reg, year, scheme)
        rows = tuple(r for s in schemes for r in reg.moves(s, chosen))
        applied = {s: reg.application(s, chosen) == reg.digest(s, chosen) for s in schemes}
    return TiersReport(chosen, rows, applied)


def apply_tiers(
    registry: Path,
    year: int | None = None,
    scheme: str | None = None,
    force: bool = False,
    wait: bool = False,
) -> list[ApplyOutcome]:
    """``tiers --promote``: every unit's tier for year + 1, from the year's results."""
    with run_lock(lock_paths(None, registry), wait), open_registry(registry) as reg:
        chosen, schemes = _pick_year(reg, year, scheme)
        return [reg.apply_moves(s, chosen, force) for s in schemes]


def export_roster(registry: Path, year: int, target: Path) -> int:
    """The roster of ``year`` (units with their tier) as an xlsx for 考核对象."""
    with open_registry(registry) as reg:
        rows = reg.roster(year)
    if not rows:
        raise KxError(f"the registry holds no tiers for {year}", str(registry))
    write_with(target, lambda tmp: write_roster(tmp, rows))
    return len(rows)


def history(registry: Path, code: str) -> tuple[str | None, list[HistoryRow]]:
    with open_registry(registry) as reg:
        return reg.unit_name(code), reg.history(code)


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
        raise KxError(f"{scheme.id} is a project programme: it has no 自评表")
    units = None
    if roster is not None:
        issues = IssueList()
        units = read_roster(open_workbook(roster), scheme, issues)
        if issues.has_errors:
            first = issues.errors[0]
            raise KxError(f"the roster has errors: {first.message}", first.source)
    return write_forms(scheme, year or scheme.year, units, out)
