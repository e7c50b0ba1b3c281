"""Blank self-assessment forms (自评表), one per unit: unit header filled in, the indicator
table with max points and the unit's own targets, score cells limited to 0…max by data
validation, an instructions row, print-ready. A filled form reads back through intake."""

from __future__ import annotations

from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from kxassess.inputs import Unit
from kxassess.numbers import as_decimal
from kxassess.scheme.model import Indicator, Scheme, Target
from kxassess.writing.atomic import unit_file_name, write_with

HEADERS = ["指标", "指标说明", "分值", "完成情况", "自评分"]
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")


COUNT_HEADER = "完成数量"
COUNT_HINT = "标明按数量计分或有目标的指标，请在“完成数量”栏填写次数、场次或家数。"


def _target_text(t: Target, unit: Unit | None) -> str | None:
    if unit is None and t.at_least is None:
        return None
    value = t.value_for(unit.name, unit.attributes) if unit else t.at_least
    return None if value is None else f"本单位目标：{t.text}不少于{as_decimal(value):g}{t.unit}"


def _count_rule(ind: Indicator) -> str | None:
    """How a count becomes points, in the words of the notice's table."""
    n = _g
    if ind.rate is not None:
        return f"按数量计分：每{ind.count_unit}{n(ind.rate)}分，至多{n(ind.max)}分"
    if ind.thresholds:
        steps = "，".join(
            f"{n(s.at_least)}{ind.count_unit}及以上得{n(s.points)}分"
            for s in sorted(ind.thresholds, key=lambda s: s.at_least, reverse=True)
        )
        return f"按数量计分：{steps}"
    return None


def _g(value: Fraction) -> str:
    return f"{as_decimal(value):g}"


def build_form(path: Path, scheme: Scheme, year: int, unit: Unit | None) -> None:
    """The form; with counted indicators or targets it also asks for the count (完成数量,
    column F) of those lines."""
    targets = {t.indicator: t for t in scheme.targets}
    asks = {
        i.code
        for c in scheme.indicator_components
        for i in c.indicators
        if i.counted or (i.code in targets and _target_text(targets[i.code], unit))
    }
    headers = [*HEADERS, COUNT_HEADER] if asks else HEADERS
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.append([f"{year}年度{scheme.title}自评表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["单位名称：", unit.name if unit else "", "单位编码：", unit.code if unit else ""])
    ws.append(
        [
            "填表说明：完成情况请写明时间、地点、活动和参加人数；自评分填写0至分值之间的数字，"
            "不得超过分值；本表请勿改动表头和指标编号。" + (COUNT_HINT if asks else "")
        ]
    )
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(headers))
    ws["A3"].alignment = Alignment(wrap_text=True)
    ws.row_dimensions[3].height = 32
    ws.append(headers)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    first = ws.max_row + 1
    for comp in scheme.indicator_components:
        for ind in comp.indicators:
            text = ind.text
            target = targets.get(ind.code)
            note = _target_text(target, unit) if target else None
            notes = [x for x in (_count_rule(ind), note) if x]
            if notes:
                text = f"{text}（{'；'.join(notes)}）"
            ws.append([ind.code, text, as_decimal(ind.max), "", None])
            row = ws.max_row
            if ind.code in asks:
                _ask_count(ws, row, ind)
            validation = DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2=f"{as_decimal(ind.max):g}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="自评分超出范围",
                error=f"自评分须在0至{as_decimal(ind.max):g}之间",
            )
            ws.add_data_validation(validation)
            validation.add(f"E{row}")
    last = ws.max_row
    full = sum((i.max for c in scheme.indicator_components for i in c.indicators), start=0)
    ws.append(["合计", "", as_decimal(Fraction(full)), "", None])
    for row in ws.iter_rows(min_row=4, max_row=ws.max_row):
        for cell in row:
            cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
            if cell.column == 2 or cell.column == 4:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEF"[: len(headers)], (8, 60, 8, 40, 10, 10), strict=False):
        ws.column_dimensions[col].width = width
    for r in range(first, last + 1):
        ws.cell(row=r, column=3).number_format = "0.##"
    ws.freeze_panes = "A5"
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    wb.save(path)


def _ask_count(ws: Any, row: int, ind: Indicator) -> None:
    """A whole-number cell for the count (完成数量) of this line."""
    validation = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="完成数量有误",
        error=f"请填写0或正整数（{ind.count_unit}）",
    )
    ws.add_data_validation(validation)
    validation.add(f"F{row}")


def _build(scheme: Scheme, year: int, unit: Unit | None, path: Path) -> None:
    build_form(path, scheme, year, unit)


def write_forms(scheme: Scheme, year: int, units: list[Unit] | None, out: Path) -> list[Path]:
    """One form per unit (``<code>-<name>-自评表.xlsx``), or one blank form without units."""
    if not units:
        target = out / f"{scheme.id}-{year}-自评表.xlsx"
        return [write_with(target, partial(_build, scheme, year, None))]
    written = []
    for unit in units:
        name = unit_file_name(unit.code, unit.name, "-自评表.xlsx")
        written.append(write_with(out / name, partial(_build, scheme, year, unit)))
    return written
