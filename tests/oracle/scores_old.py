# TEST ORACLE: the implementation before the columnar score table, kept to compare.
# ruff: noqa
# mypy: ignore-errors
"""Expert scores (专家评分): long-form sheets and wide-form ``评分-<专家>`` sheets.

Judges may belong to groups (评委组, from the long form or the 评委 roster); a judge whose
所属单位 is the unit being scored is left out for that unit when the scheme asks for
recusal (回避). An indicator scored per event may be given a count (``3次``, or a 次数
column in the long form) instead of a score.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from kxassess.inputs import Participation, Score, Unit
from kxassess.issues import IssueList
from kxassess.reading.cells import display_text, is_no_score, norm_text
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from kxassess.reading.columns import plain_hundredths, top_hundredths
from kxassess.reading.sheets import hidden_like, sheet_hint, sheet_key, sheets_starting, suggestion
from kxassess.reading.tables import Record, find_table
from kxassess.reading.workbook import Workbook
from kxassess.scheme.model import Indicator, Scheme
from tests.oracle.completeness_old import check_complete, check_groups
from kxassess.validation.lookup import UnitIndex, find_indicator
from kxassess.validation.panel import (
    PANEL_SHEET,
    Judge,
    Scope,
    parse_scope,
    read_panel,
    recused,
)
from kxassess.validation.score_cells import cell_value, count_cell, fast_bound, fast_number

LONG_PREFIX = "专家评分"
WIDE_PREFIX = "评分-"
# Columns a judge's wide sheet may carry besides the indicator codes.
WIDE_EXTRA = {
    "单位编码",
    "单位名称",
    "序号",
    "类别",
    "合计",
    "总分",
    "小计",
    "备注",
    "签名",
    "专家",
}


@dataclass
class Collected:
    """Scores as read, with where each came from, before the completeness checks."""

    scheme: Scheme
    indicators: dict[str, Indicator]
    index: UnitIndex
    panel: dict[str, Judge] | None  # the 评委 sheet, None when there is none
    issues: IssueList
    # the scheme's review_scope: judge or 评委组 → what they score (when the sheet says nothing)
    scopes: dict[str, Scope] = field(default_factory=dict)
    scores: list[Score] = field(default_factory=list)
    seen: dict[tuple[str, str, str], Score] = field(default_factory=dict)
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
    # unit → judge → indicators the judge scored for the unit (for the completeness check)
    done: dict[str, dict[str, set[str] | frozenset[str]]] = field(
        default_factory=lambda: defaultdict(dict)
    )

    def judge(self, name: str, group: str, affiliation: str, where: str, sheet: str) -> Judge:
        listed = _listed(self.panel or {}, name) or Judge()
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

    def source_of(self, judge: str, unit: Unit) -> str:
        """Where the judge's first score of ``unit`` was read (the long form's cell)."""
        return next(
            (s.source for (j, u, _), s in self.seen.items() if j == judge and u == unit.code),
            "专家评分",
        )

    def add(self, score: Score) -> None:
        key = (score.judge, score.unit, score.indicator)
        first = self.seen.get(key)
        if first is not None:
            self.issues.add(
                "duplicate-score",
                score.source,
                judge=score.judge,
                unit=score.unit,
                indicator=score.indicator,
                first=first.source,
            )
            return
        self.seen[key] = score
        self.scores.append(score)
        self.scored(score.unit, score.judge, {score.indicator})

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


def _listed(panel: dict[str, Judge], name: str) -> Judge | None:
    if name in panel:
        return panel[name]
    key = norm_text(name)
    return next((j for n, j in panel.items() if norm_text(n) == key), None)


def score_sheets(book: Workbook) -> tuple[list[str], list[str]]:
    """The long-form (专家评分…) and wide-form (评分-<专家>) sheets, names normalised."""
    return sheets_starting(book, LONG_PREFIX), sheets_starting(book, WIDE_PREFIX)


def read_scores(
    book: Workbook,
    scheme: Scheme,
    units: list[Unit],
    issues: IssueList,
    allow_missing: bool,
) -> list[Score]:
    indicators = scheme.all_indicators
    if not indicators:
        return []
    panel = read_panel(book, scheme, units, issues)
    scopes = {
        who: parse_scope(text, f"{scheme.id}!review_scope!{who}", scheme, units, issues)
        for who, text in scheme.review_scope.items()
    }
    col = Collected(scheme, indicators, UnitIndex.of(units), panel, issues, scopes=scopes)
    long_sheets, wide_sheets = score_sheets(book)
    if not long_sheets and not wide_sheets:
        hint = sheet_hint(book, WIDE_PREFIX, prefix=True) or sheet_hint(book, LONG_PREFIX)
        issues.add("missing-scores", book.label, hint=hint)
        return []
    for sheet in long_sheets:
        _read_long(book, sheet, col)
    judges_sheet: dict[str, str] = {}
    for sheet in wide_sheets:
        judge = norm_text(sheet_key(sheet)[len(WIDE_PREFIX) :])
        if judge in judges_sheet:  # 评分-张明 and 评分－张明: one judge, two sheets
            first = judges_sheet[judge]
            issues.add("duplicate-judge-sheet", f"{book.label}!{sheet}", sheet=sheet, first=first)
            continue
        judges_sheet[judge] = sheet
        _read_wide(book, sheet, col)
    check_groups(scheme, col, issues)
    if panel is not None:
        _check_panel(book, panel, col, issues)
    check_complete(scheme, units, col, issues, allow_missing)
    return col.scores


def _check_panel(
    book: Workbook, panel: dict[str, Judge], col: Collected, issues: IssueList
) -> None:
    """Both ways: every listed judge has scores, every score's judge is listed."""
    found = {norm_text(j) for j in col.judges}
    for name, info in panel.items():
        if norm_text(name) in found:
            continue
        hidden = hidden_like(book, WIDE_PREFIX + name)
        if hidden is not None:
            hint = f"（其评分表「{hidden}」是隐藏工作表，未读取）"
        else:
            near = suggestion(list(col.judges), name)
            hint = f"，是否为「{near}」？" if near else ""
        where = info.source or f"{book.label}!{PANEL_SHEET}"
        issues.add("judge-without-scores", where, judge=name, hint=hint)
    for name in col.judges:
        if _listed(panel, name) is None:
            near = suggestion(list(panel), name)
            hint = f"，是否为「{near}」？" if near else ""
            sheet = col.sheet_of[name].split("!", 1)[-1]
            issues.add("judge-not-listed", col.first_seen[name], judge=name, sheet=sheet, hint=hint)


