"""Sheets that hold a score table under a name no reader looks for: an error
naming the sheet, never skipped — ``Sheet1`` or ``评分张明`` would otherwise lose a judge's
scores without a word."""

from __future__ import annotations

from kxassess.issues import IssueList
from kxassess.reading.cells import norm_text
from kxassess.reading.sheets import sheet_key
from kxassess.reading.tables import HEADER_SCAN_ROWS
from kxassess.reading.workbook import Workbook
from kxassess.scheme.model import MonthlyComponent, RatingsComponent, Scheme, SingleComponent
from kxassess.validation.events import EVENTS_SHEET, SELF_SHEET, VETO_SHEET
from kxassess.validation.panel import PANEL_SHEET
from kxassess.validation.roster import ROSTER_SHEET
from kxassess.validation.scores import LONG_PREFIX, WIDE_PREFIX
from kxassess.validation.settings import SETTINGS_SHEET


def known_sheets(scheme: Scheme) -> set[str]:
    names = {SETTINGS_SHEET, ROSTER_SHEET, PANEL_SHEET, SELF_SHEET, EVENTS_SHEET, VETO_SHEET}
    for comp in scheme.components:
        if isinstance(comp, MonthlyComponent | SingleComponent | RatingsComponent):
            names.add(comp.sheet)
    return {sheet_key(n) for n in names}


def check_stray_sheets(book: Workbook, scheme: Scheme, issues: IssueList) -> None:
    indicators = set(scheme.all_indicators)
    if not indicators:
        return
    known = known_sheets(scheme)
    for sheet in book.sheet_names:
        key = sheet_key(sheet)
        if key in known or key.startswith((LONG_PREFIX, WIDE_PREFIX)):
            continue
        if not _holds_score_table(book.rows(sheet), indicators):
            continue
        rest = key.removeprefix("评分")
        hint = f"；是否应为「{WIDE_PREFIX}{rest}」？" if key.startswith("评分") and rest else ""
        issues.add("unmatched-score-sheet", f"{book.label}!{sheet}", sheet=sheet, hint=hint)


def _holds_score_table(rows: list[list[object]], indicators: set[str]) -> bool:
    """A header row with 单位编码 (or 单位名称) and at least one indicator code (the wide
    form), or with 单位编码, 指标 and 得分 (the long form)."""
    for values in rows[:HEADER_SCAN_ROWS]:
        texts = {norm_text(v) for v in values}
        if texts & {"单位编码", "单位名称"} and texts & indicators:
            return True
        if {"单位编码", "指标", "得分"} <= texts:
            return True
    return False
