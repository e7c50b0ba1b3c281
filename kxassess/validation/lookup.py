"""Row helpers shared by the sheets' readers: the unit a row names (by 单位编码, or by
单位名称 when the code is blank), the indicator it names, and its number cells."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from kxassess.inputs import Unit
from kxassess.issues import IssueList
from kxassess.numbers import as_decimal
from kxassess.reading.cells import ErrorCell, NotANumber, display_text, norm_text, parse_number
from kxassess.reading.tables import Record
from kxassess.scheme.model import Indicator


@dataclass(frozen=True)
class UnitIndex:
    by_code: dict[str, Unit]
    by_name: dict[str, Unit]

    @classmethod
    def of(cls, units: list[Unit]) -> UnitIndex:
        return cls({u.code: u for u in units}, {norm_text(u.name): u for u in units})

    def find(self, rec: Record, issues: IssueList) -> Unit | None:
        """The unit a row speaks of; an unknown unit is an error naming the cell, with the
        closest roster code or name as a suggestion."""
        code = rec.text("单位编码")
        name = norm_text(rec.raw("单位名称"))
        if code:
            unit = self.by_code.get(code)
            if unit is None:
                hint = self.hint(code, name)
                issues.add(
                    "unknown-unit", rec.ref("单位编码"), what="单位编码", value=code, hint=hint
                )
                return None
            if name and name != norm_text(unit.name):
                given = display_text(rec.raw("单位名称"))
                issues.add(
                    "name-mismatch", rec.ref("单位名称"), given=given, unit=code, name=unit.name
                )
            return unit
        if name:
            unit = self.by_name.get(name)
            if unit is None:
                value = display_text(rec.raw("单位名称"))
                hint = self.hint("", name)
                issues.add(
                    "unknown-unit", rec.ref("单位名称"), what="单位名称", value=value, hint=hint
                )
            return unit
        detail = "：该行没有写明单位"
        issues.add("blank-code", rec.ref("单位编码"), column="单位编码", detail=detail)
        return None

    def hint(self, code: str, name: str) -> str:
        """ "，是否为「S01 甲学会」？" for the closest roster code (or name), else ""."""
        unit = None
        if code:
            close = difflib.get_close_matches(code, list(self.by_code), n=1, cutoff=0.6)
            unit = self.by_code[close[0]] if close else None
        if unit is None and name:
            close = difflib.get_close_matches(name, list(self.by_name), n=1, cutoff=0.6)
            unit = self.by_name[close[0]] if close else None
        return f"，是否为「{unit.code} {unit.name}」？" if unit is not None else ""


def find_indicator(
    rec: Record, indicators: Mapping[str, Indicator], issues: IssueList
) -> Indicator | None:
    """The indicator a row's 指标 names; an unknown one is an error naming the cell."""
    ind = indicators.get(rec.text("指标"))
    if ind is None:
        text = display_text(rec.raw("指标"))
        close = difflib.get_close_matches(rec.text("指标"), list(indicators), n=1, cutoff=0.6)
        hint = f"，是否为「{close[0]}」？" if close else ""
        issues.add("unknown-indicator", rec.ref("指标"), text=text, hint=hint)
    return ind


def report_not_number(issues: IssueList, ref: str, exc: NotANumber, what: str = "") -> None:
    """An Excel error value (``error-value``) or text that is no number (``not-a-number``),
    named by its cell; ``what`` says which score it was (e.g. "（指标 A1）")."""
    if isinstance(exc, ErrorCell):
        issues.add("error-value", ref, value=exc.value, what=what)
    else:
        issues.add("not-a-number", ref, text=exc.text, what=what)


def number_cell(rec: Record, column: str, issues: IssueList) -> tuple[Fraction | None, bool]:
    """(value, ok) of a number cell: None for "no score"; an error value or text that is no
    number is reported against the cell and gives ok False."""
    try:
        return parse_number(rec.raw(column)), True
    except NotANumber as exc:
        report_not_number(issues, rec.ref(column), exc, f"（{column}）")
        return None, False


def bounded_cell(rec: Record, column: str, top: Fraction, issues: IssueList) -> Fraction | None:
    """A 0…top number, None for "no score" or a problem (reported against the cell)."""
    value, _ = number_cell(rec, column, issues)
    if value is not None and not 0 <= value <= top:
        text = display_text(rec.raw(column))
        issues.add("out-of-range", rec.ref(column), column=column, text=text, top=as_decimal(top))
        return None
    return value
