"""The python-docx Writer as it was before the Word bodies were joined from strings
(kxassess.writing.docx): kept here, unchanged, as the reference the new writer must match
byte for byte (tests/test_docx_equivalence.py). Not used by kxassess itself."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from kxassess.writing.gongwen import (
    BODY,
    CHAR,
    HEI,
    KAI,
    RED,
    SONG,
    TABLE_SIZE,
    TEXT_SIZE,
    TITLE,
    TITLE_SIZE,
    Face,
    bottom_rule,
    off_grid,
    restart_numbering,
    run,
    setup_page,
)

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]<>()#+!|~])")
_CELL = re.compile(r"(?<!\\)\|")
_ANNEX = re.compile(r"附件\d*")
_NUMBER = re.compile(r"-?\d+(\.\d+)?%?")
TYPE_WIDTH_MM = 156.0
RED_HEAD_SIZE = 36.0
RED_HEAD_DROP_MM = 25.0  # GB/T 9704 asks 35 mm for 文件-style heads; a 通报 sits higher


def text_width(text: str) -> float:
    """gongwen.text_width as it was (the reference stands on its own)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


_AFTER = ("关于", "年度", "科协", "学会", "所属")
_BEFORE = ("考核", "工作", "结果", "拟表彰", "表彰", "的通报", "的公示", "项目")
TITLE_CHARS = 20


def title_lines(title: str) -> list[str]:
    """gongwen.title_lines as it was."""
    if text_width(title) <= TITLE_CHARS:
        return [title]
    cuts = {i + len(w) for w in _AFTER for i in _positions(title, w)}
    cuts |= {i for w in _BEFORE for i in _positions(title, w)}
    fits = [
        c
        for c in cuts
        if 0 < c < len(title)
        and text_width(title[:c]) <= TITLE_CHARS
        and text_width(title[c:]) <= TITLE_CHARS
    ]
    if not fits:
        return [title]
    best = min(fits, key=lambda c: (abs(text_width(title[:c]) - text_width(title[c:])), -c))
    return [title[:best], title[best:]]


def _positions(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def plain(text: str) -> str:
    """Markdown escapes and bold markers removed: the text a reader sees."""
    return _ESCAPE.sub(r"\1", _BOLD.sub(r"\1", text))


def _runs(paragraph: Paragraph, text: str, face: Face, size: float) -> None:
    """Text with **bold** spans; Markdown escapes removed."""
    for n, part in enumerate(_BOLD.split(text)):
        if part:
            run(paragraph, _ESCAPE.sub(r"\1", part), face, size, bold=n % 2 == 1)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in _CELL.split(line.strip().strip("|"))]


def _is_rule(cells: list[str]) -> bool:
    return all(c and set(c) <= {"-", ":"} for c in cells)


