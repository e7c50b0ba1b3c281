"""The page of a Chinese official document (公文, GB/T 9704-2012) in python-docx.

A4; margins 37/35/28/26 mm (top/bottom/left/right), a 156 × 225 mm type area of 22 lines of
28 characters; title in 2号 (22 pt) 小标宋, text in 3号 (16 pt) 仿宋_GB2312; page numbers
「— 1 —」 in 4号 宋体 at the outer bottom (right on odd pages, left on even ones).

Fonts are named as offices have them installed; the font table gives each its nearest
fallback (``w:altName``: 仿宋 for 仿宋_GB2312, 小标宋 for 方正小标宋简体 …), the GB2312
character set and a generic family, so that Word and WPS substitute a font of the same
kind where the exact one is missing. ``Face.fallbacks`` lists the further stand-ins in
order (LibreOffice goes by the system's font substitution; see tests/fonts/fonts.conf).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree
from lxml.etree import _Element


@dataclass(frozen=True)
class Face:
    """A font as offices name it, with what to use where it is missing."""

    name: str
    fallbacks: tuple[str, ...]
    family: str  # the font table's generic family: roman (serif), swiss (sans), modern


TITLE = Face("方正小标宋简体", ("小标宋", "华文中宋", "宋体", "Noto Serif CJK SC"), "roman")
BODY = Face("仿宋_GB2312", ("仿宋", "FangSong", "华文仿宋", "Noto Serif CJK SC"), "roman")
HEI = Face("黑体", ("SimHei", "华文黑体", "Noto Sans CJK SC"), "swiss")
KAI = Face("楷体_GB2312", ("楷体", "KaiTi", "华文楷体", "Noto Serif CJK SC"), "roman")
SONG = Face("宋体", ("SimSun", "华文宋体", "Noto Serif CJK SC"), "roman")
FACES = (TITLE, BODY, HEI, KAI, SONG)

TITLE_SIZE = 22.0  # 2号
TEXT_SIZE = 16.0  # 3号
NUMBER_SIZE = 14.0  # 4号
TABLE_SIZE = 10.5  # 五号
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines
CHAR = Pt(TEXT_SIZE - 0.25)  # one character of text, for indents
CONDENSE = -5  # twentieths of a point between characters
RED = "FF0000"


def setup_page(doc: DocumentObject) -> None:
    """A4 with the 公文 margins, the 22 × 28 grid, default text font and page numbers."""
    section = doc.sections[0]
    _page(section)
    _defaults(doc)
    _font_table(doc)
    doc.settings.odd_and_even_pages_header_footer = True
    page_numbers(section)


def _page(section: Section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(21)
    # 22 lines of 28.95 pt (no snapping: the lines are exact, see _defaults)
    grid = parse_xml(f'<w:docGrid {nsdecls("w")} w:linePitch="579"/>')
    _insert(section._sectPr, grid, SECT_ORDER)


def _defaults(doc: DocumentObject) -> None:
    """Normal: 仿宋 3号, exact 28.95 pt lines, justified, no space after paragraphs."""
    normal = doc.styles["Normal"]
    normal.font.size = Pt(TEXT_SIZE)
    r_pr = normal.element.get_or_add_rPr()
    set_face(r_pr, BODY)
    # 28 characters to the 156 mm line: 16 pt characters set 0.25 pt closer (15.75 × 28)
    r_pr.insert_element_before(
        parse_xml(f'<w:spacing {nsdecls("w")} w:val="{CONDENSE}"/>'), *AFTER_SPACING
    )
    # Chinese text: fonts are substituted with their simplified-Chinese forms
    r_pr.insert_element_before(
        parse_xml(f'<w:lang {nsdecls("w")} w:val="zh-CN" w:eastAsia="zh-CN"/>'),
        "w:eastAsianLayout",
        "w:specVanish",
        "w:oMath",
    )
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = True
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if r_pr is not None:
            set_face(r_pr, BODY)
            size = r_pr.find(qn("w:sz"))
            if size is not None:
                size.set(qn("w:val"), str(int(TEXT_SIZE * 2)))
            lang = r_pr.find(qn("w:lang"))
            if lang is not None:
                lang.set(qn("w:eastAsia"), "zh-CN")


def set_face(r_pr: object, face: Face) -> None:
    """All four script slots of ``rPr`` to ``face`` (Latin digits in the same face)."""
    fonts = r_pr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face.name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _font_table(doc: DocumentObject) -> None:
    """Declare each face with its nearest fallback (``altName``), charset and family."""
    part = next(
        (p for p in doc.part.package.parts if str(p.partname) == "/word/fontTable.xml"), None
    )
    if part is None:
        return
    root = parse_xml(part.blob)
    for face in FACES:
        for old in root.findall(qn("w:font")):
            if old.get(qn("w:name")) == face.name:
                root.remove(old)
        font = parse_xml(
            f'<w:font {nsdecls("w")} w:name="{face.name}">'
            f'<w:altName w:val="{face.fallbacks[0]}"/>'
            f'<w:charset w:val="86"/><w:family w:val="{face.family}"/>'
            f'<w:pitch w:val="variable"/></w:font>'
        )
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def run(paragraph: Paragraph, text: str, face: Face, size: float, **style: object) -> Run:
    r = paragraph.add_run(text)
    r.font.size = Pt(size)
    r.font.bold = bool(style.get("bold", False))
    if style.get("colour"):
        r.font.color.rgb = RGBColor.from_string(str(style["colour"]))
    set_face(r._element.get_or_add_rPr(), face)
    return r


AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip
PARA_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
SECT_ORDER = (
    "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders",
    "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
    "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings",
)  # fmt: skip


def _insert(parent: _Element, child: _Element, order: tuple[str, ...]) -> None:
    """Insert ``child`` where the schema wants it: Word refuses elements out of order."""
    tag = str(child.tag)
    for old in parent.findall(tag):
        parent.remove(old)
    later = {qn(t) for t in order[order.index(_short(tag)) + 1 :]}
    for n, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(n, child)
            return
    parent.append(child)


def _short(tag: str) -> str:
    return "w:" + tag.rsplit("}", 1)[-1]


def off_grid(paragraph: Paragraph) -> None:
    """Lines of this paragraph keep their own height (tables, the red head)."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    _insert(paragraph._p.get_or_add_pPr(), snap, PARA_ORDER)


