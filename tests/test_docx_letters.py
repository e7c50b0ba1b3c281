"""The feedback letters in Word written from one prepared document (LetterBook) are the
files a letter written on its own gives, part for part; the combined file holds every
letter in order, each a section of its own numbered from 1."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from kxassess.writing.docx import markdown_to_docx
from kxassess.writing.letters import LetterBook, letters_to_docx

LETTER = """# 2024年度学会考核结果反馈

甲学会：

现将你单位2024年度学会考核结果反馈如下。

- 单位编码：{code}
- 总分：**{total}**

## 二、指标得分

| 指标 | 内容 | 分值 | 得分 | 同组比较 |
|---|---|---|---|---|
| A1 | 组织建设\\*（目标：不少于 3 次） | 10 | 8.50 | 超过了 50% 的单位 |
| A2 | **学术** 活动 | 20 | 12.25 |  |
| A3 | 科普 | 5 | -1.5 | 超过了 100% 的单位 |

江苏省科学技术协会

2024年12月20日"""

NOTICE = """江苏省科学技术协会
苏科协〔2024〕1号

# 关于2024年度学会考核结果的通报

各学会：

正文一段。

附件：考核结果

江苏省科学技术协会

2024年12月20日

---

附件

# 考核结果

| 序号 | 单位 | 总分 |
|---|---|---|
| 1 | 甲学会 | 90.00 |
| 2 | 乙学会 | 85.50 |"""


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {i.filename: package.read(i) for i in package.infolist()}


def test_a_letter_from_the_book_is_the_letter_written_alone(tmp_path: Path) -> None:
    book = LetterBook()
    for n, text in enumerate((LETTER.format(code="S01", total="90.00"), NOTICE, LETTER)):
        alone, from_book = tmp_path / f"alone{n}.docx", tmp_path / f"book{n}.docx"
        markdown_to_docx(text, alone)
        book.letter(text, from_book)
        assert _parts(from_book) == _parts(alone)


def test_the_combined_file_holds_each_letter_in_its_own_section(tmp_path: Path) -> None:
    path = tmp_path / "全部单位反馈.docx"
    letters_to_docx(
        [LETTER.format(code=c, total=t) for c, t in (("S01", "90.00"), ("S02", "80.00"))]
        + [LETTER.format(code="S03", total="70.00")],
        path,
    )
    xml = _parts(path)["word/document.xml"].decode("utf-8")
    assert [m for m in re.findall(r"S0\d", xml)] == ["S01", "S02", "S03"]
    assert xml.count("<w:sectPr") == 3  # two breaks between the letters, the last section
    assert xml.count('<w:pgNumType w:start="1"/>') == 2  # letters 2 and 3 restart at 1
    assert xml.count("<w:footerReference") == 2  # the page numbers, odd and even, once
    assert xml.count("<w:body>") == 1 and xml.count("</w:body>") == 1
    assert xml.count("<w:tbl>") == 3
