"""Per-unit component sheets: monthly reports (学会网月报) and single scores (日常考核)."""

from __future__ import annotations

from fractions import Fraction

from kxassess.inputs import Participation, Unit
from kxassess.issues import IssueList
from kxassess.reading.cells import is_no_score
from kxassess.reading.sheets import find_sheet, missing_sheet
from kxassess.reading.tables import Record, find_table
from kxassess.reading.workbook import Workbook
from kxassess.scheme.model import MonthlyComponent, RatingsComponent, SingleComponent
from kxassess.validation.lookup import UnitIndex, bounded_cell


def _rows_by_unit(
    book: Workbook, sheet: str, required: list[str], units: list[Unit], issues: IssueList
) -> dict[str, Record] | None:
    """One row per unit; unknown and repeated units are errors."""
    table = find_table(book, sheet, required, issues)
    if table is None:
        return None
    index = UnitIndex.of(units)
    rows: dict[str, Record] = {}
    for rec in table.records():
        unit = index.find(rec, issues)
        if unit is None:
            continue
        if unit.code in rows:
            first = rows[unit.code].ref("单位编码")
            issues.add("duplicate-row", rec.ref("单位编码"), unit=unit.code, first=first)
            continue
        rows[unit.code] = rec
    return rows


def rows_source(book: Workbook, sheet: str) -> str:
    return f"{book.label}!{find_sheet(book, sheet) or sheet}"


def missing_score(
    issues: IssueList, where: str, unit: Unit, what: str, allow_missing: bool
) -> None:
    """A participating unit without a score: an error, or under ``--allow-missing`` a
    warning (the caller counts it 0)."""
    code = "missing-score-provisional" if allow_missing else "missing-score"
    issues.add(code, where, unit=unit.code, name=unit.name, what=what)


def _sheet_present(book: Workbook, sheet: str, allow_missing: bool, issues: IssueList) -> bool:
    if find_sheet(book, sheet) is not None:
        return True
    missing_sheet(book, sheet, issues, provisional=allow_missing)
    return False


def read_monthly(
    book: Workbook,
    comp: MonthlyComponent,
    units: list[Unit],
    issues: IssueList,
    allow_missing: bool,
) -> dict[str, dict[int, Fraction]]:
    """unit → month → score for the component's months; a month left blank (or marked as
    no score) counts 0, as the scheme says, and is warned about naming the first such
    cell; a unit with no row at all is warned about too."""
    out: dict[str, dict[int, Fraction]] = {u.code: {} for u in units}
    if not _sheet_present(book, comp.sheet, allow_missing, issues):
        return out
    rows = _rows_by_unit(book, comp.sheet, ["单位编码"], units, issues)
    if rows is None:
        return out
    some = next(iter(rows.values()), None)
    if some is not None:
        for month in comp.months:
            if not some.table.has(f"{month}月"):
                issues.add("missing-month-column", some.table.source, month=month)
    for unit in units:
        rec = rows.get(unit.code)
        if rec is None:
            if unit.participation is Participation.YES:
                issues.add("no-row", rows_source(book, comp.sheet), unit=unit.code, name=unit.name)
            continue
        blank: list[int] = []
        for month in comp.months:
            column = f"{month}月"
            if rec.table.has(column):
                value = bounded_cell(rec, column, comp.max, issues)
                if value is not None:
                    out[unit.code][month] = value
                elif is_no_score(rec.raw(column)):
                    blank.append(month)
        if blank and unit.participation is Participation.YES:  # the rule: 0, never silently
            issues.add(
                "month-blank",
                rec.ref(f"{blank[0]}月"),
                unit=unit.code,
                name=unit.name,
                months="、".join(f"{m}月" for m in blank),
            )
    return out


def read_single(
    book: Workbook,
    comp: SingleComponent,
    units: list[Unit],
    issues: IssueList,
    allow_missing: bool,
) -> dict[str, Fraction]:
    """unit → score; a participating unit without one is an error (0 under --allow-missing)."""
    out: dict[str, Fraction] = {}
    present = _sheet_present(book, comp.sheet, allow_missing, issues)
    rows = (
        _rows_by_unit(book, comp.sheet, ["单位编码", comp.column], units, issues) if present else {}
    )
    if rows is None:
        return out
    for unit in units:
        rec = rows.get(unit.code)
        value = bounded_cell(rec, comp.column, comp.max, issues) if rec is not None else None
        if value is not None:
            out[unit.code] = value
            continue
        if unit.participation is not Participation.YES or not present:
            continue
        if rec is not None and not is_no_score(rec.raw(comp.column)):
            continue  # the cell was reported as bad already
        where = rec.ref(comp.column) if rec is not None else rows_source(book, comp.sheet)
        what = f"「{comp.column}」分数"
        missing_score(issues, where, unit, what, allow_missing)
        if allow_missing:
            out[unit.code] = Fraction(0)
    return out


def read_ratings(
    book: Workbook,
    comp: RatingsComponent,
    units: list[Unit],
    issues: IssueList,
    allow_missing: bool,
) -> dict[str, list[Fraction]]:
    """unit → the respondents' ratings (评价人, 得分); a unit with none is an error (0 under
    --allow-missing); a count other than the expected number of respondents is warned."""
    out: dict[str, list[Fraction]] = {u.code: [] for u in units}
    if not _sheet_present(book, comp.sheet, allow_missing, issues):
        return out
    table = find_table(book, comp.sheet, ["单位编码", "得分"], issues)
    if table is None:
        return out
    index = UnitIndex.of(units)
    blank: dict[str, str] = {}  # unit → first rating cell holding a no-score mark
    for rec in table.records():
        unit = index.find(rec, issues)
        value = bounded_cell(rec, "得分", comp.max, issues)
        if unit is not None and value is not None:
            out[unit.code].append(value)
        elif unit is not None and is_no_score(rec.raw("得分")):
            blank.setdefault(unit.code, rec.ref("得分"))
    where = f"{book.label}!{comp.sheet}"
    for unit in units:
        if unit.participation is not Participation.YES:
            continue
        got = len(out[unit.code])
        what = f"「{comp.name}」评分"
        if unit.code in blank:  # a respondent's row without a score: missing, not 0
            missing_score(issues, blank[unit.code], unit, what, allow_missing)
            if not allow_missing:
                continue
            out[unit.code].append(Fraction(0))
        if got == 0 and unit.code not in blank:
            missing_score(issues, where, unit, what, allow_missing)
            if allow_missing:
                out[unit.code] = [Fraction(0)]
        elif comp.expected_respondents is not None and got != comp.expected_respondents:
            issues.add(
                "respondents",
                where,
                unit=unit.code,
                name=unit.name,
                got=got,
                what=comp.name,
                expected=comp.expected_respondents,
            )
    return out
