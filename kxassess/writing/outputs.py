"""Write one run's outputs: the results workbook, the 结果通报 and the 问题清单."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from kxassess.inputs import Score
from kxassess.issues import KxError
from kxassess.result import ScoreResult
from kxassess.scheme import ProgrammeScheme
from kxassess.writing.atomic import write_text, write_with
from kxassess.writing.excel import write_results_workbook
from kxassess.writing.notices import render_issue_report, render_results_notice
from kxassess.writing.programme import write_programme_workbook


def write_outputs(
    result: ScoreResult,
    scores: Sequence[Score],
    stem: str,
    out: Path,
    templates: Path | None,
    date: dt.date,
) -> list[Path]:
    """The issue report always; the workbook and notice only when nothing blocks scoring.
    The notice is rendered before anything is written, so a broken template leaves no
    half-written results."""
    try:
        issue_report = write_text(out / f"{stem}-问题清单.md", render_issue_report(result))
        if not result.ok:
            return [issue_report]
        notice = render_results_notice(result, date, templates)
        writer = (
            write_programme_workbook
            if isinstance(result.scheme, ProgrammeScheme)
            else write_results_workbook
        )
        workbook = write_with(out / f"{stem}-结果.xlsx", lambda tmp: writer(tmp, result, scores))
        notice_path = write_text(out / f"{stem}-结果通报.md", notice)
    except OSError as exc:
        raise KxError(f"cannot write the outputs ({exc.strerror})", str(out)) from exc
    return [workbook, notice_path, issue_report]
