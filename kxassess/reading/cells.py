"""Cells as people really type them.

``8``, ``8.5``, ``８``, ``８．５``, `` 8分 ``, ``8.0`` are numbers; the no-score marks
(:data:`NO_SCORE`: blank, ``—``, ``——``, ``-``, ``/``, ``无``) mean "no score" — the one
definition every reader uses, through :func:`is_no_score`; an Excel error value
(``#DIV/0!``, ``#N/A`` …) is never a number and never "no score"; anything else is not a
number and the caller reports the cell.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache

# After NFKC and with spaces removed; full-width －／ fold to -/ under NFKC.
NO_SCORE = frozenset({"", "-", "—", "–", "/", "——", "--", "无"})
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_REF = re.compile(r"^([A-Z]+)([0-9]+)$")
_SPLIT_DIGITS = re.compile(r"[\d.]\s+[\d.]")
ERROR_TEXTS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!")


class ErrorValue(str):
    """An Excel error value read from the file (``#DIV/0!`` …); calamine would give a blank."""


class NotANumber(ValueError):
    """The cell holds something that is neither a number nor a "no score" mark; ``text``
    is what it holds, as shown to staff."""

    def __init__(self, text: str) -> None:
        super().__init__(f"「{text}」不是数值")
        self.text = text


class ErrorCell(NotANumber):
    """The cell holds an Excel error value: an error, never 0 and never "no score"."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


def is_no_score(value: object) -> bool:
    """The cell holds one of the no-score marks (never true for an error value)."""
    if value is None:
        return True
    if isinstance(value, ErrorValue) or not isinstance(value, str):
        return False
    return "".join(unicodedata.normalize("NFKC", value).split()) in NO_SCORE


def is_error_value(value: object) -> bool:
    if isinstance(value, ErrorValue):
        return True
    return isinstance(value, str) and value.strip().upper() in ERROR_TEXTS


def norm_text(value: object) -> str:
    """Text of a cell for matching: NFKC (full-width → half-width), trimmed, inner spaces
    removed (``单位 名称`` is ``单位名称``)."""
    if type(value) is str:
        return _norm_str(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _norm_str(str(value))


# Cells repeat (a long-form sheet names the same judges, units and indicators on every
# row): each distinct text is normalised once.
@lru_cache(maxsize=1 << 16)
def _norm_str(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def display_text(value: object) -> str:
    """Text of a cell for showing: integers without ``.0``, trimmed, NFKC."""
    if type(value) is str:
        return _display_str(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _display_str(str(value))


@lru_cache(maxsize=1 << 16)
def _display_str(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_number(value: object) -> Fraction | None:
    """Exact value of a score cell, ``None`` for "no score"; :class:`NotANumber` otherwise."""
    if value is None:
        return None
    if isinstance(value, ErrorValue):
        raise ErrorCell(str(value))
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        raise NotANumber(str(value))
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ErrorCell("#NUM!")
        return Fraction(Decimal(repr(value)))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    compact = "".join(text.split())
    if compact in NO_SCORE:
        return None
    if _SPLIT_DIGITS.search(text):  # "1 5" is not 15: a typo, not a number
        raise NotANumber(text)
    if compact.endswith("分"):
        compact = compact[:-1]
    if compact.startswith("#"):  # #DIV/0!, #VALUE! … as text
        raise ErrorCell(text)
    if not _NUMBER.match(compact):
        raise NotANumber(text)
    try:
        return Fraction(Decimal(compact))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only decimals
        raise NotANumber(text) from exc


COUNT_SUFFIXES = ("次", "项", "个", "篇", "场")


def split_count(value: object) -> tuple[str, object]:
    """``"3次"`` → ("count", "3"); ``"80%"`` → ("percent", "80"); anything else →
    ("score", value). Counts report events for indicators scored per event (5分/项);
    percentages are scores given as a share of the indicator's full marks (权重打分)."""
    if isinstance(value, str):
        text = "".join(unicodedata.normalize("NFKC", value).split())
        if len(text) > 1 and text.endswith(COUNT_SUFFIXES):
            return "count", text[:-1]
        if len(text) > 1 and text.endswith("%"):
            return "percent", text[:-1]
    return "score", value


def col_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based row and column → ``B7``."""
    return f"{col_letter(col)}{row + 1}"


def parse_ref(ref: str) -> tuple[int, int]:
    """``B7`` → 0-based (row 6, column 1)."""
    match = _REF.match(ref)
    if match is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for letter in match.group(1):
        col = col * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, col - 1
