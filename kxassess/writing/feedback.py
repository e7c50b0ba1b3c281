"""One feedback document per unit: its scores by component and indicator, rank,
grade, move, events and vetoes, self vs assessed, and how it stands among its peers."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from kxassess.inputs import Unit, YearInput
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
from kxassess.writing.atomic import unit_file_name
from kxassess.writing.filequeue import FileQueue
from kxassess.writing.letters import CombinedLetters, letter_book
from kxassess.writing.notices import default_templates, render

FEEDBACK_TEMPLATE = "反馈.md.j2"
ALL_LETTERS = "全部单位反馈.docx"


def beats(score: Decimal, others: Sequence[Decimal]) -> int | None:
    """超过了 X% 的单位: the share of the other units of the group scoring strictly lower,
    rounded half-up to a whole percent; None without peers."""
    if not others:
        return None
    lower = sum(1 for o in others if o < score)
    return round_half_up_int(Fraction(100 * lower, len(others)))


def _target(t: Target, unit: UnitResult, attributes: dict[str, str]) -> str | None:
    value = t.value_for(unit.name, attributes)
    return None if value is None else f"{t.text}不少于{as_decimal(value):g}{t.unit}"


@dataclass(frozen=True)
class Peers:
    """Per group: how many units were scored, and each indicator's scores sorted, so that
    "超过了 X%" is a binary search rather than a pass over the group."""

    size: dict[str, int]
    sorted_scores: dict[tuple[str, str], list[Decimal]]

    @classmethod
    def of(cls, units: Sequence[UnitResult]) -> Peers:
        size: dict[str, int] = defaultdict(int)
        scores: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
        for u in units:
            if u.status is Status.SCORED:
                size[u.group] += 1
                for code, value in u.indicators.items():
                    scores[(u.group, code)].append(value)
        for values in scores.values():
            values.sort()
        return cls(dict(size), dict(scores))

    def beats(self, unit: UnitResult, code: str, score: Decimal) -> int | None:
        values = self.sorted_scores.get((unit.group, code), [])
        others = len(values) - 1  # the unit's own score is among them
        if others <= 0:
            return None
        lower = bisect_left(values, score)
        # round_half_up_int(Fraction(100 * lower, others)) in integers: the share is never
        # negative, so half-up is the floor of share + ½
        return (200 * lower + others) // (2 * others)


def unit_context(
    scheme: Scheme,
    result: ScoreResult,
    unit: UnitResult,
    data: YearInput | None,
    peers: Peers | None = None,
    units: dict[str, Unit] | None = None,
    date: dt.date | None = None,
) -> dict[str, Any]:
    peers = peers or Peers.of(result.units)
    own_unit = (units or {}).get(unit.code)
    attributes = dict(own_unit.attributes) if own_unit is not None else {}
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
            rows.append(
                {
                    "code": ind.code,
                    "text": ind.text,
                    "max": f"{as_decimal(ind.max):g}",
                    "score": fmt2(score),
                    "self": fmt2(mine),
                    "gap": fmt2(mine - score) if mine is not None and score is not None else "",
                    "beats": peers.beats(unit, ind.code, score) if score is not None else None,
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
    counts = data.events.get(unit.code, {}) if data else {}
    raw = {"bonus": Fraction(0), "deduction": Fraction(0)}
    for code, count in counts.items():
        item, rate = codes[code]
        raw["bonus" if item.kind == "bonus" else "deduction"] += count * rate.rate
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
        "peers": peers.size.get(unit.group, 0),
        "move": MOVE_LABELS.get(unit.move, "") if unit.move else "",
        "components": components,
        "indicators": rows if unit.indicators else [],
        "events": events,
        "vetoes": list(unit.vetoes),
        "flags": [flag_label(f, scheme) for f in unit.flags],
        "bonus_uncapped": _uncapped(raw["bonus"], unit.bonus),
        "deduction_uncapped": _uncapped(raw["deduction"], unit.deduction),
        "issuer": scheme.issuer,
        "date": date or dt.date.today(),
    }


def _uncapped(raw: Fraction, counted: Decimal | None) -> str:
    """The points before the cap, when the cap bit ("" when it did not)."""
    before = as_decimal(raw)
    return fmt2(before) if counted is not None and before > counted else ""


def write_feedback(
    scheme: Scheme,
    result: ScoreResult,
    data: YearInput | None,
    folder: Path,
    templates: Path | None,
) -> list[Path]:
    """Per unit in ``folder`` a Markdown file ``<code>-<name>.md`` (sanitised) and the same
    letter in Word beside it, dated as the 结果通报; and all letters in one Word file
    (``全部单位反馈.docx``, a page break per unit) to print in one go.

    ``folder`` lies in the run's staging folder (:mod:`kxassess.writing.publish`), which is
    published whole once every output is written, and removed otherwise (or, after a
    kill, by the next run): so the files are written in place, not each through a
    temporary file of its own."""
    source = templates or default_templates()
    peers = Peers.of(result.units)
    units = {u.code: u for u in data.units} if data is not None else {}
    date = result.publication.date if result.publication else None
    written: list[Path] = []
    if not result.units:
        return written
    folder.mkdir(parents=True, exist_ok=True)
    book = letter_book()  # the page, styles and footers made once for all the letters
    combined = folder / ALL_LETTERS
    # the files are created by a second thread while the next letters are made
    with FileQueue() as files, CombinedLetters(book, combined) as letters:
        for unit in result.units:
            context = unit_context(scheme, result, unit, data, peers, units, date)
            text = render(source, FEEDBACK_TEMPLATE, context)
            md = folder / unit_file_name(unit.code, unit.name, ".md")
            files.write_text(md, text)
            written.append(md)
            body = book.body(text)  # written once, for the unit's file and the combined one
            docx = folder / unit_file_name(unit.code, unit.name, ".docx")
            files.write(docx, book.package(body))
            written.append(docx)
            letters.add(body)
    written.append(combined)
    return written
