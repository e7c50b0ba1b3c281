"""评委分析: lenient, harsh and flat judges, disagreements, and how far the
judges agree on the order of the units. Pure: scores and results in, findings out.

Only real scores count: a recused pair (回避) was never a score, and a missing score
counted 0 under ``--allow-missing`` is not the judge's opinion, so both are left out.
Only units that were scored (参加考核) are analysed, and a judge is compared only with
judges of the same 评委组, since groups may score on different standards.

Scores are decimals, so every score is held as an integer count of ``1/den`` for one
common ``den``; a national year has about two million scores, and integer sums are many
times faster than Fraction sums. The published figures are exact Fractions rounded
half-up once, at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from kxassess.engine.concordance import concordance
from kxassess.engine.consensus import Groups, group_rows
from kxassess.inputs import YearInput
from kxassess.issues import Issue, IssueList
from kxassess.numbers import as_decimal, round2
from kxassess.result import Agreement, JudgeResult, Status, UnitResult
from kxassess.scheme.judges import JudgeSettings
from kxassess.scheme.model import Indicator
from kxassess.scoretable import ScoreTable, as_table

Ints = npt.NDArray[np.int64]

NOT_COMPUTED = "评委或单位不足，未计算"
NO_ORDER = "各专家所评总分排不出名次，未计算"


@dataclass(frozen=True)
class JudgeAnalysis:
    judges: tuple[JudgeResult, ...]
    agreement: tuple[Agreement, ...]
    issues: tuple[Issue, ...]


@dataclass(frozen=True)
class Used:
    """The scores 评委分析 counts, as columns (rows of the score table, in its order):
    judge and cell codes, values over the table's denominator, and the cells grouped."""

    table: ScoreTable
    rows: Ints  # table rows, ascending
    judge: Ints
    cell: Ints  # (评委组 of the judge, unit, indicator) as one code
    value: npt.NDArray[np.generic]
    n_unit: int
    n_ind: int
    cells: Groups

    def unit_of(self, cell: int) -> int:
        return cell // self.n_ind % self.n_unit

    def indicator_of(self, cell: int) -> int:
        return cell % self.n_ind


def analyse_judges(inp: YearInput, units: Sequence[UnitResult]) -> JudgeAnalysis:
    """Bias and flags per judge, 专家评分分歧较大 warnings, Kendall's W per grading group."""
    settings = inp.scheme.judges
    maxima = inp.scheme.all_indicators
    scored = {u.code: u for u in units if u.status is Status.SCORED}
    table = as_table(inp.scores)
    # Judges in the order they first appear, each with the 评委组 of the first score.
    by_judge = group_rows(table.judge.astype(np.int64))
    first_rows = sorted(by_judge.first.tolist())
    group_code = np.zeros(len(table.judges) + 1, dtype=np.int64)
    group_of: dict[str, str] = {}
    for i in first_rows:
        j = int(table.judge[i])
        group_code[j] = int(table.group[i])
        group_of[table.judges[j]] = table.groups[group_code[j]]
    unit_ok = np.array([u in scored for u in table.units] + [False], dtype=np.bool_)
    ind_ok = np.array([c in maxima for c in table.indicators] + [False], dtype=np.bool_)
    rows = np.flatnonzero(~table.imputed & unit_ok[table.unit] & ind_ok[table.indicator])
    n_unit, n_ind = max(len(table.units), 1), max(len(table.indicators), 1)
    judge = table.judge[rows].astype(np.int64)
    cell = (group_code[judge] * n_unit + table.unit[rows]) * n_ind + table.indicator[rows]
    used = Used(table, rows, judge, cell, table.value[rows], n_unit, n_ind, group_rows(cell))
    counts = np.bincount(judge, minlength=len(table.judges)).tolist()
    bias = _bias(used, {code: i.max for code, i in maxima.items()}, settings)
    flat = _flat_indicators(used, settings)
    issues = IssueList()
    involved = _disagreements(used, maxima, scored, settings, issues)

    judges = []
    for name, group in group_of.items():
        exact, compared = bias.get(name, (None, 0))
        value = None if exact is None else round2(exact)
        flags: list[str] = []
        if value is not None and value >= as_decimal(settings.lenient):
            flags.append("lenient")
        if value is not None and value <= as_decimal(settings.harsh):
            flags.append("harsh")
        flat_count, rated = flat.get(name, (0, 0))
        if rated and flat_count >= settings.flat_share * rated:
            flags.append("flat")
        judges.append(
            JudgeResult(
                judge=name,
                group=group,
                scores=counts[table.judges.index(name)] if counts else 0,
                bias=value,
                flags=tuple(flags),
                compared=compared,
                flat_indicators=flat_count,
                disagreements=involved.get(name, 0),
            )
        )
    agreement = _agreement(used, units, group_of, settings)
    return JudgeAnalysis(tuple(judges), agreement, tuple(issues))


