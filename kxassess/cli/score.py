"""``kxassess score WORKBOOK``: validate, score, rank, band, write the outputs."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

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
    VerboseOpt,
    WaitOpt,
    YearOpt,
    err_console,
    fail_on,
    file_progress,
    print_issues,
    set_debug,
)
from kxassess.cli.ranking import print_outputs, print_ranking
from kxassess.issues import KxError

if TYPE_CHECKING:
    from kxassess.result import ScoreResult


def score(
    workbooks: Annotated[
        list[Path],
        typer.Argument(
            metavar="工作簿",
            help="年度考核工作簿（xlsx、xls 或 ods），可以给多个，逐个计分。",
            show_default=False,
        ),
    ],
    scheme: SchemeOpt = None,
    year: YearOpt = None,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="目录", help="输出文件夹。")] = Path(
        "out"
    ),
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", metavar="目录", help="自己的通报模板所在文件夹（文件名与内置模板相同）。"
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="日期",
            help="公示的成文日期，写作 2024-12-20（默认：今天）；结果通报和反馈的日期见"
            " --notice-date。",
        ),
    ] = None,
    allow_missing: AllowMissingOpt = False,
    trim: TrimOpt = False,
    normalize: Annotated[
        bool,
        typer.Option(
            "--normalize",
            metavar="",
            help="专家评分先按每位专家、每项指标作 z 分数标准化，再取平均（默认不作）。",
        ),
    ] = False,
    top: Annotated[int, typer.Option("--top", metavar="家数", help="屏幕上每组显示前几名。")] = 5,
    registry: RegistryOpt = None,
    no_registry: Annotated[
        bool,
        typer.Option(
            "--no-registry",
            metavar="",
            help="不读取也不记录登记库（类别只取自「考核对象」表）。",
        ),
    ] = False,
    wait: WaitOpt = False,
    notice_start: Annotated[
        str | None,
        typer.Option(
            "--notice-start",
            metavar="日期",
            help="公示第一天，写作 2024-12-23（默认：公示的成文日期 --date，"
            "遇节假日顺延到下一个工作日）。",
        ),
    ] = None,
    notice_days: Annotated[
        int | None,
        typer.Option(
            "--notice-days",
            metavar="天数",
            help="公示期的工作日数，至少 1 天（默认：方案规定，5 天）。",
        ),
    ] = None,
    department: Annotated[
        str | None,
        typer.Option("--department", metavar="部门", help="受理公示异议的部门（默认：方案规定）。"),
    ] = None,
    contact: Annotated[
        str | None, typer.Option("--contact", metavar="姓名", help="公示联系人。")
    ] = None,
    phone: Annotated[
        str | None, typer.Option("--phone", metavar="电话", help="公示联系电话。")
    ] = None,
    holidays: Annotated[
        Path | None,
        typer.Option(
            "--holidays",
            metavar="文件",
            help="节假日文件（YAML），用于内置日历尚未收录的年份。",
        ),
    ] = None,
    notice_date: Annotated[
        str | None,
        typer.Option(
            "--notice-date",
            metavar="日期",
            help="结果通报的成文日期（年-月-日）；默认为公示期满后的第一个工作日。",
        ),
    ] = None,
    doc_number: Annotated[
        str | None,
        typer.Option(
            "--doc-number", metavar="文号", help="结果通报的文号，如“苏科协发〔2024〕12号”。"
        ),
    ] = None,
    self_dir: SelfOpt = None,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    debug: DebugOpt = False,
) -> None:
    """计分：校验、计分、排名、定等、升降类，写出结果工作簿、通报、公示、反馈和问题清单。

    可一次给多个工作簿（如重庆的四套方案），逐个计分，写入同一输出文件夹。

    文件名含方案和年度，互不混淆。某个工作簿有错误时报告错误，其余照常计分，退出码为 1。
    """
    from kxassess import api

    set_debug(debug)
    options = api.ScoreOptions(
        scheme=scheme,
        year=year,
        allow_missing=allow_missing,
        trim=trim,
        normalize=normalize,
        out=out,
        templates=templates,
        date=_parse_date(date, "--date"),
        registry=None if no_registry else _registry_path(registry),
        wait=wait,
        notice_start=_parse_date(notice_start, "--notice-start"),
        notice_days=_at_least_one(notice_days, "--notice-days"),
        department=department,
        contact=contact,
        phone=phone,
        holidays=holidays,
        self_dir=self_dir,
        notice_date=_parse_date(notice_date, "--notice-date"),
        doc_number=doc_number,
    )
    results: list[ScoreResult] = []
    for workbook in workbooks:
        try:
            with file_progress(quiet or as_json or self_dir is None) as progress:
                result = api.score(workbook, replace(options, progress=progress))
        except KxError as exc:
            fail_on(exc, as_json)
        results.append(result)
        if not as_json:
            _report(result, workbook, out, quiet, verbose, top, several=len(workbooks) > 1)
    if as_json:
        docs = [r.to_dict() for r in results]
        typer.echo(json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False))
    if not all(r.ok for r in results):
        raise typer.Exit(EXIT_INPUT)


def _registry_path(option: Path | None) -> Path:
    from kxassess.registry import resolve_registry_path

    return resolve_registry_path(option)


def _report(
    result: ScoreResult,
    workbook: Path,
    out: Path,
    quiet: bool,
    verbose: bool,
    top: int,
    several: bool,
) -> None:
    if several and not quiet:
        err_console.print(f"[bold]{escape(str(workbook))}[/]")
    print_issues(result.issues, quiet, verbose)
    if result.ok and not quiet:
        print_ranking(result, top)
        _print_judges(result)
    if not result.ok:
        errors = sum(1 for i in result.issues if i.is_error)
        err_console.print(f"[red]未计分[/]：{errors} 个错误阻止计分，未生成结果。")
    if not quiet or not result.ok:
        print_outputs(result.outputs, out, verbose)


def _print_judges(result: ScoreResult) -> None:
    """One line naming the flagged judges (偏宽、偏严、区分度不足); the detail is in 评委分析."""
    flagged = [j for j in result.judges if j.flags]
    if flagged:
        from kxassess.result import judge_flag_labels

        names = "；".join(f"{j.judge}（{judge_flag_labels(j.flags)}）" for j in flagged)
        err_console.print(f"评委分析：{names}，详见结果工作簿「评委分析」。", markup=False)


def _at_least_one(value: int | None, option: str) -> int | None:
    if value is not None and value < 1:
        err_console.print(f"错误：{option} 至少为 1，收到的是「{value}」", markup=False)
        raise typer.Exit(EXIT_USAGE)
    return value


def _parse_date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        err_console.print(
            f"错误：{option} 的日期应写作 2024-12-20 这样的 年-月-日，收到的是「{text}」",
            markup=False,
        )
        raise typer.Exit(EXIT_USAGE) from None
