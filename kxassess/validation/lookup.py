"""Match a row to a roster unit by 单位编码, or by 单位名称 when the code is blank."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kxassess.inputs import Unit
from kxassess.issues import IssueList
from kxassess.reading.cells import display_text, norm_text
from kxassess.reading.tables import Record
from kxassess.scheme.model import Indicator


@dataclass(frozen=True)
class UnitIndex:
    by_code: dict[str, Unit]
    by_name: dict[str, Unit]

    @classmethod
    def of(cls, units: list[Unit]) -> UnitIndex:
        return cls({u.code: u for u in units}, {norm_text(u.name): u for u in units})

    def find(self, rec: Record, issues: IssueList) -> Unit | None:
        """The unit a row speaks of; an unknown unit is an error naming the cell."""
        code = rec.text("单位编码")
        name = norm_text(rec.raw("单位名称"))
        if code:
            unit = self.by_code.get(code)
            if unit is None:
                issues.error(
                    "unknown-unit",
                    rec.ref("单位编码"),
                    f"单位编码 {code} is not in the roster (考核对象)",
                )
                return None
            if name and name != norm_text(unit.name):
                issues.warning(
                    "name-mismatch",
                    rec.ref("单位名称"),
                    f"单位名称 {display_text(rec.raw('单位名称'))!r} differs from the roster's "
                    f"{unit.name!r} for {code}; the code decides",
                )
            return unit
        if name:
            unit = self.by_name.get(name)
            if unit is None:
                issues.error(
                    "unknown-unit",
                    rec.ref("单位名称"),
                    f"单位名称 {display_text(rec.raw('单位名称'))!r} is not in the roster",
                )
            return unit
        issues.error("blank-code", rec.ref("单位编码"), "the row names no unit (单位编码 is blank)")
        return None


def find_indicator(
    rec: Record, indicators: Mapping[str, Indicator], issues: IssueList
) -> Indicator | None:
    """The indicator a row's 指标 names; an unknown one is an error naming the cell."""
    ind = indicators.get(rec.text("指标"))
    if ind is None:
        issues.error(
            "unknown-indicator",
            rec.ref("指标"),
            f"指标 {display_text(rec.raw('指标'))!r} is not an indicator of the scheme",
        )
    return ind
