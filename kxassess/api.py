"""The library behind the command line: every command is one call here.

>>> from kxassess import api
>>> result = api.score(Path("2024.xlsx"), api.ScoreOptions(out=Path("out")))
>>> result.ok, result.to_dict()["units"][0]["grade"]
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from kxassess import __version__
from kxassess.engine import score_year
from kxassess.inputs import Score
from kxassess.issues import IssueList, KxError
from kxassess.reading.workbook import open_workbook
from kxassess.result import InputFile, ScoreResult
from kxassess.scheme import Scheme, builtin_ids, load_builtin, load_scheme
from kxassess.validation import Options, Validated, validate_year
from kxassess.writing.atomic import write_text, write_with
from kxassess.writing.excel import write_results_workbook
from kxassess.writing.notices import render_issue_report, render_results_notice

__all__ = [
    "ScoreOptions",
    "ScoreResult",
    "builtin_ids",
    "list_schemes",
    "load_scheme",
    "score",
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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _validate(path: Path, options: ScoreOptions, issues: IssueList) -> Validated:
    try:
        book = open_workbook(path)
    except KxError as exc:
        issues.error("unreadable", exc.source or path.name, exc.message)
        return Validated(None, options.year, None)
    return validate_year(
        book, Options(options.scheme, options.year, options.allow_missing, options.trim), issues
    )


def validate(path: Path, options: ScoreOptions | None = None) -> ScoreResult:
    """Validation only: the issues of one workbook, nothing scored or written."""
    options = options or ScoreOptions()
    issues = IssueList()
    checked = _validate(path, options, issues)
    return ScoreResult(checked.scheme, checked.year, (), tuple(issues), version=__version__)


def score(path: Path, options: ScoreOptions | None = None) -> ScoreResult:
    """Validate, score, rank, grade and (unless ``write`` is off) write the outputs.

    Input problems never raise: they are in ``result.issues`` and ``result.ok`` is False;
    then only the issue report is written. ``KxError`` is raised only for problems with
    the run itself (an output folder that cannot be written, a broken user template).
    """
    options = options or ScoreOptions()
    started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    issues = IssueList()
    checked = _validate(path, options, issues)
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
    )
    scores: tuple[Score, ...] = ()
    if checked.data is not None:
        scores = checked.data.scores
        result = replace(result, units=tuple(score_year(checked.data, options.trim)))
    if not options.write:
        return result
    return replace(result, outputs=tuple(str(p) for p in _write(result, scores, path, options)))


def output_stem(result: ScoreResult, path: Path) -> str:
    if result.scheme is None:
        return path.stem
    return f"{result.scheme.id}-{result.year}"


def _write(
    result: ScoreResult, scores: tuple[Score, ...], path: Path, options: ScoreOptions
) -> list[Path]:
    stem = output_stem(result, path)
    out = options.out
    try:
        written = [write_text(out / f"{stem}-问题清单.md", render_issue_report(result))]
        if not result.ok:
            return written
        date = options.date or dt.date.today()
        notice = render_results_notice(result, date, options.templates)
        written.insert(
            0,
            write_with(
                out / f"{stem}-结果.xlsx", lambda tmp: write_results_workbook(tmp, result, scores)
            ),
        )
        written.insert(1, write_text(out / f"{stem}-结果通报.md", notice))
    except OSError as exc:
        raise KxError(f"cannot write the outputs ({exc.strerror})", str(out)) from exc
    return written


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
        s: Scheme = load_builtin(scheme_id)
        out.append(SchemeInfo(s.id, s.title, s.year, s.issuer, s.unit_kind))
    return out