def _read_long(book: Workbook, sheet: str, col: Collected) -> None:
    issues = col.issues
    table = find_table(book, sheet, ["专家", "单位编码", "指标", "得分"], issues)
    if table is None:
        return
    for rec in table.records():
        judge = display_text(rec.raw("专家"))
        if not judge:
            issues.add("blank-judge", rec.ref("专家"))
            continue
        unit = col.index.find(rec, issues)
        ind = find_indicator(rec, col.indicators, issues)
        if ind is None:
            continue
        code = ind.code
        if unit is None:
            continue
        if unit.participation is not Participation.YES:
            col.nonparticipant(unit, rec.ref("单位编码"))
            continue
        info = col.judge(
            judge,
            display_text(rec.raw("评委组")),
            display_text(rec.raw("所属单位")),
            rec.ref("专家"),
            table.source,
        )
        col.rows_of[judge].add(unit.code)
        if col.recuses(judge, info, unit, rec.ref("专家")):
            continue
        by_count = is_no_score(rec.raw("得分")) and not is_no_score(rec.raw("次数"))
        if by_count:
            value, ok = count_cell(rec, ind, issues)
        else:
            value, ok = cell_value(rec, "得分", ind, issues)
        if not ok:
            col.reported.add((judge, unit.code, code))
        elif value is not None:
            where = rec.ref("次数" if by_count else "得分")
            col.add(Score(judge, unit.code, code, value, where, info.group))


