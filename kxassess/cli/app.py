"""The Typer application; each command lives in its own module."""

from __future__ import annotations

import sys

import typer

from kxassess import __version__
from kxassess.cli import helptext, registry_cmds
from kxassess.cli import runs as runs_cmd
from kxassess.cli import schemes as schemes_cmd
from kxassess.cli import score as score_cmd
from kxassess.cli import template as template_cmd
from kxassess.cli import tiers as tiers_cmd
from kxassess.cli import validate as validate_cmd
from kxassess.cli.common import EXIT_INPUT, EXIT_INTERNAL, State, err_console
from kxassess.cli.pipes import guard_standard_streams
from kxassess.issues import KxError

helptext.install()

app = typer.Typer(
    name="kxassess",
    help="科协年度考核批量计分：校验、计分、排名、定等、升降类，写出结果工作簿、通报和公示。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kxassess {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        metavar="",
        help="显示版本号并退出。",
    ),
) -> None:
    """kxassess：科协年度考核批量计分。"""
    guard_standard_streams()  # also when the app is called without main() (tests, scripts)


app.command("score")(score_cmd.score)
app.command("validate")(validate_cmd.validate)
app.command("schemes", help="内置方案：列出全部内置考核方案。")(schemes_cmd.schemes)
app.add_typer(
    schemes_cmd.scheme_app,
    name="scheme",
    help="方案：查看方案的指标表（show），检查自己编写的方案文件（check）。",
)
app.command("tiers")(tiers_cmd.tiers)
app.command("roster")(registry_cmds.roster)
app.command("history")(registry_cmds.history)
app.command("template")(template_cmd.template)
app.command("runs")(runs_cmd.runs)
app.command("diff")(runs_cmd.diff)


def main() -> None:
    """Console entry point: library errors become a message and an exit code; a reader
    that closes the pipe early (``| head``) ends the printing, not the run."""
    guard_standard_streams()
    try:
        app(standalone_mode=True)
    except KxError as exc:  # raised outside a command's own handling
        err_console.print(f"错误：{exc}", markup=False)
        sys.exit(EXIT_INPUT)
    except Exception as exc:  # a bug: say so plainly; --debug shows the traceback
        if State.debug:
            raise
        err_console.print(
            f"内部错误（程序缺陷）：{exc!r}。请加 --debug 重新运行，并把显示的内容报告给维护人员。",
            markup=False,
        )
        sys.exit(EXIT_INTERNAL)
