"""The documents staff publish: 公示 (working days), 通报, feedback, Word renderings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import docx
import docx.document
import docx.text.paragraph
import pytest
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from kxassess import api
from kxassess.cli import app
from kxassess.issues import KxError
from kxassess.workdays import Calendar, load_holidays
from kxassess.writing.feedback import beats

from .conftest import CASES, ROOT

runner = CliRunner()
GOLDEN = CASES / "small-year" / "input.xlsx"


def _score(tmp_path: Path, **kw: object) -> dict[str, Path]:
    opts = api.ScoreOptions(out=tmp_path, date=dt.date(2024, 9, 27), **kw)  # type: ignore[arg-type]
    result = api.score(GOLDEN, opts)
    assert result.ok
    return {Path(p).name.rsplit("-", 1)[-1]: Path(p) for p in result.outputs}


@pytest.mark.parametrize(
    ("start", "days", "first", "last"),
    [
        # across National Day 2024: Sun 9-29 is a make-up workday, 10-1…10-7 are off
        ("2024-09-27", 5, "2024-09-27", "2024-10-09"),
        # Sat 2020-05-09 was a workday (调休)
        ("2020-05-06", 5, "2020-05-06", "2020-05-11"),
        # starting on a holiday moves to the next workday
        ("2024-10-01", 3, "2024-10-08", "2024-10-10"),
        ("2024-12-20", 5, "2024-12-20", "2024-12-26"),
    ],
)
def test_working_day_periods(start: str, days: int, first: str, last: str) -> None:
    got = Calendar().period(dt.date.fromisoformat(start), days)
    assert got == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))


def test_public_notice_text(tmp_path: Path) -> None:
    text = _score(tmp_path)["公示.md"].read_text(encoding="utf-8")
    assert text.startswith("# 关于2024年度江苏省科协所属学会高质量发展考核结果的公示")
    assert "公示期为2024年9月27日至2024年10月9日（5个工作日）" in text
    assert "以书面形式向江苏省科协学会部反映" in text
    assert "单位提出异议的，须在书面材料上加盖本单位公章" in text
    assert "个人提出异议的，须署真实姓名" in text
    assert "- **B等**：戊学会、己学会、庚学会" in text  # by unit code, not by score
    assert "三类" not in text.split("## 二")[0]  # no empty tier listed
    annex = text.split("\n---\n")[1]
    header = "| 序号 | 单位编码 | 单位名称 | 类别 | 拟定考核结果 | 拟表扬 | 拟调整类别 | 备注 |"
    assert header in annex


def test_public_notice_options(tmp_path: Path) -> None:
    text = _score(
        tmp_path,
        notice_start=dt.date(2024, 12, 2),
        notice_days=7,
        contact="王老师",
        phone="025-83300000",
    )["公示.md"].read_text(encoding="utf-8")
    assert "公示期为2024年12月2日至2024年12月10日（7个工作日）" in text
    assert "联系人：王老师　联系电话：025-83300000" in text


def test_unknown_year_fails_loudly_unless_holidays_given(tmp_path: Path) -> None:
    args = ["score", str(GOLDEN), "--out", str(tmp_path / "o"), "--date", "2027-03-01"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "没有2027年的数据" in result.stderr and "--holidays" in result.stderr
    assert not list((tmp_path / "o").glob("*结果.xlsx"))  # nothing half-written
    holidays = tmp_path / "2027.yaml"
    holidays.write_text(
        "years: [2027]\nholidays: [2027-03-02]\nworkdays: [2027-03-06]\n", encoding="utf-8"
    )
    ok = runner.invoke(app, [*args, "--holidays", str(holidays)])
    assert ok.exit_code == 0, ok.output
    text = next((tmp_path / "o").glob("*公示.md")).read_text(encoding="utf-8")
    # 3-1 Mon, (3-2 off), 3-3, 3-4, 3-5, Sat 3-6 make-up workday
    assert "公示期为2027年3月1日至2027年3月6日（5个工作日）" in text


def test_bad_holiday_file(tmp_path: Path) -> None:
    bad = tmp_path / "h.yaml"
    bad.write_text("years: [2027]\nholidays: [someday]\n", encoding="utf-8")
    with pytest.raises(KxError, match="不是日期"):
        load_holidays(bad)


def _body(document: docx.document.Document) -> list[docx.text.paragraph.Paragraph]:
    return [p for p in document.paragraphs if p.text]


def test_word_documents_are_laid_out_as_official_documents(tmp_path: Path) -> None:
    outputs = _score(tmp_path)
    for name, date in (("结果通报.docx", "2024年10月10日"), ("公示.docx", "2024年9月27日")):
        document = docx.Document(str(outputs[name]))
        section = document.sections[0]
        # GB/T 9704: A4, margins 37/35/28/26 mm
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        margins = (section.top_margin, section.bottom_margin)
        margins += (section.left_margin, section.right_margin)
        assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
        # 「— N —」: a PAGE field on odd (right) and even (left) pages
        assert document.settings.odd_and_even_pages_header_footer
        for footer, side in ((section.footer, 2), (section.even_page_footer, 0)):
            number = footer.paragraphs[0]
            assert 'w:instr=" PAGE "' in number._p.xml
            assert number.text == "—  —" and number.alignment == side  # the field between
        paragraphs = _body(document)
        title = paragraphs[0]
        assert title.text.replace("\n", "").startswith("关于2024年度")
        assert title.alignment == 1 and title.runs[0].font.size.pt == 22
        fonts = title.runs[0]._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
        body = next(p for p in paragraphs if p.text.startswith("根据"))
        assert body.paragraph_format.first_line_indent.pt == pytest.approx(31.5)
        assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
        issuer, dated = _signature(paragraphs)
        assert (issuer.text, dated.text) == ("江苏省科学技术协会", date)
        assert issuer.alignment == dated.alignment == 2  # right
        assert issuer.paragraph_format.keep_with_next  # the 落款 stays with its date
        before = paragraphs[paragraphs.index(issuer) - 1]
        assert before.text.startswith("附件：") and before.paragraph_format.keep_with_next
        # the 附件: a table by unit code with the header repeated on every page
        table = document.tables[-1]
        header = table.rows[0]
        assert [c.text for c in header.cells[:3]] == ["序号", "单位编码", "单位名称"]
        assert "w:tblHeader" in header._tr.xml
        assert [r.cells[1].text for r in table.rows[1:]] == [f"S{n:02d}" for n in range(1, 12)]
        assert "\\" not in "".join(p.text for p in paragraphs)  # Markdown escapes removed
    notice = _body(docx.Document(str(outputs["结果通报.docx"])))
    assert notice[1].text == "各省级学会："  # 主送: flush left
    assert not notice[1].paragraph_format.first_line_indent


def _signature(paragraphs: list) -> tuple:  # type: ignore[type-arg]
    """落款 and date of the 通报: the two paragraphs before the page of the 附件."""
    at = next(i for i, p in enumerate(paragraphs) if p.text == "附件")
    return paragraphs[at - 2], paragraphs[at - 1]


def test_red_head_and_document_number(tmp_path: Path) -> None:
    outputs = _score(tmp_path, doc_number="苏科协发〔2024〕12号", notice_date=dt.date(2024, 10, 15))
    text = outputs["结果通报.md"].read_text(encoding="utf-8")
    assert text.startswith("江苏省科学技术协会\n苏科协发〔2024〕12号\n\n# 关于")
    assert "\n2024年10月15日\n" in text  # --notice-date wins over the computed date
    paragraphs = _body(docx.Document(str(outputs["结果通报.docx"])))
    organ, number = paragraphs[0], paragraphs[1]
    assert organ.text == "江苏省科学技术协会" and organ.alignment == 1
    assert str(organ.runs[0].font.color.rgb) == "FF0000"  # the 红头 is red
    assert number.text == "苏科协发〔2024〕12号"
    assert 'w:color="FF0000"' in number._p.pPr.xml  # over the red rule
    assert paragraphs[2].text.startswith("关于2024年度")


def test_feedback_documents(tmp_path: Path) -> None:
    outputs = _score(tmp_path)
    folder = next(p for p in outputs.values() if p.name == "S05-戊学会.md").parent
    assert folder.name == "js-2024-society-2024-反馈"
    text = (folder / "S05-戊学会.md").read_text(encoding="utf-8")
    assert "- 排名：第3名（二类，共7家）" in text and "- 等级：B" in text
    # A1: the other six of 二类 scored 18, 16, 15, 15, 10, 8 → 2 of 6 lower → 33%
    assert "| A1 |" in text and "超过了 33% 的单位" in text
    assert "超过了 67% 的单位" in text  # B1: 15.5 beats 15, 15, 10, 8
    absent = (folder / "S10-癸学会.md").read_text(encoding="utf-8")
    assert "- 考核状态：无故未参加" in absent and "下年度：四类" in absent


def test_beats_rounding() -> None:
    assert beats(10, [1, 2, 20]) == 67  # type: ignore[arg-type]
    assert beats(10, []) is None  # type: ignore[arg-type]
    assert beats(10, [10, 10]) == 0  # type: ignore[arg-type]


def test_lyg_feedback_shows_targets(tmp_path: Path) -> None:
    result = api.score(
        ROOT / "sample_data" / "lyg-2018.xlsx",
        api.ScoreOptions(out=tmp_path, date=dt.date(2018, 12, 28)),
    )
    feedback = next(Path(p) for p in result.outputs if p.endswith("东海县.md"))
    text = feedback.read_text(encoding="utf-8")
    assert "目标：组织开展学术交流活动不少于6场次" in text
    assert "目标：开展科普宣传进基层活动（按有无科普大篷车）不少于30场次" in text
    lianyun = next(Path(p) for p in result.outputs if p.endswith("连云区.md"))
    assert "不少于12场次" in lianyun.read_text(encoding="utf-8")


def test_custom_templates_folder(tmp_path: Path) -> None:
    mine = tmp_path / "tpl"
    mine.mkdir()
    for f in (ROOT / "templates").iterdir():
        (mine / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (mine / "结果通报.md.j2").write_text("自定义通报：{{ scheme.title }}\n", encoding="utf-8")
    outputs = _score(tmp_path / "o", templates=mine)
    assert (
        outputs["结果通报.md"].read_text(encoding="utf-8")
        == "自定义通报：江苏省科协所属学会高质量发展考核\n"
    )
    (mine / "结果通报.md.j2").write_text("{{ nonexistent.value }}", encoding="utf-8")
    broken = runner.invoke(
        app, ["score", str(GOLDEN), "--out", str(tmp_path / "b"), "--templates", str(mine)]
    )
    assert broken.exit_code == 1 and "结果通报.md.j2" in broken.stderr


@given(
    st.lists(
        st.sampled_from([Decimal(v) for v in ("0", "5", "5.5", "10", "12.25", "20")]),
        min_size=1,
        max_size=30,
    )
)
def test_fast_peer_comparison_agrees_with_definition(scores: list[Decimal]) -> None:
    from kxassess.result import Status, UnitResult
    from kxassess.writing.feedback import Peers

    units = [
        UnitResult(
            code=f"U{n}",
            name="",
            tier=None,
            group="g",
            status=Status.SCORED,
            total=s,
            components={},
            rank=1,
            grade=None,
            move=None,
            next_tier=None,
            indicators={"A1": s},
        )
        for n, s in enumerate(scores)
    ]
    peers = Peers.of(units)
    for n, u in enumerate(units):
        others = scores[:n] + scores[n + 1 :]
        assert peers.beats(u, "A1", scores[n]) == beats(scores[n], others)


def _case_notice(tmp_path: Path, case: str, date: dt.date, kind: str = "结果通报.md") -> str:
    result = api.score(CASES / case / "input.xlsx", api.ScoreOptions(out=tmp_path, date=date))
    assert result.ok
    return next(Path(p) for p in result.outputs if p.endswith(kind)).read_text(encoding="utf-8")


def test_absent_two_years_running_is_told_in_the_notice() -> None:
    from kxassess.result import ScoreResult, Status, UnitResult
    from kxassess.scheme import load_builtin
    from kxassess.writing.notices import render_results_notice

    def absent(code: str, name: str, flags: tuple[str, ...]) -> UnitResult:
        return UnitResult(code, name, "三类", "三类", Status.ABSENT, None, None, None, None,
                          "absent", "四类", flags=flags)  # fmt: skip

    units = (
        absent("S01", "甲学会", ("suspend_capacity_projects",)),
        absent("S02", "乙学会", ("suspend_capacity_projects", "suspend_all_projects", "expel")),
    )
    result = ScoreResult(load_builtin("js-2024-society"), 2024, units, ())
    text = render_results_notice(result, dt.date(2024, 12, 27))
    assert (
        "- 无故未参加考核（不评定等级，下年度列入四类，暂停申报能力提升计划项目）：甲学会、乙学会"
        in text
    )
    assert "- 连续两年无故未参加考核（暂停申报所有项目，责令退出团体会员）：乙学会" in text
    assert "| 2 | S02 | 乙学会 | 三类 | 无故未参加 | 下年度列入四类 | " in text
    assert "责令退出团体会员 |" in text  # and in the 附件's 备注


def test_no_praise_for_honours_nobody_was_given(tmp_path: Path) -> None:
    js = _score(tmp_path / "js")["结果通报.md"].read_text(encoding="utf-8")
    assert "希望受到表扬的单位珍惜荣誉" in js  # 一流学会, 争先进位学会 were given
    for case, date in (
        ("cq-county", dt.date(2021, 1, 15)),
        ("star-society", dt.date(2015, 12, 21)),
    ):
        text = _case_notice(tmp_path / case, case, date)
        assert "表扬" not in text and "珍惜荣誉" not in text
        assert "各单位要对照考核指标查找差距" in text


def test_star_notice_gives_the_rewards(tmp_path: Path) -> None:
    text = _case_notice(tmp_path, "star-society", dt.date(2015, 12, 21))
    # rewards of the star scheme: ★★★★★ 50000, ★★★★ 30000, ★★★ 20000 元
    assert "- **★★★★★**（1家，每家以奖代补5万元）：市机械工程学会" in text
    assert "- **★★★★**（2家，每家以奖代补3万元）：市电子学会、市化工学会" in text
    assert "| 4 | X4 | 市土木学会 | ★★★ | 2万元 |" in text
    # 公示 from Mon 2015-12-21, 5 working days to Fri 12-25: the 通报 on Mon 12-28
    assert "\n2015年12月28日\n" in text


def test_project_notice_reasons_without_a_doubled_colon(tmp_path: Path) -> None:
    text = _case_notice(tmp_path, "sz-capacity", dt.date(2022, 12, 20))
    lines = [line for line in text.splitlines() if "须" in line and line.startswith("- ")]
    assert lines and all("：须" not in line for line in lines)
    assert (
        "- A04　苏州市土木建筑学会：综合示范学会（须获评3A级以上（含）社会组织且在有效期内）"
        in lines
    )


def test_contact_warning_only_when_missing(tmp_path: Path) -> None:
    result = api.score(
        GOLDEN, api.ScoreOptions(out=tmp_path, date=dt.date(2024, 9, 27), contact="王老师")
    )
    warned = [i for i in result.issues if i.code == "notice-no-contact"]
    assert [i.message for i in warned] == ["公示没有联系电话：对公示有异议的单位和个人无从联系"]
    full = api.score(
        GOLDEN,
        api.ScoreOptions(out=tmp_path, date=dt.date(2024, 9, 27), contact="王老师", phone="1"),
    )
    assert not [i for i in full.issues if i.code == "notice-no-contact"]


def test_caps_are_mentioned_only_when_they_bit(tmp_path: Path) -> None:
    result = api.score(
        CASES / "cq-county" / "input.xlsx",
        api.ScoreOptions(out=tmp_path, date=dt.date(2021, 1, 15)),
    )
    letters = {Path(p).stem: Path(p) for p in result.outputs if p.endswith(".md")}
    d1 = letters["D1-万州区科协"].read_text(encoding="utf-8")
    # 加1b ×2 = 4 capped at 3 per item, 加2a ×1 = 1: 4 counted of 5
    assert "加分合计 4.00（已按上限计，未计上限为 5.00），扣分合计 2.00。" in d1
    d3 = letters["D3-渝中区科协"].read_text(encoding="utf-8")
    assert "加分合计 0.00，扣分合计 0.00。" in d3 and "上限" not in d3
    word = letters["D1-万州区科协"].with_suffix(".docx")
    paragraphs = [p.text for p in docx.Document(str(word)).paragraphs if p.text]
    assert paragraphs[1] == "万州区科协：" and paragraphs[-1] == "2021年1月22日"
    assert paragraphs[-2] == "重庆市科学技术协会"


def test_cli_notice_date_and_document_number(tmp_path: Path) -> None:
    args = ["score", str(GOLDEN), "--out", str(tmp_path), "--date", "2024-09-27", "--no-registry"]
    done = runner.invoke(
        app, [*args, "--notice-date", "2024-10-15", "--doc-number", "苏科协发〔2024〕7号"]
    )
    assert done.exit_code == 0, done.output
    text = next(tmp_path.glob("*结果通报.md")).read_text(encoding="utf-8")
    assert text.startswith("江苏省科学技术协会\n苏科协发〔2024〕7号\n")
    assert "\n2024年10月15日\n" in text
    letter = next(tmp_path.glob("*反馈/S05-*.md")).read_text(encoding="utf-8")
    assert letter.rstrip().endswith("江苏省科学技术协会\n\n2024年10月15日")
    public = next(tmp_path.glob("*公示.md")).read_text(encoding="utf-8")
    assert "\n2024年9月27日\n" in public  # the 公示 keeps --date
    bad = runner.invoke(app, [*args, "--notice-date", "2024-13-01"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
