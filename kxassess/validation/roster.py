"""The 考核对象 sheet: units, their tier and whether they take part."""

from __future__ import annotations

from collections.abc import Mapping

from kxassess.inputs import Participation, Unit
from kxassess.issues import IssueList
from kxassess.reading.cells import cell_ref, display_text, norm_text
from kxassess.reading.names import printable
from kxassess.reading.sheets import find_sheet, missing_sheet
from kxassess.reading.tables import Table, find_table
from kxassess.reading.workbook import Workbook
from kxassess.scheme import Scheme

ROSTER_SHEET = "考核对象"
_KNOWN = {"单位编码", "单位名称", "类别", "参加"}
_CN_DIGITS = "一二三四五六七八九十"
_PARTICIPATION = {
    "": Participation.YES,
    "是": Participation.YES,
    "否": Participation.ABSENT,
    "请假": Participation.EXCUSED,
}


def parse_tier(text: str, tiers: tuple[str, ...]) -> str | None:
    """``一类``, ``1``, ``1类``, ``一类学会`` → the scheme's tier name; None if not a tier."""
    t = norm_text(text)
    for suffix in ("学会", "科协", "单位"):
        t = t.removesuffix(suffix)
    if t in tiers:
        return t
    core = t.removesuffix("类")
    if core.isdigit() and 1 <= int(core) <= len(tiers):
        return tiers[int(core) - 1]
    if len(core) == 1 and core in _CN_DIGITS:
        index = _CN_DIGITS.index(core)
        if index < len(tiers):
            return tiers[index]
    return None


def read_roster(
    book: Workbook,
    scheme: Scheme,
    issues: IssueList,
    registry_tiers: Mapping[str, str] | None = None,
    year: int | None = None,
) -> list[Unit]:
    """Units in roster order. A blank 类别 takes the registry's tier for the year; a 类别 that
    differs from the registry's is used, with a warning naming both."""
    if find_sheet(book, ROSTER_SHEET) is None:
        missing_sheet(book, ROSTER_SHEET, issues)
        return []
    required = ["单位编码", "单位名称"] + (["类别"] if scheme.tiers else [])
    table = find_table(book, ROSTER_SHEET, required, issues)
    if table is None:
        return []
    units: list[Unit] = []
    seen: dict[str, str] = {}
    merged = _merged_tiers(book, table, issues) if table.has("类别") else {}
    for rec in table.records():
        code = rec.text("单位编码")
        name = printable(display_text(rec.raw("单位名称")))
        if name != display_text(rec.raw("单位名称")):
            issues.add("name-control-chars", rec.ref("单位名称"), name=name)
        if not code:
            detail = f"（{name}）" if name else ""
            issues.add("blank-code", rec.ref("单位编码"), column="单位编码", detail=detail)
            continue
        if code in seen:
            issues.add("duplicate-unit", rec.ref("单位编码"), unit=code, first=seen[code])
            continue
        seen[code] = rec.ref("单位编码")
        if not name:
            issues.add("blank-name", rec.ref("单位名称"), unit=code)
        participation = _PARTICIPATION.get(rec.text("参加"))
        if participation is None:
            issues.add("bad-participation", rec.ref("参加"), text=display_text(rec.raw("参加")))
            participation = Participation.YES
        raw_tier = rec.raw("类别")
        if display_text(raw_tier) == "" and rec.row in merged:
            raw_tier = merged[rec.row]
        tier = _tier(raw_tier, rec.ref("类别"), code, scheme, issues, registry_tiers)
        known = (registry_tiers or {}).get(code)
        if tier is not None and known is not None and known != tier:
            issues.add(
                "tier-conflict", rec.ref("类别"), unit=code, tier=tier, known=known, year=year
            )
        attributes = {
            header: display_text(rec.values[col])
            for header, col in table.columns.items()
            if header not in _KNOWN and col < len(rec.values)
        }
        units.append(Unit(code, name, tier, participation, attributes, rec.ref("单位编码")))
    if not units and not issues.has_errors:
        issues.add("no-units", f"{book.label}!{ROSTER_SHEET}")
    return units


def _merged_tiers(book: Workbook, table: Table, issues: IssueList) -> dict[int, object]:
    """Row → the 类别 of a merged cell range covering it (staff merge 类别 over a block of
    rows); each range read this way is noted once."""
    col = table.columns["类别"]
    sheet = table.source.split("!", 1)[1]
    rows = book.rows(sheet)
    out: dict[int, object] = {}
    for (r0, c0), (r1, c1) in book.merged(sheet):
        if not c0 <= col <= c1 or r1 <= r0 or r0 <= table.header_row:
            continue
        value = rows[r0][col] if r0 < len(rows) and col < len(rows[r0]) else None
        if display_text(value) == "":
            continue
        for r in range(r0 + 1, r1 + 1):
            out[r] = value
        span = f"{cell_ref(r0, col)}:{cell_ref(r1, col)}"
        issues.add("merged-tier", f"{table.source}!{span}", span=span, tier=display_text(value))
    return out


def _tier(
    raw: object,
    ref: str,
    code: str,
    scheme: Scheme,
    issues: IssueList,
    registry_tiers: Mapping[str, str] | None,
) -> str | None:
    if not scheme.tiers:
        return None
    text = display_text(raw)
    if not text:
        if registry_tiers and code in registry_tiers:
            return registry_tiers[code]
        issues.add("missing-tier", ref, unit=code, tiers="、".join(scheme.tiers))
        return None
    tier = parse_tier(text, scheme.tiers)
    if tier is None:
        issues.add("bad-tier", ref, text=text, tiers="、".join(scheme.tiers))
    return tier
