"""Sheet primitives shared by the results workbooks: a formatted, print-ready table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kxassess.result import ScoreResult

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NUMBER = "0.00"


def _put_rows(ws: Worksheet, rows: Iterable[Sequence[object]], first: int) -> None:
    """Append rows to a sheet whose next row is ``first``; text from the inputs is never
    written as a live formula."""
    for number, row in enumerate(rows, start=first):
        ws.append(list(row))
        for col, value in enumerate(row, start=1):
            if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
                ws.cell(row=number, column=col).data_type = "s"


def add_sheet(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    widths: dict[int, float] | None = None,
) -> Worksheet:
    ws = wb.create_sheet(title)
    _put_rows(ws, [headers], 1)
    _put_rows(ws, rows, 2)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, Decimal | float):
                cell.number_format = NUMBER
    _fit_widths(ws, widths or {})
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    return ws


def _text_width(value: object) -> float:
    text = f"{value:.2f}" if isinstance(value, Decimal) else str(value or "")
    return sum(2.0 if ord(ch) > 0x2E80 else 1.1 for ch in text)


def _fit_widths(ws: Worksheet, fixed: dict[int, float]) -> None:
    widths: dict[int, float] = {}
    for row in ws.iter_rows(max_row=min(ws.max_row, 500)):
        for cell in row:
            widths[cell.column] = max(widths.get(cell.column, 0), _text_width(cell.value))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = fixed.get(
            col, min(max(width + 2, 6), 60)
        )


def issues_sheet(wb: Workbook, result: ScoreResult) -> None:
    add_sheet(
        wb,
        "问题清单",
        ["级别", "代码", "位置", "说明"],
        (
            ["错误" if i.severity == "error" else "提示", i.code, i.source, i.message]
            for i in result.issues
        ),
    )


def run_sheet(wb: Workbook, result: ScoreResult) -> None:
    scheme = result.scheme
    assert scheme is not None
    rows: list[list[object]] = [
        ["方案", scheme.id],
        ["方案名称", scheme.title],
        ["年度", result.year],
        ["kxassess 版本", result.version],
        ["运行时间", result.started],
        [
            "参数",
            f"trim={'是' if result.trim else '否'}；allow_missing="
            f"{'是' if result.allow_missing else '否'}",
        ],
    ]
    rows += [["输入文件", f.path, f.sha256] for f in result.inputs]
    add_sheet(wb, "运行信息", ["项目", "值", "SHA-256"], rows)
