"""Cells as people really type them (SPEC §4).

``8``, ``8.5``, ``８``, ``８．５``, `` 8分 ``, ``8.0`` are numbers; blank, ``—``, ``-``, ``/``
mean "no score"; anything else is not a number and the caller reports the cell.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction

NO_SCORE = frozenset({"", "-", "—", "–", "－", "/", "／", "——", "--"})
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class NotANumber(ValueError):
    """The cell holds something that is neither a number nor a "no score" mark."""


def norm_text(value: object) -> str:
    """Text of a cell for matching: NFKC (full-width → half-width), trimmed, inner spaces
    removed (``单位 名称`` is ``单位名称``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split())


def display_text(value: object) -> str:
    """Text of a cell for showing: integers without ``.0``, trimmed, NFKC."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_number(value: object) -> Fraction | None:
    """Exact value of a score cell, ``None`` for "no score"; :class:`NotANumber` otherwise."""
    if value is None:
        return None
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        raise NotANumber(f"expected a number, found {value!r}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NotANumber("expected a number, found an error value")
        return Fraction(Decimal(repr(value)))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text in NO_SCORE:
        return None
    compact = "".join(text.split())
    if compact.endswith("分"):
        compact = compact[:-1]
    if compact.startswith("#"):  # #DIV/0!, #VALUE! … as text
        raise NotANumber(f"the cell holds the error value {text}")
    if not _NUMBER.match(compact):
        raise NotANumber(f"expected a number, found text {text!r}")
    try:
        return Fraction(Decimal(compact))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only decimals
        raise NotANumber(f"expected a number, found text {text!r}") from exc


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
