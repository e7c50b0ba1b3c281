"""Validate one year workbook against its scheme: every issue at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kxassess.inputs import ProgrammeInput, RegistryView, YearInput
from kxassess.issues import IssueList
from kxassess.reading.sheets import find_sheet, missing_sheet, warn_hidden
from kxassess.reading.workbook import Workbook
from kxassess.scheme import AnyScheme
from kxassess.scheme.model import MonthlyComponent, RatingsComponent, Scheme, SingleComponent
from kxassess.validation.components import read_monthly, read_ratings, read_single
from kxassess.validation.deadlines import read_counts, read_submitted
from kxassess.validation.events import read_events, read_self, read_vetoes
from kxassess.validation.lookup import UnitIndex
from kxassess.validation.renames import check_renames
from kxassess.validation.review import read_objections, read_review
from kxassess.validation.roster import ROSTER_SHEET, read_roster
from kxassess.validation.scores import read_scores
from kxassess.validation.selfassess import Progress, read_self_folder
from kxassess.validation.settings import read_settings
from kxassess.validation.stray import check_stray_sheets


@dataclass(frozen=True)
class Options:
    """What the user chose on the command line (None = take it from the workbook)."""

    scheme: str | None = None
    year: int | None = None
    allow_missing: bool = False
    trim: bool = False
    self_dir: Path | None = None  # a folder of per-unit 自评表 files


@dataclass(frozen=True)
class Validated:
    """What validation learnt: the scheme and year (when known) and, when there is no
    error, the typed inputs ready for scoring."""

    scheme: AnyScheme | None
    year: int | None
    data: YearInput | ProgrammeInput | None


def read_header(book: Workbook, options: Options, issues: IssueList) -> Validated:
    """Hidden sheets warned about, then the scheme and year of the workbook (考核设置, or
    the command line's). The kind's reader (:mod:`kxassess.kinds`) reads the rest."""
    warn_hidden(book, issues)
    settings = read_settings(book, options.scheme, options.year, issues)
    return Validated(settings.scheme, settings.year, None)


def read_ranking(
    book: Workbook,
    scheme: Scheme,
    year: int,
    options: Options,
    issues: IssueList,
    registry: RegistryView | None = None,
    progress: Progress | None = None,
) -> YearInput | None:
    """Read and check every sheet a ranking scheme uses: the inputs when nothing is wrong.
    The registry, when given, supplies the tiers of the year (for a blank 类别) and the
    previous year's results."""
    registry_tiers = registry.tiers_for(year, scheme.population) if registry else None
    if find_sheet(book, ROSTER_SHEET) is None:
        missing_sheet(book, ROSTER_SHEET, issues)  # one error: no unit is reported again
        return None
    units = read_roster(book, scheme, issues, registry_tiers, year)
    check_renames(scheme, units, registry, issues)
    check_stray_sheets(book, scheme, issues)
    scores = read_scores(book, scheme, units, issues, options.allow_missing)
    monthly = {
        c.id: read_monthly(book, c, units, issues, options.allow_missing)
        for c in scheme.components
        if isinstance(c, MonthlyComponent)
    }
    singles = {
        c.id: read_single(book, c, units, issues, options.allow_missing)
        for c in scheme.components
        if isinstance(c, SingleComponent)
    }
    index = UnitIndex.of(units)
    events = read_events(book, scheme, index, issues)
    vetoes = read_vetoes(book, scheme, index, issues)
    self_scores = read_self(book, scheme, index, issues)
    if options.self_dir is not None:
        forms = read_self_folder(options.self_dir, scheme, units, issues, progress)
        for code, own in forms.items():
            if code in self_scores:
                where = next(iter(own.values())).source if own else str(options.self_dir)
                issues.add("duplicate-self", where, unit=code)
            self_scores[code] = own
    ratings = {
        c.id: read_ratings(book, c, units, issues, options.allow_missing)
        for c in scheme.components
        if isinstance(c, RatingsComponent)
    }
    review, objections = (
        read_review(book, scheme, units, issues),
        read_objections(book, units, issues),
    )
    submitted, counts = (
        read_submitted(units, scheme, issues),
        read_counts(book, scheme, index, issues),
    )
    if issues.has_errors:
        return None
    previous = registry.previous(year - 1, scheme.population) if registry else {}
    data = YearInput(
        scheme,
        year,
        tuple(units),
        scores,
        monthly,
        singles,
        previous,
        events=events,
        vetoes=vetoes,
        ratings=ratings,
        self_scores=self_scores,
        review=review,
        objections=objections,
        submitted=submitted,
        counts=counts,
    )
    return data
