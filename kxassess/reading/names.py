"""Unit names cleaned once, where the roster is read, so that no output (Word, Excel,
Markdown, file names) ever sees a control character."""

from __future__ import annotations

import re

# Real control characters, and Excel's escaped form of them (``_x0001_``), which openpyxl
# hands over as text. Line breaks and tabs become one space; the rest disappear.
_ESCAPED = re.compile(r"_x(00[01][0-9A-Fa-f]|007[Ff])_")
_SPACES = re.compile(r"[\t\n\r\v\f]+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def printable(text: str) -> str:
    """``text`` without control characters (raw or ``_xHHHH_``-escaped)."""
    text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = _SPACES.sub(" ", text)
    return re.sub(" {2,}", " ", _CONTROLS.sub("", text)).strip()
