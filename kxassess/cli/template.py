"""``kxassess template SCHEME``: blank 自评表 per unit, ready to send out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kxassess.cli.common import DebugOpt, YearOpt, err_console, fail_on, set_debug
from kxassess.issues import KxError


def template(
    scheme: Annotated[str, typer.Argument(metavar="方案", help="内置方案编号或方案文件（YAML）。")],
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="目录", help="自评表写入的文件夹。")
    ] = Path("自评表"),
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            metavar="工作簿",
            help="年度工作簿，按其「考核对象」表为每家单位各写一份；不给则写一份空白表。",
        ),
    ] = None,
    year: YearOpt = None,
    debug: DebugOpt = False,
) -> None:
    """自评表：为每家单位写一份空白自评表，不给 --roster 时写一份通用空白表。

    表中有指标、分值和单位的目标，自评分单元格只能填 0 至满分。
    """
    from kxassess import api

    set_debug(debug)
    try:
        written = api.make_templates(scheme, out, roster, year)
    except KxError as exc:
        fail_on(exc)
    err_console.print(f"已写出 {len(written)} 份自评表 → {out}/", markup=False)
