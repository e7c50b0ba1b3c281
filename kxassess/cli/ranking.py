"""What ``score`` prints: the ranking of each group and a summary of the files written."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from kxassess.cli.common import err_console, out_console

if TYPE_CHECKING:
    from kxassess.result import ScoreResult, UnitResult

# Output file name (after ``<scheme>-<year>-``) → how staff call it, in the order listed.
OUTPUT_KINDS = (
    ("结果.xlsx", "结果工作簿"),
    ("结果通报", "结果通报"),
    ("公示", "公示"),
    ("问题清单.md", "问题清单"),
)
FEEDBACK = "反馈"


def ranking_rows(result: ScoreResult, top: int) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the top ``top`` scored units of every group, with the group's
    name first; 等级/升降/荣誉 only where the scheme's results have them."""
    from kxassess.numbers import fmt2
    from kxassess.result import MOVE_LABELS, Status

    scored = [u for u in result.units if u.status is Status.SCORED]
    shown = [u for u in scored if u.rank is not None and u.rank <= top]
    columns: list[tuple[str, Callable[[UnitResult], str]]] = [
        ("组别", lambda u: u.group),
        ("排名", lambda u: str(u.rank)),
        ("单位编码", lambda u: u.code),
        ("单位名称", lambda u: u.name),
        ("总分", lambda u: fmt2(u.total)),
    ]
    if any(u.grade for u in scored):
        columns.append(("等级", lambda u: u.grade or ""))
    if any(u.move for u in scored):
        columns.append(("升降", lambda u: MOVE_LABELS.get(u.move, "")))
    if any(u.honours for u in scored):
        columns.append(("荣誉", lambda u: "、".join(u.honours)))
    header = [name for name, _ in columns]
    rows = [[get(u) for _, get in columns] for u in shown]
    return header, rows


def print_ranking(result: ScoreResult, top: int) -> None:
    """A table per group with headers on a terminal; piped, one TSV with a header row."""
    header, rows = ranking_rows(result, top)
    if not out_console.is_terminal:
        for line in [header, *rows]:
            typer.echo("\t".join(cell.replace("\t", " ") for cell in line))
        return
    groups = dict.fromkeys(u.group for u in result.units)
    for group in groups:
        members = _scored(result.units, group)
        if not members:
            continue
        table = Table(
            *header[1:],
            title=f"{result.year}年度 {group}（前{top}名，共{len(members)}家参加考核）",
        )
        for row in rows:
            if row[0] == group:
                table.add_row(*(escape(c) for c in row[1:]))
        out_console.print(table)


def _scored(units: Iterable[UnitResult], group: str) -> list[UnitResult]:
    from kxassess.result import Status

    return [u for u in units if u.group == group and u.status is Status.SCORED]


def output_summary(outputs: Sequence[str], out: Path) -> str:
    """``已写出 结果工作簿、结果通报、公示、问题清单 及 44 份反馈 → out/``."""
    kinds: list[str] = []
    feedback = 0
    others: list[str] = []
    for name in outputs:
        path = Path(name)
        if path.parent.name.endswith(f"-{FEEDBACK}"):
            feedback += path.suffix == ".md"  # a unit's letter: .md and .docx, one count
            continue
        kind = next((k for end, k in OUTPUT_KINDS if path.stem.endswith(end.split(".")[0])), None)
        if kind is None:
            others.append(path.name)
        elif kind not in kinds:
            kinds.append(kind)
    kinds.sort(key=[k for _, k in OUTPUT_KINDS].index)
    listed = "、".join(kinds + others)
    if feedback:
        listed = f"{listed} 及 {feedback} 份反馈" if listed else f"{feedback} 份反馈"
    return f"已写出 {listed} → {out}/"


def print_outputs(outputs: Sequence[str], out: Path, verbose: bool) -> None:
    if not outputs:
        return
    if verbose:
        for path in outputs:
            err_console.print(f"已写出 {path}", markup=False, soft_wrap=True)
        return
    err_console.print(output_summary(outputs, out), markup=False, soft_wrap=True)