class Writer:
    """Appends one Markdown document to a Word document in the 公文 layout."""

    def __init__(self, doc: DocumentObject) -> None:
        self.doc = doc
        self.last_body: Paragraph | None = None

    def write(self, text: str) -> None:
        lines = [line.rstrip() for line in text.splitlines()]
        title_at = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
        if title_at is not None:
            self._red_head([line.strip() for line in lines[:title_at] if line.strip()])
            lines = lines[title_at:]
        parts = _split_pages(lines)
        self._body(parts[0])
        for annex in parts[1:]:
            self._page_break()
            self._annex(annex)

    # --- the first page: red head, title, 主送, body, 落款 -------------------------------

    def _red_head(self, head: list[str]) -> None:
        if not head:
            return
        organ = self.doc.add_paragraph()
        organ.alignment = WD_ALIGN_PARAGRAPH.CENTER
        organ.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        organ.paragraph_format.space_before = Mm(RED_HEAD_DROP_MM)
        off_grid(organ)
        run(organ, plain(head[0]), TITLE, RED_HEAD_SIZE, colour=RED)
        self.doc.add_paragraph()
        self.doc.add_paragraph()  # 文号: two lines below the organ
        number = self.doc.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if len(head) > 1:
            _runs(number, head[1], BODY, TEXT_SIZE)
        bottom_rule(number)  # the red rule, 4 mm below the 文号, as wide as the type area
        self.doc.add_paragraph()
        self.doc.add_paragraph()  # the title two lines below the rule

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
                p = self.doc.add_paragraph()  # 主送: flush left
                _runs(p, line, BODY, TEXT_SIZE)
            else:
                self._paragraph(line)
            after_title = False

    def _title(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        for n, line in enumerate(title_lines(plain(text))):
            r = run(p, line, TITLE, TITLE_SIZE)
            if n:
                r._element.addprevious(_line_break())
        self.doc.add_paragraph().paragraph_format.keep_with_next = True

    def _paragraph(self, line: str) -> None:
        if line.startswith("附件："):  # 附件说明: below a blank line, the name aligned
            if self.last_body is not None:  # never a page of 附件说明 and 落款 alone
                self.last_body.paragraph_format.keep_with_next = True
            self.doc.add_paragraph().paragraph_format.keep_with_next = True
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = 2 * CHAR
        if line.startswith("附件："):
            p.paragraph_format.left_indent = 5 * CHAR
            p.paragraph_format.first_line_indent = -3 * CHAR
            _runs(p, line, BODY, TEXT_SIZE)
        elif line.startswith("## "):
            _runs(p, line[3:], HEI, TEXT_SIZE)
            p.paragraph_format.keep_with_next = True
        elif line.startswith("### "):
            _runs(p, line[4:], KAI, TEXT_SIZE)
            p.paragraph_format.keep_with_next = True
        else:
            _runs(p, line[2:] if line.startswith("- ") else line, BODY, TEXT_SIZE)
        self.last_body = p

    def _signature(self, issuer: str, date: str) -> None:
        """落款 over 成文日期, as for a stamped document: the date four characters in from
        the right, the issuer centred over it; nothing of it alone on a page."""
        if self.last_body is not None:
            self.last_body.paragraph_format.keep_with_next = True
        gap = self.doc.add_paragraph()
        gap.paragraph_format.keep_with_next = True
        issuer_text, date_text = plain(issuer.strip()), plain(date.strip())
        date_indent = 4.0
        issuer_indent = max(
            0.0, date_indent + (text_width(date_text) - text_width(issuer_text)) / 2
        )
        for text, indent, keep in (
            (issuer_text, issuer_indent, True),
            (date_text, date_indent, False),
        ):
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(indent * TEXT_SIZE)
            p.paragraph_format.keep_with_next = keep
            p.paragraph_format.keep_together = True
            run(p, text, BODY, TEXT_SIZE)

    # --- the 附件 ------------------------------------------------------------------------

    def _page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _annex(self, lines: list[str]) -> None:
        for _, line in self._text_lines(lines):
            if _ANNEX.fullmatch(line.strip()):
                p = self.doc.add_paragraph()
                _runs(p, line.strip(), HEI, TEXT_SIZE)
                self.doc.add_paragraph()
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
        widths = [Mm(w) for w in _column_widths(rows)]
        tbl = copy.deepcopy(_table_model(columns))
        header, model = tbl.findall(qn("w:tr"))
        tbl.remove(model)
        for column, width in zip(tbl.tblGrid.gridCol_lst, widths, strict=True):
            column.w = width
        for tr in (header, model):
            for tc, width in zip(tr.findall(qn("w:tc")), widths, strict=True):
                tc.width = width
        for tc, text in zip(header.findall(qn("w:tc")), rows[0], strict=True):
            _fill(tc, f"**{text}**" if text else "", "center")
        _copy_rows(tbl, model, rows[1:])
        self.doc.element.body._insert_tbl(tbl)


@cache
def _table_model(columns: int) -> BaseOxmlElement:
    """A grid table of ``columns`` columns in the 公文 layout, made through python-docx
    once (on the same page as every document's): a header row (repeated on every page)
    and a body row, neither split across pages, cells centred vertically, without text
    or widths yet."""
    table = new_document().add_table(rows=2, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for r, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(_on(OxmlElement("w:cantSplit")))
        if r == 0:
            tr_pr.append(_on(OxmlElement("w:tblHeader")))
        for cell in row.cells:
            p = cell.paragraphs[0]
            off_grid(p)
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            p.paragraph_format.first_line_indent = Pt(0)
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 else WD_ALIGN_PARAGRAPH.LEFT
    tbl = table._tbl
    tbl.getparent().remove(tbl)
    return tbl


def _alignment(c: int, text: str) -> str:
    """A body cell's ``w:jc``: numbers (not codes, 序号) to the right so that they line up."""
    return "right" if c > 0 and _NUMBER.fullmatch(plain(text)) else "left"


def _fill(tc: BaseOxmlElement, text: str, alignment: str) -> None:
    """A cell's text as runs (**bold** spans, escapes removed) and its ``w:jc``."""
    p = tc.find(qn("w:p"))
    for old in p.findall(qn("w:r")):
        p.remove(old)
    p.find(qn("w:pPr")).find(qn("w:jc")).set(qn("w:val"), alignment)
    for n, part in enumerate(_BOLD.split(text)):
        if part:
            p.append(_table_run(_ESCAPE.sub(r"\1", part), bold=n % 2 == 1))


def _copy_rows(tbl: BaseOxmlElement, model: BaseOxmlElement, rows: Sequence[Sequence[str]]) -> None:
    """The body rows as copies of the model row (cell widths, borders, paragraph layout),
    each cell's text and alignment filled in: the XML python-docx gives cell by cell, at
    a fraction of the cost."""
    for cells in rows:
        tr = copy.deepcopy(model)
        for c, (tc, text) in enumerate(zip(tr.findall(qn("w:tc")), cells, strict=True)):
            _fill(tc, text, _alignment(c, text))
        tbl.append(tr)


@cache
def _run_model(bold: bool) -> BaseOxmlElement:
    """A table run's ``w:r`` (五号 宋体) without its text, made by :func:`run`."""
    paragraph = Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
    element = run(paragraph, "", SONG, TABLE_SIZE, bold=bold)._element
    for child in list(element):
        if child.tag != qn("w:rPr"):
            element.remove(child)
    return element


def _table_run(text: str, bold: bool) -> BaseOxmlElement:
    element = copy.deepcopy(_run_model(bold))
    if "\t" in text or "\n" in text or "\r" in text:
        element.text = text  # python-docx's own setter: w:t, w:tab, w:br
        return element
    t = etree.SubElement(element, qn("w:t"))  # what that setter gives for plain text
    t.text = text
    if text.strip() != text:
        t.set(qn("xml:space"), "preserve")
    return element


def _line_break() -> BaseOxmlElement:
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:br"))
    return r


def _on(element: BaseOxmlElement) -> BaseOxmlElement:
    element.set(qn("w:val"), "true")
    return element


def _typical_width(rows: Sequence[Sequence[str]], column: int) -> float:
    """The header's width, or the width that four body rows in five fit into (at least 2)."""
    body = sorted(text_width(plain(r[column])) for r in rows[1:])
    typical = body[(len(body) - 1) * 4 // 5] if body else 0
    return max(2.0, text_width(plain(rows[0][column])), typical)


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


def new_document() -> DocumentObject:
    doc = Document()
    setup_page(doc)
    return doc


def markdown_to_docx(text: str, path: Path) -> None:
    """One notice or letter as a 公文 page."""
    doc = new_document()
    Writer(doc).write(text)
    doc.save(str(path))


@cache
def _page() -> DocumentObject:
    return new_document()


def body_xml(text: str) -> bytes:
    """document.xml's body content (between ``<w:body>`` and its closing section) that
    the python-docx Writer gives for ``text``, cut as the letters were cut from it."""
    doc = _page()
    body = doc.element.body
    del body[:-1]
    section = body[-1]
    Writer(doc).write(text)
    body.remove(section)
    try:
        xml = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
    finally:
        body.append(section)
        del body[:-1]
    if b"</w:body>" not in xml:
        return b""
    return xml[xml.index(b">") + 1 : xml.rindex(b"</w:body>")]


def letters_to_docx(texts: list[str], path: Path) -> None:
    """Several letters in one file, each a section of its own numbered from 1, built
    whole through python-docx."""
    doc = new_document()
    for n, text in enumerate(texts):
        if n:
            restart_numbering(doc.add_section(WD_SECTION.NEW_PAGE))
        Writer(doc).write(text)
    doc.save(str(path))
