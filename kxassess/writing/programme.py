"""The results workbook of a project programme (applications, gates, review, awards)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kxassess.inputs import Score
from kxassess.numbers import as_decimal
from kxassess.result import ScoreResult, Status, UnitResult
from kxassess.writing.xlsx import Book, add_sheet, issues_sheet, run_sheet

HEADERS = [
    "类别",
    "类内排名",
    "申报编号",
    "申报单位及项目",
    "子类",
    "资格审查",
    "不符合条件的原因",
    "优先支持",
    "专家评分",
    "表彰奖补",
    "阶段",
]


def _row(u: UnitResult) -> list[object]:
    return [
        u.group,
        u.rank,
        u.code,
        u.name,
        u.subtype,
        "通过" if u.status is Status.SCORED else "未通过",
        "；".join(u.reasons),
        "是" if "priority" in u.flags else "",
        u.total,
        "是" if u.honours else "",
        u.stage or "",
    ]


def write_programme_workbook(path: Path, result: ScoreResult, scores: Sequence[Score]) -> None:
    book = Book(path)
    add_sheet(book, "申报汇总", HEADERS, (_row(u) for u in result.units))
    for group in dict.fromkeys(u.group for u in result.units):
        members = [u for u in result.units if u.group == group]
        add_sheet(book, group, HEADERS, (_row(u) for u in members))
    ordered = sorted(scores, key=lambda s: (s.unit, s.judge))
    review = ([s.judge, s.unit, as_decimal(s.value)] for s in ordered)
    add_sheet(book, "专家评分", ["专家", "申报编号", "得分"], review)
    issues_sheet(book, result)
    run_sheet(book, result)
    book.close()
