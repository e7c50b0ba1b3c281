"""Expert scores (专家评分): long-form sheets and wide-form ``评分-<专家>`` sheets (SPEC §4)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from kxassess.inputs import Participation, Score, Unit
from kxassess.issues import IssueList
from kxassess.reading.cells import NotANumber, display_text, norm_text, parse_number
from kxassess.reading.tables import Record, find_table
from kxassess.reading.workbook import Workbook
from kxassess.scheme.model import Indicator, Scheme
from kxassess.validation.lookup import UnitIndex

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
class _Collector:
    """Scores as read, with where each came from, before the completeness checks."""

    scores: list[Score]
    seen: dict[tuple[str, str, str], str]
    # (judge, unit) → indicator → cell where the judge left it blank (wide form)
    blanks: dict[tuple[str, str], dict[str, str]]

    def add(self, score: Score, issues: IssueList) -> None:
        key = (score.judge, score.unit, score.indicator)
        first = self.seen.get(key)
        if first is not None:
            issues.error(
                "duplicate-score",
                score.source,
                f"{score.judge} scored {score.unit} on {score.indicator} twice (also at {first})",
            )
            return
        self.seen[key] = score.source
        self.scores.append(score)


def read_scores(
    book: Workbook,
    scheme: Scheme,
    units: list[Unit],
    issues: IssueList,
    allow_missing: bool,
) -> list[Score]:
    indicators = {i.code: i for c in scheme.indicator_components for i in c.indicators}
    if not indicators:
        return []
    index = UnitIndex.of(units)
    groups = _judge_groups(book, issues)
    col = _Collector([], {}, defaultdict(dict))
    long_sheets = [s for s in book.sheet_names if s.startswith(LONG_PREFIX)]
    wide_sheets = [s for s in book.sheet_names if s.startswith(WIDE_PREFIX)]
    if not long_sheets and not wide_sheets:
        issues.error(
            "missing-sheet",
            book.label,
            f"no expert scores: add a sheet {LONG_PREFIX} (long form) or one sheet "
            f"{WIDE_PREFIX}<专家> per judge (wide form)",
        )
        return []
    for sheet in long_sheets:
        _read_long(book, sheet, indicators, index, groups, col, issues)
    for sheet in wide_sheets:
        _read_wide(book, sheet, indicators, index, groups, col, issues)
    _check_complete(indicators, units, col, issues, allow_missing)
    return col.scores


def _judge_groups(book: Workbook, issues: IssueList) -> dict[str, str]:
    """Judge → 评委组 from the optional 评委 roster."""
    if "评委" not in book.sheet_names:
        return {}
    table = find_table(book, "评委", ["专家"], issues)
    if table is None:
        return {}
    return {display_text(r.raw("专家")): display_text(r.raw("评委组")) for r in table.records()}


def _value(
    rec: Record, column: str, ind: Indicator, issues: IssueList
) -> tuple[Fraction | None, bool]:
    """(score, ok) of one cell: None for "no score"; range and text problems reported."""
    try:
        value = parse_number(rec.raw(column))
    except NotANumber as exc:
        issues.error("not-a-number", rec.ref(column), f"{exc} (indicator {ind.code})")
        return None, False
    if value is None:
        return None, True
    if value < 0:
        issues.error(
            "below-zero", rec.ref(column), f"score {display_text(rec.raw(column))} is below 0"
        )
        return None, False
    if value > ind.max:
        issues.error(
            "above-max",
            rec.ref(column),
            f"score {display_text(rec.raw(column))} is above the maximum {ind.max} of "
            f"indicator {ind.code}",
        )
        return None, False
    return value, True


def _counts(unit: Unit, rec: Record, issues: IssueList, column: str) -> bool:
    """Scores of units that do not take part are ignored, with a warning."""
    if unit.participation is Participation.YES:
        return True
    issues.warning(
        "score-for-nonparticipant",
        rec.ref(column),
        f"{unit.code} {unit.name} does not take part (参加 = {unit.participation}); "
        "its scores are ignored",
    )
    return False


def _read_long(
    book: Workbook,
    sheet: str,
    indicators: dict[str, Indicator],
    index: UnitIndex,
    groups: dict[str, str],
    col: _Collector,
    issues: IssueList,
) -> None:
    table = find_table(book, sheet, ["专家", "单位编码", "指标", "得分"], issues)
    if table is None:
        return
    warned_nonparticipant: set[str] = set()
    for rec in table.records():
        judge = display_text(rec.raw("专家"))
        if not judge:
            issues.error("blank-judge", rec.ref("专家"), "专家 is blank")
            continue
        unit = index.find(rec, issues)
        code = rec.text("指标")
        ind = indicators.get(code)
        if ind is None:
            issues.error(
                "unknown-indicator",
                rec.ref("指标"),
                f"指标 {display_text(rec.raw('指标'))!r} is not an indicator of the scheme",
            )
            continue
        if unit is None:
            continue
        if unit.participation is not Participation.YES:
            if unit.code not in warned_nonparticipant:
                warned_nonparticipant.add(unit.code)
                _counts(unit, rec, issues, "单位编码")
            continue
        value, ok = _value(rec, "得分", ind, issues)
        if not ok or value is None:
            continue
        group = display_text(rec.raw("评委组")) or groups.get(judge, "")
        col.add(Score(judge, unit.code, code, value, rec.ref("得分"), group), issues)


def _read_wide(
    book: Workbook,
    sheet: str,
    indicators: dict[str, Indicator],
    index: UnitIndex,
    groups: dict[str, str],
    col: _Collector,
    issues: IssueList,
) -> None:
    judge = display_text(sheet[len(WIDE_PREFIX) :])
    table = find_table(book, sheet, ["单位编码"], issues)
    if table is None:
        return
    codes = [h for h in table.columns if h in indicators]
    for header, column in table.columns.items():
        if header not in indicators and header not in WIDE_EXTRA:
            issues.warning(
                "ignored-column",
                table.col_ref(column),
                f"column {header!r} is not an indicator of the scheme and is ignored",
            )
    if not codes:
        issues.error(
            "no-indicator-columns",
            table.col_ref(0),
            "the header row names no indicator of the scheme (e.g. "
            f"{', '.join(list(indicators)[:3])})",
        )
        return
    group = groups.get(judge, "")
    for rec in table.records():
        unit = index.find(rec, issues)
        if unit is None:
            continue
        has_any = any(norm_text(rec.raw(c)) not in ("", "-", "—", "/") for c in codes)
        if unit.participation is not Participation.YES:
            if has_any:
                _counts(unit, rec, issues, "单位编码")
            continue
        for code in codes:
            value, ok = _value(rec, code, indicators[code], issues)
            if not ok:
                continue
            if value is None:
                col.blanks[(judge, unit.code)][code] = rec.ref(code)
                continue
            col.add(Score(judge, unit.code, code, value, rec.ref(code), group), issues)


def _check_complete(
    indicators: dict[str, Indicator],
    units: list[Unit],
    col: _Collector,
    issues: IssueList,
    allow_missing: bool,
) -> None:
    """Every participating unit needs scores; a judge who scored a unit on some indicators
    must score it on all. Under ``allow_missing`` each gap counts 0 with a warning."""
    scored: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s in col.scores:
        scored[s.unit][s.judge].add(s.indicator)
    hint = " (use --allow-missing for a provisional run)"
    for unit in units:
        if unit.participation is not Participation.YES:
            continue
        judges = scored.get(unit.code, {})
        if not judges:
            what = f"no judge scored {unit.code} {unit.name}"
            if not allow_missing:
                issues.error("missing-score", unit.source, what + hint)
                continue
            issues.warning("missing-score", unit.source, what + "; every indicator counts 0")
            for code in indicators:
                col.scores.append(
                    Score("（缺评分）", unit.code, code, Fraction(0), unit.source, imputed=True)
                )
            continue
        for judge, done in sorted(judges.items()):
            for code in indicators:
                if code in done:
                    continue
                where = col.blanks.get((judge, unit.code), {}).get(code, unit.source)
                what = f"{judge} gave no score to {unit.code} {unit.name} on indicator {code}"
                if not allow_missing:
                    issues.error("missing-score", where, what + hint)
                    continue
                issues.warning("missing-score", where, what + "; counted as 0 (--allow-missing)")
                col.scores.append(Score(judge, unit.code, code, Fraction(0), where, imputed=True))
