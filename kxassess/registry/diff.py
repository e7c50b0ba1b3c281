"""What changed between two runs (``kxassess diff``): per unit, every field whose value
differs, with both values. Pure: it compares two runs' kept results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# The fields compared, in the order they are listed (names as in the score JSON).
FIELDS = ("status", "total", "components", "indicators", "rank", "grade", "move", "honours")
FIELD_LABELS = {
    "status": "状态",
    "total": "总分",
    "rank": "排名",
    "grade": "等级",
    "move": "升降",
    "honours": "荣誉",
}


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    field: str  # "total", "component:work", "indicator:1.1" …
    before: Any
    after: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "field": self.field,
            "from": self.before,
            "to": self.after,
        }


@dataclass(frozen=True)
class DiffReport:
    before: int  # run numbers
    after: int
    changes: tuple[Change, ...]
    # component id → its name in the scheme (日常考核 for performance), for display only
    components: dict[str, str] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.before,
            "to": self.after,
            "changes": [c.to_dict() for c in self.changes],
        }

    @property
    def units(self) -> list[str]:
        """The codes of the units that changed, in order."""
        return list(dict.fromkeys(c.code for c in self.changes))


def field_label(name: str, components: dict[str, str] | None = None) -> str:
    """How staff read a field: 总分, 工作开展与综合表现 (a component, by its name), 指标 1.1."""
    if name.startswith("component:"):
        return (components or {}).get(name[10:], f"考核构成 {name[10:]}")
    if name.startswith("indicator:"):
        return f"指标 {name[10:]}"
    return FIELD_LABELS.get(name, name)


def _keyed(values: dict[str, Any] | None) -> dict[str, Any]:
    return dict(values or {})


def _unit_changes(code: str, name: str, a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    out: list[Change] = []
    for f in FIELDS:
        if f in ("components", "indicators"):
            prefix = "component" if f == "components" else "indicator"
            old, new = _keyed(a.get(f)), _keyed(b.get(f))
            for key in list(dict.fromkeys([*new, *old])):
                if old.get(key) != new.get(key):
                    out.append(Change(code, name, f"{prefix}:{key}", old.get(key), new.get(key)))
            continue
        old_value, new_value = a.get(f), b.get(f)
        if f == "honours":
            old_value, new_value = sorted(old_value or []), sorted(new_value or [])
        if old_value != new_value:
            out.append(Change(code, name, f, a.get(f), b.get(f)))
    return out


def compare(
    before: int, after: int, units_a: Sequence[dict[str, Any]], units_b: Sequence[dict[str, Any]]
) -> DiffReport:
    """Every unit whose status, total, a component, an indicator consensus score, rank,
    grade, move or honours differ between the runs; a unit in only one run differs in
    status (null on the side where it is missing). Units in the order of the later run,
    then those only in the earlier one."""
    old = {u["code"]: u for u in units_a}
    new = {u["code"]: u for u in units_b}
    changes: list[Change] = []
    for code in list(dict.fromkeys([*new, *old])):
        a, b = old.get(code), new.get(code)
        name = (b or a or {}).get("name", "")
        if a is None or b is None:
            changes.append(
                Change(code, name, "status", a and a.get("status"), b and b.get("status"))
            )
            continue
        changes.extend(_unit_changes(code, name, a, b))
    return DiffReport(before, after, tuple(changes))