def _read_wide(book: Workbook, sheet: str, col: Collected) -> None:
    issues = col.issues
    judge = display_text(sheet_key(sheet)[len(WIDE_PREFIX) :])
    table = find_table(book, sheet, ["单位编码"], issues)
    if table is None:
        return
    codes = [h for h in table.columns if h in col.indicators]
    for header, column in table.columns.items():
        if header not in col.indicators and header not in WIDE_EXTRA:
            issues.add("ignored-column", table.col_ref(column), header=header)
    if not codes:
        example = "、".join(list(col.indicators)[:3])
        issues.add("no-indicator-columns", table.col_ref(0), example=example)
        return
    info = col.judge(judge, "", "", table.source, table.source)
    cells = [(code, table.columns[code], col.indicators[code]) for code in codes]
    records = list(table.records())
    # The plain numbers of the whole sheet at once; only the other cells are parsed one by one.
    hundredths, plain = plain_hundredths(
        [rec.values for rec in records],
        [column for _, column, _ in cells],
        [top_hundredths(ind.max) for _, _, ind in cells],
    )
    value_rows = plain_fractions(hundredths, plain)
    rows_of = col.rows_of[judge]
    scores = col.scores
    every = frozenset(codes)
    for rec, row_values in zip(records, value_rows, strict=True):
        unit = col.index.find(rec, issues)
        if unit is None:
            continue
        if unit.code in rows_of:  # a second row, here or in the long form 专家评分
            earlier = col.row_ref.get((judge, unit.code))
            first = earlier.ref("单位编码") if earlier is not None else col.source_of(judge, unit)
            issues.add("duplicate-row", rec.ref("单位编码"), unit=unit.code, first=first)
            continue
        rows_of.add(unit.code)
        col.row_ref[(judge, unit.code)] = rec
        if unit.participation is not Participation.YES:
            if not all(is_no_score(rec.raw(c)) for c in codes):
                col.nonparticipant(unit, rec.ref("单位编码"))
            continue
        if col.recuses(judge, info, unit, rec.ref("单位编码")):
            continue
        odd: list[str] = []  # scored through the per-cell parser
        for (code, column, ind), value in zip(cells, row_values, strict=True):
            if value is None:  # not the common case (a number in range, two decimals at most)
                raw = rec.values[column] if column < len(rec.values) else None
                found = fast_number(raw, fast_bound(ind))
                if found is None:
                    found, ok = cell_value(rec, code, ind, issues)
                    if not ok:
                        col.reported.add((judge, unit.code, code))
                        continue
                    if found is None:
                        col.blanks[(judge, unit.code)][code] = rec.ref(code)
                        continue
                value = found
                odd.append(code)
            # Straight to the list, not through ``col.add``: this judge had no row for this
            # unit before (checked above, long-form rows included), so no earlier score can
            # share the key, and the long-form sheets, the only other source, are read first.
            scores.append(
                Score(judge, unit.code, code, value, (table.source, rec.row, column), info.group)
            )
        if any(v is None for v in row_values):
            bulk = {c for (c, _, _), v in zip(cells, row_values, strict=True) if v is not None}
            col.scored(unit.code, judge, bulk.union(odd))
        else:
            col.scored(unit.code, judge, every)


_HUNDREDTHS: dict[int, Fraction] = {}


def plain_fractions(
    hundredths: npt.NDArray[np.int64], plain: npt.NDArray[np.bool_]
) -> list[list[Fraction | None]]:
    """Row by row, the exact value of each plain cell, None for the others. One Fraction
    per distinct value, shared by every cell that holds it."""
    if hundredths.size == 0:
        return [[] for _ in range(hundredths.shape[0])]
    distinct, inverse = np.unique(hundredths, return_inverse=True)
    table = np.empty(len(distinct) + 1, dtype=object)
    table[:-1] = [fraction_of(int(h)) for h in distinct]
    table[-1] = None
    picks = np.where(plain, inverse.reshape(hundredths.shape), len(distinct))
    values: list[list[Fraction | None]] = table[picks].tolist()
    return values


def fraction_of(hundredths: int) -> Fraction:
    """The exact value of ``hundredths`` / 100 (shared: scores repeat)."""
    value = _HUNDREDTHS.get(hundredths)
    if value is None:
        value = Fraction(hundredths, 100)
        if len(_HUNDREDTHS) < 100_000:
            _HUNDREDTHS[hundredths] = value
    return value
