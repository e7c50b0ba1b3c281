"""The judge panel (评委): who scores what, and whether every judge is accounted for.

With a ``评委`` sheet, every listed judge must have scores and every score must
belong to a listed judge. Every judge scores every participating unit on every indicator
unless recused (回避) or assigned less: the ``评审范围`` column lists tiers, unit codes,
indicator codes or parts, separated by ``、`` or ``,`` (blank = everything).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kxassess.inputs import Unit
from kxassess.issues import IssueList
from kxassess.reading.cells import display_text, norm_text
from kxassess.reading.sheets import find_sheet
from kxassess.reading.tables import find_table
from kxassess.reading.workbook import Workbook
from kxassess.scheme.model import Scheme
from kxassess.validation.roster import parse_tier

PANEL_SHEET = "评委"
_SEPARATORS = re.compile(r"[、,，;；\s]+")


@dataclass(frozen=True)
class Scope:
    """What one judge scores: units (by tier or code; None = all) and indicators (None =
    all)."""

    tiers: frozenset[str] | None = None
    units: frozenset[str] | None = None
    indicators: frozenset[str] | None = None

    def covers_unit(self, unit: Unit) -> bool:
        if self.tiers is None and self.units is None:
            return True
        return (unit.tier in (self.tiers or ())) or (unit.code in (self.units or ()))

    def covers(self, indicator: str) -> bool:
        return self.indicators is None or indicator in self.indicators


@dataclass(frozen=True)
class Judge:
    group: str = ""
    affiliation: str = ""
    scope: Scope = Scope()
    source: str = ""  # the judge's row in the 评委 sheet


def read_panel(
    book: Workbook, scheme: Scheme, units: list[Unit], issues: IssueList
) -> dict[str, Judge] | None:
    """Judge → group, affiliation and scope from the optional 评委 sheet (None: no sheet)."""
    if find_sheet(book, PANEL_SHEET) is None:
        return None
    table = find_table(book, PANEL_SHEET, ["专家"], issues)
    if table is None:
        return {}
    out: dict[str, Judge] = {}
    for rec in table.records():
        name = display_text(rec.raw("专家"))
        if not name:
            continue
        scope = parse_scope(rec.raw("评审范围"), rec.ref("评审范围"), scheme, units, issues)
        out[name] = Judge(
            display_text(rec.raw("评委组")),
            display_text(rec.raw("所属单位")),
            scope,
            rec.ref("专家"),
        )
    return out


def parse_scope(
    raw: object, ref: str, scheme: Scheme, units: list[Unit], issues: IssueList
) -> Scope:
    text = display_text(raw)
    if not text:
        return Scope()
    codes = {u.code for u in units}
    names = {norm_text(u.name): u.code for u in units}
    indicators = scheme.all_indicators
    parts = {
        norm_text(key): tuple(i.code for i in comp.indicators if i.part == part.id)
        for comp in scheme.indicator_components
        for part in comp.parts
        for key in (part.id, part.name)
        if key
    }
    tiers: set[str] = set()
    chosen_units: set[str] = set()
    chosen: set[str] = set()
    for token in (norm_text(t) for t in _SEPARATORS.split(text)):
        if not token:
            continue
        tier = parse_tier(token, scheme.tiers) if scheme.tiers else None
        if token in indicators:
            chosen.add(token)
        elif token in codes:
            chosen_units.add(token)
        elif token in names:
            chosen_units.add(names[token])
        elif token in parts:
            chosen.update(parts[token])
        elif tier is not None:
            tiers.add(tier)
        else:
            issues.add("bad-scope", ref, token=token)
    by_unit = bool(tiers or chosen_units)
    return Scope(
        frozenset(tiers) if by_unit else None,
        frozenset(chosen_units) if by_unit else None,
        frozenset(chosen) if chosen else None,
    )


def recused(scheme: Scheme, judge: Judge, unit: Unit) -> bool:
    """回避: the judge belongs to the unit being scored (when the scheme asks for it)."""
    if not any(c.recusal for c in scheme.indicator_components):
        return False
    own = norm_text(judge.affiliation)
    return bool(own) and own in (norm_text(unit.code), norm_text(unit.name))
