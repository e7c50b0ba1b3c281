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
from kxassess.api_registry import (
    TiersReport,
    apply_tiers,
    diff,
    export_roster,
    history,
    runs,
    tiers,
)
from kxassess.failures import RunError, from_os_error
from kxassess.issues import Issue, IssueList, KxError
from kxassess.kinds import path_for
from kxassess.locking import lock_paths, run_lock
from kxassess.registry import (
    Registry,
    backup,
    open_registry,
)
from kxassess.registry import remove_leftovers as remove_registry_leftovers
from kxassess.registry.store import results_digest
from kxassess.result import InputFile, ScoreResult
from kxassess.scheme import AnyScheme, builtin_ids, load_builtin, load_scheme
from kxassess.scheme.describe import describe
from kxassess.writing.publish import prepare_out, remove_leftovers

# Reading, validation, the engine and the writers load in the call that uses them:
# listing or showing schemes needs none of them.
if TYPE_CHECKING:
    from kxassess.inputs import ProgrammeInput, YearInput
    from kxassess.validation import Validated
    from kxassess.validation.selfassess import Progress
    from kxassess.writing.notices import NoticeOptions

__all__ = [
    "ScoreOptions",
    "ScoreResult",
    "TiersReport",
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
    """The scheme and year of the workbook, then the rest read by the scheme kind's path."""
    from kxassess.reading.workbook import open_workbook
    from kxassess.validation import Options, Validated, read_header

    try:
        book = open_workbook(path)
    except KxError as exc:
        issues.error("unreadable", exc.source or path.name, exc.message)
        return Validated(None, options.year, None)
    chosen = Options(
        options.scheme, options.year, options.allow_missing, options.trim, options.self_dir
    )
    header = read_header(book, chosen, issues)
    if header.scheme is None or header.year is None:
        return header
    kind = path_for(header.scheme)
    data = kind.read(book, header.year, chosen, issues, registry, options.progress)
    return replace(header, data=data)


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
    from kxassess.reading.workbook import open_workbook
    from kxassess.validation.roster import read_roster
    from kxassess.validation.selfassess import read_self_folder

    issues = IssueList()
    scheme = path_for(load_scheme(scheme_ref)).with_forms()
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
    if checked.scheme is not None and checked.data is not None:
        kind = path_for(checked.scheme)
        result = kind.score(checked.data, result, options.trim, options.normalize)
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


def describe_scheme(ref: str) -> dict[str, object]:
    """``scheme show``: every rule of a scheme as data (``--json`` prints it as it is)."""
    return describe(load_scheme(ref))


def check_scheme_file(ref: str) -> tuple[AnyScheme, list[Issue]]:
    """``scheme check``: load (errors raise KxError naming file and key) and look deeper."""
    scheme = load_scheme(ref)
    return scheme, path_for(scheme).check(ref)


def make_templates(
    scheme_ref: str, out: Path, roster: Path | None = None, year: int | None = None
) -> list[Path]:
    """``template``: one blank 自评表 per unit of ``roster`` (a year workbook), or one blank."""
    from kxassess.reading.workbook import open_workbook
    from kxassess.validation.roster import read_roster

    scheme = path_for(load_scheme(scheme_ref)).with_forms()
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
