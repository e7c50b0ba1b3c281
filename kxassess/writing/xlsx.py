"""Sheet primitives of the results workbooks, on xlsxwriter in constant-memory mode.

Chosen by measurement (BENCHMARKS.md): a national year's judge sheet has about two million
cells, and xlsxwriter streams them several times faster than openpyxl. Rows are written in
order; formats are set as cells are written, grade colours are conditional formats, and
column widths come from the first rows of each sheet. The rows below a sheet's header are
pieced from each distinct value's cell XML (:mod:`kxassess.writing.xlsx_rows`), the same
bytes as xlsxwriter's own calls at about a fifth of the time."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import partial
from itertools import islice
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from kxassess.result import ScoreResult
from kxassess.scheme.rules import DEFAULT_MARK
from kxassess.timefmt import local_time
from kxassess.writing.xlsx_rows import write_rows
from kxassess.writing.xlsx_zip import zip_level

HEADER_COLOUR = "#DDEBF7"
GRADE_COLOURS = ["#C6EFCE", "#FFEB9C", "#FCE4D6", "#EDEDED"]  # best grade first
NUMBER = "0.00"
WIDTH_ROWS = 500
NORMALIZED = "是（专家评分按每位专家、每项指标作 z 分数标准化后再取平均）"
HEADER_WIDTH = 20.0


class Book:
    """An xlsxwriter workbook with its shared formats."""

    def __init__(self, path: Path) -> None:
        self.wb = xlsxwriter.Workbook(
            str(path),
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
        )
        self.header = self.wb.add_format(
            {
                "bold": True,
                "bg_color": HEADER_COLOUR,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "border": 1,
            }
        )
        self.number = self.wb.add_format({"num_format": NUMBER})
        self.grades = [self.wb.add_format({"bg_color": c}) for c in GRADE_COLOURS]

    def close(self) -> None:
        with zip_level():
            self.wb.close()


def _text_width(value: object) -> float:
    text = f"{value:.2f}" if isinstance(value, Decimal | float) else str(value or "")
    return sum(2.0 if ord(ch) > 0x2E80 else 1.1 for ch in text)


def add_sheet(
    book: Book,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    first_row: Sequence[object] | None = None,
) -> Worksheet:
    """A table with a frozen, bold header, 0.00 numbers, fitted widths, autofilter, and
    A4 landscape printing with the header repeated (see :func:`print_setup`)."""
    ws = book.wb.add_worksheet(title[:31])
    it = iter(rows)
    head = list(islice(it, WIDTH_ROWS))
    widths = [min(_text_width(h), HEADER_WIDTH) for h in headers]  # long headers wrap
    for row in head:
        for c, value in enumerate(row):
            if c < len(widths):
                widths[c] = max(widths[c], _text_width(value))
            else:
                widths.append(_text_width(value))
    for c, width in enumerate(widths):
        ws.set_column(c, c, min(max(width + 2, 6), 60))
    ws.write_row(0, 0, list(headers), book.header)
    n = write_rows(ws, 1, _chain(head, it), book.number, partial(put_row, book, ws))
    ws.freeze_panes(1, 0)
    if n > 1:
        ws.autofilter(0, 0, n - 1, max(len(headers) - 1, 0))
    print_setup(ws, headers, [min(max(w + 2, 6), 60) for w in widths])
    return ws


PRINT_WIDTH = 140.0  # column-width units across A4 landscape at 100 %
BASE_PT, SMALLEST_PT = 11.0, 8.0


def print_setup(ws: Worksheet, headers: Sequence[str], widths: Sequence[float]) -> None:
    """A4 landscape, header row repeated, page numbers. Fitted to one page width only when
    the text stays at 8 pt or more; a wider sheet prints as many pages wide as 8 pt text
    needs, with its code and name columns repeated on each."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.repeat_rows(0)
    ws.set_footer("&C第 &P 页，共 &N 页")
    per_page = PRINT_WIDTH * BASE_PT / SMALLEST_PT  # column widths a page holds at 8 pt
    total = sum(widths)
    if total <= per_page:
        ws.fit_to_pages(1, 0)
        return
    keys = [n for n, h in enumerate(headers) if h in ("单位编码", "单位名称", "专家")]
    repeated = sum(widths[: max(keys) + 1]) if keys else 0.0
    if not keys or repeated > per_page / 2:
        repeated = 0.0
    else:
        ws.repeat_columns(0, max(keys))
    ws.fit_to_pages(math.ceil((total - repeated) / (per_page - repeated)), 0)


def _chain(
    head: list[Sequence[object]], rest: Iterable[Sequence[object]]
) -> Iterable[Sequence[object]]:
    yield from head
    yield from rest


def put_row(book: Book, ws: Worksheet, row: int, values: Sequence[object]) -> None:
    """Numbers as numbers with 0.00, text always as text (never a live formula)."""
    for c, value in enumerate(values):
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            ws.write_string(row, c, "是" if value else "否")
        elif isinstance(value, Decimal | float):
            ws.write_number(row, c, float(value), book.number)
        elif isinstance(value, int):
            ws.write_number(row, c, value)
        else:
            ws.write_string(row, c, str(value))


def colour_grades(book: Book, ws: Worksheet, column: int, grades: Sequence[str], rows: int) -> None:
    """Fill the grade column's cells (``rows`` data rows below the header) by grade."""
    if rows < 1:
        return
    for n, grade in enumerate(grades):
        fmt = book.grades[min(n, len(book.grades) - 1)]
        ws.conditional_format(
            1,
            column,
            rows,
            column,
            {"type": "cell", "criteria": "==", "value": f'"{grade}"', "format": fmt},
        )


def issues_sheet(book: Book, result: ScoreResult) -> None:
    add_sheet(
        book,
        "问题清单",
        ["级别", "代码", "位置", "说明"],
        ([i.severity.label, i.code, i.source, i.message] for i in result.issues),
    )


def run_sheet(book: Book, result: ScoreResult) -> None:
    scheme = result.scheme
    assert scheme is not None
    yes_no = {True: "是", False: "否"}
    rows: list[list[object]] = [
        ["方案", scheme.id],
        ["方案名称", scheme.title],
        ["年度", result.year],
        ["kxassess 版本", result.version],
        ["运行时间", local_time(result.started)],
        ["去掉一个最高分和一个最低分", yes_no[result.trim]],
        ["缺评分按0分计（临时结果）", yes_no[result.allow_missing]],
    ]
    rows.append(["评分标准化", NORMALIZED if result.normalize else "否"])
    rows += [["输入文件", f.path, f.sha256] for f in result.inputs]
    rows += [[DEFAULT_MARK, f"{d.rule}：{d.value}"] for d in scheme.defaults]
    add_sheet(book, "运行信息", ["项目", "值", "SHA-256"], rows)
