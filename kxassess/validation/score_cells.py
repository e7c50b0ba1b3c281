"""One expert-score cell: a number, a count for per-event indicators (``3次``), a percentage
of full marks (``80%``), or "no score" — checked against the indicator's range."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from kxassess.issues import IssueList
from kxassess.numbers import as_decimal
from kxassess.reading.cells import NotANumber, display_text, parse_number, split_count
from kxassess.reading.tables import Record
from kxassess.scheme.model import Indicator
from kxassess.validation.lookup import report_not_number


def cell_value(
    rec: Record, column: str, ind: Indicator, issues: IssueList
) -> tuple[Fraction | None, bool]:
    """(score, ok) of one cell: None for "no score"; range and text problems reported."""
    kind, raw = split_count(rec.raw(column))
    try:
        value = parse_number(raw)
    except NotANumber as exc:
        report_not_number(issues, rec.ref(column), exc, f"（指标 {ind.code}）")
        return None, False
    if value is None:
        return None, True
    if kind == "count":
        return from_count(rec, column, ind, value, issues)
    if kind == "percent":
        if not 0 <= value <= 100:
            text = display_text(rec.raw(column))
            issues.add("out-of-range", rec.ref(column), column="百分比", text=text, top="100%")
            return None, False
        return ind.points_for_percent(value), True
    if value < 0:
        issues.add("below-zero", rec.ref(column), text=display_text(rec.raw(column)), what="分数")
        return None, False
    if value > ind.max:
        issues.add(
            "above-max",
            rec.ref(column),
            what="分数",
            text=display_text(rec.raw(column)),
            max=as_decimal(ind.max),
            indicator=ind.code,
        )
        return None, False
    return value, True


def from_count(
    rec: Record, column: str, ind: Indicator, count: Fraction, issues: IssueList
) -> tuple[Fraction | None, bool]:
    if not ind.counted:
        issues.add("not-per-event", rec.ref(column), indicator=ind.code)
        return None, False
    if count < 0 or count.denominator != 1:
        issues.add("bad-count", rec.ref(column), text=display_text(rec.raw(column)))
        return None, False
    return ind.points_for(count), True  # the scheme's rule: per event or by thresholds


def count_cell(rec: Record, ind: Indicator, issues: IssueList) -> tuple[Fraction | None, bool]:
    try:
        count = parse_number(rec.raw("次数"))
    except NotANumber as exc:
        report_not_number(issues, rec.ref("次数"), exc, f"（指标 {ind.code} 的次数）")
        return None, False
    if count is None:
        return None, True
    return from_count(rec, "次数", ind, count, issues)


_NUMBERS: dict[float | int, Fraction] = {}


def fast_bound(ind: Indicator) -> float:
    """The max as a float when that is exact (20, 7.5), else -1: no fast path."""
    top = float(ind.max)
    return top if Fraction(top) == ind.max else -1.0


def fast_number(raw: object, top: float) -> Fraction | None:
    """An int or float cell within 0…max as an exact fraction, else None (the slow path
    then parses text, counts and percentages, and reports problems). The range is checked
    on the float itself: the max is exactly representable, so the comparison is exact."""
    if type(raw) is int:
        if not 0 <= raw <= top:
            return None
        return Fraction(raw)
    if type(raw) is float:
        if not 0 <= raw <= top:  # also rejects NaN
            return None
        cached = _NUMBERS.get(raw)
        if cached is None:
            cached = Fraction(Decimal(repr(raw)))
            if len(_NUMBERS) < 100_000:
                _NUMBERS[raw] = cached
        return cached
    return None
