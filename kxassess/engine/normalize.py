"""Optional z-score normalisation of the judges' scores (``--normalize``).

A lenient judge gives everyone a little more, a harsh one a little less, and a judge who
uses only 7 to 9 of a 10-point scale weighs less than one who uses 2 to 10. Normalising
puts every judge on the same scale before the mean: per judge and indicator,

    z = (x − μ_judge) / σ_judge,       normalised = μ + σ · z,

where μ_judge and σ_judge are the mean and the (population) standard deviation of the
judge's own scores of that indicator, and μ and σ those of all judges' scores of that
indicator in the judge's 评委组. The result stays on the indicator's scale (points, not
z-units) and is kept within 0 and the indicator's max. A judge with one score, or one
score for every unit, on an indicator (σ_judge = 0) gives no order to keep: each score is
μ, the others' mean.

Exactness: the means and variances are exact Fractions; only σ/σ_judge = √(var/var_judge)
may be irrational. It is exact when the ratio is the square of a fraction; otherwise the
square root is taken as a Decimal to 40 significant digits and turned into a Fraction, so
the error (below 10⁻³⁸ relative) cannot move a score rounded to 2 decimals unless the
exact value lay within that distance of a rounding boundary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal, localcontext
from fractions import Fraction
from math import isqrt

from kxassess.engine.components import mean
from kxassess.inputs import Score
from kxassess.scheme.model import Scheme
from kxassess.scoretable import ScoreTable

DIGITS = 40


def sqrt_ratio(a: Fraction, b: Fraction) -> Fraction:
    """√(a/b) for a ≥ 0, b > 0: exact when it is rational, else to ``DIGITS`` digits."""
    q = a / b
    product = q.numerator * q.denominator  # √(n/d) = √(n·d)/d
    root = isqrt(product)
    if root * root == product:
        return Fraction(root, q.denominator)
    with localcontext() as ctx:
        ctx.prec = DIGITS
        return Fraction(Decimal(product).sqrt()) / q.denominator


def _stats(values: Sequence[Fraction]) -> tuple[Fraction, Fraction]:
    """Mean and population variance, exact."""
    mu = mean(values)
    return mu, mean([(v - mu) ** 2 for v in values])


def normalize_scores(scores: Sequence[Score], scheme: Scheme) -> ScoreTable:
    """The scores with each judge's scores of each indicator z-scored back onto the
    indicator's scale. Scores counted 0 for a missing one (``--allow-missing``) stay 0.

    An option used rarely, so it stays exact per score: the table's scores are taken one
    by one (as :class:`Score`), and the normalised ones make a new table."""
    maxima = {code: i.max for code, i in scheme.all_indicators.items()}
    own: dict[tuple[str, str], list[Fraction]] = defaultdict(list)
    pooled: dict[tuple[str, str], list[Fraction]] = defaultdict(list)
    for s in scores:
        if s.imputed or s.indicator not in maxima:
            continue
        own[(s.judge, s.indicator)].append(s.value)
        pooled[(s.group, s.indicator)].append(s.value)
    judge_stats = {key: _stats(values) for key, values in own.items()}
    pooled_stats = {key: _stats(values) for key, values in pooled.items()}
    out = []
    for s in scores:
        if s.imputed or s.indicator not in maxima:
            out.append(s)
            continue
        mu_j, var_j = judge_stats[(s.judge, s.indicator)]
        mu, var = pooled_stats[(s.group, s.indicator)]
        value = mu if var_j == 0 else mu + sqrt_ratio(var, var_j) * (s.value - mu_j)
        value = min(max(value, Fraction(0)), maxima[s.indicator])
        out.append(replace(s, value=value))
    return ScoreTable.from_scores(out)
