"""Sheets found by name as staff really type them.

Names match after NFKC (full-width → half-width), with spaces dropped and every dash
(``-－—–‐``) read as ``-``: ``评分－张明``, ``评分 — 张明`` and ``评分-张明`` are one sheet.
Hidden and very hidden sheets are never read (the workbook leaves them out of
``sheet_names``); a required sheet that exists only hidden gets that said in its error,
and a misspelt one a "是否为 …？" suggestion.
"""

from __future__ import annotations

import difflib
import unicodedata

from kxassess.issues import IssueList
from kxassess.reading.workbook import Workbook

DASHES = str.maketrans({d: "-" for d in "－—–‐‑‒―﹣−"})


def sheet_key(name: str) -> str:
    """A sheet name as it is matched."""
    text = unicodedata.normalize("NFKC", name).translate(DASHES)
    return "".join(text.split())


def find_sheet(book: Workbook, name: str) -> str | None:
    """The visible sheet called ``name`` (after normalisation), as the workbook spells it."""
    if name in book.sheet_names:
        return name
    key = sheet_key(name)
    return next((s for s in book.sheet_names if sheet_key(s) == key), None)


def sheets_starting(book: Workbook, prefix: str) -> list[str]:
    """Visible sheets whose normalised name starts with ``prefix`` (e.g. ``评分-``)."""
    key = sheet_key(prefix)
    return [s for s in book.sheet_names if sheet_key(s).startswith(key)]


def hidden_like(book: Workbook, name: str, prefix: bool = False) -> str | None:
    """A hidden sheet called ``name`` (or starting with it)."""
    key = sheet_key(name)
    for s in book.hidden:
        k = sheet_key(s)
        if k == key or (prefix and k.startswith(key)):
            return s
    return None


def suggestion(candidates: list[str], name: str) -> str | None:
    """The closest of ``candidates`` to ``name`` (difflib), None when nothing is close."""
    keys = {sheet_key(c): c for c in candidates}
    close = difflib.get_close_matches(sheet_key(name), list(keys), n=1, cutoff=0.5)
    return keys[close[0]] if close else None


def sheet_hint(book: Workbook, name: str, prefix: bool = False) -> str:
    """What to tell staff about a sheet that is not there: hidden, or a near miss."""
    hidden = hidden_like(book, name, prefix)
    if hidden is not None:
        return f"（有隐藏工作表「{hidden}」，隐藏的工作表不读取；如需使用请取消隐藏）"
    near = suggestion(book.sheet_names, name)
    return f"，是否为「{near}」？" if near else ""


def missing_sheet(book: Workbook, name: str, issues: IssueList, provisional: bool = False) -> None:
    """One issue for a required sheet that is not there (the units it would have held are
    not reported again one by one). ``provisional`` (``--allow-missing``): a warning."""
    code = "missing-sheet-provisional" if provisional else "missing-sheet"
    issues.add(code, book.label, sheet=name, hint=sheet_hint(book, name))


def warn_hidden(book: Workbook, issues: IssueList) -> None:
    for name in book.hidden:
        issues.add("hidden-sheet", f"{book.label}!{name}", sheet=name)
