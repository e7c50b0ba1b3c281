"""Write one run's outputs: results workbook, 结果通报, 公示 (Markdown and Word), one
feedback document per unit, and the 问题清单. They are written into a staging folder
(:mod:`kxassess.writing.publish`) and published together."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from xlsxwriter.exceptions import FileCreateError

from kxassess.failures import from_os_error
from kxassess.inputs import ProgrammeInput, YearInput
from kxassess.kinds import path_for
from kxassess.result import ScoreResult
from kxassess.scheme import Scheme
from kxassess.writing.atomic import write_text, write_with
from kxassess.writing.docx import markdown_to_docx
from kxassess.writing.excel import write_results_workbook
from kxassess.writing.feedback import write_feedback
from kxassess.writing.notices import (
    NoticeOptions,
    render_issue_report,
    render_public_notice,
    render_results_notice,
)
from kxassess.writing.programme import write_programme_workbook


def _docx(text: str, path: Path) -> None:
    markdown_to_docx(text, path)


@dataclass(frozen=True)
class RankingOutputs:
    """A ranking scheme's own files: the results workbook and a feedback letter per unit."""

    scheme: Scheme

    def workbook(self, path: Path, result: ScoreResult, data: YearInput | None) -> None:
        write_results_workbook(path, self.scheme, result, data)

    def feedback(
        self, result: ScoreResult, data: YearInput | None, folder: Path, templates: Path | None
    ) -> list[Path]:
        return write_feedback(self.scheme, result, data, folder, templates)


class ProgrammeOutputs:
    """A project programme's own files: the applications workbook (no letters)."""

    def workbook(self, path: Path, result: ScoreResult, data: ProgrammeInput | None) -> None:
        write_programme_workbook(path, result, data.scores if data is not None else ())

    def feedback(
        self,
        result: ScoreResult,
        data: ProgrammeInput | None,
        folder: Path,
        templates: Path | None,
    ) -> list[Path]:
        return []


def write_outputs(
    result: ScoreResult,
    data: YearInput | ProgrammeInput | None,
    stem: str,
    out: Path,
    templates: Path | None,
    notice: NoticeOptions,
) -> list[Path]:
    """The issue report always; everything else only when nothing blocks scoring. The
    notices are rendered before anything is written, so a broken template or an unknown
    holiday year leaves no half-written results."""
    try:
        issue_report = write_text(out / f"{stem}-问题清单.md", render_issue_report(result))
        if not result.ok or result.scheme is None:
            return [issue_report]
        results_text = render_results_notice(result, notice.date, templates)
        public_text = render_public_notice(result, notice, templates)
        own = path_for(result.scheme).outputs()  # the files of the scheme's kind
        written = [
            write_with(out / f"{stem}-结果.xlsx", lambda tmp: own.workbook(tmp, result, data))
        ]
        for name, text in (("结果通报", results_text), ("公示", public_text)):
            written.append(write_text(out / f"{stem}-{name}.md", text))
            written.append(write_with(out / f"{stem}-{name}.docx", partial(_docx, text)))
        written += own.feedback(result, data, out / f"{stem}-反馈", templates)
        written.append(issue_report)
    except FileCreateError as exc:  # xlsxwriter's wrapper of the OSError of its zip file
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
        raise from_os_error(cause, str(out)) from exc
    except OSError as exc:
        raise from_os_error(exc, str(out)) from exc
    return written
