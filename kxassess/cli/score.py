"""``kxassess score WORKBOOK``: validate, score, rank, band, write the outputs."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kxassess import api
from kxassess.cli.common import (
    EXIT_INPUT,
    EXIT_USAGE,
    AllowMissingOpt,
    DebugOpt,
    JsonOpt,
    QuietOpt,
    RegistryOpt,
    SchemeOpt,
    SelfOpt,
    TrimOpt,
    WaitOpt,
    YearOpt,
    err_console,
    fail_on,
    file_progress,
    out_console,
    print_issues,
    set_debug,
)
from kxassess.issues import KxError
from kxassess.numbers import fmt2
from kxassess.registry import resolve_registry_path
from kxassess.result import ScoreResult, Status


def score(
    workbooks: Annotated[
        list[Path],
        typer.Argument(help="Year workbooks (xlsx, xls or ods); each is scored on its own."),
    ],
    scheme: SchemeOpt = None,
    year: YearOpt = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Folder with your own notice templates.")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Date printed on the notices (YYYY-MM-DD).")
    ] = None,
    allow_missing: AllowMissingOpt = False,
    trim: TrimOpt = False,
    top: Annotated[int, typer.Option("--top", help="Units per group shown on screen.")] = 5,
    registry: RegistryOpt = None,
    no_registry: Annotated[
        bool, typer.Option("--no-registry", help="Do not read or record the registry.")
    ] = False,
    wait: WaitOpt = False,
    notice_start: Annotated[
        str | None, typer.Option("--notice-start", help="First day of the 公示 (YYYY-MM-DD).")
    ] = None,
    notice_days: Annotated[
        int | None, typer.Option("--notice-days", min=1, help="Working days of the 公示.")
    ] = None,
    department: Annotated[
        str | None, typer.Option("--department", help="Where objections to the 公示 go.")
    ] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="Contact person.")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Contact phone.")] = None,
    holidays: Annotated[
        Path | None,
        typer.Option("--holidays", help="Holiday file (YAML) for years the calendar lacks."),
    ] = None,
    notice_date: Annotated[
        str | None,
        typer.Option(
            "--notice-date",
            help="结果通报的成文日期（年-月-日）；默认为公示期满后的第一个工作日。",
        ),
    ] = None,
    doc_number: Annotated[
        str | None,
        typer.Option("--doc-number", help="结果通报的文号，如“苏科协发〔2024〕12号”。"),
    ] = None,
    self_dir: SelfOpt = None,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Score year workbooks and write each one's results workbook, 结果通报 and 问题清单.

    Several workbooks (e.g. the four Chongqing schemes) are scored one after another into
    the same folder; their outputs are named by scheme and year, so they never mix. One
    workbook with errors is reported and the others go on; the exit code is then 1.
    """
    set_debug(debug)
    options = api.ScoreOptions(
        scheme=scheme,
        year=year,
        allow_missing=allow_missing,
        trim=trim,
        out=out,
        templates=templates,
        date=_parse_date(date),
        registry=None if no_registry else resolve_registry_path(registry),
        wait=wait,
        notice_start=_parse_date(notice_start),
        notice_days=notice_days,
        department=department,
        contact=contact,
        phone=phone,
        holidays=holidays,
        self_dir=self_dir,
        notice_date=_parse_date(notice_date),
        doc_number=doc_number,
    )
    results: list[ScoreResult] = []
    for workbook in workbooks:
        try:
            with file_progress(quiet or as_json) as progress:
                result = api.score(workbook, replace(options, progress=progress))
        except KxError as exc:
            fail_on(exc)
        results.append(result)
        if not as_json:
            _report(result, workbook, quiet, top, several=len(workbooks) > 1)
    if as_json:
        docs = [r.to_dict() for r in results]
        typer.echo(json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False))
    if not all(r.ok for r in results):
        raise typer.Exit(EXIT_INPUT)


def _report(result: ScoreResult, workbook: Path, quiet: bool, top: int, several: bool) -> None:
    if several and not quiet:
        err_console.print(f"[bold]{escape(str(workbook))}[/]")
    print_issues(result.issues, quiet)
    if result.ok and not quiet:
        _print_top(result, top)
    if not quiet or not result.ok:
        _print_outputs(result)


def _parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        err_console.print(f"a date must be YYYY-MM-DD, got {text!r}", markup=False)
        raise typer.Exit(EXIT_USAGE) from None


def _print_outputs(result: ScoreResult) -> None:
    errors = sum(1 for i in result.issues if i.severity == "error")
    if errors:
        err_console.print(f"[red]未计分[/]：{errors} 个错误阻止计分，未生成结果。")
    for path in result.outputs:
        err_console.print(f"已写出 {path}", markup=False)


def _print_top(result: ScoreResult, top: int) -> None:
    """The top of each group: a rich table on a terminal, plain lines otherwise."""
    assert result.scheme is not None
    groups = dict.fromkeys(u.group for u in result.units)
    for group in groups:
        members = [u for u in result.units if u.group == group and u.status is Status.SCORED]
        shown = [u for u in members if u.rank is not None and u.rank <= top]
        title = f"{result.year}年度 {group}（前{top}名，共{len(members)}家）"
        if not out_console.is_terminal:
            typer.echo(title)
            for u in shown:
                typer.echo(
                    f"{u.rank}\t{u.code}\t{u.name}\t{fmt2(u.total)}\t{u.grade}\t{u.move or ''}"
                )
            continue
        table = Table("排名", "单位编码", "单位名称", "总分", "等级", "升降", title=title)
        for u in shown:
            table.add_row(str(u.rank), u.code, u.name, fmt2(u.total), u.grade or "", u.move or "")
        out_console.print(table)
