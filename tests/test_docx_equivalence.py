"""The Word bodies joined from text (kxassess.writing.docx) are byte for byte what the
python-docx writer they replace gives (tests/docx_reference.py, kept unchanged as the
reference): for every notice and letter the templates make of the sample years, for
hand-made texts at the edges of the Markdown subset, and for random ones. The whole
files are compared part for part with python-docx's own ``save``."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kxassess import api
from kxassess.writing.docx import Writer, markdown_to_docx
from kxassess.writing.letters import letters_to_docx

from . import docx_reference as reference
from .conftest import ROOT

SAMPLES = ("2024.xlsx", "lyg-2018.xlsx", "sz-2022.xlsx", "cq-2020-society.xlsx", "star-2015.xlsx")
LETTERS_PER_SAMPLE = 12


def _same(text: str) -> None:
    """The new body is the reference's, or both refuse the text alike."""
    try:
        expected = reference.body_xml(text)
    except ValueError:
        with pytest.raises(ValueError):
            Writer().write(text)
        return
    assert Writer().write(text).encode("utf-8") == expected


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None  # every part's CRC holds
        return {i.filename: package.read(i) for i in package.infolist()}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """Every Markdown file the templates make of the sample years (some letters of each),
    with and without a 文号 (and so with and without the 红头)."""
    texts = []
    for sample in SAMPLES:
        for number in (None, "苏科协发〔2024〕12号"):
            out = tmp_path_factory.mktemp("out")
            options = api.ScoreOptions(
                out=out, date=dt.date(2024, 12, 20), doc_number=number, registry=None
            )
            result = api.score(ROOT / "sample_data" / sample, options)
            assert result.ok, sample
            notices = sorted(out.glob("*.md"))
            letters = sorted(out.glob("*-反馈/*.md"))[: LETTERS_PER_SAMPLE if number else 3]
            texts += [
                (f"{sample} {p.relative_to(out)}", p.read_text("utf-8")) for p in notices + letters
            ]
    return texts


def test_every_template_on_the_samples(rendered: list[tuple[str, str]]) -> None:
    names = " ".join(name for name, _ in rendered)
    for kind in ("结果通报", "公示", "问题清单", "反馈"):
        assert kind in names  # the corpus holds every kind of text
    assert any(line.startswith("苏科协发") for _, t in rendered for line in t.splitlines())
    for name, text in rendered:
        assert Writer().write(text).encode("utf-8") == reference.body_xml(text), name


EDGES = {
    "empty": "",
    "blank lines": "\n\n   \n",
    "no title": "一段正文。\n\n第二段。\n\n落款单位\n\n2024年12月20日",
    "one line": "# 只有标题",
    "title and two lines": "# 标题\n\n甲\n\n乙",
    "long title": "# 关于2024年度江苏省科协所属全国学会和省级学会高质量发展考核结果的通报\n\n正文",
    "title that does not break": "# " + "长" * 45 + "\n\n正文",
    "red head alone": "江苏省科学技术协会\n\n# 通报\n\n各学会：\n\n正文。\n\n科协\n\n2024年1月2日",
    "red head with more lines": "机关\n文号〔2024〕1号\n多余的一行\n# 标题\n\n正文",
    "bold and escapes": (
        "# **加粗**标题\\*\n\n主送单位：\n\n**全加粗**\n\n前**中**后**再**尾\n\n"
        "\\*\\*不是加粗\\*\\* \\_x\\_ \\[链接\\](y) \\<b\\> \\# \\+ \\! \\| \\~ \\` \\\\\n\n"
        "未闭合的**加粗\n\n****\n\n落款\n\n日期"
    ),
    "markup characters": (
        "# <标题> & \"引号\" '单引号'\n\n"
        "a < b && c > d \"q\" 'r' &amp; &#10; ]]> <![CDATA[x]]>\n\n"
        "| <a> | & | \"b\" |\n|---|---|---|\n| 'c' | <![CDATA[ | &lt; |"
    ),
    "tabs and spaces": (
        "# 标\t题\n\n  两个空格开头\n\n\t制表符开头\n\n中间\t\t两个制表符\n\n"
        "全角空格\u3000\n\n\u3000全角开头\n\n不间断空格\u00a0结尾\u00a0\n\n"
        "| \t甲\t | 乙\t丙 |\n|---|---|\n|  前后空格  | \u3000 |"
    ),
    "control characters on blank lines": (
        "# 标题\n\n\x1f\n\n正文\x1c分行\x0b再分\x0c\u2028\u2029\x85\n\n尾"
    ),
    "a control character in a run": "# 标题\n\n正文\x01有控制字符",
    "a control character in a head line not shown": "机关\n文号\n多\x02余\n# 标题\n\n正文",
    "a NUL in a cell": "| 甲 | 乙\x00 |\n|---|---|\n| 1 | 2 |",
    "headings and items": (
        "# 标题\n\n各单位：\n\n## 一、黑体\n\n### （一）楷体\n\n- 项目一\n- **项目二**\n"
        "-不是项目\n\n## 结尾标题\n\n落款\n\n日期"
    ),
    "主送 too long": "# 标题\n\n" + "很长的主送单位名称" * 8 + "：\n\n正文",
    "主送 not right after the title": "# 标题\n\n正文\n\n各学会：\n\n落款\n\n日期",
    "附件说明": (
        "# 标题\n\n正文一段。\n\n附件：1. 考核结果\n\n附件：2. 另一个\n\n"
        "| 表 |\n|---|\n| 1 |\n\n附件：3. 表后\n\n落款\n\n日期"
    ),
    "附件说明 first": "# 标题\n\n附件：没有前文\n\n落款\n\n日期",
    "annexes": (
        "# 标题\n\n正文\n\n附件：结果\n\n落款\n\n2024年12月20日\n\n---\n\n附件1\n\n# 附件标题\n\n"
        "说明文字\n\n| 序号 | 单位 | 总分 | 比例 |\n|:---|:---:|---:|---|\n"
        "| 1 | 甲学会 | 90.00 | 50% |\n| 2 | 乙 | -1.5 | 12 |\n| 3 | 丙 | 1e5 | 0.5% |\n\n"
        "---\n\n附件2\n\n## 小标题\n\n### 再小\n\n附件：里的说明\n\n| 只有表头 |\n|---|"
    ),
    "rule alone": "---",
    "rules only": "---\n---\n\n---",
    "a table as the last thing": "# 标题\n\n正文\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |",
    "a table alone": "| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n| 3 |",
    "ragged and empty cells": (
        "| 甲 | | 丙 |\n|---|---|---|\n| | | |\n| 1 |\n| 1 | 2 | 3 | 4 |\n||\n"
        "| \\| | a\\|b | **粗** |"
    ),
    "a rule row only": "# 标题\n\n|---|---|\n\n正文",
    "tables side by side": "| a |\n|---|\n| 1 |\n\n| b | c |\n|---|---|\n| 2 | 3 |",
    "a long table": "| 序号 | 单位 | 分 |\n|---|---|---|\n"
    + "".join(f"| {n} | 第{n}学会{'长' * (n % 40)} | {n * 1.25:.2f} |\n" for n in range(1, 120)),
    "signature in bold": "# 标题\n\n正文\n\n**落款**\n\n\\*日期\\*",
    "signature widths": "# 标题\n\n正文\n\n很长很长很长很长很长的落款单位名称\n\n2024年1月1日",
    "windows line ends": (
        "# 标题\r\n\r\n正文\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n\r\n落款\r\n\r\n日期\r\n"
    ),
    "astral characters": "# 𠀀标题😀\n\n正文𝄞\n\n| 𠀀 | 😀 |\n|---|---|\n| 1 | 2 |",
}


