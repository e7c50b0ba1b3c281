"""Build 自评表 files the way staff receive them: xlsx, genuine xls, ods, HTML-as-xls, CSV."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

Line = tuple[str, str, float, str, object]  # 指标, 指标说明, 分值, 完成情况, 自评分


def form_rows(
    name: str, code: str, lines: Sequence[Line], total: object = None
) -> list[list[object]]:
    """A form with a title row, the unit label after a colon, a blank row, a header,
    a section heading, the lines and a total row."""
    rows: list[list[object]] = [
        ["2024年度学会高质量发展考核自评表", "", "", "", ""],
        [f"单位名称：{name}", "", f"单位编码：{code}" if code else "", "", ""],
        ["", "", "", "", ""],
        ["指标", "指标说明", "分值", "完成情况", "自评分"],
        ["一、基础部分（100分）", "", "", "", ""],
    ]
    rows += [list(line) for line in lines]
    rows.append(["合计", "", "", "", total])
    return rows


def xlsx_form(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    ws.merge_cells("A1:E1")
    wb.save(path)
    return path


def xls_form(path: Path, rows: list[list[object]]) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("自评表")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value not in (None, ""):
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def ods_form(path: Path, rows: list[list[object]]) -> Path:
    import pandas as pd

    pd.DataFrame(rows).to_excel(path, engine="odf", header=False, index=False)
    return path


def html_form(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    cells = "".join(
        "<tr>" + "".join(f"<td>{'' if v is None else v}</td>" for v in row) + "</tr>"
        for row in rows
    )
    meta = f'<meta charset="{encoding}">'
    path.write_bytes(
        f"<html><head>{meta}</head><body><table>{cells}</table></body></html>".encode(encoding)
    )
    return path


def csv_form(path: Path, rows: list[list[object]], encoding: str = "gb18030") -> Path:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows([["" if v is None else v for v in row] for row in rows])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path
