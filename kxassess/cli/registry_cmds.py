"""``kxassess roster --year Y`` and ``kxassess history CODE`` (both per population)."""

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
from kxassess.registry import HistoryRow, resolve_registry_path
from kxassess.result import MOVE_LABELS, STATUS_LABELS, Status, flag_label

PopulationOpt = Annotated[
    str | None,
    typer.Option(
        "--population",
        help="只看这一考核对象群体（登记库中有多个群体时使用，如 cq-county）。",
    ),
]


def roster(
    year: Annotated[int, typer.Option("--year", help="导出哪一年度的名单。")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="写出的 xlsx 文件。")] = None,
    population: PopulationOpt = None,
    registry: RegistryOpt = None,
    debug: DebugOpt = False,
) -> None:
    """导出某年度的考核对象名单（单位与类别），可粘贴到下一年度工作簿的考核对象表。"""
    set_debug(debug)
    target = out or Path(f"考核对象-{year}.xlsx")
    try:
        count = api.export_roster(resolve_registry_path(registry), year, target, population)
    except KxError as exc:
        fail_on(exc)
    err_console.print(f"已写出 {target}（{count} 家单位）", markup=False)


def _year_dict(r: HistoryRow) -> dict[str, object]:
    return {
        "year": r.year,
        "scheme": r.scheme,
        "population": r.population,
        "name": r.name,
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


def history(
    code: Annotated[str, typer.Argument(help="单位编码")],
    population: PopulationOpt = None,
    registry: RegistryOpt = None,
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """某单位历年的考核结果；同一编码在不同考核对象群体中各自列出，用各自的单位名称。"""
    set_debug(debug)
    try:
        rows = api.history(resolve_registry_path(registry), code, population)
    except KxError as exc:
        fail_on(exc)
    if not rows:
        where = f"考核对象群体 {population} 中" if population else ""
        fail(f"登记库{where}没有单位编码 {code} 的考核结果")
    groups: dict[str, list[HistoryRow]] = {}
    for r in rows:
        groups.setdefault(r.population, []).append(r)
    if as_json:
        doc = {
            "code": code,
            "name": rows[-1].name if len(groups) == 1 else None,
            "populations": [
                {"population": p, "name": rs[-1].name, "years": [_year_dict(r) for r in rs]}
                for p, rs in groups.items()
            ],
            "years": [_year_dict(r) for r in rows],
        }
        typer.echo(json.dumps(doc, ensure_ascii=False))
        return
    for pop, rs in groups.items():
        table = Table(
            "年度",
            "方案",
            "单位名称",
            "类别",
            "状态",
            "总分",
            "排名",
            "等级",
            "调整",
            "下年度类别",
            "荣誉",
            "标记",
            title=f"{code} {rs[-1].name}（考核对象群体：{pop}）",
        )
        for r in rs:
            table.add_row(
                str(r.year),
                r.scheme,
                r.name,
                r.tier or "",
                STATUS_LABELS.get(Status(r.status), r.status),
                r.total or "",
                "" if r.rank is None else str(r.rank),
                r.grade or "",
                MOVE_LABELS.get(r.move, r.move or ""),
                r.next_tier or "",
                "、".join(r.honours),
                "、".join(flag_label(f) for f in r.flags),
            )
        out_console.print(table)
