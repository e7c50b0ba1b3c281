"""``kxassess tiers [--promote]``: the moves of a scored year, and applying them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kxassess.cli.common import (
    DebugOpt,
    JsonOpt,
    QuietOpt,
    RegistryOpt,
    WaitOpt,
    err_console,
    fail_on,
    out_console,
    set_debug,
)
from kxassess.cli.labels import grade_text, move_text, status_text
from kxassess.cli.registry_cmds import PopulationOpt
from kxassess.issues import KxError

if TYPE_CHECKING:
    from kxassess.api import TiersReport

HEADER = ("方案", "单位编码", "单位名称", "类别", "状态", "等级", "调整", "下年度类别")


def tiers(
    year: Annotated[
        int | None,
        typer.Option("--year", metavar="年度", help="已计分的年度（默认：最近一个）。"),
    ] = None,
    scheme: Annotated[
        str | None, typer.Option("--scheme", metavar="方案", help="只看这一方案。")
    ] = None,
    promote: Annotated[
        bool,
        typer.Option(
            "--promote", metavar="", help="应用调整：把每家单位下一年度的类别写入登记库。"
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", metavar="", help="该年度应用调整后又重新计分且结果有变时，仍然重新应用。"
        ),
    ] = False,
    population: PopulationOpt = None,
    registry: RegistryOpt = None,
    wait: WaitOpt = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """类别调整：显示最近一个已计分年度的升类、降类；加 --promote 则应用到下一年度。"""
    from kxassess import api
    from kxassess.registry import resolve_registry_path

    set_debug(debug)
    path = resolve_registry_path(registry)
    try:
        if promote:
            outcomes = api.apply_tiers(path, year, scheme, force, wait, population)
        report = api.tiers(path, year, scheme, population)
    except KxError as exc:
        fail_on(exc)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    elif not quiet:
        _show(report)
    if promote and not as_json:
        for o in outcomes:
            if o.already:
                err_console.print(
                    f"{o.scheme} {o.year}年度：此前已应用过，本次未作改动", markup=False
                )
            else:
                err_console.print(
                    f"{o.scheme} {o.year}年度：已写入 {o.written} 家单位的 {o.year + 1} 年度类别，"
                    f"其中 {o.moved} 家调整",
                    markup=False,
                )


def move_rows(report: TiersReport) -> list[list[str]]:
    """The units that move, as staff read them (升类, 降类, 未参加考核; no raw values)."""
    return [
        [
            r.scheme,
            r.code,
            r.name,
            r.tier or "",
            status_text(r.status),
            grade_text(r.grade),
            move_text(r.move),
            r.next_tier or "",
        ]
        for r in report.rows
        if r.move is not None
    ]


def _show(report: TiersReport) -> None:
    rows = move_rows(report)
    if not out_console.is_terminal:
        for line in [list(HEADER), *rows]:
            typer.echo("\t".join(line))
    else:
        title = f"{report.year}年度类别调整（用于{report.year + 1}年度）"
        table = Table(*HEADER, title=title)
        for row in rows:
            table.add_row(*(escape(c) for c in row))
        out_console.print(table)
        if not rows:
            out_console.print("没有需要调整类别的单位。")
    for s, done in report.applied.items():
        state = "已应用" if done else "尚未应用（应用请运行 kxassess tiers --promote）"
        err_console.print(f"{s}：{state}", markup=False)
