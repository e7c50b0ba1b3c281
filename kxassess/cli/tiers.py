"""``kxassess tiers [--promote]``: the moves of a scored year, and applying them."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from kxassess import api
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
from kxassess.cli.registry_cmds import PopulationOpt
from kxassess.issues import KxError
from kxassess.registry import resolve_registry_path
from kxassess.result import MOVE_LABELS


def tiers(
    year: Annotated[
        int | None, typer.Option("--year", help="Scored year (default: the latest).")
    ] = None,
    scheme: Annotated[str | None, typer.Option("--scheme", help="Only this scheme id.")] = None,
    promote: Annotated[
        bool,
        typer.Option("--promote", help="Apply the moves: write every unit's tier for next year."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Apply again after the year was re-scored differently.")
    ] = False,
    population: PopulationOpt = None,
    registry: RegistryOpt = None,
    wait: WaitOpt = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Show the tier moves of the latest scored year; --promote applies them."""
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
                    f"{o.scheme} {o.year}: 已应用过，未作改动 (already applied; nothing changed)",
                    markup=False,
                )
            else:
                err_console.print(
                    f"{o.scheme} {o.year}: 已写入 {o.written} 家单位的 {o.year + 1} 年度类别，"
                    f"其中 {o.moved} 家调整",
                    markup=False,
                )


def _show(report: api.TiersReport) -> None:
    moved = [r for r in report.rows if r.move is not None]
    title = f"{report.year}年度类别调整（用于{report.year + 1}年度）"
    if not out_console.is_terminal:
        typer.echo(title)
        for r in moved:
            typer.echo(
                f"{r.scheme}\t{r.code}\t{r.name}\t{r.tier}\t{r.grade or ''}\t{r.move}\t"
                f"{r.next_tier}"
            )
    else:
        table = Table(
            "方案", "单位编码", "单位名称", "类别", "等级", "调整", "下年度类别", title=title
        )
        for r in moved:
            table.add_row(
                r.scheme,
                r.code,
                r.name,
                r.tier or "",
                r.grade or "",
                MOVE_LABELS.get(r.move, r.move or ""),
                r.next_tier or "",
            )
        out_console.print(table)
    for s, done in report.applied.items():
        state = "已应用" if done else "尚未应用（kxassess tiers --promote）"
        err_console.print(f"{s}: {state}", markup=False)
