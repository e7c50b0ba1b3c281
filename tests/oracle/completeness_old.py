# TEST ORACLE: the implementation before the columnar score table, kept to compare.
# ruff: noqa
# mypy: ignore-errors
"""After the expert scores are read: every judge of a weighted group has a known 评委组,
and every judge scored every participating unit on every indicator of the judge's scope
(unless recused); gaps are errors naming judge, unit and sheet or cell."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from kxassess.inputs import Participation, Score, Unit
from kxassess.issues import IssueList
from kxassess.scheme.model import Scheme
from kxassess.validation.components import missing_score
from kxassess.validation.panel import Judge, recused

if TYPE_CHECKING:
    from tests.oracle.scores_old import Collected


def check_groups(scheme: Scheme, col: Collected, issues: IssueList) -> None:
    """With weighted judge groups every judge needs a known 评委组."""
    for comp in scheme.indicator_components:
        if not comp.judge_groups:
            continue
        names = [g.name for g in comp.judge_groups]
        for judge, info in sorted(col.judges.items()):
            if info.group not in names:
                group = f"「{info.group}」" if info.group else "（空）"
                issues.add(
                    "unknown-judge-group",
                    col.first_seen.get(judge, ""),
                    judge=judge,
                    group=group,
                    groups="、".join(names),
                )


def check_complete(
    scheme: Scheme,
    units: list[Unit],
    col: Collected,
    issues: IssueList,
    allow_missing: bool,
) -> None:
    """Every judge scores every participating unit on every indicator of the judge's
    scope, unless recused; with weighted groups every group scores every unit.
    A unit no judge scored is one error; a judge's missing row is one error naming judge,
    unit and sheet; a missing cell is an error naming the cell. Under ``allow_missing``
    each gap counts 0 with a warning."""
    scored = col.done
    groups = [g.name for c in scheme.indicator_components for g in c.judge_groups]
    panel = sorted(col.judges.items())
    wanted_of = {j: [c for c in col.indicators if info.scope.covers(c)] for j, info in panel}
    for unit in units:
        if unit.participation is not Participation.YES:
            continue
        judges = scored.get(unit.code, {})
        present = {col.judges.get(j, Judge()).group for j in judges}
        lacking = [g for g in groups if g not in present] if judges else []
        if not judges or lacking:
            what = "任何专家的评分" if not judges else f"评委组「{'、'.join(lacking)}」的评分"
            provisional = allow_missing and not lacking
            missing_score(issues, unit.source, unit, what, provisional)
            if not provisional:
                continue
            for code in col.indicators:
                col.scores.append(
                    Score("（缺评分）", unit.code, code, Fraction(0), unit.source, imputed=True)
                )
            continue
        for judge, info in panel:
            if not info.scope.covers_unit(unit) or (col.recusal and recused(scheme, info, unit)):
                continue
            wanted = wanted_of[judge]
            if unit.code not in col.rows_of[judge]:
                _missing_row(col, judge, info, unit, wanted, allow_missing)
                continue
            done = judges.get(judge, set())
            for code in wanted:
                if code in done or (judge, unit.code, code) in col.reported:
                    continue
                where = col.blanks.get((judge, unit.code), {}).get(code, col.sheet_of[judge])
                what = f"专家「{judge}」对指标 {code} 的评分"
                missing_score(issues, where, unit, what, allow_missing)
                if not allow_missing:
                    continue
                col.scores.append(
                    Score(judge, unit.code, code, Fraction(0), where, info.group, imputed=True)
                )


def _missing_row(
    col: Collected, judge: str, info: Judge, unit: Unit, wanted: list[str], allow_missing: bool
) -> None:
    """A judge with no row at all for a unit: one issue naming judge, unit and sheet."""
    where = col.sheet_of[judge]
    sheet = where.split("!", 1)[-1]
    fields = {"judge": judge, "unit": unit.code, "name": unit.name, "sheet": f"「{sheet}」"}
    if not allow_missing:
        col.issues.add("judge-missing-unit", where, **fields)
        return
    col.issues.add("judge-missing-unit-provisional", where, **fields)
    for code in wanted:
        col.scores.append(
            Score(judge, unit.code, code, Fraction(0), where, info.group, imputed=True)
        )
