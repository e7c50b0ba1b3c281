"""One path per scheme kind, chosen once by the scheme's ``kind``: how a ranking scheme's
year workbook (考核) or a project programme's applications (项目计划) are read, scored,
written and recorded. The rest of the code asks the scheme's path, never which class the
scheme is. Each step loads its modules when it runs, so that commands that only list or
show schemes stay quick to start."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from kxassess.issues import IssueList, KxError
from kxassess.scheme.base import SchemeKind

if TYPE_CHECKING:
    from kxassess.inputs import ProgrammeInput, RegistryView, YearInput
    from kxassess.issues import Issue
    from kxassess.reading.workbook import Workbook
    from kxassess.result import ScoreResult
    from kxassess.scheme import AnyScheme, ProgrammeScheme, Scheme
    from kxassess.validation.selfassess import Progress
    from kxassess.validation.year import Options

D = TypeVar("D")  # the kind's validated inputs: YearInput or ProgrammeInput
D_in = TypeVar("D_in", contravariant=True)


class KindOutputs(Protocol[D_in]):
    """The files only one kind writes (:mod:`kxassess.writing.outputs` writes the rest)."""

    def workbook(self, path: Path, result: ScoreResult, data: D_in | None) -> None: ...

    def feedback(
        self, result: ScoreResult, data: D_in | None, folder: Path, templates: Path | None
    ) -> list[Path]: ...


class KindPath(Generic[D]):
    """What differs between kinds. ``roster_units``: the registry keeps the rows as units
    (names, renames, the year's roster tiers); a programme's rows are applications."""

    kind: ClassVar[SchemeKind]
    roster_units: ClassVar[bool]

    def read(
        self,
        book: Workbook,
        year: int,
        options: Options,
        issues: IssueList,
        registry: RegistryView | None,
        progress: Progress | None,
    ) -> D | None:
        raise NotImplementedError

    def score(self, data: D, result: ScoreResult, trim: bool, normalize: bool) -> ScoreResult:
        raise NotImplementedError

    def outputs(self) -> KindOutputs[D]:
        raise NotImplementedError

    @property
    def blank_tier(self) -> str | None:
        """The tier the registry records for a unit without one: "" when the scheme has no
        tiers at all, else None (nothing recorded)."""
        return None

    def component_names(self) -> dict[str, str]:
        return {}

    def check(self, source: str) -> list[Issue]:
        """``scheme check``'s deeper look (only ranking schemes have one)."""
        return []

    def with_forms(self) -> Scheme:
        """The scheme, for the commands on 自评表 (``template``, ``validate --self``)."""
        raise NotImplementedError

    def notice(
        self, result: ScoreResult, date: dt.date, public: bool
    ) -> tuple[dict[str, Any], str]:
        """The context and template name of the 结果通报, or with ``public`` of the 公示."""
        raise NotImplementedError


@dataclass(frozen=True)
class RankingPath(KindPath["YearInput"]):
    kind = SchemeKind.RANKING
    roster_units = True
    scheme: Scheme

    def read(
        self,
        book: Workbook,
        year: int,
        options: Options,
        issues: IssueList,
        registry: RegistryView | None,
        progress: Progress | None,
    ) -> YearInput | None:
        from kxassess.validation.year import read_ranking

        return read_ranking(book, self.scheme, year, options, issues, registry, progress)

    def score(
        self, data: YearInput, result: ScoreResult, trim: bool, normalize: bool
    ) -> ScoreResult:
        from kxassess.engine import score_year
        from kxassess.engine.judges import analyse_judges

        normalize = normalize or self.scheme.judges.normalize
        outcome = score_year(data, trim, normalize)
        analysis = analyse_judges(data, outcome.units)  # 评委分析
        return replace(
            result,
            normalize=normalize,
            judges=analysis.judges,
            agreement=analysis.agreement,
            units=tuple(outcome.units),
            issues=result.issues + tuple(outcome.issues) + analysis.issues,
            objections=data.objections,
        )

    def outputs(self) -> KindOutputs[YearInput]:
        from kxassess.writing.outputs import RankingOutputs

        return RankingOutputs(self.scheme)

    @property
    def blank_tier(self) -> str | None:
        return "" if not self.scheme.tiers else None

    def component_names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.scheme.components}

    def check(self, source: str) -> list[Issue]:
        from kxassess.scheme.check import check_scheme

        return check_scheme(self.scheme, source)

    def with_forms(self) -> Scheme:
        return self.scheme

    def notice(
        self, result: ScoreResult, date: dt.date, public: bool
    ) -> tuple[dict[str, Any], str]:
        from kxassess.writing import notices

        template = notices.PUBLIC_TEMPLATE if public else notices.RESULTS_TEMPLATE
        return notices.results_context(self.scheme, result, date), template


@dataclass(frozen=True)
class ProgrammePath(KindPath["ProgrammeInput"]):
    kind = SchemeKind.PROGRAMME
    roster_units = False
    scheme: ProgrammeScheme

    def read(
        self,
        book: Workbook,
        year: int,
        options: Options,
        issues: IssueList,
        registry: RegistryView | None,
        progress: Progress | None,
    ) -> ProgrammeInput | None:
        from kxassess.validation.programme import read_programme

        return read_programme(book, self.scheme, year, issues, options.allow_missing)

    def score(
        self, data: ProgrammeInput, result: ScoreResult, trim: bool, normalize: bool
    ) -> ScoreResult:
        from kxassess.engine.programme import score_programme

        outcome = score_programme(data, trim)
        return replace(
            result, units=tuple(outcome.units), issues=result.issues + tuple(outcome.issues)
        )

    def outputs(self) -> KindOutputs[ProgrammeInput]:
        from kxassess.writing.outputs import ProgrammeOutputs

        return ProgrammeOutputs()

    def with_forms(self) -> Scheme:
        raise KxError(f"{self.scheme.id} 是项目申报类方案，没有自评表")

    def notice(
        self, result: ScoreResult, date: dt.date, public: bool
    ) -> tuple[dict[str, Any], str]:
        from kxassess.writing import notices

        template = notices.PROGRAMME_PUBLIC_TEMPLATE if public else notices.PROGRAMME_TEMPLATE
        return notices.programme_context(self.scheme, result, date), template


_PATHS: dict[SchemeKind, Callable[[Any], KindPath[Any]]] = {
    path.kind: path for path in (RankingPath, ProgrammePath)
}


def path_for(scheme: AnyScheme) -> KindPath[Any]:
    """The path of the scheme's kind: the one place where the kind is looked at."""
    return _PATHS[scheme.kind](scheme)
