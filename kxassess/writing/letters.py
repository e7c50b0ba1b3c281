"""Many Word letters from one prepared 公文 document (the per-unit feedback and the
combined file for printing): the page, styles, fonts and footers are made and serialised
once, each letter's body written once, and the combined file streamed letter by letter,
so that neither time nor memory grows with the number of units."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.opc.oxml import serialize_part_xml
from lxml import etree

from kxassess.writing.docx import Writer, new_document
from kxassess.writing.gongwen import restart_numbering

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
    """Many letters from one prepared document: the page setup, styles, fonts and footers
    are made and serialised once, and each letter's body is written once, for its own
    file and for the combined one. The files are the ones :func:`markdown_to_docx` and
    :func:`letters_to_docx` gave through python-docx's ``save``, part for part."""

    def __init__(self) -> None:
        self.page = _Prepared()
        saved = io.BytesIO()
        self.page.doc.save(saved)
        others = io.BytesIO()  # every part but document.xml, compressed once
        with (
            zipfile.ZipFile(saved) as package,
            zipfile.ZipFile(others, "w", compression=zipfile.ZIP_DEFLATED) as copy_to,
        ):
            for info in package.infolist():
                if info.filename != DOCUMENT_PART:
                    copy_to.writestr(info, package.read(info))
        self.other_parts = others.getvalue()
        self.head, self.tail = self.page.head_and_tail()

    def body(self, text: str) -> bytes:
        """One letter's body content (document.xml between ``<w:body>`` and its section)."""
        self.page.clear()
        Writer(self.page.doc).write(text)
        return self.page.content()

    def letter(self, text: str, path: Path) -> None:
        """One letter as a 公文 page, as :func:`markdown_to_docx` writes it."""
        self.save(path, self.whole(self.body(text)))

    def whole(self, body: bytes) -> bytes:
        """document.xml of a file holding one letter's body."""
        return self.head + body + self.tail

    def save(self, path: Path, document: bytes) -> None:
        with self.package(path) as (package, name):
            package.writestr(name, document)

    @contextmanager
    def package(self, path: Path) -> Iterator[tuple[zipfile.ZipFile, zipfile.ZipInfo]]:
        """The package at ``path`` with every part but document.xml, which the caller
        writes (the same parts as python-docx saves; document.xml comes last)."""
        path.write_bytes(self.other_parts)
        with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as package:
            info = zipfile.ZipInfo(DOCUMENT_PART, date_time=time.localtime()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            yield package, info


class CombinedLetters:
    """Several letters in one file for printing in one go, written as they come: each
    starts on a new page (a section of its own) numbered from 1. Neither time nor memory
    grows with the whole file: each letter's body is streamed into document.xml."""

    def __init__(self, book: LetterBook, path: Path) -> None:
        self.sections = _Prepared()  # the section breaks, as python-docx adds them
        self.count = 0
        self._package = book.package(path)
        package, name = self._package.__enter__()
        self.stream = package.open(name, "w")
        self.stream.write(book.head)

    def add(self, body: bytes) -> None:
        if self.count:
            self.sections.clear()
            restart_numbering(self.sections.doc.add_section(WD_SECTION.NEW_PAGE))
            self.stream.write(self.sections.content())
        self.stream.write(body)
        self.count += 1

    def close(self) -> None:
        self.stream.write(self.sections.head_and_tail()[1])
        self.stream.close()
        self._package.__exit__(None, None, None)


def letters_to_docx(texts: Sequence[str], path: Path) -> None:
    """Several letters in one file for printing in one go: each starts on a new page and
    is numbered from 1."""
    book = LetterBook()
    combined = CombinedLetters(book, path)
    for text in texts:
        combined.add(book.body(text))
    combined.close()
