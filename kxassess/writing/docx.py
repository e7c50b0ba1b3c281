"""Word renderings of the notices and feedback, laid out as 公文.

The documents are our own Markdown, so the conversion reads exactly that subset:

- lines before the ``# `` title: the 红头 (the issuing organ's name, in red over a red
  rule) and, on the next line, the 文号;
- ``# `` the title; the first paragraph after it that ends in ``：`` is the 主送, flush left;
- ``## `` / ``### `` headings (黑体 / 楷体), ``- `` items, paragraphs, ``**bold**``, tables;
- the last two lines before ``---`` (or the end) are the 落款 and the 成文日期: right, kept
  together and with the paragraph before them, as an office stamps them;
- ``---`` starts a new page: the 附件 (its label ``附件``, its ``# `` title, its table).

The body is written as WordprocessingML text from the pieces of :mod:`wordml` (each made
once through python-docx): the same document.xml as building it element by element, at a
fraction of the cost. The package around it comes from :mod:`letters`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from docx.shared import Mm

from kxassess.writing import wordml
from kxassess.writing.gongwen import (
    BODY,
    HEI,
    KAI,
    RED,
    SONG,
    TABLE_SIZE,
    TEXT_SIZE,
    TITLE,
    TITLE_SIZE,
    Face,
    text_width,
    title_lines,
)
from kxassess.writing.wordml import (
    CELL_CLOSE,
    LINE_BREAK,
    PAGE_BREAK,
    ROW_CLOSE,
    TABLE_CLOSE,
    Layout,
    new_document,
    paragraph,
    properties,
    signature_properties,
    table_xml,
    text_run,
)

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]<>()#+!|~])")
_CELL = re.compile(r"(?<!\\)\|")
_ANNEX = re.compile(r"附件\d*")
_NUMBER = re.compile(r"-?\d+(\.\d+)?%?")
TYPE_WIDTH_MM = 156.0
RED_HEAD_SIZE = 36.0

__all__ = ["Writer", "markdown_to_docx", "new_document", "plain"]


def plain(text: str) -> str:
    """Markdown escapes and bold markers removed: the text a reader sees."""
    if "*" not in text and "\\" not in text:
        return text
    return _unescape(_BOLD.sub(r"\1", text))


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text) if "\\" in text else text


def _runs(text: str, face: Face, size: float) -> str:
    """Text with **bold** spans; Markdown escapes removed."""
    if "*" not in text:
        return text_run(_unescape(text), face, size) if text else ""
    return "".join(
        text_run(_unescape(part), face, size, bold=n % 2 == 1)
        for n, part in enumerate(_BOLD.split(text))
        if part
    )


def _cells(line: str) -> list[str]:
    inner = line.strip().strip("|")
    cells = _CELL.split(inner) if "\\|" in inner else inner.split("|")
    return [c.strip() for c in cells]


def _is_rule(cells: list[str]) -> bool:
    return all(c and set(c) <= {"-", ":"} for c in cells)


class Writer:
    """One Markdown document as the body of a Word document in the 公文 layout."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        # the last paragraph of text: where it is, its layout and runs (a later 附件说明
        # or 落款 keeps it with them)
        self.last_body: tuple[int, Layout, str] | None = None

    def write(self, text: str) -> str:
        """document.xml's body content for ``text`` (without the closing section)."""
        lines = [line.rstrip() for line in text.splitlines()]
        title_at = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
        if title_at is not None:
            self._red_head([line.strip() for line in lines[:title_at] if line.strip()])
            lines = lines[title_at:]
        parts = _split_pages(lines)
        self._body(parts[0])
        for annex in parts[1:]:
            self.parts.append(PAGE_BREAK)
            self._annex(annex)
        xml = "".join(self.parts)
        wordml.check_text(text, xml)
        return xml

    def _add(self, pr: str, runs: str = "") -> None:
        self.parts.append(paragraph(pr, runs))

    def _keep_last(self) -> None:
        """The last paragraph of text kept with the next one."""
        if self.last_body is not None:
            at, layout, runs = self.last_body
            self.parts[at] = paragraph(properties(layout, keep=True), runs)

    # --- the first page: red head, title, 主送, body, 落款 -------------------------------

    def _red_head(self, head: list[str]) -> None:
        if not head:
            return
        organ = wordml.text_run(plain(head[0]), TITLE, RED_HEAD_SIZE, colour=RED)
        self._add(properties(wordml.organ), organ)
        self._add("")
        self._add("")  # 文号: two lines below the organ
        number = _runs(head[1], BODY, TEXT_SIZE) if len(head) > 1 else ""
        self._add(properties(wordml.doc_number), number)  # the red rule below it
        self._add("")
        self._add("")  # the title two lines below the rule

    def _text_lines(self, lines: list[str]) -> Iterator[tuple[int, str]]:
        """The non-blank lines that are not table rows, with their index; each run of
        ``|`` rows is written as a table where it stands."""
        table: list[list[str]] = []
        for index, line in enumerate(lines):
            if line.startswith("|"):
                table.append(_cells(line))
                continue
            if table:
                self._table(table)
                table = []
            if line.strip():
                yield index, line
        if table:
            self._table(table)

    def _body(self, lines: list[str]) -> None:
        content = [i for i, line in enumerate(lines) if line.strip()]
        signature = content[-2:] if len(content) >= 3 else []
        after_title = False
        for index, line in self._text_lines(lines):
            if index in signature:
                self._signature(lines[signature[0]], lines[signature[1]])
                break
            if line.startswith("# "):
                self._title(line[2:])
                after_title = True
                continue
            if after_title and line.endswith("：") and text_width(plain(line)) <= 56:
                self._add("", _runs(line, BODY, TEXT_SIZE))  # 主送: flush left
            else:
                self._paragraph(line)
            after_title = False

    def _title(self, text: str) -> None:
        self._add(properties(wordml.title), _title_runs(text))
        self._add(properties(wordml.kept))

    def _paragraph(self, line: str) -> None:
        layout: Layout
        if line.startswith("附件："):  # 附件说明: below a blank line, the name aligned
            self._keep_last()  # never a page of 附件说明 and 落款 alone
            self._add(properties(wordml.kept))
            layout, runs = wordml.annex_note, _runs(line, BODY, TEXT_SIZE)
        elif line.startswith("## "):
            layout, runs = wordml.heading, _runs(line[3:], HEI, TEXT_SIZE)
        elif line.startswith("### "):
            layout, runs = wordml.heading, _runs(line[4:], KAI, TEXT_SIZE)
        else:
            text = line[2:] if line.startswith("- ") else line
            layout, runs = wordml.text, _runs(text, BODY, TEXT_SIZE)
        self.last_body = (len(self.parts), layout, runs)
        self._add(properties(layout), runs)

    def _signature(self, issuer: str, date: str) -> None:
        """落款 over 成文日期, as for a stamped document: the date four characters in from
        the right, the issuer centred over it; nothing of it alone on a page."""
        self._keep_last()
        self._add(properties(wordml.kept))
        issuer_text, date_text = plain(issuer.strip()), plain(date.strip())
        date_indent = 4.0
        issuer_indent = max(
            0.0, date_indent + (text_width(date_text) - text_width(issuer_text)) / 2
        )
        for text, indent, keep in (
            (issuer_text, issuer_indent, True),
            (date_text, date_indent, False),
        ):
            self._add(signature_properties(indent, keep), text_run(text, BODY, TEXT_SIZE))

    # --- the 附件 ------------------------------------------------------------------------

    def _annex(self, lines: list[str]) -> None:
        for _, line in self._text_lines(lines):
            if _ANNEX.fullmatch(line.strip()):
                self._add("", _runs(line.strip(), HEI, TEXT_SIZE))
                self._add("")
            elif line.startswith("# "):
                self._title(line[2:])
            else:
                self._paragraph(line)

    def _table(self, rows: list[list[str]]) -> None:
        """A grid table in 五号 宋体, header row bold and repeated on every page, rows
        never split across pages, column widths by content across the type area."""
        rows = [r for r in rows if not _is_rule(r)]
        if not rows:
            return
        columns = max(len(r) for r in rows)
        rows = [r + [""] * (columns - len(r)) for r in rows]
        widths = [str(Mm(w).twips) for w in _column_widths(rows)]
        model = table_xml(columns)
        parts = [model.grid(widths), model.header.open]
        for head, text in zip(model.header.heads(widths, "center"), rows[0], strict=True):
            parts += (head, _cell_runs(f"**{text}**" if text else ""), CELL_CLOSE)
        parts.append(ROW_CLOSE)
        left, right = model.body.heads(widths, "left"), model.body.heads(widths, "right")
        right[0] = left[0]  # the first column (序号, codes) stays left
        row_open = model.body.open
        for cells in rows[1:]:
            parts.append(row_open)
            for c, text in enumerate(cells):
                number, runs = _body_cell(text)
                parts.append((right if number else left)[c])
                parts.append(runs)
            parts.append(ROW_CLOSE)
        parts.append(TABLE_CLOSE)
        self.parts.append("".join(parts))


