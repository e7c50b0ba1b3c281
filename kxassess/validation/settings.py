"""The 考核设置 sheet: which scheme and which year."""

from __future__ import annotations

from dataclasses import dataclass

from kxassess.issues import IssueList, KxError
from kxassess.reading.cells import display_text, norm_text
from kxassess.reading.sheets import find_sheet
from kxassess.reading.tables import find_table
from kxassess.reading.workbook import Workbook
from kxassess.scheme import AnyScheme, builtin_ids, load_scheme

SETTINGS_SHEET = "考核设置"


@dataclass(frozen=True)
class Settings:
    scheme: AnyScheme | None
    year: int | None


def read_settings(
    book: Workbook, scheme_ref: str | None, year: int | None, issues: IssueList
) -> Settings:
    """Scheme and year from the workbook; ``scheme_ref``/``year`` (the CLI) override it."""
    values: dict[str, tuple[str, str]] = {}
    if find_sheet(book, SETTINGS_SHEET) is not None:
        table = find_table(book, SETTINGS_SHEET, ["项目", "值"], issues)
        for rec in table.records() if table else ():
            values[rec.text("项目")] = (display_text(rec.raw("值")), rec.ref("值"))
    where = f"{book.label}!{SETTINGS_SHEET}"

    year_ref = where
    if year is None and "年度" in values:
        text, ref = values["年度"]
        year_ref = ref
        digits = norm_text(text).removesuffix("年").removesuffix("年度")
        if digits.isdigit() and len(digits) == 4:
            year = int(digits)
        else:
            issues.add("bad-year", ref, text=text)

    wanted: str | None = scheme_ref
    wanted_source = "--scheme"
    if wanted is None and "方案" in values:
        wanted, wanted_source = values["方案"]
    scheme: AnyScheme | None = None
    if not wanted:
        issues.add("no-scheme", where, schemes="、".join(builtin_ids()))
    else:
        try:
            scheme = load_scheme(wanted)
        except KxError as exc:
            issues.add("unknown-scheme", exc.source or wanted_source, detail=exc.message)
    if scheme is not None and year is None:
        year = scheme.year
        issues.add("no-year", where, year=scheme.year)
    elif scheme is not None and year is not None and year != scheme.year:
        source = scheme.launch_notice or f"《{scheme.title}》"
        issues.add(
            "year-mismatch",
            year_ref,
            year=year,
            scheme=scheme.id,
            scheme_year=scheme.year,
            document=source,
        )
    return Settings(scheme, year)