# --- bias ----------------------------------------------------------------------------------


def twice_median_without(ordered: Sequence[int], skip: int) -> int:
    """Twice the median of ``ordered`` (sorted) with the element at index ``skip`` left
    out (of an even count, the median is the mean of the middle two). Twice, so that it
    stays an integer."""
    m = len(ordered) - 1
    b = m // 2
    high = ordered[b if b < skip else b + 1]
    if m % 2:
        return 2 * high
    a = b - 1
    return ordered[a if a < skip else a + 1] + high


def median_without(ordered: Sequence[int], skip: int) -> Fraction:
    return Fraction(twice_median_without(ordered, skip), 2)


def _bias(
    used: Used, maxima: dict[str, Fraction], settings: JudgeSettings
) -> dict[str, tuple[Fraction, int]]:
    """judge → (exact bias, scores compared). bias = mean over the judge's compared scores
    of (score − median of the other judges' scores of the cell) ÷ indicator max × 100.

    Twice the median is an integer, so the differences are summed as integers of
    ``1/(2·den)`` per judge and indicator (one sort of the table, by cell and value:
    :func:`twice_median_without` for every score at once) and divided by the indicator's
    max only once."""
    table = used.table
    cells = used.cells
    size = np.empty(len(used.cell), dtype=np.int64)  # judges in each score's cell
    size[cells.order] = np.repeat(cells.counts, cells.counts)
    pick = np.flatnonzero(size - 1 >= settings.min_others)
    if len(pick) == 0:
        return {}
    cell, value = used.cell[pick], used.value[pick]
    order = np.lexsort((value, cell))
    cell, value, judge = cell[order], value[order], used.judge[pick][order]
    starts = np.flatnonzero(np.concatenate(([True], cell[1:] != cell[:-1])))
    counts = np.diff(np.append(starts, len(cell)))
    start = np.repeat(starts, counts)
    k = np.repeat(counts, counts)
    n = np.arange(len(cell)) - start  # position within the cell, by value
    m = k - 1
    b = m // 2
    high = value[start + np.where(b < n, b, b + 1)]
    a = b - 1
    low = value[start + np.where(a < n, a, a + 1).clip(min=0)]
    twice = np.where(m % 2 == 1, 2 * high, low + high)
    diff = 2 * value - twice
    indicator = cell % used.n_ind
    key = judge * used.n_ind + indicator
    pairs = group_rows(key)
    sums = pairs.reduce(np.add, diff).tolist()
    den = table.den
    totals: dict[int, Fraction] = defaultdict(Fraction)
    for key_, total in zip(pairs.keys.tolist(), sums, strict=True):
        j, i = divmod(key_, used.n_ind)
        totals[j] += Fraction(total, 2 * den) / maxima[table.indicators[i]]
    compared = np.bincount(judge, minlength=len(table.judges)).tolist()
    return {
        table.judges[j]: (total * 100 / compared[j], compared[j]) for j, total in totals.items()
    }


# --- flat judges ---------------------------------------------------------------------------


