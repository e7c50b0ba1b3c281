"""The pieces of the notices built from the results rather than written in the template:
the 附件 results table, the lines naming units by their flags, amounts of money."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kxassess.numbers import as_decimal
from kxassess.result import MOVE_LABELS, STATUS_LABELS, Status, UnitResult, flag_label
from kxassess.scheme import Scheme


def money(amount: Fraction | Decimal | None) -> str:
    """An amount in 元 as a 通报 writes it: 5万元, 2.5万元, 8000元."""
    if amount is None:
        return ""
    value = as_decimal(Fraction(amount)) if not isinstance(amount, Decimal) else amount
    if value >= 10000:
        wan = value / 10000
        return f"{wan.normalize():f}万元"
    return f"{value.normalize():f}元"


def _result(unit: UnitResult) -> str:
    if unit.status is not Status.SCORED:
        return STATUS_LABELS[unit.status]
    grade = unit.grade or ""
    return f"{grade}等" if len(grade) == 1 else grade or "未获等次"


def _move(unit: UnitResult) -> str:
    if unit.move in ("promote", "demote") and unit.next_tier:
        return f"{MOVE_LABELS[unit.move]}（{unit.tier}→{unit.next_tier}）"
    if unit.status is Status.ABSENT and unit.next_tier and unit.next_tier != unit.tier:
        return f"下年度列入{unit.next_tier}"
    return ""


def annex_table(scheme: Scheme, units: Sequence[UnitResult]) -> dict[str, Any]:
    """序号, 单位编码, 单位名称 and, where any unit has one, 类别, 考核结果, 表扬, 类别调整,
    以奖代补 and 备注 — by unit code, never by score."""
    columns: list[tuple[str, list[str]]] = [
        ("类别", [u.tier or "" for u in units]),
        ("考核结果", [_result(u) for u in units]),
        ("表扬", ["、".join(u.honours) for u in units]),
        ("类别调整", [_move(u) for u in units]),
        ("以奖代补", [money(u.reward) for u in units]),
        ("备注", ["、".join(flag_label(f) for f in u.flags) for u in units]),
    ]
    kept = [(h, values) for h, values in columns if any(values)]
    headers = ["序号", "单位编码", "单位名称", *[h for h, _ in kept]]
    rows = [
        [str(n), u.code, u.name, *[values[n - 1] for _, values in kept]]
        for n, u in enumerate(units, start=1)
    ]
    return {"headers": headers, "rows": rows}


def flag_lines(units: Sequence[UnitResult], skip: Status) -> list[dict[str, Any]]:
    """Units with flags (other than those of status ``skip``, stated elsewhere), one line per
    combination of flags: 星级下降、调整资金支持：甲学会、乙学会."""
    lines: dict[str, list[UnitResult]] = {}
    for u in units:
        if u.flags and u.status is not skip:
            lines.setdefault("、".join(flag_label(f) for f in u.flags), []).append(u)
    return [
        {"label": label, "units": sorted(members, key=lambda u: u.code)}
        for label, members in lines.items()
    ]
