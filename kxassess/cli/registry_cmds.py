"""``kxassess roster --year Y`` and ``kxassess history CODE``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kxassess import api
from kxassess.cli.common import (
    DebugOpt,
    JsonOpt,
    RegistryOpt,
    err_console,
    fail,
    fail_on,
    out_console,
    set_debug,
)
from kxassess.issues import KxError
from kxassess.registry import resolve_registry_path
from kxassess.result import MOVE_LABELS


def roster(
    year: Annotated[int, typer.Option("--year", help="The year whose roster to export.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="xlsx file to write.")] = None,
    registry: RegistryOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Export the roster of a year (units and tiers) for the next workbook's 考核对象 sheet."""
    set_debug(debug)
    target = out or Path(f"考核对象-{year}.xlsx")
    try:
        count = api.export_roster(resolve_registry_path(registry), year, target)
    except KxError as exc:
        fail_on(exc)
    err_console.print(f"已写出 {target}（{count} 家单位）", markup=False)


def history(
    code: Annotated[str, typer.Argument(help="单位编码")],
    registry: RegistryOpt = None,
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """A unit's results year by year."""
    set_debug(debug)
    try:
        name, rows = api.history(resolve_registry_path(registry), code)
    except KxError as exc:
        fail_on(exc)
    if not rows:
        fail(f"the registry holds no results for {code}")
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "code": code,
                    "name": name,
                    "years": [
                        {
                            "year": r.year,
                            "scheme": r.scheme,
                            "tier": r.tier,
                            "status": r.status,
                            "total": None if r.total is None else float(r.total),
                            "rank": r.rank,
                            "grade": r.grade,
                            "move": r.move,
                            "next_tier": r.next_tier,
                            "honours": list(r.honours),
                            "flags": list(r.flags),
                        }
                        for r in rows
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    table = Table(
        "年度",
        "方案",
        "类别",
        "状态",
        "总分",
        "排名",
        "等级",
        "调整",
        "下年度类别",
        "荣誉",
        "标记",
        title=f"{code} {name or ''}",
    )
    for r in rows:
        table.add_row(
            str(r.year),
            r.scheme,
            r.tier or "",
            r.status,
            r.total or "",
            "" if r.rank is None else str(r.rank),
            r.grade or "",
            MOVE_LABELS.get(r.move, r.move or ""),
            r.next_tier or "",
            "、".join(r.honours),
            "、".join(r.flags),
        )
    out_console.print(table)