def bottom_rule(paragraph: Paragraph, colour: str = RED, width_eighths: int = 12) -> None:
    """A rule under the paragraph across the type area (the 红头's red separator)."""
    border = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="{width_eighths}" '
        f'w:space="11" w:color="{colour}"/></w:pBdr>'
    )
    _insert(paragraph._p.get_or_add_pPr(), border, PARA_ORDER)


def _number_paragraph(paragraph: Paragraph, odd: bool) -> None:
    """「— N —」 in 4号 宋体, one character in from the outer edge."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if odd:
        fmt.right_indent = Pt(NUMBER_SIZE)
    else:
        fmt.left_indent = Pt(NUMBER_SIZE)
    off_grid(paragraph)
    run(paragraph, "— ", SONG, NUMBER_SIZE)
    field = parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )
    number = field.find(qn("w:r"))
    template = paragraph.runs[0]._element.find(qn("w:rPr"))
    if number is not None and template is not None:
        number.insert(0, copy.deepcopy(template))
    paragraph._p.append(field)
    run(paragraph, " —", SONG, NUMBER_SIZE)


def page_numbers(section: Section) -> None:
    """Odd pages numbered at the bottom right, even pages at the bottom left."""
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        for r in list(paragraph.runs):
            r._element.getparent().remove(r._element)
        _number_paragraph(paragraph, odd)


def restart_numbering(section: Section) -> None:
    """Page 1 again from this section (each unit's letter in the combined feedback)."""
    number = OxmlElement("w:pgNumType")
    number.set(qn("w:start"), "1")
    _insert(section._sectPr, number, SECT_ORDER)


def text_width(text: str) -> float:
    """Width in characters of 3号 text: a Chinese character 1, a digit or letter ½."""
    if text.isascii():
        return len(text) / 2
    return len(text) - len(_NARROW.findall(text)) / 2


_NARROW = re.compile("[\x00-\u2e7f]")


_AFTER = ("关于", "年度", "科协", "学会", "所属")
_BEFORE = ("考核", "工作", "结果", "拟表彰", "表彰", "的通报", "的公示", "项目")
TITLE_CHARS = 20  # 2号 characters to the 156 mm line


def title_lines(title: str) -> list[str]:
    """A long title in two lines broken between words, the lines as even as possible
    (GB/T 9704: 词意完整，排列对称); one line when it fits, as it comes when nothing fits."""
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
