"""``kxassess schemes`` and ``kxassess scheme show ID``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kxassess import api
from kxassess.cli.common import DebugOpt, fail, out_console, set_debug
from kxassess.issues import KxError
from kxassess.numbers import as_decimal

scheme_app = typer.Typer(help="Look at schemes.", no_args_is_help=True)


def schemes() -> None:
    """List the built-in schemes."""
    table = Table("id", "名称", "年度", "发文单位", "考核对象")
    for s in api.list_schemes():
        table.add_row(s.id, s.title, str(s.year), s.issuer, s.unit_kind)
    out_console.print(table)


@scheme_app.command("show")
def show(
    scheme_id: Annotated[str, typer.Argument(help="A built-in scheme id or a scheme file.")],
    debug: DebugOpt = False,
) -> None:
    """Show a scheme's components and indicator table."""
    set_debug(debug)
    try:
        scheme = api.load_scheme(scheme_id)
    except KxError as exc:
        fail(str(exc))
    out_console.print(f"[bold]{scheme.id}[/] {scheme.title}（{scheme.year}，{scheme.issuer}）")
    for comp in scheme.components:
        out_console.print(f"- {comp.name} [dim]{comp.id}[/] 权重 {as_decimal(comp.weight):g}")
    for comp in scheme.indicator_components:
        table = Table("指标", "部分", "内容", "分值", title=comp.name)
        for ind in comp.indicators:
            table.add_row(ind.code, ind.part, ind.text, f"{as_decimal(ind.max):g}")
        out_console.print(table)
    for note in scheme.notes:
        out_console.print(f"[dim]注：{note}[/]")
