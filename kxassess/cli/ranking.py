"""What ``score`` prints: the ranking of each group and a summary of the files written."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kxassess.cli.common import err_console, out_console, piped, print_tsv, screen_table

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
# Column names of a ranking scheme's units and of a project programme's applications.
UNIT_WORDS = {
    "group": "组别",
    "code": "单位编码",
    "name": "单位名称",
    "total": "总分",
    "counted": "家参加考核",
}
PROGRAMME_WORDS = {
    "group": "申报类别",
    "code": "申报编号",
    "name": "申报单位及项目",
    "total": "评审得分",
    "counted": "项通过资格审查",
}
WORDS = {"ranking": UNIT_WORDS, "programme": PROGRAMME_WORDS}  # by the scheme's kind
# Columns never wrapped on screen (the others fold): codes, ranks, totals, grades.
KEEP = ("排名", "单位编码", "申报编号", "总分", "评审得分", "等级", "升降", "表彰奖补")


def ranking_rows(result: ScoreResult, top: int) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the top ``top`` scored units of every group, with the group's
    name first; 等级/升降/荣誉 only where the scheme's results have them. A project
    programme's rows are applications: 申报类别, 申报编号, 申报单位及项目, 评审得分, 表彰奖补."""
    from kxassess.numbers import fmt2
    from kxassess.result import MOVE_LABELS, Status

    words = words_of(result)
    programme = words is PROGRAMME_WORDS
    scored = [u for u in result.units if u.status is Status.SCORED]
    shown = [u for u in scored if u.rank is not None and u.rank <= top]
    columns: list[tuple[str, Callable[[UnitResult], str]]] = [
        (words["group"], lambda u: u.group),
        ("排名", lambda u: str(u.rank)),
        (words["code"], lambda u: u.code),
        (words["name"], lambda u: u.name),
        (words["total"], lambda u: fmt2(u.total)),
    ]
    if any(u.grade for u in scored):
        columns.append(("等级", lambda u: u.grade or ""))
    if any(u.move for u in scored):
        columns.append(("升降", lambda u: MOVE_LABELS.get(u.move, "")))
    if any(u.honours for u in scored):
        if programme:
            columns.append(("表彰奖补", lambda u: "获奖补" if u.honours else ""))
        else:
            columns.append(("荣誉", lambda u: "、".join(u.honours)))
    header = [name for name, _ in columns]
    rows = [[get(u) for _, get in columns] for u in shown]
    return header, rows


def words_of(result: ScoreResult) -> dict[str, str]:
    return WORDS[result.scheme.kind] if result.scheme is not None else UNIT_WORDS


def print_ranking(result: ScoreResult, top: int) -> None:
    """A table per group with headers on a terminal; piped, one TSV with a header row."""
    header, rows = ranking_rows(result, top)
    if piped():
        print_tsv(header, rows)
        return
    groups = dict.fromkeys(u.group for u in result.units)
    for group in groups:
        members = _scored(result.units, group)
        if not members:
            continue
        counted = words_of(result)["counted"]
        title = f"{result.year}年度 {group}（前{top}名，共{len(members)}{counted}）"
        mine = [row[1:] for row in rows if row[0] == group]
        out_console.print(screen_table(header[1:], mine, title, keep=KEEP))


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
