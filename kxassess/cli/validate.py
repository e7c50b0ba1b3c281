"""``kxassess validate FILE…``: validation only, nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kxassess import api
from kxassess.cli.common import (
    EXIT_INPUT,
    AllowMissingOpt,
    DebugOpt,
    JsonOpt,
    QuietOpt,
    SchemeOpt,
    YearOpt,
    err_console,
    print_issues,
    set_debug,
)


def validate(
    files: Annotated[list[Path], typer.Argument(help="Year workbooks to check.")],
    scheme: SchemeOpt = None,
    year: YearOpt = None,
    allow_missing: AllowMissingOpt = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Check workbooks and list every problem; exit 1 if any blocks scoring."""
    set_debug(debug)
    options = api.ScoreOptions(scheme=scheme, year=year, allow_missing=allow_missing)
    results = {str(f): api.validate(f, options) for f in files}
    if as_json:
        typer.echo(
            json.dumps(
                {name: r.to_dict()["issues"] for name, r in results.items()}, ensure_ascii=False
            )
        )
    else:
        for name, r in results.items():
            print_issues(r.issues, quiet)
            if not quiet:
                errors = sum(1 for i in r.issues if i.severity == "error")
                status = "[red]不能计分[/]" if errors else "[green]可以计分[/]"
                err_console.print(f"{name}: {status}（错误 {errors}，共 {len(r.issues)} 条）")
    if not all(r.ok for r in results.values()):
        raise typer.Exit(EXIT_INPUT)
