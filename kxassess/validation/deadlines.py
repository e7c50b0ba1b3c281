"""Dates handed in (考核对象's 提交日期 and the scheme's other deadline columns) and the
counts units report (sheet 完成数量). What the cells hold, typed; the engine decides what
a late date or a count means."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from fractions import Fraction

from kxassess.inputs import Unit
from kxassess.issues import IssueList
from kxassess.reading.cells import display_text
from kxassess.reading.tables import Table, find_table
from kxassess.reading.workbook import Workbook
from kxassess.scheme.model import Scheme
from kxassess.validation.lookup import UnitIndex, number_cell

COUNTS_SHEET = "完成数量"
SELF_SHEET = "自评"
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(text: str) -> dt.date | None:
    """2020-12-31, 2020/12/31, 2020.12.31, 2020年12月31日, a date-time, or an Excel serial
    day number; None when the text is none of these."""
    match = _DATE.match(text.strip())
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    if re.fullmatch(r"\d{5}(\.0+)?", text.strip()):
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    return None


def read_submitted(
    units: Sequence[Unit], scheme: Scheme, issues: IssueList
) -> dict[str, dict[str, dt.date]]:
    """unit → deadline column → date handed in; late dates are reported here (a warning,
    and for 不参加本次考核 deadlines also the consequence)."""
    out: dict[str, dict[str, dt.date]] = defaultdict(dict)
    for deadline in scheme.deadlines:
        for u in units:
            text = u.attributes.get(deadline.column, "").strip()
            if not text:
                continue
            day = parse_date(text)
            if day is None:
                issues.add("bad-date", u.source, text=text, column=deadline.column)
                continue
            out[u.code][deadline.column] = day
            if day > deadline.date:
                code = (
                    "submitted-late-absent"
                    if deadline.consequence == "absent"
                    else "submitted-late"
                )
                issues.add(
                    code,
                    u.source,
                    unit=f"{u.code} {u.name}",
                    what=deadline.what,
                    submitted=day.isoformat(),
                    deadline=deadline.date.isoformat(),
                )
    return dict(out)


def read_counts(
    book: Workbook, scheme: Scheme, index: UnitIndex, issues: IssueList
) -> dict[str, dict[str, Fraction]]:
    """Sheet 完成数量 (optional): 单位编码, 指标, 数量 — counts of indicators that have a
    target or are scored from a count; or a 完成数量 column of sheet 自评 (its rows'
    other problems are reported by the 自评 reader)."""
    tables: list[tuple[Table, str]] = []
    if COUNTS_SHEET in book.sheet_names:
        table = find_table(book, COUNTS_SHEET, ["单位编码", "指标", "数量"], issues)
        tables += [(table, "数量")] if table is not None else []
    if SELF_SHEET in book.sheet_names:  # a 完成数量 column beside the 自评分 (read there)
        table = find_table(book, SELF_SHEET, ["单位编码", "指标"], IssueList())
        tables += [(table, COUNTS_SHEET)] if table is not None and table.has(COUNTS_SHEET) else []
    indicators = scheme.all_indicators
    targeted = {t.indicator for t in scheme.targets}
    out: dict[str, dict[str, Fraction]] = defaultdict(dict)
    for rec, column in ((rec, col) for table, col in tables for rec in table.records()):
        if column == COUNTS_SHEET and display_text(rec.raw(column)) == "":
            continue
        unit = index.find(rec, issues) if column == "数量" else index.find(rec, IssueList())
        code = display_text(rec.raw("指标"))
        ind = indicators.get(code)
        if ind is None or not (ind.counted or code in targeted):
            issues.add("count-not-counted", rec.ref("指标"), indicator=code)
            continue
        count, ok = number_cell(rec, column, issues)
        if not ok or count is None:
            continue
        if count < 0:
            issues.error("bad-count", rec.ref(column), "数量不能为负数")
            continue
        if unit is not None:
            out[unit.code][code] = count
    return dict(out)
