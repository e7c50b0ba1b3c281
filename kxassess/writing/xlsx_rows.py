"""Bulk rows of a constant-memory xlsxwriter sheet, written as the XML xlsxwriter writes.

A national year's results workbook holds about three million cells, and xlsxwriter's
Python per cell (type dispatch, the cell tuple, ``<c>`` attributes) cost about four seconds
of the five the workbook took. A sheet's cells repeat few distinct values per column (scores,
unit codes and names, grades), so here each distinct value's cell XML is made once — by
xlsxwriter itself, on a scratch stream — and every row is joined from those pieces and
written straight into the worksheet's row stream (the temporary file of constant-memory
mode), with xlsxwriter's row and dimension bookkeeping kept as its own writes would keep it.
The bytes are the same as the plain API's (``tests/test_xlsx_rows.py`` checks them); a block
of plain columns (专家评分) is pieced by :mod:`kxassess.writing.xlsx_block`.

This relies on xlsxwriter internals (``previous_row``, ``table``, ``fh``, the ``dim_*``
fields, ``_write_single_row``, ``_write_cell``, ``_write_row``); pyproject.toml pins the
versions it was checked against and :func:`supported` checks the internals at run time.
Where they are missing, or a row needs what a pieced row cannot give (a row format, a
string xlsxwriter would truncate, a number it would refuse), the plain API writes it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from io import StringIO
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple, Worksheet

# The xlsxwriter versions whose internals this module was checked against (3.3.0 and 3.3.1;
# pyproject.toml pins the same range); outside it every row goes through the plain API. 3.2
# keeps row heights elsewhere (``set_rows``).
CHECKED = ((3, 3), (3, 3))
LONGEST = 16383  # longer strings are measured in UTF-16 units and maybe cut by xlsxwriter
INTERNALS = (
    "previous_row",
    "table",
    "fh",
    "row_info",
    "comments",
    "dim_rowmin",
    "dim_rowmax",
    "dim_colmin",
    "dim_colmax",
    "_write_single_row",
    "_write_cell",
    "_write_row",
)

PlainRow = Callable[[int, Sequence[object]], None]
CACHED = 8192  # distinct values a column keeps the XML of (texts such as messages rarely repeat)
CHUNK = 4096  # rows made into XML at a time
ENABLED = True  # False: every row through the plain API (the equivalence tests compare)


def _version() -> tuple[int, int]:
    major, minor, *_ = xlsxwriter.__version__.split(".")
    return int(major), int(minor)


def supported(ws: Worksheet) -> bool:
    """Whether rows can be pieced into this sheet: a checked xlsxwriter, constant-memory
    mode, the internals present, no comments, and a bare ``<row>`` as xlsxwriter writes it."""
    if not CHECKED[0] <= _version() <= CHECKED[1]:
        return False
    if not getattr(ws, "constant_memory", False):
        return False
    if not all(hasattr(ws, name) for name in INTERNALS) or ws.comments:
        return False
    return _scratch(ws, lambda: ws._write_row(0, None)) == '<row r="1">'


def _scratch(ws: Worksheet, write: Callable[[], object]) -> str:
    """What xlsxwriter writes to the sheet's stream, caught on a scratch stream."""
    stream, ws.fh = ws.fh, StringIO()
    try:
        write()
        return str(ws.fh.getvalue())
    finally:
        ws.fh = stream


# Text xlsxwriter writes as it is has none of these characters, no "_x" (its escapes) and no
# space at either end (xml:space); other text is handed to xlsxwriter itself.
ESCAPED = re.compile(r"[\x00-\x1f&<>\ufffe\uffff]")
PROBE_TEXT = "探"
PROBE_NUMBERS = (0.25, 1234567.891, -1e-7, 3, 10**17)


