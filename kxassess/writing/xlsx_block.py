"""A block of rows from plain columns — text columns, then a 2-D float64 array of numbers —
pieced like :mod:`kxassess.writing.xlsx_rows` (专家评分: a row per judge and unit). Each number
column's distinct values get their cell XML once, each row is one ``str.format`` of a template
per pattern of empty cells, and rows are made a chunk at a time from numpy arrays."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from kxassess.writing import xlsx_rows
from kxassess.writing.xlsx_rows import CACHED, CHUNK, LONGEST, Rows, supported


def write_block(
    ws: Worksheet,
    start: int,
    texts: Sequence[Sequence[str]],
    numbers: np.ndarray,
    number: Format | None,
) -> int:
    """A block of rows from ``start`` down: the text columns (lists of str, every value
    written as text, "" too), then the number columns of a 2-D float64 array (in
    ``number``'s format; NaN for an empty cell). The next free row."""
    if xlsx_rows.ENABLED and supported(ws):
        return _Block(ws, start, number).block(texts, numbers)
    return plain_block(ws, start, texts, numbers, number)


def plain_block(
    ws: Worksheet,
    start: int,
    texts: Sequence[Sequence[str]],
    numbers: np.ndarray,
    number: Format | None,
) -> int:
    """:func:`write_block` through xlsxwriter's own API."""
    count = len(texts[0]) if texts else len(numbers)
    for i in range(count):
        n = start + i
        for c, column in enumerate(texts):
            ws.write_string(n, c, column[i])
        if numbers.ndim == 2:
            for j, value in enumerate(numbers[i].tolist(), start=len(texts)):
                if value == value:  # not NaN
                    ws.write_number(n, j, value, number)
    return start + count


class _Block(Rows):
    def block(self, texts: Sequence[Sequence[str]], numbers: np.ndarray) -> int:
        """Rows of text columns (every value written, "" too, as text) then number columns
        (float64, 0.00; NaN leaves the cell empty). The next free row."""
        count = len(texts[0]) if texts else len(numbers)
        if numbers.ndim != 2 or len(numbers) != count:
            raise ValueError("the number block must have a row per text row")
        if any(len(t) != count for t in texts):
            raise ValueError("the text columns must be equally long")
        width = len(texts) + numbers.shape[1]
        if count == 0 or width == 0:
            return self.done()
        self._widen(width)
        rows = range(self.row, self.row + count)
        if (
            any(n in rows for n in self.ws.row_info)
            or any(len(t) > LONGEST for column in texts for t in column)
            or np.isinf(numbers).any()
        ):
            return self._plain_block(texts, numbers)
        codes, pieces = self._number_pieces(numbers, len(texts))
        # a row's cells: the texts always, the numbers present; one template per pattern
        patterns, pattern_of = _patterns(codes > 0)
        templates = [self._template(len(texts), shown) for shown in patterns]
        n0 = self.row
        for a in range(0, count, CHUNK):
            b = min(a + CHUNK, count)
            columns = [self._text_tails(n0 + a, c, column[a:b]) for c, column in enumerate(texts)]
            columns += [piece[codes[a:b, j]].tolist() for j, piece in enumerate(pieces)]
            numbers_at = [str(n0 + i + 1) for i in range(a, b)]
            which = pattern_of[a:b]
            if (which == which[0]).all():
                lines = map(templates[which[0]].format, numbers_at, *columns)
            else:
                lines = map(_fill, [templates[k] for k in which.tolist()], numbers_at, *columns)
            self.ws.fh.write("".join(lines))
        self.row = n0 + count
        filled = codes.any(axis=1) if not texts else np.ones(count, dtype=bool)
        if filled.any():
            used = [*range(len(texts)), *(len(texts) + np.flatnonzero(codes.any(axis=0)))]
            at = np.flatnonzero(filled)
            self._mark(n0 + int(at[0]), int(min(used)), int(max(used)))
            self._mark(n0 + int(at[-1]), int(min(used)), int(max(used)))
        return self.done()

    def _template(self, texts: int, shown: Sequence[bool]) -> str:
        """A row's XML with its row number as {0} and each present cell's tail as {k}."""
        cells = [*[True] * texts, *shown]
        body = "".join(
            f"{self.columns[c].ref}{{0}}{{{c + 1}}}" for c, present in enumerate(cells) if present
        )
        return f'<row r="{{0}}">{body}</row>' if any(cells) else ""

    def _text_tails(self, row: int, c: int, texts: Sequence[str]) -> list[str]:
        cells = self.columns[c].cells
        if len(cells) >= CACHED:
            cells.clear()
        for text in dict.fromkeys(texts):
            if text not in cells:
                cells[text] = self._text(row, c, text)
        return list(map(cells.__getitem__, texts))  # type: ignore[arg-type]

    def _number_pieces(
        self, numbers: np.ndarray, offset: int
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Per number column a code per row (0 for an empty cell) and the tails by code
        ("" first, then each distinct value's)."""
        codes = np.zeros(numbers.shape, dtype=np.intp)
        pieces: list[np.ndarray] = []
        for j in range(numbers.shape[1]):
            c = offset + j
            column = numbers[:, j]
            filled = ~np.isnan(column)
            values, inverse = np.unique(column[filled], return_inverse=True)
            codes[filled, j] = inverse + 1
            row = self.row + (int(np.flatnonzero(filled)[0]) if filled.any() else 0)
            tails = ["", *(self._number(row, c, v, True) for v in values.tolist())]
            pieces.append(np.array(tails, dtype=object))
        return codes, pieces

    def _plain_block(self, texts: Sequence[Sequence[str]], numbers: np.ndarray) -> int:
        self.done()
        self.row = plain_block(self.ws, self.row, texts, numbers, self.number)
        self._flush()
        return self.done()


def _patterns(present: np.ndarray) -> tuple[list[list[bool]], np.ndarray]:
    """The distinct rows of a boolean block and each row's index among them (the full row
    first: most rows of scores have every cell)."""
    full = present.all(axis=1)
    pattern_of = np.zeros(len(present), dtype=np.intp)
    patterns = [[True] * present.shape[1]]
    if not full.all():
        rest, inverse = np.unique(present[~full], axis=0, return_inverse=True)
        pattern_of[~full] = inverse.reshape(-1) + 1
        patterns += rest.tolist()
    return patterns, pattern_of


def _fill(template: str, *args: str) -> str:
    return template.format(*args)
