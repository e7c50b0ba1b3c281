"""``kxassess validate FILE…``: validation only, nothing written."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kxassess.cli.common import (
    EXIT_INPUT,
    EXIT_USAGE,
    AllowMissingOpt,
    DebugOpt,
    JsonOpt,
    QuietOpt,
    SchemeOpt,
    SelfOpt,
    VerboseOpt,
    YearOpt,
    err_console,
    fail_on,
    file_progress,
    print_issues,
    set_debug,
)
from kxassess.issues import Issue, KxError


def validate(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="文件", help="要检查的年度工作簿，或存放自评表的文件夹，可以给多个。"
        ),
    ],
    scheme: SchemeOpt = None,
    year: YearOpt = None,
    self_dir: SelfOpt = None,
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            metavar="工作簿",
            help="检查文件夹时：按这个年度工作簿的「考核对象」表核对单位。",
        ),
    ] = None,
    allow_missing: AllowMissingOpt = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    debug: DebugOpt = False,
) -> None:
    """校验：检查工作簿或自评表文件夹，列出全部问题，不写出任何文件。

    有阻止计分的错误时退出码为 1。检查文件夹须给 --scheme（可再给 --roster）。
    """
    from kxassess import api

    set_debug(debug)
    options = api.ScoreOptions(
        scheme=scheme, year=year, allow_missing=allow_missing, self_dir=self_dir
    )
    found: dict[str, list[Issue]] = {}
    for f in files:
        try:
            with file_progress(quiet or as_json or not (f.is_dir() or self_dir)) as progress:
                if f.is_dir():
                    if scheme is None:
                        err_console.print(
                            "错误：检查自评表文件夹须用 --scheme 指明方案", markup=False
                        )
                        raise typer.Exit(EXIT_USAGE)
                    found[str(f)] = api.validate_forms(f, scheme, roster, progress)
                else:
                    result = api.validate(f, replace(options, progress=progress))
                    found[str(f)] = list(result.issues)
        except KxError as exc:
            fail_on(exc)
    if as_json:
        typer.echo(
            json.dumps(
                {name: [i.to_dict() for i in issues] for name, issues in found.items()},
                ensure_ascii=False,
            )
        )
    else:
        for name, issues in found.items():
            print_issues(issues, quiet, verbose, more="用 --verbose 逐条显示")
            if not quiet:
                errors = sum(1 for i in issues if i.is_error)
                status = "[red]不能计分[/]" if errors else "[green]可以计分[/]"
                err_console.print(
                    f"{escape(name)}：{status}（错误 {errors} 条，提示 {len(issues) - errors} 条）"
                )
    if any(i.is_error for issues in found.values() for i in issues):
        raise typer.Exit(EXIT_INPUT)
