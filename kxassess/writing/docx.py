"""Word renderings of the notices (python-docx) for offices that publish Word.

The notices are our own Markdown (headings, list items, **bold**, simple tables), so the
conversion handles exactly that subset: title centred in 黑体, body in 仿宋 with a two-
character first-line indent, the issuer and date right-aligned at the end."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]<>()#+!|~])")


def _font(run: object, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name  # type: ignore[attr-defined]
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)  # type: ignore[attr-defined]


def _runs(paragraph: Paragraph, text: str, font: str, size: float) -> None:
    """Text with **bold** spans; Markdown escapes removed."""
    for n, part in enumerate(_BOLD.split(text)):
        if part:
            _font(paragraph.add_run(_ESCAPE.sub(r"\1", part)), font, size, bold=n % 2 == 1)


def markdown_to_docx(text: str, path: Path) -> None:
    doc = Document()
    lines = [line.rstrip() for line in text.splitlines()]
    tail = [i for i, line in enumerate(lines) if line.strip()][-2:]  # issuer, date
    table_rows: list[list[str]] = []

    def flush_table() -> None:
        if not table_rows:
            return
        table = doc.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        table.style = "Table Grid"
        for r, cells in enumerate(table_rows):
            for c, cell in enumerate(cells):
                _runs(table.cell(r, c).paragraphs[0], cell, "仿宋", 12)
        table_rows.clear()

    for index, line in enumerate(lines):
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(set(c) <= {"-", ":"} for c in cells):
                table_rows.append(cells)
            continue
        flush_table()
        if not line.strip():
            continue
        if line.startswith("# "):
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _runs(p, line[2:], "黑体", 18)
        elif line.startswith("## "):
            _runs(doc.add_paragraph(), line[3:], "黑体", 16)
        elif line.startswith("### "):
            _runs(doc.add_paragraph(), line[4:], "楷体", 16)
        elif line.startswith("- "):
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(32)
            _runs(p, line[2:], "仿宋", 16)
        else:
            p = doc.add_paragraph()
            if index in tail:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                p.paragraph_format.first_line_indent = Pt(32)
            _runs(p, line, "仿宋", 16)
    flush_table()
    section = doc.sections[0]
    section.footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.save(str(path))
