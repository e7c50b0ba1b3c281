"""One feedback document per unit (SPEC §6): its scores by component and indicator, rank,
grade, move, events and vetoes, self vs assessed, and how it stands among its peers."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from kxassess.inputs import YearInput
from kxassess.numbers import as_decimal, fmt2, round_half_up_int
from kxassess.result import (
    MOVE_LABELS,
    STATUS_LABELS,
    ScoreResult,
    Status,
    UnitResult,
    flag_label,
)
from kxassess.scheme import Scheme
from kxassess.scheme.model import Target
from kxassess.writing.atomic import safe_name, write_text
from kxassess.writing.notices import default_templates, render

FEEDBACK_TEMPLATE = "反馈.md.j2"


def beats(score: Decimal, others: Sequence[Decimal]) -> int | None:
    """超过了 X% 的单位: the share of the other units of the group scoring strictly lower,
    rounded half-up to a whole percent; None without peers."""
    if not others:
        return None
    lower = sum(1 for o in others if o < score)
    return round_half_up_int(Fraction(100 * lower, len(others)))


def _target(t: Target, unit: UnitResult, attributes: dict[str, str]) -> str | None:
    if t.by_unit is not None:
        value = t.by_unit.get(unit.name)
    else:
        value = (t.by_attribute or {}).get(attributes.get(t.attribute or "", ""))
    return None if value is None else f"{t.text}不少于{as_decimal(value):g}{t.unit}"


def unit_context(
    scheme: Scheme, result: ScoreResult, unit: UnitResult, data: YearInput | None
) -> dict[str, Any]:
    peers = [u for u in result.units if u.group == unit.group and u.status is Status.SCORED]
    attributes = dict(data.unit(unit.code).attributes) if data is not None else {}
    targets: dict[str, str] = {}
    for t in scheme.targets:
        text = _target(t, unit, attributes)
        if text:
            targets[t.indicator] = text
    rows = []
    for comp in scheme.indicator_components:
        for ind in comp.indicators:
            score = unit.indicators.get(ind.code)
            mine = unit.self_scores.get(ind.code)
            others = [
                p.indicators[ind.code]
                for p in peers
                if p.code != unit.code and ind.code in p.indicators
            ]
            rows.append(
                {
                    "code": ind.code,
                    "text": ind.text,
                    "max": f"{as_decimal(ind.max):g}",
                    "score": fmt2(score),
                    "self": fmt2(mine),
                    "gap": fmt2(mine - score) if mine is not None and score is not None else "",
                    "beats": beats(score, others) if score is not None else None,
                    "target": targets.get(ind.code, ""),
                }
            )
    components = [
        {
            "name": c.name,
            "weight": f"{as_decimal(c.weight * 100):g}%",
            "score": (unit.components or {})[c.id],
        }
        for c in scheme.components
        if unit.components and c.id in unit.components
    ]
    codes = scheme.event_codes
    events = [
        {
            "code": code,
            "text": f"{codes[code][0].text} {codes[code][1].text}".strip(),
            "count": f"{as_decimal(count):g}",
        }
        for code, count in (data.events.get(unit.code, {}) if data else {}).items()
    ]
    return {
        "scheme": scheme,
        "year": result.year,
        "unit": unit,
        "status": STATUS_LABELS[unit.status],
        "peers": len(peers),
        "move": MOVE_LABELS.get(unit.move, "") if unit.move else "",
        "components": components,
        "indicators": rows if unit.indicators else [],
        "events": events,
        "vetoes": list(unit.vetoes),
        "flags": [flag_label(f) for f in unit.flags],
    }


def write_feedback(
    result: ScoreResult, data: YearInput | None, folder: Path, templates: Path | None
) -> list[Path]:
    """One Markdown file per unit in ``folder``, named ``<code>-<name>.md`` (sanitised)."""
    scheme = result.scheme
    if not isinstance(scheme, Scheme):
        return []
    source = templates or default_templates()
    written = []
    for unit in result.units:
        text = render(source, FEEDBACK_TEMPLATE, unit_context(scheme, result, unit, data))
        target = folder / f"{safe_name(unit.code)}-{safe_name(unit.name)}.md"
        written.append(write_text(target, text))
    return written
