"""The WordprocessingML of the 公文 layout as text, to be filled in per use.

Each paragraph layout, run face and table of the letters and notices is made once through
python-docx (so that :mod:`kxassess.writing.gongwen` stays the one source of the layout),
serialised as python-docx would serialise it inside document.xml, and cut where the text,
the widths and the alignments go. A document's body is then joined from strings, byte for
byte the XML that building it element by element through python-docx gives, at a small
fraction of the cost.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Mm, Pt, Twips
from docx.text.paragraph import Paragraph
from lxml import etree

from kxassess.writing.gongwen import (
    CHAR,
    TEXT_SIZE,
    Face,
    bottom_rule,
    off_grid,
    run,
    setup_page,
)

RED_HEAD_DROP_MM = 25.0  # GB/T 9704 asks 35 mm for 文件-style heads; a 通报 sits higher

# What lxml refuses in text (XML 1.0 has no place for them): python-docx raises then.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TAB_OR_BREAK = re.compile(r"([\t\r\n])")
_SENTINEL = 7777777  # a width no table has, to find where the widths go
_ALIGN = "@jc@"  # the same for a cell's alignment


def new_document() -> DocumentObject:
    """An empty document on the 公文 page."""
    doc = Document()
    setup_page(doc)
    return doc


def serialise(element: BaseOxmlElement) -> str:
    """``element`` as it reads inside document.xml (no namespace declarations of its own)."""
    body = OxmlElement("w:body")
    body.append(element)
    xml = etree.tostring(body, encoding="unicode")
    return xml[xml.index(">") + 1 : xml.rindex("</w:body>")]


# --- text ------------------------------------------------------------------------------


def check_text(text: str, xml: str) -> None:
    """python-docx refuses text XML has no place for (``xml``: what was made of ``text``;
    it is searched only when ``text`` holds such characters, the one raising where
    python-docx would, on writing them into a run)."""
    if _NOT_XML.search(text) and _NOT_XML.search(xml):
        raise ValueError(
            "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or "
            "control characters"
        )


def _t(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if text.strip() != text:
        return f'<w:t xml:space="preserve">{text}</w:t>'
    return f"<w:t>{text}</w:t>"


def run_text(text: str) -> str:
    """A run's content as python-docx's text setter makes it: ``w:t`` (preserving spaces
    at either end), a ``w:tab`` per tab, a ``w:br`` per line feed or carriage return."""
    if "\t" not in text and "\n" not in text and "\r" not in text:
        return _t(text) if text else ""
    parts = []
    for part in _TAB_OR_BREAK.split(text):
        if part == "\t":
            parts.append("<w:tab/>")
        elif part in ("\r", "\n"):
            parts.append("<w:br/>")
        elif part:
            parts.append(_t(part))
    return "".join(parts)


@cache
def run_open(face: Face, size: float, bold: bool = False, colour: str = "") -> str:
    """``<w:r><w:rPr>…</w:rPr>`` of a run made by :func:`gongwen.run`."""
    paragraph = Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
    run(paragraph, "", face, size, bold=bold, colour=colour)
    xml = serialise(paragraph._p)
    return xml[len("<w:p>") : -len("</w:r></w:p>")]


def text_run(text: str, face: Face, size: float, bold: bool = False, colour: str = "") -> str:
    return run_open(face, size, bold, colour) + run_text(text) + "</w:r>"


LINE_BREAK = "<w:r><w:br/></w:r>"
PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


# --- paragraphs --------------------------------------------------------------------------

Layout = Callable[[Paragraph], None]


def organ(p: Paragraph) -> None:
    """The 红头's organ: centred, single lines, dropped from the top, off the grid."""
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.space_before = Mm(RED_HEAD_DROP_MM)
    off_grid(p)


def doc_number(p: Paragraph) -> None:
    """The 文号, centred over the red rule (4 mm below it, as wide as the type area)."""
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    bottom_rule(p)


def title(p: Paragraph) -> None:
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True


def plain(p: Paragraph) -> None:
    """Flush left, as the style has it: the 主送, the 附件 label, blank lines."""


def kept(p: Paragraph) -> None:
    """A blank line kept with what follows."""
    p.paragraph_format.keep_with_next = True


def text(p: Paragraph) -> None:
    """A paragraph of text: first line indented two characters."""
    p.paragraph_format.first_line_indent = 2 * CHAR


def heading(p: Paragraph) -> None:
    text(p)
    p.paragraph_format.keep_with_next = True


def annex_note(p: Paragraph) -> None:
    """附件说明: the name after ``附件：`` aligned under itself on further lines."""
    p.paragraph_format.first_line_indent = 2 * CHAR
    p.paragraph_format.left_indent = 5 * CHAR
    p.paragraph_format.first_line_indent = -3 * CHAR


