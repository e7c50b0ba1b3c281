"""Options shared by several commands, declared once; console and error handling."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from kxassess.failures import as_issue
from kxassess.issues import Issue, KxError
from kxassess.locking import Busy

# Exit codes (documented in the README).
EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_BUSY = 4

err_console = Console(stderr=True, highlight=False)
out_console = Console(highlight=False)


class State:
    debug = False


SchemeOpt = Annotated[
    str | None,
    typer.Option("--scheme", help="Built-in scheme id or a scheme file; overrides 考核设置!方案."),
]
YearOpt = Annotated[
    int | None, typer.Option("--year", help="Assessment year; overrides 考核设置!年度.")
]
AllowMissingOpt = Annotated[
    bool,
    typer.Option(
        "--allow-missing", help="Count missing scores as 0 with a warning (provisional runs)."
    ),
]
TrimOpt = Annotated[
    bool, typer.Option("--trim", help="Drop one highest and one lowest judge score (≥ 4 judges).")
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout, nothing else.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks of failures.")]
WorkbookArg = Annotated[Path, typer.Argument(help="The year workbook (xlsx, xls or ods).")]
RegistryOpt = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        help="Registry file (default: $KXASSESS_REGISTRY, else ./kxassess.db).",
        show_default=False,
    ),
]
WaitOpt = Annotated[
    bool, typer.Option("--wait", help="Wait for another run's lock instead of failing.")
]


def set_debug(debug: bool) -> None:
    State.debug = State.debug or debug


def fail_on(exc: KxError, as_json: bool = False) -> NoReturn:
    """A library error as a message and its exit code (4 when another run holds a lock;
    1 for everything about inputs and the environment: files, folders, disk, registry).
    With ``--json`` stdout still gets one document, holding the error as its issue."""
    if as_json:
        doc = {
            "scheme": None,
            "year": None,
            "units": [],
            "issues": [as_issue(exc).to_dict()],
            "outputs": [],
        }
        typer.echo(json.dumps(doc, ensure_ascii=False))
    fail(str(exc), EXIT_BUSY if isinstance(exc, Busy) else EXIT_INPUT)


def fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    err_console.print(f"[bold red]错误[/]: {escape(message)}", soft_wrap=True)
    if State.debug:
        traceback.print_exc(file=sys.stderr)
    raise typer.Exit(code)


def print_issues(issues: tuple[Issue, ...] | list[Issue], quiet: bool) -> None:
    for i in issues:
        if i.severity == "error":
            err_console.print(
                f"[red]错误[/] {escape(i.source)}: {escape(i.message)} [dim]({i.code})[/]",
                soft_wrap=True,
            )
        elif not quiet:
            err_console.print(
                f"[yellow]提示[/] {escape(i.source)}: {escape(i.message)} [dim]({i.code})[/]",
                soft_wrap=True,
            )


SelfOpt = Annotated[
    Path | None,
    typer.Option("--self", help="A folder of per-unit 自评表 files (xlsx, xls, ods, HTML, CSV)."),
]


@contextmanager
def file_progress(quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar for reading many files, on a terminal only."""
    if quiet or not err_console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("读取自评表"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("forms", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
