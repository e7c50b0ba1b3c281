"""评委分析 (SPEC §11): lenient, harsh and flat judges, disagreements, and how far the
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from kxassess.inputs import Score, YearInput
from kxassess.issues import Issue, IssueList
from kxassess.numbers import as_decimal, round2
from kxassess.result import Agreement, JudgeResult, Status, UnitResult
from kxassess.scheme.judges import JudgeSettings
from kxassess.scheme.model import Indicator

NOT_COMPUTED = "评委或单位不足，未计算"


@dataclass(frozen=True)
class JudgeAnalysis:
    judges: tuple[JudgeResult, ...]
    agreement: tuple[Agreement, ...]
    issues: tuple[Issue, ...]


@dataclass(frozen=True, slots=True)
class _Mark:
    """One judge's score of one cell (unit × indicator), as an integer of ``1/den``."""

    judge: str
    value: int
    score: Score


def analyse_judges(inp: YearInput, units: Sequence[UnitResult]) -> JudgeAnalysis:
    """Bias and flags per judge, 专家评分分歧较大 warnings, Kendall's W per grading group."""
    settings = inp.scheme.judges
    maxima = inp.scheme.all_indicators
    scored = {u.code: u for u in units if u.status is Status.SCORED}
    group_of: dict[str, str] = {}
    for s in inp.scores:
        group_of.setdefault(s.judge, s.group)
    used = [
        s
        for s in inp.scores
        if not s.imputed and s.unit in scored and s.indicator in maxima and s.judge in group_of
    ]
    den = _common_denominator(s.value for s in used)
    cells: dict[tuple[str, str, str], list[_Mark]] = defaultdict(list)
    for s in used:
        units_of_den = s.value.numerator * (den // s.value.denominator)
        cells[(group_of[s.judge], s.unit, s.indicator)].append(_Mark(s.judge, units_of_den, s))

    counts: dict[str, int] = defaultdict(int)
    for s in used:
        counts[s.judge] += 1
    bias = _bias(cells, {code: i.max for code, i in maxima.items()}, den, settings)
    flat = _flat_indicators(cells, settings)
    issues = IssueList()
    involved = _disagreements(cells, maxima, scored, den, settings, issues)

    judges = []
    for judge, group in group_of.items():
        exact, compared = bias.get(judge, (None, 0))
        value = None if exact is None else round2(exact)
        flags: list[str] = []
        if value is not None and value >= as_decimal(settings.lenient):
            flags.append("lenient")
        if value is not None and value <= as_decimal(settings.harsh):
            flags.append("harsh")
        flat_count, rated = flat.get(judge, (0, 0))
        if rated and flat_count >= settings.flat_share * rated:
            flags.append("flat")
        judges.append(
            JudgeResult(
                judge=judge,
                group=group,
                scores=counts.get(judge, 0),
                bias=value,
                flags=tuple(flags),
                compared=compared,
                flat_indicators=flat_count,
                disagreements=involved.get(judge, 0),
            )
        )
    agreement = _agreement(cells, units, group_of, settings)
    return JudgeAnalysis(tuple(judges), agreement, tuple(issues))


def _common_denominator(values: Iterable[Fraction]) -> int:
    den = 1
    for v in values:
        if den % v.denominator:
            den = lcm(den, v.denominator)
    return den


# --- bias ----------------------------------------------------------------------------------


def median_without(ordered: Sequence[int], skip: int) -> Fraction:
    """The median of ``ordered`` (sorted) with the element at index ``skip`` left out; of an
    even count, the mean of the middle two."""
    m = len(ordered) - 1

    def at(i: int) -> int:
        return ordered[i if i < skip else i + 1]

    if m % 2:
        return Fraction(at(m // 2))
    return Fraction(at(m // 2 - 1) + at(m // 2), 2)


def _bias(
    cells: dict[tuple[str, str, str], list[_Mark]],
    maxima: dict[str, Fraction],
    den: int,
    settings: JudgeSettings,
) -> dict[str, tuple[Fraction, int]]:
    """judge → (exact bias, scores compared). bias = mean over the judge's compared scores
    of (score − median of the other judges' scores of the cell) ÷ indicator max × 100.

    Twice the median is an integer, so the differences are summed as integers of
    ``1/(2·den)`` per judge and indicator and divided by the indicator's max only once."""
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    compared: dict[str, int] = defaultdict(int)
    for (_, _, indicator), marks in cells.items():
        if len(marks) - 1 < settings.min_others:
            continue
        marks = sorted(marks, key=lambda k: k.value)
        ordered = [k.value for k in marks]
        for n, mark in enumerate(marks):
            twice_median = median_without(ordered, n) * 2
            assert twice_median.denominator == 1
            sums[mark.judge][indicator] += 2 * mark.value - twice_median.numerator
            compared[mark.judge] += 1
    out: dict[str, tuple[Fraction, int]] = {}
    for judge, by_indicator in sums.items():
        total = sum(
            (Fraction(diff, 2 * den) / maxima[code] for code, diff in by_indicator.items()),
            Fraction(0),
        )
        out[judge] = (total * 100 / compared[judge], compared[judge])
    return out


# --- flat judges ---------------------------------------------------------------------------


def _flat_indicators(
    cells: dict[tuple[str, str, str], list[_Mark]], settings: JudgeSettings
) -> dict[str, tuple[int, int]]:
    """judge → (indicators on which the judge gave every unit the same score, indicators
    the judge scored on at least ``flat_min_units`` units)."""
    values: dict[tuple[str, str], set[int]] = defaultdict(set)
    units: dict[tuple[str, str], int] = defaultdict(int)
    for (_, _, indicator), marks in cells.items():
        for mark in marks:
            values[(mark.judge, indicator)].add(mark.value)
            units[(mark.judge, indicator)] += 1
    out: dict[str, tuple[int, int]] = {}
    for (judge, indicator), n in units.items():
        if n < settings.flat_min_units:
            continue
        flat, rated = out.get(judge, (0, 0))
        out[judge] = (flat + (len(values[(judge, indicator)]) == 1), rated + 1)
    return out


# --- disagreements -------------------------------------------------------------------------


def _disagreements(
    cells: dict[tuple[str, str, str], list[_Mark]],
    maxima: dict[str, Indicator],
    scored: dict[str, UnitResult],
    den: int,
    settings: JudgeSettings,
    issues: IssueList,
) -> dict[str, int]:
    """专家评分分歧较大 per cell with enough judges; judge → cases where the judge was the
    highest or the lowest."""
    involved: dict[str, int] = defaultdict(int)
    for (group, unit, indicator), marks in cells.items():
        if len(marks) < settings.spread_min_judges:
            continue
        high = max(k.value for k in marks)
        low = min(k.value for k in marks)
        top = maxima[indicator].max
        if high == low or Fraction(high - low, den) < settings.spread * top:
            continue
        highest = [k for k in marks if k.value == high]
        lowest = [k for k in marks if k.value == low]
        for k in highest + lowest:
            involved[k.judge] += 1
        issues.add(
            "judge-spread",
            highest[0].score.source,
            unit=unit,
            name=scored[unit].name,
            indicator=indicator,
            group=f"（评委组：{group}）" if group else "",
            high=_text(Fraction(high, den)),
            high_judges="、".join(k.judge for k in highest),
            high_cells="、".join(k.score.source for k in highest),
            low=_text(Fraction(low, den)),
            low_judges="、".join(k.judge for k in lowest),
            low_cells="、".join(k.score.source for k in lowest),
            gap=_text(Fraction(high - low, den)),
            max=_text(top),
            share=f"{_text(settings.spread * 100)}%",
        )
    return involved


def _text(value: Fraction) -> str:
    """A decimal as people write it: 8.5, 10, 0.25."""
    return format(as_decimal(value).normalize(), "f")


# --- agreement -----------------------------------------------------------------------------


def _agreement(
    cells: dict[tuple[str, str, str], list[_Mark]],
    units: Sequence[UnitResult],
    group_of: dict[str, str],
    settings: JudgeSettings,
) -> tuple[Agreement, ...]:
    """Kendall's W per grading group (and 评委组), on each judge's total per unit."""
    grading = {u.code: u.group for u in units if u.status is Status.SCORED}
    totals: dict[tuple[str, str], dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for (judge_group, unit, _), marks in cells.items():
        for mark in marks:
            totals[(grading[unit], judge_group)][mark.judge][unit] += mark.value
    order = list(dict.fromkeys(grading.values()))
    groups = sorted(set(group_of.values()))
    out = []
    for group in order:
        for judge_group in groups:
            by_judge = totals.get((group, judge_group))
            if not by_judge:
                continue
            judges, block = complete_block(by_judge)
            table = [[by_judge[j][u] for u in block] for j in judges]
            w = kendall_w(table) if len(judges) >= 2 and len(block) >= 2 else None
            value = None if w is None else round2(w)
            out.append(
                Agreement(group, judge_group, len(judges), len(block), value, _meaning(w, settings))
            )
    return tuple(out)


def complete_block(by_judge: dict[str, dict[str, int]]) -> tuple[list[str], list[str]]:
    """The judges and units of a complete ranking table. W needs every judge to rank the
    same units; a recusal (or an assignment) leaves holes. Of (a) every judge on the units
    all of them scored and (b) the judges who scored every unit, on all units, take the
    larger table (a on a tie)."""
    judges = list(by_judge)
    units = list(dict.fromkeys(u for scores in by_judge.values() for u in scores))
    common = [u for u in units if all(u in by_judge[j] for j in judges)]
    full = [j for j in judges if len(by_judge[j]) == len(units)]
    if len(full) >= 2 and len(full) * len(units) > len(judges) * len(common):
        return full, units
    return judges, common


def _midranks(values: Sequence[int | Fraction]) -> list[Fraction]:
    """Rank 1 for the highest value; tied values share the mean of their ranks."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    ranks = [Fraction(0)] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for i in order[start : end + 1]:
            ranks[i] = Fraction(start + end + 2, 2)
        start = end + 1
    return ranks


def kendall_w(table: Sequence[Sequence[int | Fraction]]) -> Fraction | None:
    """Kendall's coefficient of concordance W, exact, with the correction for ties.

    ``table`` has one row per judge (m rows) and one column per unit (n columns); each row
    is ranked, the highest value rank 1, tied values sharing the mean of their ranks. With
    R_i the sum of the ranks of unit i, R̄ = m(n + 1)/2 and S = Σ (R_i − R̄)²,

        W = 12 S / (m²(n³ − n) − m Σ_j T_j),   T_j = Σ over the tie groups of judge j of
                                                       (t³ − t), t the size of the group.

    W is 1 when every judge ranks the units alike and 0 when the rankings cancel out (e.g.
    two judges in reverse order). None when the denominator is 0 (every judge gave every
    unit the same total: there is no ranking to agree on).
    """
    m = len(table)
    n = len(table[0]) if m else 0
    ranks = [_midranks(row) for row in table]
    ties = 0
    for row in table:
        counts: dict[int | Fraction, int] = defaultdict(int)
        for v in row:
            counts[v] += 1
        ties += sum(t**3 - t for t in counts.values())
    denominator = m * m * (n**3 - n) - m * ties
    if denominator == 0:
        return None
    mean_rank = Fraction(m * (n + 1), 2)
    s = sum(((sum(r[i] for r in ranks) - mean_rank) ** 2 for i in range(n)), Fraction(0))
    return 12 * s / denominator


def _meaning(w: Fraction | None, settings: JudgeSettings) -> str:
    if w is None:
        return NOT_COMPUTED
    value = round2(w)
    if value >= as_decimal(settings.agreement_good):
        return "一致性较好"
    if value >= as_decimal(settings.agreement_fair):
        return "一致性一般"
    return "一致性较差"