def _flat_indicators(used: Used, settings: JudgeSettings) -> dict[str, tuple[int, int]]:
    """judge → (indicators on which the judge gave every unit the same score, indicators
    the judge scored on at least ``flat_min_units`` units)."""
    key = used.judge * used.n_ind + used.cell % used.n_ind
    pairs = group_rows(key)
    lows = pairs.reduce(np.minimum, used.value).tolist()
    highs = pairs.reduce(np.maximum, used.value).tolist()
    out: dict[str, tuple[int, int]] = {}
    for key_, n, lo, hi in zip(
        pairs.keys.tolist(), pairs.counts.tolist(), lows, highs, strict=True
    ):
        if n < settings.flat_min_units:
            continue
        name = used.table.judges[key_ // used.n_ind]
        flat, rated = out.get(name, (0, 0))
        out[name] = (flat + (lo == hi), rated + 1)
    return out


# --- disagreements -------------------------------------------------------------------------


def _disagreements(
    used: Used,
    maxima: dict[str, Indicator],
    scored: dict[str, UnitResult],
    settings: JudgeSettings,
    issues: IssueList,
) -> dict[str, int]:
    """专家评分分歧较大 per cell with enough judges; judge → cases where the judge was the
    highest or the lowest."""
    involved: dict[str, int] = defaultdict(int)
    table, cells, den = used.table, used.cells, used.table.den
    # (high − low)/den ≥ spread × max  ⇔  (high − low)·q ≥ p·den, with spread × max = p/q
    limits = {code: settings.spread * i.max for code, i in maxima.items()}
    limits_int = {code: (f.denominator, f.numerator * den) for code, f in limits.items()}
    highs = cells.reduce(np.maximum, used.value).tolist()
    lows = cells.reduce(np.minimum, used.value).tolist()
    flagged: list[tuple[int, int]] = []  # (first row, cell number)
    for n, (count, high, low) in enumerate(zip(cells.counts.tolist(), highs, lows, strict=True)):
        if count < settings.spread_min_judges or high == low:
            continue
        indicator = table.indicators[used.indicator_of(int(cells.keys[n]))]
        q, p_den = limits_int[indicator]
        if (high - low) * q >= p_den:
            flagged.append((int(cells.first[n]), n))
    texts: dict[int, str] = {}  # a national year has thousands of these warnings

    def text(value: int) -> str:
        found = texts.get(value)
        if found is None:
            found = texts[value] = _text(Fraction(value, den))
        return found

    for _, n in sorted(flagged):
        key = int(cells.keys[n])
        members = sorted(cells.order[cells.starts[n] : cells.starts[n] + cells.counts[n]].tolist())
        marks = [
            (table.judges[int(used.judge[r])], used.value[r], int(used.rows[r])) for r in members
        ]
        high, low = highs[n], lows[n]
        unit = table.units[used.unit_of(key)]
        indicator = table.indicators[used.indicator_of(key)]
        group = table.groups[key // used.n_ind // used.n_unit]
        top = maxima[indicator].max
        highest = [k for k in marks if k[1] == high]
        lowest = [k for k in marks if k[1] == low]
        for k in highest + lowest:
            involved[k[0]] += 1
        issues.add(
            "judge-spread",
            table.source(highest[0][2]),
            unit=unit,
            name=scored[unit].name,
            indicator=indicator,
            group=f"（评委组：{group}）" if group else "",
            high=text(high),
            high_judges="、".join(k[0] for k in highest),
            high_cells="、".join(table.source(k[2]) for k in highest),
            low=text(low),
            low_judges="、".join(k[0] for k in lowest),
            low_cells="、".join(table.source(k[2]) for k in lowest),
            gap=text(high - low),
            max=_text(top),
            share=f"{_text(settings.spread * 100)}%",
        )
    return involved


def _text(value: Fraction) -> str:
    """A decimal as people write it: 8.5, 10, 0.25."""
    return format(as_decimal(value).normalize(), "f")


# --- agreement -----------------------------------------------------------------------------


def _agreement(
    used: Used,
    units: Sequence[UnitResult],
    group_of: dict[str, str],
    settings: JudgeSettings,
) -> tuple[Agreement, ...]:
    """Kendall's W per grading group (and 评委组), on each judge's total per unit
    (:mod:`kxassess.engine.concordance`)."""
    grading = {u.code: u.group for u in units if u.status is Status.SCORED}
    table = used.table
    totals: dict[tuple[str, str], dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    unit = used.cell // used.n_ind % used.n_unit
    panel = used.cell // used.n_ind // used.n_unit  # 评委组 codes
    key = (panel * len(table.judges) + used.judge) * used.n_unit + unit
    pairs = group_rows(key)
    sums = pairs.reduce(np.add, used.value).tolist()
    n_judges = len(table.judges)
    for n in np.argsort(pairs.first, kind="stable").tolist():
        rest, u = divmod(int(pairs.keys[n]), used.n_unit)
        g, j = divmod(rest, n_judges)
        unit_code = table.units[u]
        totals[(grading[unit_code], table.groups[g])][table.judges[j]][unit_code] = sums[n]
    order = list(dict.fromkeys(grading.values()))
    groups = list(dict.fromkeys(group_of.values()))  # 评委组 in the order judges appear
    out = []
    for group in order:
        for judge_group in groups:
            by_judge = totals.get((group, judge_group))
            if not by_judge:
                continue
            found = concordance(by_judge)
            w = None if found.w is None else round2(found.w)
            too_few = found.judges < 2 or found.units < 2
            meaning = NOT_COMPUTED if too_few else _meaning(found.w, settings)
            out.append(
                Agreement(group, judge_group, found.judges, found.units, w, meaning, found.complete)
            )
    return tuple(out)


def _meaning(w: Fraction | None, settings: JudgeSettings) -> str:
    if w is None:
        return NO_ORDER
    value = round2(w)
    if value >= as_decimal(settings.agreement_good):
        return "一致性较好"
    if value >= as_decimal(settings.agreement_fair):
        return "一致性一般"
    return "一致性较差"
