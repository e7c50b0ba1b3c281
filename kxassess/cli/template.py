"""``kxassess template SCHEME``: blank 自评表 per unit, ready to send out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kxassess import api
from kxassess.cli.common import DebugOpt, YearOpt, err_console, fail_on, set_debug
from kxassess.issues import KxError


def template(
    scheme: Annotated[str, typer.Argument(help="Built-in scheme id or a scheme file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the forms.")] = Path(
        "自评表"
    ),
    roster: Annotated[
        Path | None,
        typer.Option("--roster", help="A year workbook whose 考核对象 lists the units."),
    ] = None,
    year: YearOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write one blank 自评表 per unit (indicator table, max points, the unit's targets,
    score cells limited to 0…max), or one blank form without --roster."""
    set_debug(debug)
    try:
        written = api.make_templates(scheme, out, roster, year)
    except KxError as exc:
        fail_on(exc)
    err_console.print(f"已写出 {len(written)} 份自评表到 {out}", markup=False)