@lru_cache(maxsize=64)
def _title_runs(text: str) -> str:
    """A title in one or two lines (every letter has the same)."""
    return LINE_BREAK.join(text_run(line, TITLE, TITLE_SIZE) for line in title_lines(plain(text)))


@lru_cache(maxsize=4096)
def _cell_runs(text: str) -> str:
    """A cell's text as runs in 五号 宋体 (**bold** spans, escapes removed); most cells
    (headers, indicators, grades) are the same in every letter."""
    return _runs(text, SONG, TABLE_SIZE)


@lru_cache(maxsize=4096)
def _body_cell(text: str) -> tuple[bool, str]:
    """Whether a body cell's text is a number, and its runs to the cell's end: numbers
    (not codes, 序号) go to the right so that they line up."""
    return bool(_NUMBER.fullmatch(plain(text))), _cell_runs(text) + CELL_CLOSE


def _typical_width(rows: Sequence[Sequence[str]], column: int) -> float:
    """The header's width, or the width that four body rows in five fit into (at least 2)."""
    body = sorted(_cell_width(r[column]) for r in rows[1:])
    typical = body[(len(body) - 1) * 4 // 5] if body else 0
    return max(2.0, _cell_width(rows[0][column]), typical)


@lru_cache(maxsize=4096)
def _cell_width(text: str) -> float:
    return text_width(plain(text))


def _column_widths(rows: Sequence[Sequence[str]]) -> list[float]:
    """Widths in mm summing to the type area, by what each column typically holds (its
    header, and the text of four rows in five: a rare long remark wraps rather than taking
    the width of every unit's name): short columns (序号, codes, grades) keep their width,
    long ones give up what is missing."""
    char_mm = TABLE_SIZE * 0.3528 + 0.15
    pad = 4.2  # the cell margins, 1.9 mm each side, and a little air
    need = [_typical_width(rows, c) * char_mm + pad for c in range(len(rows[0]))]
    floor = [min(w, 5 * char_mm + pad) for w in need]
    total = sum(need)
    if total <= TYPE_WIDTH_MM:
        return [w * TYPE_WIDTH_MM / total for w in need]
    spare = sum(need) - sum(floor)
    cut = (total - TYPE_WIDTH_MM) / spare if spare else 0
    return [f + (w - f) * (1 - cut) for w, f in zip(need, floor, strict=True)]


def _split_pages(lines: list[str]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for line in lines:
        if line.strip() == "---":
            parts.append([])
        else:
            parts[-1].append(line)
    return parts


def markdown_to_docx(text: str, path: Path) -> None:
    """One notice or letter as a 公文 file."""
    from kxassess.writing.letters import letter_book  # it builds on this module

    letter_book().letter(text, path)