@pytest.mark.parametrize("name", list(EDGES))
def test_edges_of_the_markdown(name: str) -> None:
    _same(EDGES[name])


def test_a_control_character_is_refused_alike() -> None:
    with pytest.raises(ValueError):
        reference.body_xml(EDGES["a control character in a run"])
    with pytest.raises(ValueError):
        Writer().write(EDGES["a control character in a run"])
    _same(EDGES["a control character in a head line not shown"])  # never written: no error
    Writer().write(EDGES["a control character in a head line not shown"])


_WORDS = st.sampled_from(
    ["学会", "考核", "A1", "90.00", "-1.5", "50%", " ", "\t", "**", "\\*", "\\|", "|", "<",
     "&", ">", "\"", "'", "：", "附件", "\u3000", "\x01", "# ", "## ", "- ", "---", "附件：",
     "科协"]
)  # fmt: skip
_LINE = st.lists(_WORDS, max_size=8).map("".join)
_TABLE = st.lists(
    st.lists(st.lists(_WORDS, max_size=3).map("".join), min_size=1, max_size=4), max_size=4
).map(lambda rows: "\n".join("| " + " | ".join(r) + " |" for r in rows))
_TEXT = st.lists(st.one_of(_LINE, _LINE, _TABLE, st.just("")), max_size=14).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_random_texts(text: str) -> None:
    _same(text)


def test_a_notice_file_is_the_python_docx_file(
    tmp_path: Path, rendered: list[tuple[str, str]]
) -> None:
    """The whole file, part for part, as python-docx's ``save`` gives it."""
    texts = [t for name, t in rendered if "公示" in name or "结果通报" in name][:2]
    texts += [EDGES["annexes"], EDGES["empty"], EDGES["tabs and spaces"]]
    for n, text in enumerate(texts):
        new, old = tmp_path / f"new{n}.docx", tmp_path / f"old{n}.docx"
        markdown_to_docx(text, new)
        reference.markdown_to_docx(text, old)
        assert _parts(new) == _parts(old)


def test_the_combined_file_is_the_python_docx_file(
    tmp_path: Path, rendered: list[tuple[str, str]]
) -> None:
    """Letters streamed into one file, part for part, as python-docx builds them whole,
    each a section of its own numbered from 1."""
    letters = [t for name, t in rendered if name.startswith("2024.xlsx") and "反馈" in name]
    for texts in ([], letters[:1], letters[:2], [*letters[:4], EDGES["annexes"], EDGES["empty"]]):
        new, old = tmp_path / "new.docx", tmp_path / "old.docx"
        letters_to_docx(texts, new)
        reference.letters_to_docx(texts, old)
        assert _parts(new) == _parts(old)
