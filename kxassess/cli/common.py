"""Options shared by several commands, declared once; console and error handling."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

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
    typer.Option(
        "--scheme",
        metavar="方案",
        help="内置方案编号或方案文件（YAML）；优先于「考核设置」表中的「方案」。",
    ),
]
YearOpt = Annotated[
    int | None,
    typer.Option("--year", metavar="年度", help="考核年度；优先于「考核设置」表中的「年度」。"),
]
AllowMissingOpt = Annotated[
    bool,
    typer.Option(
        "--allow-missing", metavar="", help="缺少的评分按 0 分计并给出提示（年中试算用）。"
    ),
]
TrimOpt = Annotated[
    bool,
    typer.Option(
        "--trim",
        metavar="",
        help="每家单位每项指标去掉一个最高分和一个最低分（评委不少于 4 人时）。",
    ),
]
JsonOpt = Annotated[
    bool,
    typer.Option("--json", metavar="", help="在标准输出打印一份 JSON 文档，不输出其他内容。"),
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", metavar="", help="只显示错误（适合定时任务）。")
]
VerboseOpt = Annotated[
    bool,
    typer.Option("--verbose", "-v", metavar="", help="逐条显示全部提示和写出的每一个文件。"),
]
DebugOpt = Annotated[
    bool, typer.Option("--debug", metavar="", help="出错时显示程序调用栈（报告问题时用）。")
]
WorkbookArg = Annotated[
    Path, typer.Argument(metavar="工作簿", help="年度考核工作簿（xlsx、xls 或 ods）。")
]
RegistryOpt = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        metavar="文件",
        help="登记库文件（默认：环境变量 KXASSESS_REGISTRY，否则为当前目录下的 kxassess.db）。",
        show_default=False,
    ),
]
WaitOpt = Annotated[
    bool,
    typer.Option(
        "--wait", metavar="", help="另一次运行正在使用登记库或输出目录时等待，而不是立即退出。"
    ),
]


def piped() -> bool:
    """Standard output goes to a file or a pipe: print tab-separated lines, not a table."""
    return not out_console.is_terminal


def print_tsv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """One header row, then one tab-separated line per row, ready for a spreadsheet."""
    for line in [header, *rows]:
        typer.echo("\t".join(" ".join(cell.split()) for cell in line))


def screen_table(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    title: str | None = None,
    keep: Iterable[str] = (),
    drop_empty: bool = False,
) -> Table:
    """A table that stays whole on a narrow terminal: the columns named in ``keep``
    (codes, ranks, numbers) are never wrapped, every other column folds onto more lines,
    so that no total or name is cut short into ``11…``. With ``drop_empty`` a column
    empty in every row is left out (piped output keeps every column)."""
    kept = set(keep)
    lines = [list(row) for row in rows]
    shown = [
        c
        for c in range(len(header))
        if not (drop_empty and lines) or any(line[c] for line in lines)
    ]
    table = Table(title=None if title is None else escape(title))
    for c in shown:
        if header[c] in kept:
            table.add_column(header[c], no_wrap=True)
        else:
            table.add_column(header[c], overflow="fold")
    for line in lines:
        table.add_row(*(escape(line[c]) for c in shown))
    return table


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
    err_console.print(f"[bold red]错误[/]：{escape(message)}", soft_wrap=True)
    if State.debug:
        traceback.print_exc(file=sys.stderr)
    raise typer.Exit(code)


def print_issues(
    issues: tuple[Issue, ...] | list[Issue],
    quiet: bool,
    verbose: bool = False,
    more: str = "详见问题清单（--verbose 逐条显示）",
) -> None:
    """Every error; the warnings one by one with ``--verbose``, else counted in one line
    (they are all in the 问题清单)."""
    warnings = 0
    for i in issues:
        if i.is_error or verbose:
            colour = "red" if i.is_error else "yellow"
            err_console.print(
                f"[{colour}]{i.severity.label}[/] {escape(i.source)}：{escape(i.message)} "
                f"[dim]（{i.code}）[/]",
                soft_wrap=True,
            )
        else:
            warnings += 1
    if warnings and not quiet:
        err_console.print(f"[yellow]另有提示 {warnings} 条[/]，{more}")


SelfOpt = Annotated[
    Path | None,
    typer.Option(
        "--self",
        metavar="目录",
        help="各单位自评表所在的文件夹（xlsx、xls、ods、网页导出的表格或 CSV）。",
    ),
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
