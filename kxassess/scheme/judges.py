"""Settings of the judge analysis (评委分析): when a judge counts as lenient, harsh or flat,
when judges disagree on a score, and how Kendall's W is read. All optional; the defaults
are the pinned ones."""

from __future__ import annotations

from fractions import Fraction

from pydantic import Field, model_validator

from kxassess.scheme.base import Exact, Frozen


class JudgeSettings(Frozen):
    """The ``judges:`` block of a scheme file.

    ``bias`` is in percentage points of the indicator's full marks: a judge whose scores lie
    on average ``lenient`` points or more above the median of the other judges is 偏宽.
    """

    lenient: Exact = Field(default=Fraction(5), description="bias ≥ this: 偏宽 (lenient)")
    harsh: Exact = Field(default=Fraction(-5), description="bias ≤ this: 偏严 (harsh)")
    min_others: int = Field(
        default=2, ge=1, description="a score is compared only when this many others scored"
    )
    flat_share: Exact = Field(
        default=Fraction(1, 2),
        description="区分度不足 when the judge gave one score to every unit on this share of "
        "the indicators",
    )
    flat_min_units: int = Field(default=3, ge=2, description="…scored on at least this many units")
    spread: Exact = Field(
        default=Fraction(1, 2),
        description="专家评分分歧较大 when max − min ≥ this share of the indicator's max",
    )
    spread_min_judges: int = Field(default=3, ge=2, description="…with at least this many judges")
    agreement_good: Exact = Field(default=Fraction(7, 10), description="W ≥ this: 一致性较好")
    agreement_fair: Exact = Field(default=Fraction(1, 2), description="W ≥ this: 一致性一般")
    normalize: bool = Field(
        default=False,
        description="z-score each judge's scores per indicator before the mean (as --normalize)",
    )

    @model_validator(mode="after")
    def _ordered(self) -> JudgeSettings:
        if self.harsh >= self.lenient:
            raise ValueError("judges: harsh must be below lenient")
        if not 0 < self.flat_share <= 1 or not 0 < self.spread <= 1:
            raise ValueError("judges: flat_share and spread are shares between 0 and 1")
        if not 0 <= self.agreement_fair <= self.agreement_good <= 1:
            raise ValueError("judges: need 0 ≤ agreement_fair ≤ agreement_good ≤ 1")
        return self
