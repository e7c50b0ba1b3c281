"""``kxassess runs`` (the numbered score runs) and ``kxassess diff`` (two runs compared)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

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
from kxassess.issues import KxError
from kxassess.timefmt import local_time

if TYPE_CHECKING:
    from kxassess.registry.runs import RunInfo


def runs(
    year: Annotated[
        int | None, typer.Option("--year", metavar="年度", help="只列这一年度的运行。")
    ] = None,
    registry: RegistryOpt = None,
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """列出登记库中的计分运行（编号、时间、方案、年度、输入文件、结果）。"""
    set_debug(debug)
    from kxassess import api
    from kxassess.registry import resolve_registry_path

    try:
        rows = api.runs(resolve_registry_path(registry), year)
    except KxError as exc:
        fail_on(exc)
    if as_json:
        typer.echo(json.dumps({"runs": [r.to_dict() for r in rows]}, ensure_ascii=False))
        return
    if not rows:
        err_console.print("登记库中还没有计分运行", markup=False)
        return
    if piped():
        print_tsv(RUNS_TSV, [_tsv_row(r) for r in rows])
        return
    out_console.print(
        screen_table(RUNS_SCREEN, [_screen_row(r) for r in rows], "计分运行记录", keep=RUNS_KEEP)
    )


# Piped: every count in its own column; on screen fewer, narrower columns (80 wide).
RUNS_TSV = (
    "编号", "时间", "方案", "年度", "输入文件", "文件校验值", "结果",
    "单位", "参加考核", "错误", "提示",
)  # fmt: skip
RUNS_SCREEN = ("编号", "时间", "方案与输入文件", "年度", "参加/单位", "错误/提示")
RUNS_KEEP = ("编号", "时间", "年度", "参加/单位", "错误/提示")


def _outcome(r: RunInfo) -> str:
    from kxassess.registry.store import UNFINISHED

    if r.exit_code == UNFINISHED:
        return "未完成（运行中，或被中止）"
    return "成功" if r.exit_code == 0 else "有错误，未出结果"


def _tsv_row(r: RunInfo) -> list[str]:
    c = r.counts
    return [
        str(r.number),
        local_time(r.finished),
        r.scheme or "",
        "" if r.year is None else str(r.year),
        "；".join(Path(f["path"]).name for f in r.inputs),
        "；".join(f["sha256"] for f in r.inputs),
        _outcome(r),
        *(_count(c, key) for key in ("units", "scored", "errors", "warnings")),
    ]


def _screen_row(r: RunInfo) -> list[str]:
    """Date over time, scheme over file names: the table fits an 80-column terminal."""
    from kxassess.registry.store import UNFINISHED

    c = r.counts
    failed = "未完成" if r.exit_code == UNFINISHED else "未出结果"
    shown = failed if r.exit_code else f"{_count(c, 'scored')}/{_count(c, 'units')}"
    return [
        str(r.number),
        local_time(r.finished).replace(" ", "\n"),
        "\n".join([r.scheme or "", *(Path(f["path"]).name for f in r.inputs)]),
        "" if r.year is None else str(r.year),
        shown if "units" in c or r.exit_code else "",
        f"{_count(c, 'errors')}/{_count(c, 'warnings')}" if "errors" in c else "",
    ]


def _count(counts: dict[str, int], key: str) -> str:
    return str(counts[key]) if key in counts else ""


def _cell(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def diff(
    run_a: Annotated[
        int | None,
        typer.Argument(metavar="前一次", help="前一次运行的编号（见 kxassess runs）。"),
    ] = None,
    run_b: Annotated[
        int | None, typer.Argument(metavar="后一次", help="后一次运行的编号。")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="目录", help="把变更对照表写入此文件夹（xlsx）。"),
    ] = None,
    registry: RegistryOpt = None,
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """对照两次计分运行，列出状态、总分、构成、指标得分、排名、等级、升降或荣誉有变化的单位。
    不给编号时，对照最近一个年度同一方案的最后两次成功运行。"""
    set_debug(debug)
    if (run_a is None) != (run_b is None):
        fail("请给出两次运行的编号，或都不给（对照最后两次运行）", 2)
    from kxassess import api
    from kxassess.registry import resolve_registry_path
    from kxassess.writing.review_sheets import diff_headers, diff_rows

    try:
        report, target = api.diff(resolve_registry_path(registry), run_a, run_b, out)
    except KxError as exc:
        fail_on(exc)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        title = f"第{report.before}次与第{report.after}次运行的变更对照"
        if not report.changes:
            err_console.print(f"{title}：没有变化", markup=False)
        else:
            header = diff_headers(report)
            lines = [[_cell(v) for v in row] for row in diff_rows(report)]
            if piped():
                print_tsv(header, lines)
            else:
                out_console.print(screen_table(header, lines, title, keep=("单位编码",)))
            err_console.print(
                f"共 {len(report.units)} 家单位有变化，{len(report.changes)} 项", markup=False
            )
    if target is not None:
        err_console.print(f"已写出 {target}", markup=False)
