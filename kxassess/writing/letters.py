"""Word letters and notices from one prepared 公文 document: the page, styles, fonts and
footers are made through python-docx and saved once; each letter's body is written once
(:class:`kxassess.writing.docx.Writer`) and deflated once, for its own file and for the
combined file for printing, which is streamed letter by letter, so that neither time nor
memory grows with the number of units. The parts are those python-docx's ``save`` gives."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import TracebackType

from docx.enum.section import WD_SECTION
from docx.opc.oxml import serialize_part_xml
from lxml import etree

from kxassess.writing.docx import Writer
from kxassess.writing.gongwen import restart_numbering
from kxassess.writing.wordml import new_document
from kxassess.writing.zipped import Deflated, LastPart, Parts, deflate, package_bytes, write_package

DOCUMENT_PART = "word/document.xml"
BODY_OPEN = b"<w:body>"


class _Prepared:
    """A document with the 公文 page set up whose body is written piece by piece: its
    document.xml is ``head + body content + tail``, the tail being the closing section."""

    def __init__(self) -> None:
        self.doc = new_document()
        self.body = self.doc.element.body
        self.last_section = self.body[-1]  # the body's closing w:sectPr

    def clear(self) -> None:
        del self.body[:-1]  # frees the nodes outright (remove() would walk each subtree)

    def head_and_tail(self) -> tuple[bytes, bytes]:
        self.clear()
        xml = serialize_part_xml(self.doc.element)
        cut = xml.index(BODY_OPEN) + len(BODY_OPEN)
        return xml[:cut], xml[cut:]

    def content(self) -> bytes:
        """The body's content without its closing section, as it sits in document.xml."""
        self.body.remove(self.last_section)
        try:
            xml = etree.tostring(self.body, encoding="UTF-8", xml_declaration=False)
        finally:
            self.body.append(self.last_section)
        if b"</w:body>" not in xml:
            return b""  # an empty body: <w:body/>
        return xml[xml.index(b">") + 1 : xml.rindex(b"</w:body>")]


class LetterBook:
    """Every part of a 公文 file but its body, made once: the other parts as python-docx
    saves them, document.xml's head and tail (deflated); a letter is then its body."""

    def __init__(self) -> None:
        page = _Prepared()
        saved = io.BytesIO()
        page.doc.save(saved)
        others = io.BytesIO()  # every part but document.xml, compressed once
        with (
            zipfile.ZipFile(saved) as package,
            zipfile.ZipFile(others, "w", compression=zipfile.ZIP_DEFLATED) as copy_to,
        ):
            for info in package.infolist():
                if info.filename != DOCUMENT_PART:
                    copy_to.writestr(info, package.read(info))
        self.parts = Parts.of(others.getvalue())
        head, tail = page.head_and_tail()
        self.head, self.tail = deflate(head), deflate(tail)

    def body(self, text: str) -> Deflated:
        """One letter's body content (document.xml between ``<w:body>`` and its section)."""
        return deflate(Writer().write(text).encode("utf-8"))

    def letter(self, text: str, path: Path) -> None:
        """One letter or notice as a 公文 file."""
        self.save(path, self.body(text))

    def save(self, path: Path, body: Deflated) -> None:
        """The file holding one letter's body."""
        write_package(path, self.parts, DOCUMENT_PART, (self.head, body, self.tail))

    def package(self, body: Deflated) -> bytes:
        """The bytes of the file :meth:`save` writes."""
        return package_bytes(self.parts, DOCUMENT_PART, (self.head, body, self.tail))


@cache
def letter_book() -> LetterBook:
    """The book of this process (it holds nothing of any letter)."""
    return LetterBook()


class CombinedLetters:
    """Several letters in one file for printing in one go, written as they come: each
    starts on a new page (a section of its own) numbered from 1. Neither time nor memory
    grows with the whole file: each letter's body is streamed into document.xml. Use it
    as a context manager: the file is finished only when no error left the block."""

    def __init__(self, book: LetterBook, path: Path) -> None:
        self.sections = _Prepared()  # the section breaks, as python-docx adds them
        self.count = 0
        self.last_break = b""
        self.same_break: Deflated | None = None  # once every further break is the same
        self.package = LastPart(path, book.parts, DOCUMENT_PART)
        self.package.add(book.head)

    def __enter__(self) -> CombinedLetters:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.package.add(deflate(self.sections.head_and_tail()[1]))
            self.package.close()
        else:
            self.package.file.close()

    def add(self, body: Deflated) -> None:
        if self.count:
            self.package.add(self._section_break())
        self.package.add(body)
        self.count += 1

    def _section_break(self) -> Deflated:
        """The next section break, as python-docx adds it; from the second on each is the
        same (the closing section no longer changes), and is made only once."""
        if self.same_break is not None:
            return self.same_break
        self.sections.clear()
        restart_numbering(self.sections.doc.add_section(WD_SECTION.NEW_PAGE))
        xml = self.sections.content()
        piece = deflate(xml)
        if xml == self.last_break:
            self.same_break = piece
        self.last_break = xml
        return piece


def letters_to_docx(texts: Sequence[str], path: Path) -> None:
    """Several letters in one file for printing in one go: each starts on a new page and
    is numbered from 1."""
    book = letter_book()
    with CombinedLetters(book, path) as combined:
        for text in texts:
            combined.add(book.body(text))