@cache
def properties(layout: Layout, keep: bool = False) -> str:
    """The ``w:pPr`` of ``layout`` ("" for none); ``keep``: kept with the next paragraph
    as well (set afterwards, as a later paragraph asks it)."""
    p = Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
    layout(p)
    if keep:
        p.paragraph_format.keep_with_next = True
    return _properties_of(p)


@cache
def signature_properties(indent: float, keep: bool) -> str:
    """落款 and 成文日期: right, ``indent`` characters of text in from the right, kept
    together (and the 落款 with its date)."""
    p = Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.paragraph_format.right_indent = Pt(indent * TEXT_SIZE)
    p.paragraph_format.keep_with_next = keep
    p.paragraph_format.keep_together = True
    return _properties_of(p)


def _properties_of(p: Paragraph) -> str:
    xml = serialise(p._p)
    return "" if xml == "<w:p/>" else xml[len("<w:p>") : -len("</w:p>")]


def paragraph(pr: str, runs: str = "") -> str:
    return f"<w:p>{pr}{runs}</w:p>" if pr or runs else "<w:p/>"


# --- tables ------------------------------------------------------------------------------


@cache
def table_model(columns: int) -> BaseOxmlElement:
    """A grid table of ``columns`` columns in the 公文 layout, made through python-docx: a
    header row (repeated on every page) and a body row, neither split across pages, cells
    centred vertically, without text or widths yet."""
    table = _scratch().add_table(rows=2, cols=columns)
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


@cache
def _scratch() -> DocumentObject:
    """A document on the 公文 page to make the table models in (each taken out again)."""
    return new_document()


def _on(element: BaseOxmlElement) -> BaseOxmlElement:
    element.set(qn("w:val"), "true")
    return element


@dataclass(frozen=True)
class Row:
    """A row's ``<w:tr>…`` up to its cells, and a cell cut where its width, alignment and
    runs go."""

    open: str
    cell: tuple[str, str, str]  # before the width, before the alignment, before the runs

    def heads(self, widths: Sequence[str], align: str) -> list[str]:
        """Per column, a cell of this row up to its runs."""
        before_width, before_align, before_runs = self.cell
        return [before_width + w + before_align + align + before_runs for w in widths]


CELL_CLOSE = "</w:p></w:tc>"
ROW_CLOSE = "</w:tr>"
TABLE_CLOSE = "</w:tbl>"


@dataclass(frozen=True)
class TableXml:
    """A table of the model, cut where the widths, texts and alignments go: a table is
    ``grid(widths)``, then rows (``open``, per cell its head, runs and ``CELL_CLOSE``,
    ``ROW_CLOSE``), the header first, then ``TABLE_CLOSE``."""

    open: str  # <w:tbl><w:tblPr>…</w:tblPr><w:tblGrid>
    column: tuple[str, str]  # a w:gridCol before and after its width
    header: Row
    body: Row

    def grid(self, widths: Sequence[str]) -> str:
        """The table's start: its properties and column widths (in twips)."""
        before, after = self.column
        return self.open + "".join(before + w + after for w in widths) + "</w:tblGrid>"


@cache
def table_xml(columns: int) -> TableXml:
    tbl = copy.deepcopy(table_model(columns))
    for column in tbl.tblGrid.gridCol_lst:
        column.w = Twips(_SENTINEL)
    for tr in tbl.findall(qn("w:tr")):
        for tc in tr.findall(qn("w:tc")):
            tc.width = Twips(_SENTINEL)
            tc.find(qn("w:p")).find(qn("w:pPr")).find(qn("w:jc")).set(qn("w:val"), _ALIGN)
    xml = serialise(tbl)
    width = str(Emu(Twips(_SENTINEL)).twips)
    grid_at, grid_end = xml.index("<w:gridCol"), xml.index("</w:tblGrid>")
    column = _one_of(xml[grid_at:grid_end], columns).split(width)
    rows = xml[grid_end + len("</w:tblGrid>") : -len("</w:tbl>")]
    second = rows.index("<w:tr>", 1)
    header, body = (_row(r, columns, width) for r in (rows[:second], rows[second:]))
    if len(column) != 2 or not xml.endswith("</w:tbl>"):
        raise AssertionError(f"unexpected table model: {xml}")
    return TableXml(xml[:grid_at], (column[0], column[1]), header, body)


def _row(xml: str, columns: int, width: str) -> Row:
    first = xml.index("<w:tc>")
    cell = _one_of(xml[first : -len("</w:tr>")], columns)
    before_width, rest = cell.split(width)
    before_align, after = rest.split(_ALIGN)
    if not after.endswith(CELL_CLOSE):
        raise AssertionError(f"unexpected table cell: {cell}")
    return Row(xml[:first], (before_width, before_align, after[: -len(CELL_CLOSE)]))


def _one_of(repeated: str, times: int) -> str:
    one = repeated[: len(repeated) // times]
    if one * times != repeated:
        raise AssertionError(f"not {times} equal parts: {repeated}")
    return one
