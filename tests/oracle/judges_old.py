# TEST ORACLE: the implementation before the columnar score table, kept to compare.
# ruff: noqa
# mypy: ignore-errors
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm
from operator import itemgetter

from kxassess.engine.concordance import concordance
from kxassess.inputs import Score, YearInput
from kxassess.issues import Issue, IssueList
from kxassess.numbers import as_decimal, round2
from kxassess.result import Agreement, JudgeResult, Status, UnitResult
from kxassess.scheme.judges import JudgeSettings
from kxassess.scheme.model import Aggregation, Indicator, IndicatorsComponent
from kxassess.engine.components import mean

ZERO = Fraction(0)

NOT_COMPUTED = "评委或单位不足，未计算"
NO_ORDER = "各专家所评总分排不出名次，未计算"


@dataclass(frozen=True)
class JudgeAnalysis:
    judges: tuple[JudgeResult, ...]
    agreement: tuple[Agreement, ...]
    issues: tuple[Issue, ...]


Mark = tuple[str, int, Score]
"""One judge's score of one cell (unit × indicator): judge, value as an integer of
``1/den``, and the score (for its cell). Tuples, as there are millions of them."""
Cells = dict[tuple[str, str, str], list[Mark]]
"""(评委组, unit, indicator) → the marks of that cell."""


