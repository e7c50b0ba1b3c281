"""One catalogue of issue codes: code → severity, Chinese message template, how to fix.

Every problem kxassess reports is one of these codes. A call site names the code and the
place (``source``) and fills the template's fields::

    issues.add("score-above-max", ref, value="25", max="20", indicator="A1")

The template is formatted with :meth:`str.format`, so a missing field is a programming
error caught by the tests (every code is exercised by ``tests/test_catalogue.py``).
Codes are stable: scripts and the README rely on them. Add a code here before using it;
``docs/问题代码.md`` is generated from this table.
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


E = Severity.ERROR
W = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Entry:
    severity: Severity
    message: str
    """Chinese template; ``{field}`` placeholders are filled by the call site."""
    fix: str
    """What a member of staff does about it (Chinese)."""


CATALOGUE: dict[str, Entry] = {
    # -- the workbook and its sheets ------------------------------------------------------
    "missing-sheet": Entry(
        E, "工作簿中没有工作表「{sheet}」{hint}", "按模板补上该工作表，或更正工作表名称。"
    ),
}


def entry(code: str) -> Entry:
    """The catalogue entry of ``code``; an unknown code is a bug, not a user error."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise KeyError(f"issue code {code!r} is not in kxassess/catalogue.py") from None


def render(code: str, params: dict[str, object]) -> str:
    """The Chinese message of ``code`` with its fields filled in."""
    return entry(code).message.format(**params)
