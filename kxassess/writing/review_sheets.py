"""Sheets of the review after scoring: 变更对照 (two runs compared), 审定记录 and 异议."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kxassess.registry.diff import DiffReport, field_label
from kxassess.result import MOVE_LABELS, STATUS_LABELS, ScoreResult
from kxassess.writing.xlsx import Book, add_sheet


def shown(field: str, value: Any) -> object:
    """A compared value as staff read it: 升类 for promote, 甲、乙 for a list, blank for none."""
    if value is None:
        return "不变" if field == "move" else ""
    if field == "status":
        return STATUS_LABELS.get(value, value)
    if field == "move":
        return MOVE_LABELS.get(value, value)
    if isinstance(value, list) and not value:
        return "（无）"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


def diff_rows(report: DiffReport) -> list[list[object]]:
    return [
        [
            c.code,
            c.name,
            field_label(c.field, report.components),
            shown(c.field, c.before),
            shown(c.field, c.after),
        ]
        for c in report.changes
    ]


def diff_headers(report: DiffReport) -> list[str]:
    return ["单位编码", "单位名称", "项目", f"第{report.before}次运行", f"第{report.after}次运行"]


def write_diff_workbook(path: Path, report: DiffReport) -> None:
    """The 变更对照 sheet: one row per changed field of a unit, both values."""
    book = Book(path)
    add_sheet(book, "变更对照", diff_headers(report), diff_rows(report))
    book.close()


REVIEW_FIELDS = {"grade": "等级", "move": "升降", "honours": "荣誉"}


def _decided(field: str, value: object) -> object:
    if value is None:
        return "不变" if field == "move" else "无"
    return shown(field, value)


def review_sheets(book: Book, result: ScoreResult) -> None:
    """审定记录 (every decision applied, the formula's value and the final one) and 异议
    (every objection with its handling), when the year workbook had them."""
    rows = [
        [
            u.code,
            u.name,
            REVIEW_FIELDS.get(o.field, o.field),
            _decided(o.field, o.before),
            _decided(o.field, o.after),
            o.reason,
            o.approver,
        ]
        for u in result.units
        for o in u.overrides
    ]
    if rows:
        headers = ["单位编码", "单位名称", "项目", "计算结果", "审定结果", "理由", "审批"]
        add_sheet(book, "审定记录", headers, rows)
    if result.objections:
        names = {u.code: u.name for u in result.units}
        add_sheet(
            book,
            "异议",
            ["单位编码", "单位名称", "异议人", "内容", "处理结果", "处理日期"],
            (
                [
                    o.unit,
                    names.get(o.unit, ""),
                    o.objector,
                    o.content,
                    o.outcome or "（尚未处理）",
                    o.date,
                ]
                for o in result.objections
            ),
        )
