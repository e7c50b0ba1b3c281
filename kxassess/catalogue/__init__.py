"""One catalogue of issue codes: code → severity, Chinese message template, how to fix.

Every problem kxassess reports is one of these codes. A call site names the code and the
place (``source``) and fills the template's fields::

    issues.add("score-above-max", ref, value="25", max="20", indicator="A1")

The template is formatted with :meth:`str.format`, so a missing field is a programming
error caught by the tests (every code is exercised by ``tests/test_catalogue.py``).
Codes are stable: scripts and the README rely on them. The codes live in one module per
area (``catalogue/inputs.py``, ``catalogue/registry.py`` …); add a code there before using
it. ``docs/问题代码.md`` is generated from the merged table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        """How staff read the severity: 错误 blocks the results, 提示 does not."""
        return "错误" if self is Severity.ERROR else "提示"


@dataclass(frozen=True, slots=True)
class Entry:
    severity: Severity
    message: str
    """Chinese template; ``{field}`` placeholders are filled by the call site."""
    fix: str
    """What a member of staff does about it (Chinese)."""


def _merge(*areas: dict[str, Entry]) -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for area in areas:
        for code, item in area.items():
            if code in merged:
                raise ValueError(f"issue code {code!r} is defined twice in the catalogue")
            merged[code] = item
    return merged


from kxassess.catalogue import (  # noqa: E402  (the areas need Entry and Severity above)
    documents,
    engine,
    grading,
    inputs,
    judges,
    registry,
    review,
    schemes,
)

CATALOGUE: dict[str, Entry] = _merge(
    inputs.CODES,
    grading.CODES,
    registry.CODES,
    engine.CODES,
    documents.CODES,
    judges.CODES,
    schemes.CODES,
    review.CODES,
)


def entry(code: str) -> Entry:
    """The catalogue entry of ``code``; an unknown code is a bug, not a user error."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise KeyError(f"issue code {code!r} is not in kxassess/catalogue/") from None


def render(code: str, params: dict[str, object]) -> str:
    """The Chinese message of ``code`` with its fields filled in."""
    return entry(code).message.format(**params)
