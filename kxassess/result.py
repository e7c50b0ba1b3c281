"""What a scoring run produces; ``to_dict`` is the pinned JSON document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from kxassess.inputs import Objection
from kxassess.issues import Issue
from kxassess.scheme import AnyScheme
from kxassess.scheme.flags import BUILTIN_FLAG_LABELS as FLAG_LABELS


class Status(StrEnum):
    SCORED = "scored"
    ABSENT = "absent"
    EXCUSED = "excused"
    EXCLUDED = "excluded"


STATUS_LABELS = {
    Status.SCORED: "参加考核",
    Status.ABSENT: "无故未参加",
    Status.EXCUSED: "请假",
    Status.EXCLUDED: "不予考核",
}
MOVE_LABELS = {"promote": "升类", "demote": "降类", "absent": "未参加考核", None: ""}


def flag_label(flag: str, scheme: AnyScheme | None = None) -> str:
    """A flag as staff read it: 暂停申报所有项目 for ``suspend_all_projects``. The scheme
    file's ``flag_labels`` name its own flags; the built-in flags have labels here."""
    if flag.startswith("gate:"):
        return f"不符合：{flag[5:]}"
    if flag.startswith("deduction_cap:"):
        return f"有扣分项，最高评为{flag[len('deduction_cap:') :]}"
    if flag.startswith("zeroed:"):
        return f"指标{flag[7:]}核实不实，计0分"
    if scheme is not None and flag in scheme.flag_labels:
        return scheme.flag_labels[flag]
    return FLAG_LABELS.get(flag, flag)


@dataclass(frozen=True)
class Override:
    """A decision of the 审定 sheet as applied: ``field`` of the score JSON (grade, move,
    honours), its value by the formula and after the decision, why, and who decided."""

    field: str
    before: str | list[str] | None
    after: str | list[str] | None
    reason: str
    approver: str
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "from": self.before,
            "to": self.after,
            "reason": self.reason,
            "approver": self.approver,
        }


@dataclass(frozen=True)
class UnitResult:
    code: str
    name: str
    tier: str | None
    group: str
    status: Status
    total: Decimal | None
    components: dict[str, Decimal] | None
    rank: int | None
    grade: str | None
    move: str | None
    next_tier: str | None
    honours: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    # detail for the workbook and feedback (not part of the JSON contract)
    indicators: dict[str, Decimal] = field(default_factory=dict)
    parts: dict[str, Decimal] = field(default_factory=dict)
    previous_grade: str | None = None
    previous_rank: int | None = None
    bonus: Decimal | None = None
    deduction: Decimal | None = None
    vetoes: tuple[str, ...] = ()  # "事项（处理）"
    reward: Decimal | None = None
    self_scores: dict[str, Decimal] = field(default_factory=dict)
    # project programmes: the stage reached, why a gate failed, the sub-type
    stage: str | None = None
    reasons: tuple[str, ...] = ()
    subtype: str = ""
    overrides: tuple[Override, ...] = ()  # 审定: decisions applied after grading and moves

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "tier": self.tier,
            "status": str(self.status),
            "total": _num(self.total),
            "components": (
                None
                if self.components is None
                else {k: _num(v) for k, v in self.components.items()}
            ),
            "rank": self.rank,
            "grade": self.grade,
            "move": self.move,
            "next_tier": self.next_tier,
            "honours": list(self.honours),
            "flags": list(self.flags),
            "overrides": [o.to_dict() for o in self.overrides],
        }


JUDGE_FLAG_LABELS = {"lenient": "偏宽", "harsh": "偏严", "flat": "区分度不足"}


def judge_flag_labels(flags: tuple[str, ...]) -> str:
    """A judge's flags as staff read them: 偏宽、区分度不足."""
    return "、".join(JUDGE_FLAG_LABELS.get(f, f) for f in flags)


@dataclass(frozen=True)
class JudgeResult:
    """One judge in the 评委分析; ``to_dict`` is the pinned JSON entry."""

    judge: str
    group: str  # 评委组, "" without groups
    scores: int  # scores the judge gave to scored units (a recused pair is not a score)
    bias: Decimal | None  # percentage points of full marks; None when nothing was compared
    flags: tuple[str, ...] = ()  # lenient, harsh, flat
    # detail for the workbook (not part of the JSON contract)
    compared: int = 0  # scores compared with the median of at least 2 other judges
    flat_indicators: int = 0  # indicators on which the judge gave every unit one score
    disagreements: int = 0  # 专家评分分歧较大 cases where the judge was highest or lowest

    def to_dict(self) -> dict[str, Any]:
        return {
            "judge": self.judge,
            "group": self.group or None,
            "scores": self.scores,
            "bias": _num(self.bias),
            "flags": list(self.flags),
        }


@dataclass(frozen=True)
class Agreement:
    """Kendall's W of the judges' rankings of the units of one grading group."""

    group: str  # grading group (类别 or 全部)
    judge_group: str  # 评委组, "" without groups
    judges: int
    units: int
    w: Decimal | None  # None when fewer than 2 judges or 2 units could be compared
    meaning: str  # 一致性较好 / 一致性一般 / 一致性较差 / why it was not computed
    complete: bool = True  # False: judges ranked different units (回避), W from the pairs


@dataclass(frozen=True)
class InputFile:
    path: str
    sha256: str


@dataclass(frozen=True)
class Publication:
    """How the run's final documents (结果通报, feedback) are dated and numbered."""

    date: dt.date
    doc_number: str = ""


@dataclass(frozen=True)
class ScoreResult:
    scheme: AnyScheme | None
    year: int | None
    units: tuple[UnitResult, ...]
    issues: tuple[Issue, ...]
    inputs: tuple[InputFile, ...] = ()
    outputs: tuple[str, ...] = ()
    started: str = ""
    version: str = ""
    trim: bool = False
    allow_missing: bool = False
    objections: tuple[Objection, ...] = ()  # sheet 异议 (listed in the workbook, counted in 通报)
    normalize: bool = False  # judges' scores z-scored per indicator before the mean
    judges: tuple[JudgeResult, ...] = ()
    agreement: tuple[Agreement, ...] = ()
    # seconds spent per phase of the run (read+validate, score, write, registry); not in JSON
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    publication: Publication | None = None  # set by api.score before the outputs are written

    @property
    def ok(self) -> bool:
        return not any(i.is_error for i in self.issues)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme.id if self.scheme else None,
            "year": self.year,
            "units": [u.to_dict() for u in self.units],
            "issues": [i.to_dict() for i in self.issues],
            "outputs": list(self.outputs),
            "judges": [j.to_dict() for j in self.judges],
        }


def _num(value: Decimal | None) -> float | None:
    """A published 2-decimal value as a JSON number (85.5 for 85.50)."""
    return None if value is None else float(value)
