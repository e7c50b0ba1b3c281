"""One unit's self-assessment form (自评表) as staff receive it by e-mail.

Somewhere in the first rows a ``单位名称`` (and maybe ``单位编码``) label with the value in
the next cell or after a colon ("单位名称：XX学会"); then a header row holding ``指标`` or
``序号`` and ``自评分`` (usually also ``指标说明``, ``分值``, ``完成情况``, maybe ``核实``);
then one row per indicator. Title rows, merged cells (calamine leaves all but the first
cell blank), blank rows, notes and a total row (合计) are normal. This module only reads:
matching lines to the scheme's indicators is validation's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from kxassess.issues import KxError
from kxassess.reading.cells import col_letter, display_text, norm_text
from kxassess.reading.workbook import Row, open_form

LABEL_ROWS = 15
HEADER_ROWS = 40
KEY_COLUMNS = ("指标", "序号", "指标编号", "编号", "项目")
TEXT_COLUMNS = ("指标说明", "考核内容", "指标内容", "考核内容及标准", "内容")
TOTALS = ("合计", "总计", "总分", "自评总分", "小计")
NOTES = ("注", "说明", "填表说明", "备注")
_LABEL = re.compile(r"^(单位编码|单位名称|填报单位)[:：]?(.*)$")


class SelfLine(NamedTuple):
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


# Forms repeat the same texts (headers, indicator names, 完成情况) thousands of times: each
# distinct text is normalised once. Numbers are written as norm_text/display_text would.
_norm_str = lru_cache(maxsize=1 << 16)(norm_text)
_display_str = lru_cache(maxsize=1 << 16)(display_text)


def _norm(value: object) -> str:
    """:func:`norm_text` of a cell."""
    if type(value) is str:
        return _norm_str(value)
    if value is None:
        return ""
    if type(value) is float:
        return str(int(value)) if value.is_integer() else repr(value)
    return norm_text(value)


def _display(value: object) -> str:
    """:func:`display_text` of a cell."""
    if type(value) is str:
        return _display_str(value)
    if value is None:
        return ""
    if type(value) is float:
        return str(int(value)) if value.is_integer() else repr(value)
    return display_text(value)


def _label_value(values: Row, col: int, text: str) -> str:
    """A label's value: after its colon in the same cell, or the next non-empty cell."""
    match = _LABEL.match(text)
    if match and match.group(2):
        return _display(match.group(2)).lstrip(":：")
    for value in values[col + 1 :]:
        if _norm(value):
            return _display(value)
    return ""


def read_form(path: Path) -> SelfForm:
    """Read a 自评表 file; unreadable files raise KxError with the file named."""
    book = open_form(path)
    for sheet in book.sheet_names:
        form = _read_sheet(book.label, sheet, book.rows(sheet), book.note)
        if form is not None:
            uncached = book.uncached_formulas(sheet)
            if uncached:
                formulas = tuple(
                    ("formula-no-value", f"{book.label}!{sheet}!{ref}", "") for ref in uncached
                )
                form = replace(form, problems=form.problems + formulas)
            return form
    raise KxError("没有一张工作表的表头含有「指标」（或「序号」）和「自评分」", book.label)


def _read_sheet(label: str, sheet: str, rows: list[Row], note: str) -> SelfForm | None:
    header_row, columns = _find_header(rows)
    if header_row is None:
        return None
    src = f"{label}!{sheet}"
    name, code, name_ref = _unit_labels(rows[: min(header_row, LABEL_ROWS)], src)
    score_col = columns["自评分"]
    keys = [columns[k] for k in KEY_COLUMNS if k in columns]
    text_col = next((columns[k] for k in TEXT_COLUMNS if k in columns), None)
    # each row is cut or padded to the header's width and one blank cell more, which stands
    # for the columns the form lacks
    width = max(columns.values()) + 1
    text_at, report_at, verified_at = (
        width if c is None else c for c in (text_col, columns.get("完成情况"), columns.get("核实"))
    )
    score_at = f"{src}!{col_letter(score_col)}"
    key_at = f"{src}!{col_letter(keys[0] if keys else score_col)}"
    lines: list[SelfLine] = []
    total: object = None
    total_ref = ""
    for r in range(header_row + 1, len(rows)):
        first = ""
        for value in rows[r]:
            if value is not None and (first := _norm(value)):
                break
        if not first:
            continue
        values = rows[r][:width]
        values += [None] * (width + 1 - len(values))
        score = values[score_col]
        if first.startswith(TOTALS):
            total, total_ref = score, f"{score_at}{r + 1}"
            continue
        if first.startswith(NOTES):
            continue
        row = str(r + 1)
        lines.append(
            SelfLine(
                tuple([_norm(values[k]) for k in keys]),
                _display(values[text_at]),
                _display(values[report_at]),
                score,
                _norm(values[verified_at]),
                score_at + row,
                key_at + row,
            )
        )
    return SelfForm(label, sheet, name, code, name_ref, tuple(lines), total, total_ref, note)


def _unit_labels(rows: list[Row], src: str) -> tuple[str, str, str]:
    """单位名称 (and where it is) and 单位编码 from the rows above the header."""
    name = code = name_ref = ""
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            match = _LABEL.match(_norm(value))
            if not match:
                continue
            found = _label_value(values, c, _display(value).replace(" ", ""))
            if match.group(1) == "单位编码":
                code = code or _norm(found)
            elif not name:
                name, name_ref = found, f"{src}!{col_letter(c)}{r + 1}"
    return name, code, name_ref


def _find_header(rows: list[Row]) -> tuple[int | None, dict[str, int]]:
    for r, values in enumerate(rows[:HEADER_ROWS]):
        texts = [_norm(v) for v in values]
        if "自评分" in texts and any(k in texts for k in KEY_COLUMNS + TEXT_COLUMNS):
            columns: dict[str, int] = {}
            for c, t in enumerate(texts):
                if t and t not in columns:
                    columns[t] = c
            return r, columns
    return None, {}
