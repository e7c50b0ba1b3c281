"""The validated inputs of one year: what the scoring engine consumes (no I/O here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Protocol

from kxassess.reading.cells import cell_ref
from kxassess.scheme.model import Scheme
from kxassess.scheme.programme import ProgrammeScheme

if TYPE_CHECKING:  # numpy loads only when scores are read, not for every command
    from kxassess.scoretable import ScoreTable


class Participation(StrEnum):
    """参加: 是 (takes part), 否 (absent without reason), 请假 (excused)."""

    YES = "是"
    ABSENT = "否"
    EXCUSED = "请假"


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str
    tier: str | None
    participation: Participation
    attributes: Mapping[str, str] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True, slots=True)
class Score:
    """One judge's score of one indicator for one unit (专家评分). ``at`` is where it came
    from: a source text, or (file!sheet, row, column) formatted only when a message needs
    it — a national year has millions of scores and almost never a problem."""

    judge: str
    unit: str
    indicator: str
    value: Fraction
    at: str | tuple[str, int, int]
    group: str = ""
    imputed: bool = False  # a missing score counted as 0 under --allow-missing

    @property
    def source(self) -> str:
        if isinstance(self.at, str):
            return self.at
        table, row, col = self.at
        return f"{table}!{cell_ref(row, col)}"


@dataclass(frozen=True, slots=True)
class Veto:
    """A row of 否决事项: the matter (事项) and its handling (处理)."""

    matter: str
    action: str
    source: str


@dataclass(frozen=True, slots=True)
class SelfScore:
    """A unit's own score of one indicator (自评分) and what it reported (完成情况)."""

    value: Fraction
    report: str
    source: str
    verified: str = ""  # 核实 of a form line: 属实 / 不实 / blank
    false_items: int = 0  # items of this indicator found 不实


@dataclass(frozen=True, slots=True)
class PreviousResult:
    """A unit's result of an earlier year (from the registry)."""

    year: int
    status: str
    grade: str | None
    rank: int | None
    tier: str | None = None


class RegistryView(Protocol):
    """What validation reads from the registry: tiers of a year, results of a year."""

    def tiers_for(self, year: int, population: str | None = None) -> dict[str, str]: ...

    def previous(self, year: int, population: str | None = None) -> dict[str, PreviousResult]: ...

    def unit_names(self, population: str) -> dict[str, str]: ...


@dataclass(frozen=True, slots=True)
class Decision:
    """A row of 审定: change a unit's 等级 (``grade``), 升降 (``move``) or 荣誉 (``honours``).
    ``value`` is the grade (None for 无), promote/demote/None, or ``+名称`` / ``-名称``."""

    unit: str
    item: str  # "grade", "move" or "honours"
    value: str | None
    reason: str
    approver: str
    source: str


@dataclass(frozen=True, slots=True)
class Objection:
    """A row of 异议: who objected, to what, and how it was handled (blank = pending)."""

    unit: str
    objector: str
    content: str
    outcome: str
    date: str
    source: str


@dataclass(frozen=True)
class YearInput:
    scheme: Scheme
    year: int
    units: tuple[Unit, ...]
    # the expert scores as columns (a sequence of Score is turned into a table)
    scores: ScoreTable
    # component id → unit code → month → score (monthly components)
    monthly: Mapping[str, Mapping[str, Mapping[int, Fraction]]]
    # component id → unit code → score (single-score components)
    singles: Mapping[str, Mapping[str, Fraction]]
    # unit code → the unit's result of the previous year (empty without a registry)
    previous: Mapping[str, PreviousResult] = field(default_factory=dict)
    # unit code → event code → number of events (加减分)
    events: Mapping[str, Mapping[str, Fraction]] = field(default_factory=dict)
    # unit code → vetoes (否决事项)
    vetoes: Mapping[str, Sequence[Veto]] = field(default_factory=dict)
    # component id → unit code → ratings (服务对象评价, 领导评价)
    ratings: Mapping[str, Mapping[str, Sequence[Fraction]]] = field(default_factory=dict)
    # unit code → indicator → self-assessment (自评)
    self_scores: Mapping[str, Mapping[str, SelfScore]] = field(default_factory=dict)
    # decisions after the 公示 (审定) and objections (异议), in sheet order
    review: tuple[Decision, ...] = ()
    objections: tuple[Objection, ...] = ()
    # unit code → deadline column (e.g. 提交日期) → the date the unit handed it in
    submitted: Mapping[str, Mapping[str, dt.date]] = field(default_factory=dict)
    # unit code → indicator → reported count (完成数量), checked against targets
    counts: Mapping[str, Mapping[str, Fraction]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from kxassess.scoretable import ScoreTable

        if not isinstance(self.scores, ScoreTable):
            object.__setattr__(self, "scores", ScoreTable.from_scores(self.scores))


@dataclass(frozen=True)
class Application:
    """One application (申报) of a project programme; ``values`` holds the parsed gate
    columns (bool, date, Fraction or a rating level) and ``refs`` their cells."""

    code: str
    unit_code: str
    unit_name: str
    project: str
    category: str
    subtype: str
    values: Mapping[str, object]
    refs: Mapping[str, str]
    source: str
    stage: str = ""  # 阶段 as recorded by staff, if any


@dataclass(frozen=True)
class ProgrammeInput:
    scheme: ProgrammeScheme
    year: int
    applications: tuple[Application, ...]
    scores: tuple[Score, ...]  # unit = 申报编号, indicator = "review"
