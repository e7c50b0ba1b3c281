"""Row helpers shared by the sheets' readers: the unit a row names (by 单位编码, or by
单位名称 when the code is blank), the indicator it names, and its number cells."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from kxassess.inputs import Unit
from kxassess.issues import IssueList
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
        """The unit a row speaks of; an unknown unit is an error naming the cell."""
        code = rec.text("单位编码")
        name = norm_text(rec.raw("单位名称"))
        if code:
            unit = self.by_code.get(code)
            if unit is None:
                issues.error(
                    "unknown-unit",
                    rec.ref("单位编码"),
                    f"单位编码 {code} is not in the roster (考核对象)",
                )
                return None
            if name and name != norm_text(unit.name):
                issues.warning(
                    "name-mismatch",
                    rec.ref("单位名称"),
                    f"单位名称 {display_text(rec.raw('单位名称'))!r} differs from the roster's "
                    f"{unit.name!r} for {code}; the code decides",
                )
            return unit
        if name:
            unit = self.by_name.get(name)
            if unit is None:
                issues.error(
                    "unknown-unit",
                    rec.ref("单位名称"),
                    f"单位名称 {display_text(rec.raw('单位名称'))!r} is not in the roster",
                )
            return unit
        issues.error("blank-code", rec.ref("单位编码"), "the row names no unit (单位编码 is blank)")
        return None


def find_indicator(
    rec: Record, indicators: Mapping[str, Indicator], issues: IssueList
) -> Indicator | None:
    """The indicator a row's 指标 names; an unknown one is an error naming the cell."""
    ind = indicators.get(rec.text("指标"))
    if ind is None:
        issues.error(
            "unknown-indicator",
            rec.ref("指标"),
            f"指标 {display_text(rec.raw('指标'))!r} is not an indicator of the scheme",
        )
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
        issues.error(
            "out-of-range",
            rec.ref(column),
            f"{column} {display_text(rec.raw(column))} is outside 0…{top}",
        )
        return None
    return value
