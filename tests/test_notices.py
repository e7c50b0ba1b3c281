"""The documents staff publish: 公示 (working days), 通报, feedback, Word renderings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import docx
import pytest
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
    assert "没有 2027 年的数据" in result.stderr and "--holidays" in result.stderr
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


def test_word_documents_read_back(tmp_path: Path) -> None:
    outputs = _score(tmp_path)
    for name in ("结果通报.docx", "公示.docx"):
        paragraphs = [p for p in docx.Document(str(outputs[name])).paragraphs if p.text]
        assert paragraphs[0].text.startswith("关于2024年度")
        assert paragraphs[0].alignment == 1  # centred title
        assert paragraphs[-1].text == "2024年9月27日" and paragraphs[-1].alignment == 2
        assert any(
            p.text == "B等：戊学会、己学会、庚学会" or "戊学会、己学会、庚学会" in p.text
            for p in paragraphs
        )
        assert "\\" not in "".join(p.text for p in paragraphs)  # Markdown escapes removed


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
