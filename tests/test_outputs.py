"""The results workbook and the 通报, read back."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from kxassess import api

from .conftest import CASES, js_year

NOTICE = "《2024年度省科协所属学会高质量发展考核实施办法》"


@pytest.fixture(scope="module")
def golden_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    result = api.score(
        CASES / "small-year" / "input.xlsx", api.ScoreOptions(out=out, date=dt.date(2024, 12, 20))
    )
    assert result.ok
    return {Path(p).name.rsplit("-", 1)[-1]: Path(p) for p in result.outputs}


def test_workbook_sheets_and_summary(golden_outputs: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(golden_outputs["结果.xlsx"])
    assert wb.sheetnames == [
        "汇总",
        "一类",
        "二类",
        "三类",
        "四类",
        "统计",
        "指标明细",
        "专家评分",
        "评委分析",
        "问题清单",
        "运行信息",
    ]
    ws = wb["汇总"]
    header = [c.value for c in ws[1]]
    assert header[:7] == ["分组", "排名", "单位编码", "单位名称", "类别", "状态", "总分"]
    assert ws.freeze_panes == "A2"
    rows = {r[2]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    s08 = rows["S08"]
    assert s08[6] == pytest.approx(51.67) and s08[header.index("等级")] == "C"
    assert ws.cell(row=2, column=7).number_format == "0.00"
    s10 = rows["S10"]
    assert s10[5] == "无故未参加" and s10[6] is None and s10[header.index("下年度类别")] == "四类"
    assert s10[header.index("标记")] == "暂停申报能力提升计划项目"
    grade_col = chr(ord("A") + header.index("等级"))
    coloured = {str(cf.sqref) for cf in ws.conditional_formatting}
    assert coloured == {f"{grade_col}2:{grade_col}12"}  # the 11 units, header excluded
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$1"


def test_workbook_detail_issues_and_run(golden_outputs: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(golden_outputs["结果.xlsx"])
    detail = wb["指标明细"]
    assert [c.value for c in detail[2]][:4] == ["满分", None, None, 20]
    s05 = next(r for r in detail.iter_rows(min_row=3, values_only=True) if r[0] == "S05")
    assert s05[3:8] == (15, 15, 15, 15, 15) and s05[8] == pytest.approx(15.5)
    judges = list(wb["专家评分"].iter_rows(min_row=2, values_only=True))
    assert len(judges) == 18  # 2 judges × 9 scored units
    issues = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    assert issues == [
        (
            "提示",
            "month-blank",
            "input.xlsx!学会网月报!H2",
            "S01 甲学会 的 7月 未填分数：按本方案规定计 0 分",
        ),
        (
            "提示",
            "month-blank",
            "input.xlsx!学会网月报!E9",
            "S08 辛学会 的 4月、10月 未填分数：按本方案规定计 0 分",
        ),
        (
            "提示",
            "no-row",
            "input.xlsx!学会网月报",
            "S09 壬学会 在本表中没有数据行：各月均按 0 分计",
        ),
        (
            "提示",
            "move-rounds-zero",
            "input.xlsx!考核对象",
            "一类：「C」等次只有 1 个单位，按 1/3 计算降类名额为 0 个，本组无降类",
        ),
        (
            "提示",
            "honour-target",
            "js-2024-society",
            f"一流学会：认定 1 家，与{NOTICE}确定的目标 20 家不同",
        ),
        (
            "提示",
            "honour-target",
            "js-2024-society",
            f"争先进位学会：认定 1 家，与{NOTICE}确定的目标 10 家不同",
        ),
        (
            "提示",
            "notice-no-contact",
            "js-2024-society!公示",
            "公示没有联系人和联系电话：对公示有异议的单位和个人无从联系",
        ),
    ]
    run = {r[0]: r[1:] for r in wb["运行信息"].iter_rows(min_row=2, values_only=True)}
    assert run["方案"][0] == "js-2024-society"
    assert run["输入文件"][0].endswith("input.xlsx") and len(run["输入文件"][1]) == 64


def test_notice_text(golden_outputs: dict[str, Path]) -> None:
    text = golden_outputs["结果通报.md"].read_text(encoding="utf-8")
    assert text.startswith("# 关于2024年度江苏省科协所属学会高质量发展考核结果的通报")
    assert "《2024年度省科协所属学会高质量发展考核实施办法》" in text
    # names ordered by unit code, not by score (S05 84.40 ranks above S06, S07 — same here)
    assert "- **B等**（3家）：戊学会、己学会、庚学会" in text
    assert "- **A等**（2家）：丙学会、丁学会" in text
    assert "- **一流学会**（1家）：甲学会" in text  # 乙学会 is C (后位30% of 2 units)
    assert "- **争先进位学会**（1家）：丙学会" in text
    assert "- 升类（1家）：丙学会（二类→一类）" in text
    assert "- 降类（1家）：壬学会（二类→三类）" in text
    assert "无故未参加考核（不评定等级，下年度列入四类，暂停申报能力提升计划项目）：癸学会" in text
    assert "请假（不评定等级，类别不变）：子学会" in text
    # 公示 from Fri 2024-12-20, 5 working days to Thu 12-26: the 通报 follows on Fri 12-27
    body, annex = text.split("\n---\n")
    assert body.rstrip().endswith("江苏省科学技术协会\n\n2024年12月27日")
    assert "| 序号 | 单位编码 | 单位名称 | 类别 | 考核结果 | 表扬 | 类别调整 | 备注 |" in annex
    assert "| 3 | S03 | 丙学会 | 二类 | A等 | 争先进位学会 | 升类（二类→一类） |  |" in annex


def test_text_from_inputs_is_never_a_formula_or_markup(
    make_book: Callable[..., Path], tmp_path: Path
) -> None:
    units = [("U1", '=HYPERLINK("http://x","点")', "一类", ""), ("U2", "*星*学会", "一类", "")]
    full = [15] * 10 + [5, 5, 5]
    result = api.score(
        make_book(js_year(units, {"U1": full, "U2": full})), api.ScoreOptions(out=tmp_path)
    )
    assert result.ok
    xlsx = next(Path(p) for p in result.outputs if p.endswith(".xlsx"))
    ws = openpyxl.load_workbook(xlsx)["汇总"]
    cell = next(r[3] for r in ws.iter_rows(min_row=2) if r[2].value == "U1")
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    notice = next(Path(p) for p in result.outputs if p.endswith("通报.md")).read_text("utf-8")
    assert "\\*星\\*学会" in notice


def test_numbers_published_with_two_decimals(golden_outputs: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(golden_outputs["结果.xlsx"])
    totals = [r[6] for r in wb["汇总"].iter_rows(min_row=2, values_only=True) if r[6] is not None]
    assert all(Decimal(str(t)) == Decimal(str(t)).quantize(Decimal("0.01")) for t in totals)


def test_workbook_charts_footer_and_filters(golden_outputs: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(golden_outputs["结果.xlsx"])
    stats = wb["统计"]
    rows = [r[:3] for r in stats.iter_rows(values_only=True)]
    # totals 38.00 … 104.00 in 10-point bins; columns: one per tier that has scored units
    # (below the grades: the honours against the notice's targets)
    assert rows[0] == ("总分区间", "一类", "二类")
    assert rows[1] == ("30–40", 0, 1) and rows[-5] == ("C", 1, 2)
    assert rows[-2:] == [("一流学会", 1, 20), ("争先进位学会", 1, 10)]
    assert ("A", 1, 2) in rows and ("B", 0, 3) in rows
    assert len(stats._charts) == 2
    summary = wb["汇总"]
    assert summary.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert summary.auto_filter.ref is not None and summary.auto_filter.ref.startswith("A1:")
    assert summary.sheet_properties.pageSetUpPr.fitToPage
    assert int(summary.page_setup.paperSize) == 9  # A4


def test_self_and_ledger_sheets(tmp_path: Path) -> None:
    result = api.score(
        CASES / "cq-county" / "input.xlsx",
        api.ScoreOptions(out=tmp_path, date=dt.date(2021, 1, 15)),
    )
    wb = openpyxl.load_workbook(next(p for p in result.outputs if p.endswith(".xlsx")))
    assert "自评对比" in wb.sheetnames and "加减分与否决" in wb.sheetnames
    self_rows = list(wb["自评对比"].iter_rows(min_row=2, values_only=True))
    assert ("D6", "沙坪坝区科协", "1.1", 10, 10, 7, 3) in self_rows
    ledger = list(wb["加减分与否决"].iter_rows(min_row=2, values_only=True))
    assert (
        "D1",
        "万州区科协",
        "加分",
        "加1b",
        "单位或个人获得市科协表彰、中国科协表彰 中国科协表彰 加2分/次",
        2,
        4,
        None,
    ) in ledger
    assert ("D8", "南岸区科协", "否决", None, "党风廉政问题", None, None, "不予考核") in ledger
    header = [c.value for c in wb["汇总"][1]]
    d1 = next(r for r in wb["汇总"].iter_rows(min_row=2, values_only=True) if r[2] == "D1")
    assert d1[header.index("加分")] == 4 and d1[header.index("扣分")] == 2


def test_unit_names_never_steer_paths(make_book: Callable[..., Path], tmp_path: Path) -> None:
    full = [15] * 10 + [5, 5, 5]
    units = [("U1", "../../逃逸/学会", "一类", ""), ("U2", "C:\\\\temp\\\\x:*?学会", "一类", "")]
    out = tmp_path / "out"
    result = api.score(
        make_book(js_year(units, {"U1": full, "U2": full})),
        api.ScoreOptions(out=out, registry=None),
    )
    assert result.ok
    for p in map(Path, result.outputs):
        assert p.resolve().is_relative_to(out.resolve())
    feedback = sorted(p.name for p in (out / "js-2024-society-2024-反馈").iterdir())
    assert all("/" not in n and "\\\\" not in n and ":" not in n for n in feedback)
    assert not (tmp_path / "逃逸").exists()


def test_workbook_prints_legibly(tmp_path: Path) -> None:
    result = api.score(
        CASES.parent.parent / "sample_data" / "cq-2020-county.xlsx",
        api.ScoreOptions(out=tmp_path, date=dt.date(2021, 1, 15)),
    )
    wb = openpyxl.load_workbook(next(p for p in result.outputs if p.endswith(".xlsx")))
    summary = [c.value for c in wb["汇总"][1]]
    assert "类别" not in summary and "荣誉" not in summary  # nobody has one
    detail = wb["指标明细"]  # 19 indicators and 7 parts: too wide for one page at 8 pt
    assert detail.sheet_properties.pageSetUpPr.fitToPage
    assert (detail.page_setup.fitToWidth, detail.page_setup.fitToHeight) == (2, 0)
    assert detail.print_title_cols == "$A:$B"  # 单位编码, 单位名称 on every page
    assert wb["汇总"].sheet_properties.pageSetUpPr.fitToPage
    run = {r[0]: r[1] for r in wb["运行信息"].iter_rows(min_row=2, values_only=True)}
    assert run["去掉一个最高分和一个最低分"] == "否" and run["缺评分按0分计（临时结果）"] == "否"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d", run["运行时间"])
    assert not any("trim" in str(v) for v in run.values())


def test_count_axis_in_whole_units(golden_outputs: dict[str, Path]) -> None:
    with zipfile.ZipFile(golden_outputs["结果.xlsx"]) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    # the two count charts of 统计 (the third, 评委分析's bias per judge, is in points)
    charts = [xml for xml in charts if "各专家评分偏差" not in xml]
    assert len(charts) == 2
    for xml in charts:
        assert '<c:majorUnit val="1"/>' in xml and 'formatCode="0"' in xml
