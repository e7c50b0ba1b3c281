"""``kxassess schemes`` and ``kxassess scheme show ID``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kxassess import api
from kxassess.cli.common import DebugOpt, JsonOpt, err_console, fail, out_console, set_debug
from kxassess.issues import KxError
from kxassess.numbers import as_decimal
from kxassess.scheme import ProgrammeScheme, Scheme

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
    if isinstance(scheme, ProgrammeScheme):
        _show_programme(scheme)
    else:
        _show_ranking(scheme)
    for note in scheme.notes:
        out_console.print(f"[dim]注：{note}[/]")


@scheme_app.command("check")
def check(
    path: Annotated[str, typer.Argument(help="A scheme file (YAML) or a built-in id.")],
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Validate a user-written scheme: errors (exit 1) and warnings (exit 0)."""
    set_debug(debug)
    try:
        scheme, warnings = api.check_scheme_file(path)
    except KxError as exc:
        if as_json:
            typer.echo(
                json.dumps({"ok": False, "errors": [str(exc)], "warnings": []}, ensure_ascii=False)
            )
            raise typer.Exit(1) from None
        fail(str(exc))
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "ok": True,
                    "errors": [],
                    "warnings": [
                        {"code": w.code, "source": w.source, "message": w.message} for w in warnings
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    for w in warnings:
        err_console.print(
            f"[yellow]提示[/] {escape(w.source)}: {escape(w.message)} [dim]({w.code})[/]"
        )
    err_console.print(f"[green]可以使用[/]：{escape(scheme.id)}（{len(warnings)} 条提示）")


def _show_ranking(scheme: Scheme) -> None:
    for comp in scheme.components:
        out_console.print(f"- {comp.name} [dim]{comp.id}[/] 权重 {as_decimal(comp.weight):g}")
    for comp in scheme.indicator_components:
        table = Table("指标", "部分", "内容", "分值", title=comp.name)
        for ind in comp.indicators:
            points = f"{as_decimal(ind.max):g}"
            if ind.rate is not None:
                points += f"（{as_decimal(ind.rate):g}分/项）"
            if ind.inferred:
                points += " 推定"
            table.add_row(ind.code, ind.part, ind.text, points)
        out_console.print(table)
        if comp.judge_groups:
            groups = "、".join(
                f"{g.name} {as_decimal(g.weight * 100):g}%" for g in comp.judge_groups
            )
            out_console.print(f"评委组：{groups}")
        if comp.events is not None:
            events = Table("代码", "加/扣", "事项", "每次分值", title="加减分项")
            for item in comp.events.items:
                for r in item.rates:
                    kind = "加分" if item.kind == "bonus" else "扣分"
                    events.add_row(
                        r.code, kind, f"{item.text} {r.text}".strip(), f"{as_decimal(r.rate):g}"
                    )
            out_console.print(events)
    if scheme.targets:
        targets = Table("指标", "目标", "按单位或属性", title="分单位目标")
        for t in scheme.targets:
            values = t.by_unit or t.by_attribute or {}
            spec = "；".join(f"{k} {as_decimal(v):g}{t.unit}" for k, v in values.items())
            targets.add_row(t.indicator, t.text, (f"{t.attribute}：" if t.attribute else "") + spec)
        out_console.print(targets)


def _show_programme(scheme: ProgrammeScheme) -> None:
    table = Table("类别", "子类", "附加条件", "奖补上限", title="申报类别")
    for c in scheme.categories:
        gates = "；".join(g.reason for g in c.gates)
        top = "" if c.max_awards is None else f"{c.max_awards}项"
        table.add_row(c.name, "、".join(c.subtypes), gates, top)
    out_console.print(table)
    for g in scheme.gates:
        out_console.print(f"- 资格条件（{g.stage}）：{g.reason}")
    if scheme.priority is not None:
        out_console.print(
            f"- 优先支持：{scheme.priority.column} {scheme.priority.rating_at_least}以上"
        )
    if scheme.pass_score is not None:
        out_console.print(f"- 奖补最低分：{as_decimal(scheme.pass_score):g}")