def analyse_judges(inp: YearInput, units: Sequence[UnitResult]) -> JudgeAnalysis:
    """Bias and flags per judge, 专家评分分歧较大 warnings, Kendall's W per grading group."""
    settings = inp.scheme.judges
    maxima = inp.scheme.all_indicators
    scored = {u.code: u for u in units if u.status is Status.SCORED}
    group_of: dict[str, str] = {}
    for s in inp.scores:
        group_of.setdefault(s.judge, s.group)
    used = [s for s in inp.scores if not s.imputed and s.unit in scored and s.indicator in maxima]
    den = _common_denominator(s.value for s in used)
    cells: Cells = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for s in used:
        v = s.value
        cells[(group_of[s.judge], s.unit, s.indicator)].append(
            (s.judge, v.numerator * (den // v.denominator), s)
        )
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
    cells: Cells, maxima: dict[str, Fraction], den: int, settings: JudgeSettings
) -> dict[str, tuple[Fraction, int]]:
    """judge → (exact bias, scores compared). bias = mean over the judge's compared scores
    of (score − median of the other judges' scores of the cell) ÷ indicator max × 100.

    Twice the median is an integer, so the differences are summed as integers of
    ``1/(2·den)`` per judge and indicator and divided by the indicator's max only once."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    compared: dict[str, int] = defaultdict(int)
    for (_, _, indicator), marks in cells.items():
        if len(marks) - 1 < settings.min_others:
            continue
        marks = sorted(marks, key=itemgetter(1))
        ordered = [k[1] for k in marks]
        for n, (judge, value, _) in enumerate(marks):
            sums[(judge, indicator)] += 2 * value - twice_median_without(ordered, n)
            compared[judge] += 1
    totals: dict[str, Fraction] = defaultdict(Fraction)
    for (judge, indicator), diff in sums.items():
        totals[judge] += Fraction(diff, 2 * den) / maxima[indicator]
    return {
        judge: (total * 100 / compared[judge], compared[judge]) for judge, total in totals.items()
    }


# --- flat judges ---------------------------------------------------------------------------


def _flat_indicators(cells: Cells, settings: JudgeSettings) -> dict[str, tuple[int, int]]:
    """judge → (indicators on which the judge gave every unit the same score, indicators
    the judge scored on at least ``flat_min_units`` units)."""
    values: dict[tuple[str, str], set[int]] = defaultdict(set)
    units: dict[tuple[str, str], int] = defaultdict(int)
    for (_, _, indicator), marks in cells.items():
        for judge, value, _ in marks:
            values[(judge, indicator)].add(value)
            units[(judge, indicator)] += 1
    out: dict[str, tuple[int, int]] = {}
    for (judge, indicator), n in units.items():
        if n < settings.flat_min_units:
            continue
        flat, rated = out.get(judge, (0, 0))
        out[judge] = (flat + (len(values[(judge, indicator)]) == 1), rated + 1)
    return out


# --- disagreements -------------------------------------------------------------------------


def _disagreements(
    cells: Cells,
    maxima: dict[str, Indicator],
    scored: dict[str, UnitResult],
    den: int,
    settings: JudgeSettings,
    issues: IssueList,
) -> dict[str, int]:
    """专家评分分歧较大 per cell with enough judges; judge → cases where the judge was the
    highest or the lowest."""
    involved: dict[str, int] = defaultdict(int)
    # (high − low)/den ≥ spread × max  ⇔  (high − low)·q ≥ p·den, with spread × max = p/q
    limits = {code: settings.spread * i.max for code, i in maxima.items()}
    limits_int = {code: (f.denominator, f.numerator * den) for code, f in limits.items()}
    for (group, unit, indicator), marks in cells.items():
        if len(marks) < settings.spread_min_judges:
            continue
        values = [k[1] for k in marks]
        high, low = max(values), min(values)
        q, p_den = limits_int[indicator]
        if high == low or (high - low) * q < p_den:
            continue
        top = maxima[indicator].max
        highest = [k for k in marks if k[1] == high]
        lowest = [k for k in marks if k[1] == low]
        for k in highest + lowest:
            involved[k[0]] += 1
        issues.add(
            "judge-spread",
            highest[0][2].source,
            unit=unit,
            name=scored[unit].name,
            indicator=indicator,
            group=f"（评委组：{group}）" if group else "",
            high=_text(Fraction(high, den)),
            high_judges="、".join(k[0] for k in highest),
            high_cells="、".join(k[2].source for k in highest),
            low=_text(Fraction(low, den)),
            low_judges="、".join(k[0] for k in lowest),
            low_cells="、".join(k[2].source for k in lowest),
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
    cells: Cells,
    units: Sequence[UnitResult],
    group_of: dict[str, str],
    settings: JudgeSettings,
) -> tuple[Agreement, ...]:
    """Kendall's W per grading group (and 评委组), on each judge's total per unit
    (:mod:`kxassess.engine.concordance`)."""
    grading = {u.code: u.group for u in units if u.status is Status.SCORED}
    totals: dict[tuple[str, str], dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for (judge_group, unit, _), marks in cells.items():
        for judge, value, _ in marks:
            totals[(grading[unit], judge_group)][judge][unit] += value
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


def consensus(values: Sequence[Fraction], aggregation: Aggregation, trim: bool) -> Fraction:
    """The judges' mean; trimmed (one highest and one lowest dropped) when the
    scheme or ``--trim`` asks for it and enough judges scored."""
    if not values:
        raise ValueError("no score to aggregate")
    trimmed = trim or aggregation.method == "trimmed"
    if trimmed and len(values) >= aggregation.trim_min_judges:
        values = sorted(values)[1:-1]
    return mean(values)


def indicator_consensus(
    scores, comp: IndicatorsComponent, trim: bool
) -> dict[str, dict[str, Fraction]]:
    """unit → indicator → consensus score, for the indicators of ``comp``.

    With weighted judge groups the score is Σ weight(group) × consensus within the group,
    which equals Σ weight × (mean of the group's judges' totals) as the notices define it.
    """
    codes = {i.code for i in comp.indicators}
    gathered: dict[tuple[str, str], dict[str, list[Fraction]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for s in scores:
        if s.indicator in codes:
            gathered[(s.unit, s.indicator)][s.group].append(s.value)
    out: dict[str, dict[str, Fraction]] = defaultdict(dict)
    weights = {g.name: g.weight for g in comp.judge_groups}
    for (unit, code), by_group in gathered.items():
        if not weights:
            values = [v for vs in by_group.values() for v in vs]
            out[unit][code] = consensus(values, comp.aggregation, trim)
            continue
        total = ZERO
        for group, weight in weights.items():
            values = by_group.get(group) or by_group.get("") or []  # "" = imputed (0)
            if values:
                total += weight * consensus(values, comp.aggregation, trim)
        out[unit][code] = total
    return out
