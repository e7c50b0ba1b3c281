"""Every rule of a scheme as plain data: what ``scheme show`` prints and ``--json`` emits.

Numbers are decimal strings ("0.3", "1/3" kept exact as "0.333…" would not be), values the
notice does not state are listed under ``defaults`` and marked 「原文未规定，默认」."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from kxassess.numbers import as_decimal
from kxassess.scheme.components import IndicatorsComponent
from kxassess.scheme.model import Scheme
from kxassess.scheme.programme import ProgrammeScheme
from kxassess.scheme.rules import DEFAULT_MARK


def num(value: Fraction | None) -> str | None:
    """An exact number as text: 0.3, 20, or 1/3 when a decimal would not be exact."""
    if value is None:
        return None
    exact = as_decimal(value)
    if Fraction(exact) == value:
        return f"{exact.normalize():f}"
    return f"{value.numerator}/{value.denominator}"


def _header(scheme: Scheme | ProgrammeScheme) -> dict[str, Any]:
    return {
        "id": scheme.id,
        "title": scheme.title,
        "year": scheme.year,
        "issuer": scheme.issuer,
        "unit_kind": scheme.unit_kind,
        "notice_title": scheme.launch_notice,
        "population": scheme.population,
        "notice": {
            "days": scheme.notice.days,
            "department": scheme.notice.department,
            "contact": scheme.notice.contact,
            "phone": scheme.notice.phone,
        },
        "defaults": [
            {"rule": d.rule, "value": d.value, "mark": DEFAULT_MARK} for d in scheme.defaults
        ],
        "notes": list(scheme.notes),
    }


def _component(comp: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": comp.id,
        "name": comp.name,
        "kind": comp.kind,
        "weight": num(comp.weight),
    }
    if not isinstance(comp, IndicatorsComponent):
        out.update({k: getattr(comp, k) for k in ("sheet",) if hasattr(comp, k)})
        out["max"] = num(comp.max)
        if hasattr(comp, "first_month"):
            out["months"] = [comp.first_month, comp.last_month]
        if getattr(comp, "expected_respondents", None):
            out["expected_respondents"] = comp.expected_respondents
        return out
    out["representative"] = comp.representative
    out["aggregation"] = {
        "method": comp.aggregation.method,
        "trim_min_judges": comp.aggregation.trim_min_judges,
    }
    out["recusal"] = comp.recusal
    out["judge_groups"] = [{"name": g.name, "weight": num(g.weight)} for g in comp.judge_groups]
    out["parts"] = [
        {
            "id": p.id,
            "name": p.name,
            "weights": {t: num(w) for t, w in p.weights.items()} if p.weights else None,
            "out_of": num(p.out_of),
            "cap": num(p.cap),
        }
        for p in comp.parts
    ]
    out["indicators"] = [
        {
            "code": i.code,
            "part": i.part,
            "text": i.text,
            "max": num(i.max),
            "rate": num(i.rate),
            "thresholds": [
                {"at_least": num(s.at_least), "points": num(s.points)} for s in i.thresholds
            ]
            if i.thresholds
            else None,
            "count_unit": i.count_unit if i.counted else None,
            "inferred": i.inferred,
        }
        for i in comp.indicators
    ]
    ev = comp.events
    out["events"] = (
        None
        if ev is None
        else {
            "item_cap": num(ev.item_cap),
            "bonus_cap": num(ev.bonus_cap),
            "deduction_cap": num(ev.deduction_cap),
            "deduction_best_grade": ev.deduction_best_grade,
            "items": [
                {
                    "id": item.id,
                    "kind": item.kind,
                    "text": item.text,
                    "rates": [
                        {"code": r.code, "rate": num(r.rate), "text": r.text} for r in item.rates
                    ],
                }
                for item in ev.items
            ],
        }
    )
    if comp.verification is not None:
        out["verification"] = {
            "false_items": comp.verification.false_items,
            "zeroed_indicators": comp.verification.zeroed_indicators,
        }
    return out


def _grades(scheme: Scheme) -> list[dict[str, Any]]:
    # side / rounding / min_group come with the band rules; defaults until then.
    return [
        {
            "grade": g.grade,
            "fraction": num(g.fraction),
            "side": g.side,
            "rounding": g.rounding,
            "min_group": g.min_group,
        }
        for g in scheme.grades
    ]


def describe(scheme: Scheme | ProgrammeScheme) -> dict[str, Any]:
    out = _header(scheme)
    if isinstance(scheme, ProgrammeScheme):
        out["kind"] = "programme"
        out["gates"] = [
            {"stage": g.stage, "column": g.column, "reason": g.reason} for g in scheme.all_gates()
        ]
        out["categories"] = [
            {"name": c.name, "subtypes": list(c.subtypes), "max_awards": c.max_awards}
            for c in scheme.categories
        ]
        out["pass_score"] = num(scheme.pass_score)
        return out
    moves = {}
    for name, rule in (("promote", scheme.moves.promote), ("demote", scheme.moves.demote)):
        if rule is not None:
            moves[name] = {
                "tiers": list(rule.tiers),
                "grade": rule.grade,
                "fraction": num(rule.fraction),
            }
    absent = scheme.absence.absent
    out.update(
        {
            "kind": "ranking",
            "tiers": list(scheme.tiers),
            "grading_group": scheme.grading_group,
            "components": [_component(c) for c in scheme.components],
            "tie_breakers": list(scheme.tie_breakers),
            "grades": _grades(scheme),
            "bands": [
                {"grade": b.grade, "min": num(b.min), "below": num(b.below)} for b in scheme.bands
            ],
            "moves": moves,
            "absence": {
                "label": absent.label,
                "next_tier": absent.next_tier,
                "flags": list(absent.flags),
                "repeat_flags": list(absent.repeat_flags),
            },
            "vetoes": {
                action: {
                    "best_grade": v.best_grade,
                    "bars_honours": list(v.bars_honours),
                    "exclude": v.exclude,
                }
                for action, v in scheme.vetoes.items()
            },
            "honours": [
                {
                    "name": h.name,
                    "tiers": list(h.tiers) if h.tiers else None,
                    "grades": list(h.grades) if h.grades else None,
                    "moves": list(h.moves) if h.moves else None,
                    "progress": None
                    if h.progress is None
                    else {"reading": h.progress.reading, "places": h.progress.places},
                    "fraction": num(h.fraction),
                    "target": h.target,
                }
                for h in scheme.honours
            ],
            "targets": [
                {
                    "indicator": t.indicator,
                    "text": t.text,
                    "unit": t.unit,
                    "attribute": t.attribute,
                    "values": {k: num(v) for k, v in (t.by_unit or t.by_attribute or {}).items()},
                    "at_least": num(t.at_least),
                }
                for t in scheme.targets
            ],
            "rewards": {g: num(v) for g, v in scheme.rewards.items()},
            "pass_mark": None
            if scheme.pass_mark is None
            else {
                "min": num(scheme.pass_mark.min),
                "label": scheme.pass_mark.label,
                "fail_flags": list(scheme.pass_mark.fail_flags),
            },
            "downgrade_flags": list(scheme.downgrade_flags),
            "deadlines": [
                {
                    "what": d.what,
                    "date": d.date.isoformat(),
                    "column": d.column,
                    "consequence": d.consequence,
                    "stated": d.stated,
                }
                for d in scheme.deadlines
            ],
        }
    )
    return out
