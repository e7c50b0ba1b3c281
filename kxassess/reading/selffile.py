"""One unit's self-assessment form (自评表) as staff receive it by e-mail (SPEC §4).

Somewhere in the first rows a ``单位名称`` (and maybe ``单位编码``) label with the value in
the next cell or after a colon ("单位名称：XX学会"); then a header row holding ``指标`` or
``序号`` and ``自评分`` (usually also ``指标说明``, ``分值``, ``完成情况``, maybe ``核实``);
then one row per indicator. Title rows, merged cells (calamine leaves all but the first
cell blank), blank rows, notes and a total row (合计) are normal. This module only reads:
matching lines to the scheme's indicators is validation's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kxassess.issues import KxError
from kxassess.reading.cells import cell_ref, display_text, norm_text
from kxassess.reading.workbook import Row, open_workbook

LABEL_ROWS = 15
HEADER_ROWS = 40
KEY_COLUMNS = ("指标", "序号", "指标编号", "编号", "项目")
TEXT_COLUMNS = ("指标说明", "考核内容", "指标内容", "考核内容及标准", "内容")
TOTALS = ("合计", "总计", "总分", "自评总分", "小计")
_LABEL = re.compile(r"^(单位编码|单位名称|填报单位)[:：]?(.*)$")


@dataclass(frozen=True)
class SelfLine:
    """One row of the form: what identifies the indicator, and the cells that matter."""

    keys: tuple[str, ...]  # normalised values of the key columns (指标, 序号 …)
    text: str  # the indicator's description, if any
    report: str  # 完成情况
    score: object  # the raw 自评分 cell
    verified: str  # 核实 (属实/不实) if the form has that column
    ref: str  # file!sheet!cell of the 自评分 cell
    key_ref: str


@dataclass(frozen=True)
class SelfForm:
    label: str
    sheet: str
    unit_name: str = ""
    unit_code: str = ""
    name_ref: str = ""
    lines: tuple[SelfLine, ...] = ()
    total: object = None
    total_ref: str = ""
    note: str = ""
    problems: tuple[tuple[str, str, str], ...] = field(default=())  # (code, source, message)


def _label_value(values: Row, col: int, text: str) -> str:
    """A label's value: after its colon in the same cell, or the next non-empty cell."""
    match = _LABEL.match(text)
    if match and match.group(2):
        return display_text(match.group(2)).lstrip(":：")
    for value in values[col + 1 :]:
        if norm_text(value):
            return display_text(value)
    return ""


def read_form(path: Path) -> SelfForm:
    """Read a 自评表 file; unreadable files raise KxError with the file named."""
    book = open_workbook(path, text_tables=True)
    for sheet in book.sheet_names:
        form = _read_sheet(book.label, sheet, book.rows(sheet), book.note)
        if form is not None:
            uncached = book.uncached_formulas(sheet)
            if uncached:
                problems = form.problems + tuple(
                    (
                        "formula-no-value",
                        f"{book.label}!{sheet}!{ref}",
                        "",
                    )
                    for ref in uncached
                )
                form = SelfForm(**{**form.__dict__, "problems": problems})
            return form
    raise KxError("没有一张工作表的表头含有「指标」（或「序号」）和「自评分」", book.label)


def _read_sheet(label: str, sheet: str, rows: list[Row], note: str) -> SelfForm | None:
    header_row, columns = _find_header(rows)
    if header_row is None:
        return None
    src = f"{label}!{sheet}"
    name = code = name_ref = ""
    for r, values in enumerate(rows[: min(header_row, LABEL_ROWS)]):
        for c, value in enumerate(values):
            text = norm_text(value)
            match = _LABEL.match(text)
            if not match:
                continue
            found = _label_value(values, c, display_text(value).replace(" ", ""))
            if match.group(1) == "单位编码":
                code = code or norm_text(found)
            elif not name:
                name, name_ref = found, f"{src}!{cell_ref(r, c)}"
    score_col = columns["自评分"]
    keys = [columns[k] for k in KEY_COLUMNS if k in columns]
    text_col = next((columns[k] for k in TEXT_COLUMNS if k in columns), None)
    lines: list[SelfLine] = []
    total: object = None
    total_ref = ""

    def cell(values: Row, col: int | None) -> object:
        return values[col] if col is not None and col < len(values) else None

    for r in range(header_row + 1, len(rows)):
        values = rows[r]
        texts = [norm_text(v) for v in values]
        if not any(texts):
            continue
        first = next(t for t in texts if t)
        if any(first.startswith(t) for t in TOTALS):
            total, total_ref = cell(values, score_col), f"{src}!{cell_ref(r, score_col)}"
            continue
        if first.startswith(("注", "说明", "填表说明", "备注")):
            continue
        key_values = tuple(norm_text(cell(values, k)) for k in keys)
        lines.append(
            SelfLine(
                keys=key_values,
                text=display_text(cell(values, text_col)),
                report=display_text(cell(values, columns.get("完成情况"))),
                score=cell(values, score_col),
                verified=norm_text(cell(values, columns.get("核实"))),
                ref=f"{src}!{cell_ref(r, score_col)}",
                key_ref=f"{src}!{cell_ref(r, keys[0] if keys else score_col)}",
            )
        )
    return SelfForm(label, sheet, name, code, name_ref, tuple(lines), total, total_ref, note)


def _find_header(rows: list[Row]) -> tuple[int | None, dict[str, int]]:
    for r, values in enumerate(rows[:HEADER_ROWS]):
        texts = [norm_text(v) for v in values]
        if "自评分" in texts and any(k in texts for k in KEY_COLUMNS + TEXT_COLUMNS):
            columns: dict[str, int] = {}
            for c, t in enumerate(texts):
                if t and t not in columns:
                    columns[t] = c
            return r, columns
    return None, {}
