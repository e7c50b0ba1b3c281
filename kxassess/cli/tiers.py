"""``kxassess tiers [--promote]``: the moves of a scored year, and applying them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from kxassess.cli.common import (
    DebugOpt,
    JsonOpt,
    QuietOpt,
    RegistryOpt,
    WaitOpt,
    err_console,
    fail_on,
    out_console,
    piped,
    print_tsv,
    screen_table,
    set_debug,
)
from kxassess.cli.labels import grade_text, move_text, status_text
from kxassess.cli.registry_cmds import PopulationOpt
from kxassess.issues import KxError

if TYPE_CHECKING:
    from kxassess.api import TiersReport

HEADER = ("方案", "单位编码", "单位名称", "类别", "状态", "等级", "调整", "下年度类别")
KEEP = ("方案", "单位编码", "类别", "等级", "下年度类别")


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
            elif o.tiered:
                err_console.print(
                    f"{o.scheme} {o.year}年度：已写入 {o.written} 家单位的 {o.year + 1} 年度类别，"
                    f"其中 {o.moved} 家调整",
                    markup=False,
                    soft_wrap=True,
                )
            elif o.written:
                err_console.print(
                    f"{o.scheme} {o.year}年度：本方案不分类别；已把 {o.written} 家单位"
                    f"记入 {o.year + 1} 年度的考核对象名单（类别留空）",
                    markup=False,
                    soft_wrap=True,
                )
            else:
                err_console.print(
                    f"{o.scheme} {o.year}年度：本方案评审申报项目，没有下一年度的考核对象名单",
                    markup=False,
                    soft_wrap=True,
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
    kinds = {s: _kind(report, s) for s in report.applied}
    tierless = [s for s, kind in kinds.items() if kind != "tiered"]
    if piped():
        print_tsv(HEADER, rows)
    elif rows or len(tierless) < len(report.applied):
        for scheme in dict.fromkeys(row[0] for row in rows):  # one table per scheme
            title = f"{scheme} {report.year}年度类别调整（用于{report.year + 1}年度）"
            mine = [row[1:] for row in rows if row[0] == scheme]
            out_console.print(screen_table(HEADER[1:], mine, title, KEEP, drop_empty=True))
        if not rows:
            out_console.print("没有需要调整类别的单位。")
    for s, done in report.applied.items():
        if kinds[s] == "programme":
            state = "本方案评审申报项目，没有类别和升类、降类"
        elif kinds[s] == "tierless":
            state = f"本方案不分类别，没有升类、降类；{report.year + 1} 年度的考核对象名单" + (
                "已记入登记库" if done else "尚未记入（记入请运行 kxassess tiers --promote）"
            )
        elif report.stale.get(s):
            state = (
                "此前已应用，但之后重新计分且结果有变：核对后运行 "
                "kxassess tiers --promote --force 重新应用"
            )
        else:
            state = "已应用" if done else "尚未应用（应用请运行 kxassess tiers --promote）"
        err_console.print(f"{s}：{state}", markup=False, soft_wrap=True)


def _kind(report: TiersReport, scheme: str) -> str:
    """``tiered`` when the scheme's units have a tier for next year; ``tierless`` for a
    scheme without tiers (类别); ``programme`` for a project programme, whose rows are
    applications with their category (申报类别) as tier and no next tier."""
    rows = [r for r in report.rows if r.scheme == scheme]
    if any(r.next_tier is not None for r in rows):
        return "tiered"
    return "programme" if any(r.tier is not None for r in rows) else "tierless"
