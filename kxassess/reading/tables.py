"""Find a table in a sheet by its header texts; keep every value's cell address."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kxassess.issues import IssueList
from kxassess.reading.cells import cell_ref, norm_text
from kxassess.reading.sheets import find_sheet
from kxassess.reading.workbook import Row, Workbook

HEADER_SCAN_ROWS = 30
TOTAL_MARKERS = ("合计", "总计", "小计")
# Rows under a table that staff add for signing: they end the table.
END_MARKERS = ("专家签名", "评委签名", "签名", "签字", "日期", "填表人", "审核人", "制表人")


@dataclass(frozen=True)
class Table:
    """A header row and the rows below it. ``columns`` maps normalised header text to the
    0-based column index (the first column with that text)."""

    source: str  # "file!sheet"
    header_row: int
    columns: dict[str, int]
    headers: tuple[str, ...]
    body: tuple[tuple[int, Row], ...]  # (0-based absolute row index, values)

    def ref(self, row: int, col: int) -> str:
        return f"{self.source}!{cell_ref(row, col)}"

    def col_ref(self, col: int) -> str:
        return self.ref(self.header_row, col)

    def has(self, name: str) -> bool:
        return name in self.columns

    def records(self) -> Iterator[Record]:
        for row, values in self.body:
            yield Record(self, row, values)


@dataclass(frozen=True)
class Record:
    table: Table
    row: int
    values: Row

    def raw(self, column: str) -> object:
        col = self.table.columns.get(column)
        if col is None or col >= len(self.values):
            return None
        return self.values[col]

    def text(self, column: str) -> str:
        return norm_text(self.raw(column))

    def ref(self, column: str) -> str:
        col = self.table.columns.get(column)
        return self.table.ref(self.row, col if col is not None else 0)


def find_table(
    book: Workbook, sheet: str, required: Sequence[str], issues: IssueList
) -> Table | None:
    """The table of ``sheet`` whose header row holds every ``required`` text.

    Missing columns are reported (naming the row that looked most like a header) and
    ``None`` is returned. Blank rows and total rows (合计/总计) below the header are skipped.
    """
    sheet = find_sheet(book, sheet) or sheet
    rows = book.rows(sheet)
    source = f"{book.label}!{sheet}"
    for uncached in book.uncached_formulas(sheet):
        issues.add("formula-no-value", f"{source}!{uncached}")
    want = [norm_text(r) for r in required]
    best_row, best_hits = -1, -1
    for index, values in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = [norm_text(v) for v in values]
        hits = sum(1 for w in want if w in texts)
        if hits == len(want):
            return _build(source, index, texts, rows)
        if hits > best_hits:
            best_row, best_hits = index, hits
    if best_hits <= 0:
        detail = f"（前 {HEADER_SCAN_ROWS} 行中找不到表头行）"
        issues.add("missing-columns", source, columns="、".join(required), detail=detail)
        return None
    texts = [norm_text(v) for v in rows[best_row]]
    missing = [r for r, w in zip(required, want, strict=True) if w not in texts]
    where = f"{source}!{cell_ref(best_row, 0)}"
    issues.add("missing-columns", where, columns="、".join(missing), detail="")
    return None


def _build(source: str, header_row: int, texts: list[str], rows: list[Row]) -> Table:
    columns: dict[str, int] = {}
    for col, text in enumerate(texts):
        if text and text not in columns:
            columns[text] = col
    body: list[tuple[int, Row]] = []
    for index in range(header_row + 1, len(rows)):
        values = rows[index]
        first = _first_text(values)
        if first is None or first in TOTAL_MARKERS:
            continue  # a blank row, or a total row (合计/总计)
        if first.startswith(END_MARKERS):
            break  # 专家签名：… 日期：… under the table
        body.append((index, values))
    return Table(source, header_row, columns, tuple(texts), tuple(body))


def _first_text(values: Row) -> str | None:
    """The first non-blank cell as text ("#" for a number); None for a blank row. Cheap:
    only text cells are normalised, and only up to the first non-blank one."""
    for v in values:
        if v is None or v == "":
            continue
        if isinstance(v, str):
            text = norm_text(v)
            if text:
                return text
            continue
        return "#"
    return None