class _Column:
    """One column's pieces: its '<c r="D', the cells made so far (value → the XML after
    the cell's reference) and, once learnt from xlsxwriter, the XML around a text, a
    number in 0.00 and a plain number."""

    __slots__ = ("cells", "ints", "others", "real", "reals", "ref", "text", "whole")

    def __init__(self, c: int) -> None:
        self.ref = f'<c r="{xl_col_to_name(c)}'
        self.cells: dict[str, str | None] = {}  # texts
        self.reals: dict[Decimal | float, str | None] = {}
        self.ints: dict[int, str | None] = {}
        self.others: dict[tuple[type, object], str | None] = {}
        self.text: tuple[str, str] | None = None
        self.real: tuple[str, str] | None = None
        self.whole: tuple[str, str] | None = None


class Rows:
    """Rows written into one sheet from ``start`` down, in order, each row once."""

    def __init__(self, ws: Worksheet, start: int, number: Format | None) -> None:
        self.ws = ws
        self.row = start
        self.number = number
        self.columns: list[_Column] = []
        self.first_row: int | None = None
        self.last_row = -1
        self.first_col = 1 << 30
        self.last_col = -1
        self._flush()

    def _flush(self) -> None:
        """Write what xlsxwriter holds of earlier rows and move its current row here."""
        ws = self.ws
        if ws.previous_row > self.row:
            raise ValueError(f"row {self.row + 1} of {ws.name} is already written")
        if ws.previous_row < self.row:
            ws._write_single_row(self.row)
        if ws.table:
            raise ValueError(f"row {self.row + 1} of {ws.name} already has cells")

    def _widen(self, width: int) -> None:
        while len(self.columns) < width:
            self.columns.append(_Column(len(self.columns)))

    def _cell(self, row: int, c: int, cell: Any) -> str:
        """The XML xlsxwriter writes for this cell, less its opening ``<c r="D5"``."""
        xml = _scratch(self.ws, lambda: self.ws._write_cell(row, c, cell))
        head = f"{self.columns[c].ref}{row + 1}"
        if not xml.startswith(head):
            raise RuntimeError(f"xlsxwriter wrote an unexpected cell: {xml[:60]}")
        return xml[len(head) :]

    def _around(
        self, row: int, c: int, make: Callable[[Any], Any], probes: Sequence[Any]
    ) -> tuple[str, str] | None:
        """The XML around a value in this column's cells, learnt from xlsxwriter on probe
        values; None if xlsxwriter writes some probe otherwise than the pieces would."""
        shown = [p if isinstance(p, str) else format(p, ".16G") for p in probes]
        first = self._cell(row, c, make(probes[0]))
        if first.count(shown[0]) != 1:
            return None
        pre, post = first.split(shown[0])
        for probe, text in zip(probes[1:], shown[1:], strict=True):
            if self._cell(row, c, make(probe)) != f"{pre}{text}{post}":
                return None
        return pre, post

    def _text(self, row: int, c: int, text: str) -> str | None:
        if len(text) > LONGEST:
            return None
        column = self.columns[c]
        if not (
            ESCAPED.search(text)
            or "_x" in text
            or (text and (text[0].isspace() or text[-1].isspace()))
        ):
            if column.text is None:
                column.text = self._around(row, c, lambda t: CellStringTuple(t, None), [PROBE_TEXT])
            if column.text is not None:
                return f"{column.text[0]}{text}{column.text[1]}"
        return self._cell(row, c, CellStringTuple(text, None))

    def _number(self, row: int, c: int, number: float | int, real: bool) -> str | None:
        if not math.isfinite(number):
            return None
        column = self.columns[c]
        fmt = self.number if real else None
        around = column.real if real else column.whole
        if around is None:
            around = self._around(row, c, lambda x: CellNumberTuple(x, fmt), PROBE_NUMBERS)
            if around is None:
                return self._cell(row, c, CellNumberTuple(number, fmt))
            if real:
                column.real = around
            else:
                column.whole = around
        return f"{around[0]}{number:.16G}{around[1]}"

    def _mark(self, row: int, first: int, last: int) -> None:
        if self.first_row is None:
            self.first_row = row
        self.last_row = row
        self.first_col = min(self.first_col, first)
        self.last_col = max(self.last_col, last)

    def done(self) -> int:
        """Hand the sheet back to xlsxwriter, as after its own writes of these rows; the
        next free row. Later writes must go below it."""
        ws = self.ws
        if self.first_row is not None:
            ws.dim_rowmin = _low(ws.dim_rowmin, self.first_row)
            ws.dim_rowmax = _high(ws.dim_rowmax, self.last_row)
            ws.dim_colmin = _low(ws.dim_colmin, self.first_col)
            ws.dim_colmax = _high(ws.dim_colmax, self.last_col)
        if not ws.table:
            ws.previous_row = max(ws.previous_row, self.row)
        return self.row

    # -- rows of mixed values, as put_row writes them ----------------------------------

    def _value(self, row: int, c: int, value: object) -> str | None:
        """A value's cell as put_row writes it: a bool as 是/否, a Decimal or float as a
        number in 0.00, an int as a number, anything else as text; None when the value
        needs the plain API (an infinite number, a very long text)."""
        if value.__class__ is str:
            return self._text(row, c, value)
        if isinstance(value, bool):
            return self._text(row, c, "是" if value else "否")
        if isinstance(value, Decimal | float):
            return self._number(row, c, float(value), True)
        if isinstance(value, int):
            return self._number(row, c, value, False) if abs(value) < 1e300 else None
        return self._text(row, c, str(value))

    def write(self, rows: Iterable[Sequence[object]], plain: PlainRow) -> int:
        """Each row's non-empty values (None and "" are skipped); ``plain`` writes a row
        that cannot be pieced. The next free row."""
        row_info = self.ws.row_info
        lines: list[str] = []
        for values in rows:
            n = self.row
            self._widen(len(values))
            line = None if row_info and n in row_info else self._line(n, values)
            if line is None:
                self.ws.fh.write("".join(lines))
                lines.clear()
                self._plain(n, values, plain)
            elif line:
                lines.append(line)
                if len(lines) == CHUNK:
                    self.ws.fh.write("".join(lines))
                    lines.clear()
            self.row = n + 1
        self.ws.fh.write("".join(lines))
        return self.done()

    def _line(self, n: int, values: Sequence[object]) -> str | None:
        """The row's XML ("" for a row of empty values); None if it cannot be pieced."""
        columns = self.columns
        r = str(n + 1)
        parts = [f'<row r="{r}">']
        first = last = -1
        for c, value in enumerate(values):
            column = columns[c]
            cls = value.__class__
            key: Any = value
            cells: dict[Any, str | None]
            # a cache per kind: no tuple per cell, and True never found as 1
            if cls is str:
                if not value:
                    continue
                cells = column.cells
            elif cls is Decimal or cls is float:
                cells = column.reals
            elif cls is int:
                cells = column.ints
            elif value is None or value == "":
                continue
            else:
                cells, key = column.others, (cls, value)
            tail = cells.get(key)
            if tail is None:
                if key in cells:
                    return None
                if len(cells) >= CACHED:
                    cells.clear()
                tail = cells[key] = self._value(n, c, value)
                if tail is None:
                    return None
            parts.append(f"{column.ref}{r}{tail}")
            if first < 0:
                first = c
            last = c
        if first < 0:
            return ""
        if self.first_row is None:
            self.first_row = n
        self.last_row = n
        if first < self.first_col:
            self.first_col = first
        if last > self.last_col:
            self.last_col = last
        parts.append("</row>")
        return "".join(parts)

    def _plain(self, n: int, values: Sequence[object], plain: PlainRow) -> None:
        self.done()
        plain(n, values)
        self.row = n + 1
        self._flush()


def _low(a: int | None, b: int) -> int:
    return b if a is None else min(a, b)


def _high(a: int | None, b: int) -> int:
    return b if a is None else max(a, b)


def write_rows(
    ws: Worksheet,
    start: int,
    rows: Iterable[Sequence[object]],
    number: Format | None,
    plain: PlainRow,
) -> int:
    """Rows from ``start`` down as ``plain`` (put_row) writes them, pieced where it can;
    the next free row."""
    if ENABLED and supported(ws):
        return Rows(ws, start, number).write(rows, plain)
    n = start
    for values in rows:
        plain(n, values)
        n += 1
    return n
