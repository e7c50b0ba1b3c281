"""Expert scores as they are read (专家评分 and 评分-<专家> sheets), before the completeness
checks: the columnar score table being built, where each judge and row was seen, and the
cells already reported, so that no gap is reported twice."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np
import numpy.typing as npt

from kxassess.inputs import Unit
from kxassess.issues import IssueList
from kxassess.reading.cells import cell_ref, norm_text
from kxassess.reading.tables import Record
from kxassess.scheme.model import Indicator, Scheme
from kxassess.scoretable import ScoreBuilder
from kxassess.validation.lookup import UnitIndex
from kxassess.validation.panel import Judge, Scope, recused


@dataclass
class Collected:
    """Scores as read (into a columnar :class:`ScoreBuilder`, where each came from as
    place, row and column), before the completeness checks."""

    scheme: Scheme
    indicators: dict[str, Indicator]
    index: UnitIndex
    panel: dict[str, Judge] | None  # the 评委 sheet, None when there is none
    issues: IssueList
    # the scheme's review_scope: judge or 评委组 → what they score (when the sheet says nothing)
    scopes: dict[str, Scope] = field(default_factory=dict)
    scores: ScoreBuilder = field(default_factory=ScoreBuilder)
    # (judge, unit, indicator) → where the long form gave it (place code, row, column)
    seen: dict[tuple[str, str, str], tuple[int, int, int]] = field(default_factory=dict)
    # (judge, unit) → the long form's first score of it (for a second row in wide form)
    first_long: dict[tuple[str, str], tuple[int, int, int]] = field(default_factory=dict)
    # (judge, unit) → indicator → cell where the judge left it blank (wide form)
    blanks: dict[tuple[str, str], dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    judges: dict[str, Judge] = field(default_factory=dict)
    first_seen: dict[str, str] = field(default_factory=dict)
    sheet_of: dict[str, str] = field(default_factory=dict)  # judge → file!sheet
    rows_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    row_ref: dict[tuple[str, str], Record] = field(default_factory=dict)  # first row (wide)
    recused: set[tuple[str, str]] = field(default_factory=set)
    # (judge, unit, indicator) whose cell was reported as bad: not "missing" as well
    reported: set[tuple[str, str, str]] = field(default_factory=set)
    warned: set[str] = field(default_factory=set)
    units_seen: dict[tuple[object, object], Unit] = field(default_factory=dict)
    # unit → judge → indicators the judge scored for the unit (for the completeness check)
    done: dict[str, dict[str, set[str] | frozenset[str]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    _judge_memo: dict[tuple[str, str, str, str], Judge] = field(default_factory=dict)
    # long-form scores recorded in blocks (kxassess/validation/longform.py), which are not
    # in ``seen``: their (judge, unit, indicator) table codes as one number, and their places
    block_keys: list[npt.NDArray[np.int64]] = field(default_factory=list)
    block_at: list[npt.NDArray[np.int64]] = field(default_factory=list)

    def judge(self, name: str, group: str, affiliation: str, where: str, sheet: str) -> Judge:
        """The judge's details (the 评委 sheet's, the row's, the scheme's scope); the first
        call for ``name`` records where the judge was first seen."""
        key = (name, group, affiliation, sheet)
        known = self._judge_memo.get(key)
        if known is not None:  # the same answer, and nothing left to record
            return known
        known = self._judge_memo[key] = self._judge(name, group, affiliation, where, sheet)
        return known

    def _judge(self, name: str, group: str, affiliation: str, where: str, sheet: str) -> Judge:
        listed = listed_judge(self.panel or {}, name) or Judge()
        group = group or listed.group
        scope = listed.scope
        if scope == Scope():  # the 评委 sheet assigns nothing: the scheme may
            scope = self.scopes.get(name) or self.scopes.get(group) or scope
        info = Judge(group, affiliation or listed.affiliation, scope, listed.source)
        self.judges.setdefault(name, info)
        self.first_seen.setdefault(name, where)
        self.sheet_of.setdefault(name, sheet)
        return info

    @cached_property
    def recusal(self) -> bool:
        """The scheme asks for recusal at all (else no judge is ever recused)."""
        return any(c.recusal for c in self.scheme.indicator_components)

    def recuses(self, judge: str, info: Judge, unit: Unit, where: str) -> bool:
        """回避: a judge does not score the judge's own unit (when the scheme says so)."""
        if not self.recusal or not recused(self.scheme, info, unit):
            return False
        if (judge, unit.code) not in self.recused:
            self.recused.add((judge, unit.code))
            self.issues.add(
                "recused",
                where,
                judge=judge,
                affiliation=info.affiliation,
                unit=unit.code,
                name=unit.name,
            )
        return True

    def where(self, at: tuple[int, int, int]) -> str:
        place, row, column = at
        return f"{self.scores.place_name(place)}!{cell_ref(row, column)}"

    def source_of(self, judge: str, unit: Unit) -> str:
        """Where the judge's first score of ``unit`` was read (the long form's cell)."""
        at = self.first_long.get((judge, unit.code))
        return "专家评分" if at is None else self.where(at)

    def add(
        self,
        judge: str,
        unit: str,
        indicator: str,
        group: str,
        value: Fraction | int,
        at: tuple[int, int, int],
    ) -> None:
        """One long-form score, ``at`` = (place code, row, column); ``value`` exact, or
        as an int: hundredths."""
        key = (judge, unit, indicator)
        first = self.seen.get(key)
        if first is not None:
            self.issues.add(
                "duplicate-score",
                self.where(at),
                judge=judge,
                unit=unit,
                indicator=indicator,
                first=self.where(first),
            )
            return
        self.seen[key] = at
        self.first_long.setdefault((judge, unit), at)
        b = self.scores
        codes = (
            b.code(b.judges, judge),
            b.code(b.units, unit),
            b.code(b.indicators, indicator),
            b.code(b.groups, group),
        )
        if isinstance(value, int):
            b.add_hundredths(*codes, value, *at)
        else:
            b.add_one(*codes, value, *at)
        by_judge = self.done[unit]
        before = by_judge.get(judge)
        if before is None:
            by_judge[judge] = {indicator}
        elif isinstance(before, set):
            before.add(indicator)
        else:
            by_judge[judge] = before | {indicator}

    def find_unit(self, rec: Record) -> Unit | None:
        """The unit of a wide-form row: each judge's sheet names the same units, so a row
        whose code and name were found before without a problem is not looked up again."""
        key = (rec.raw("单位编码"), rec.raw("单位名称"))
        try:
            unit = self.units_seen.get(key)
        except TypeError:  # a cell value that cannot be a key: look it up every time
            return self.index.find(rec, self.issues)
        if unit is None:
            before = len(self.issues)
            unit = self.index.find(rec, self.issues)
            if unit is not None and len(self.issues) == before:
                self.units_seen[key] = unit
        return unit

    def scored(self, unit: str, judge: str, codes: set[str] | frozenset[str]) -> None:
        """``judge`` scored ``codes`` for ``unit`` (a whole wide-form row at once)."""
        if not codes:
            return
        by_judge = self.done[unit]
        before = by_judge.get(judge)
        by_judge[judge] = codes if before is None else before | codes

    def nonparticipant(self, unit: Unit, where: str) -> None:
        if unit.code in self.warned:
            return
        self.warned.add(unit.code)
        self.issues.add(
            "score-for-nonparticipant",
            where,
            unit=unit.code,
            name=unit.name,
            participation=unit.participation.value,
        )


def listed_judge(panel: dict[str, Judge], name: str) -> Judge | None:
    if name in panel:
        return panel[name]
    key = norm_text(name)
    return next((j for n, j in panel.items() if norm_text(n) == key), None)
