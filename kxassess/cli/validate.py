"""``kxassess validate FILE…``: validation only, nothing written."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from kxassess import api
from kxassess.cli.common import (
    EXIT_INPUT,
    EXIT_USAGE,
    AllowMissingOpt,
    DebugOpt,
    JsonOpt,
    QuietOpt,
    SchemeOpt,
    SelfOpt,
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
        list[Path], typer.Argument(help="Year workbooks, or folders of 自评表 files, to check.")
    ],
    scheme: SchemeOpt = None,
    year: YearOpt = None,
    self_dir: SelfOpt = None,
    roster: Annotated[
        Path | None,
        typer.Option("--roster", help="For a folder: the year workbook whose 考核对象 to match."),
    ] = None,
    allow_missing: AllowMissingOpt = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Check workbooks (and 自评表 folders) and list every problem; exit 1 if any blocks
    scoring. A folder is checked against --scheme (and --roster, if given)."""
    set_debug(debug)
    options = api.ScoreOptions(
        scheme=scheme, year=year, allow_missing=allow_missing, self_dir=self_dir
    )
    found: dict[str, list[Issue]] = {}
    for f in files:
        try:
            with file_progress(quiet or as_json) as progress:
                if f.is_dir():
                    if scheme is None:
                        err_console.print(
                            "checking a folder of 自评表 needs --scheme", markup=False
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
            print_issues(issues, quiet)
            if not quiet:
                errors = sum(1 for i in issues if i.is_error)
                status = "[red]不能计分[/]" if errors else "[green]可以计分[/]"
                err_console.print(f"{name}: {status}（错误 {errors}，共 {len(issues)} 条）")
    if any(i.is_error for issues in found.values() for i in issues):
        raise typer.Exit(EXIT_INPUT)
