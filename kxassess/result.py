"""What a scoring run produces; ``to_dict`` is the pinned JSON document (SPEC §6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from kxassess.issues import Issue
from kxassess.scheme import AnyScheme


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
FLAG_LABELS = {
    "suspend_capacity_projects": "暂停申报能力提升计划项目",
    "suspend_all_projects": "暂停申报所有项目",
    "expel": "责令退出团体会员",
    "star_downgraded": "星级下降",
    "funding_review": "调整资金支持",
    "priority": "优先支持",
    "total_zeroed": "核实不实指标过多，总分计0分",
}


def flag_label(flag: str) -> str:
    """A flag as staff read it: 暂停申报所有项目 for ``suspend_all_projects``."""
    if flag.startswith("gate:"):
        return f"不符合：{flag[5:]}"
    if flag.startswith("zeroed:"):
        return f"指标{flag[7:]}核实不实，计0分"
    return FLAG_LABELS.get(flag, flag)


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
        }


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
    # seconds spent per phase of the run (read+validate, score, write, registry); not in JSON
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    publication: Publication | None = None  # set by api.score before the outputs are written

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme.id if self.scheme else None,
            "year": self.year,
            "units": [u.to_dict() for u in self.units],
            "issues": [
                {"severity": str(i.severity), "source": i.source, "message": i.message}
                for i in self.issues
            ],
            "outputs": list(self.outputs),
        }


def _num(value: Decimal | None) -> float | None:
    """A published 2-decimal value as a JSON number (85.5 for 85.50)."""
    return None if value is None else float(value)
