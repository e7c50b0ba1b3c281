"""``kxassess roster --year Y`` and ``kxassess history CODE``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from kxassess.cli.common import (
    DebugOpt,
    JsonOpt,
    RegistryOpt,
    err_console,
    fail,
    fail_on,
    out_console,
    piped,
    print_tsv,
    screen_table,
    set_debug,
)
from kxassess.cli.labels import flags_text, grade_text, move_text, status_text
from kxassess.issues import KxError

if TYPE_CHECKING:
    from kxassess.registry import HistoryRow

PopulationOpt = Annotated[
    str | None,
    typer.Option(
        "--population",
        metavar="群体",
        help="只看这一考核对象群体（登记库中有多个群体时使用，如 cq-county）。",
    ),
]

HISTORY_HEADER = (
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
)
HISTORY_KEEP = ("年度", "方案", "总分", "排名", "等级", "下年度类别")


def roster(
    year: Annotated[
        int, typer.Option("--year", metavar="年度", help="导出哪一年度的考核对象名单。")
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="文件", help="写出的 xlsx 文件（默认：考核对象-年度.xlsx）。"
        ),
    ] = None,
    population: PopulationOpt = None,
    registry: RegistryOpt = None,
    debug: DebugOpt = False,
) -> None:
    """考核对象名单：把某年度的单位及类别导出为 xlsx。

    导出的表可粘贴到下一年度工作簿的「考核对象」表。
    """
    from kxassess import api
    from kxassess.registry import resolve_registry_path

    set_debug(debug)
    target = out or Path(f"考核对象-{year}.xlsx")
    try:
        count = api.export_roster(resolve_registry_path(registry), year, target, population)
    except KxError as exc:
        fail_on(exc)
    err_console.print(f"已写出 {target}（{count} 家单位）", markup=False, soft_wrap=True)


def history(
    code: Annotated[str, typer.Argument(metavar="单位编码", help="要查看的单位的编码。")],
    population: PopulationOpt = None,
    registry: RegistryOpt = None,
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """历年结果：一家单位逐年的类别、总分、排名、等级、调整、荣誉和标记。

    同一编码在不同考核对象群体（如重庆的区县科协与市级学会）中各自列出，用各自的单位名称。
    """
    from kxassess import api
    from kxassess.registry import resolve_registry_path

    set_debug(debug)
    path = resolve_registry_path(registry)
    try:
        rows = api.history(path, code, population)
    except KxError as exc:
        fail_on(exc)
    if not rows:
        where = f"考核对象群体 {population} 中" if population else ""
        fail(f"{path}：登记库{where}没有单位 {code} 的结果")
    groups: dict[str, list[HistoryRow]] = {}
    for r in rows:
        groups.setdefault(r.population, []).append(r)
    if as_json:
        typer.echo(json.dumps(_history_json(code, groups), ensure_ascii=False))
        return
    if piped():
        lines = [[pop, *line] for pop, rs in groups.items() for line in history_rows(rs)]
        print_tsv(("考核对象群体", *HISTORY_HEADER), lines)
        return
    for pop, rs in groups.items():
        title = f"{code} {rs[-1].name}（考核对象群体：{pop}）"
        header, lines = list(HISTORY_HEADER), history_rows(rs)
        # what the title already says is not repeated in every row: fewer columns
        for column, same in (("方案", {r.scheme for r in rs}), ("单位名称", {r.name for r in rs})):
            if len(same) == 1:
                at = header.index(column)
                header.pop(at)
                lines = [line[:at] + line[at + 1 :] for line in lines]
        schemes = {r.scheme for r in rs}
        if len(schemes) == 1:
            title = f"{title}，方案 {rs[-1].scheme}"
        out_console.print(escape(title), soft_wrap=True)
        out_console.print(screen_table(header, lines, keep=HISTORY_KEEP, drop_empty=True))


def history_rows(rows: list[HistoryRow]) -> list[list[str]]:
    """A unit's years as staff read them: labels, never raw values or ``None``."""
    return [
        [
            str(r.year),
            r.scheme,
            r.name,
            r.tier or "",
            status_text(r.status),
            r.total or "",
            "" if r.rank is None else str(r.rank),
            grade_text(r.grade),
            move_text(r.move),
            r.next_tier or "",
            "、".join(r.honours),
            flags_text(r.flags, r.scheme),
        ]
        for r in rows
    ]


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


def _history_json(code: str, groups: dict[str, list[HistoryRow]]) -> dict[str, object]:
    rows = [r for rs in groups.values() for r in rs]
    return {
        "code": code,
        "name": rows[-1].name if len(groups) == 1 else None,
        "populations": [
            {"population": p, "name": rs[-1].name, "years": [_year_dict(r) for r in rs]}
            for p, rs in groups.items()
        ],
        "years": [_year_dict(r) for r in rows],
    }
