"""Sheets of the review after scoring: 变更对照 (two runs compared), 审定记录 and 异议."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kxassess.registry.diff import DiffReport, field_label
from kxassess.writing.xlsx import Book, add_sheet

STATUS_TEXT = {
    "scored": "参加考核",
    "absent": "无故未参加",
    "excused": "请假",
    "excluded": "不予考核",
}
MOVE_TEXT = {"promote": "升类", "demote": "降类", "absent": "未参加考核"}


def shown(field: str, value: Any) -> object:
    """A compared value as staff read it: 升类 for promote, 甲、乙 for a list, blank for none."""
    if value is None:
        return ""
    if field == "status":
        return STATUS_TEXT.get(value, value)
    if field == "move":
        return MOVE_TEXT.get(value, value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（无）"
    return value


def diff_rows(report: DiffReport) -> list[list[object]]:
    return [
        [c.code, c.name, field_label(c.field), shown(c.field, c.before), shown(c.field, c.after)]
        for c in report.changes
    ]


def diff_headers(report: DiffReport) -> list[str]:
    return ["单位编码", "单位名称", "项目", f"第{report.before}次运行", f"第{report.after}次运行"]


def write_diff_workbook(path: Path, report: DiffReport) -> None:
    """The 变更对照 sheet: one row per changed field of a unit, both values."""
    book = Book(path)
    add_sheet(book, "变更对照", diff_headers(report), diff_rows(report))
    book.close()
