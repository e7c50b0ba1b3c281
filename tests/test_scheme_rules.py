"""The notices' remaining rules on the built-in schemes that state them: counted indicators
(「3次以上」, tiered points), deadlines, 争先进位 and the honour targets, the 合格 line,
per-unit targets checked against reported counts, and the 自评表 asking for counts."""

from __future__ import annotations

import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl import load_workbook

from kxassess import api
from kxassess.engine.grading import SortKey
from kxassess.engine.outcomes import honours_of_group, pass_flags
from kxassess.inputs import Participation, PreviousResult, Unit, YearInput
from kxassess.registry import open_registry
from kxassess.result import ScoreResult, flag_label
from kxassess.scheme import Scheme, load_builtin
from kxassess.scheme.components import Indicator
from kxassess.scheme.model import Honour
from kxassess.scheme.rules import Progress, Step
from tests.conftest import CASES


def _case(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.xlsx"
    shutil.copy(CASES / name / "input.xlsx", path)
    return path


def _score(path: Path) -> ScoreResult:
    return api.score(path, api.ScoreOptions(write=False))


def _unit(result: ScoreResult, code: str) -> dict[str, object]:
    return next(u for u in result.to_dict()["units"] if u["code"] == code)


# Counted indicators --------------------------------------------------------------------


def test_tiered_points_from_a_count() -> None:
    """The 社会组织评估 style: ≥600 members 3分, ≥200 2分, ≥50 1分, fewer 0."""
    members = Indicator(
        code="M",
        part="p",
        text="会员数",
        max=3,
        count_unit="人",
        thresholds=(
            Step(at_least=600, points=3),
            Step(at_least=200, points=2),
            Step(at_least=50, points=1),
        ),
    )
    points = [members.points_for(Fraction(n)) for n in (0, 49, 50, 199, 200, 599, 600, 5000)]
    assert points == [0, 0, 1, 1, 2, 2, 3, 3]
    per_event = load_builtin("cq-2020-society").all_indicators["2.1"]  # 10分，5分/项
    assert [per_event.points_for(Fraction(n)) for n in (0, 1, 2, 3)] == [0, 5, 10, 10]


def test_cq_county_counts_in_score_cells(tmp_path: Path) -> None:
    """1.1 「系列活动3次以上（10分）」: "3次" earns 10, "2次" earns 0."""
    scheme = load_builtin("cq-2020-county")
    assert isinstance(scheme, Scheme)
    rules = {c: scheme.all_indicators[c].thresholds for c in ("1.1", "1.2", "2.1", "6", "8.1")}
    assert {c: (s[0].at_least, s[0].points) for c, s in rules.items() if s} == {
        "1.1": (3, 10),
        "1.2": (3, 5),
        "2.1": (2, 4),
        "6": (4, 10),
        "8.1": (6, 3),
    }
    path = _case(tmp_path, "cq-county")
    wb = load_workbook(path)
    for row in wb["专家评分"].iter_rows(min_row=2):
        if row[1].value == "D1" and row[2].value == "1.1":
            row[3].value = "3次"  # was 9.5
        if row[1].value == "D2" and row[2].value == "1.1":
            row[3].value = "2次"  # was 9
    wb.save(path)
    result = _score(path)
    assert result.ok
    # D1: work 97 + 0.5 = 97.5; total 0.7 × 97.5 + 0.2 × 90 + 0.1 × 80 = 94.25
    assert _unit(result, "D1")["total"] == 94.25
    # D2: work 90 − 9 = 81; total 0.7 × 81 + 0.2 × 90 + 0.1 × 90 = 83.7
    assert _unit(result, "D2")["total"] == 83.7


# Deadlines -----------------------------------------------------------------------------


def _with_dates(path: Path, column: str, dates: dict[str, object]) -> None:
    wb = load_workbook(path)
    ws = wb["考核对象"]
    col = ws.max_column + 1
    ws.cell(row=1, column=col, value=column)
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=col, value=dates.get(str(ws.cell(row=row, column=1).value)))
    wb.save(path)


def test_cq_late_materials_not_assessed(tmp_path: Path) -> None:
    """「请各单位于12月31日前……报市科协……未报送单位不参加本次考核」."""
    path = _case(tmp_path, "cq-county")
    _with_dates(path, "提交日期", {"D2": "2020年12月31日", "D5": "2021-01-05"})
    result = _score(path)
    assert result.ok
    assert _unit(result, "D5")["status"] == "absent"
    assert _unit(result, "D2")["status"] == "scored"
    late = [i for i in result.issues if i.code == "submitted-late-absent"]
    assert [i.message for i in late] == [
        "D5 江北区科协 年度工作总结和评分表的提交日期 2021-01-05 晚于截止日期 2020-12-31，"
        "按方案规定不参加本次考核"
    ]


def test_js_late_materials_only_warned(tmp_path: Path) -> None:
    """Jiangsu names 10月至11月 for the materials but no consequence: a warning only."""
    path = _case(tmp_path, "small-year")
    _with_dates(path, "提交日期", {"S01": "2024/12/05", "S02": "2024-11-30"})
    result = _score(path)
    assert result.ok
    assert [i.source for i in result.issues if i.code == "submitted-late"] == [
        "small-year.xlsx!考核对象!A2"
    ]
    assert _unit(result, "S01")["status"] == "scored"


def test_unreadable_date_is_an_error(tmp_path: Path) -> None:
    path = _case(tmp_path, "cq-county")
    _with_dates(path, "提交日期", {"D3": "下周一"})
    result = _score(path)
    assert not result.ok
    assert [(i.code, i.message) for i in result.issues if i.is_error] == [
        ("bad-date", "「下周一」不是日期（提交日期）")
    ]


# 争先进位 and the notice's targets -------------------------------------------------------


def _honour_run(reading: str) -> dict[str, tuple[str, ...]]:
    """Four 二类 units ranked 1…4 this year. U1 was 4th of 二类 last year (+3 places), U2
    was 3rd (+1), U3 was 1st but of 一类 (another tier), U4 is promoted this year."""
    base = load_builtin("js-2024-society")
    assert isinstance(base, Scheme)
    honour = Honour(
        name="争先进位学会",
        tiers=("二类", "三类", "四类"),
        progress=Progress(reading=reading, places=2),
    )  # type: ignore[arg-type]
    scheme = base.model_copy(update={"honours": (honour,)})
    units = tuple(Unit(f"U{i}", f"学会{i}", "二类", Participation.YES) for i in range(1, 5))
    previous = {
        "U1": PreviousResult(2023, "scored", "B", 4, "二类"),
        "U2": PreviousResult(2023, "scored", "B", 3, "二类"),
        "U3": PreviousResult(2023, "scored", "C", 6, "一类"),
    }
    inp = YearInput(scheme, 2024, units, (), {}, {}, previous)
    keys: dict[str, SortKey] = {f"U{i}": (Decimal(100 - i),) for i in range(1, 5)}
    return honours_of_group(scheme, inp, list(units), keys, {}, {"U4": "promote"})


def test_progress_readings() -> None:
    assert set(_honour_run("promoted")) == {"U4"}
    assert set(_honour_run("rank")) == {"U1"}
    assert set(_honour_run("both")) == {"U1", "U4"}


def test_js_targets_in_statistics_and_run_sheet(tmp_path: Path) -> None:
    scheme = load_builtin("js-2024-society")
    assert isinstance(scheme, Scheme)
    assert [(h.name, h.target) for h in scheme.honours] == [("一流学会", 20), ("争先进位学会", 10)]
    assert scheme.honours[1].progress == Progress(reading="promoted")
    result = api.score(CASES / "small-year" / "input.xlsx", api.ScoreOptions(out=tmp_path))
    warned = [i.message for i in result.issues if i.code == "honour-target"]
    assert warned[0].startswith("一流学会：认定 1 家，与《2024年度")
    book = next(tmp_path.rglob("*结果.xlsx"))
    wb = load_workbook(book)
    stats = [
        r
        for r in wb["统计"].iter_rows(values_only=True)
        if r and r[0] in ("一流学会", "争先进位学会")
    ]
    assert [r[:4] for r in stats] == [("一流学会", 1, 20, -19), ("争先进位学会", 1, 10, -9)]
    run = [r[1] for r in wb["运行信息"].iter_rows(values_only=True) if r[0] == "原文未规定，默认"]
    assert "争先进位学会的认定口径：本年度获升类的二、三、四类学会（实施办法写作“进步显著”）" in run
    assert any(text.startswith("公示：5个工作日") for text in run)


# Star societies: 合格 line and 动态管理 ----------------------------------------------------


def test_star_pass_line_flags_funding(tmp_path: Path) -> None:
    scheme = load_builtin("star-society-2015")
    assert isinstance(scheme, Scheme)
    assert pass_flags(scheme, Decimal("59.99")) == ("funding_adjust",)
    assert pass_flags(scheme, Decimal("60")) == ()
    assert flag_label("funding_adjust") == "考核不合格，适时调整或终止资金支持"
    path = _case(tmp_path, "star-society")
    wb = load_workbook(path)
    for row in wb["专家评分"].iter_rows(min_row=2):
        if row[1].value == "X5":
            row[3].value = 14  # 4 × 14 = 56, below 60
    wb.save(path)
    x5 = _unit(_score(path), "X5")
    assert (x5["total"], x5["grade"], x5["flags"]) == (56.0, None, ["funding_adjust"])


# 连云港: targets checked against reported counts ----------------------------------------


def _counts(path: Path, rows: list[tuple[str, str, object]]) -> None:
    wb = load_workbook(path)
    ws = wb.create_sheet("完成数量")
    ws.append(["单位编码", "指标", "数量"])
    for row in rows:
        ws.append(list(row))
    wb.save(path)


def test_lyg_counts_below_target_warned(tmp_path: Path) -> None:
    path = _case(tmp_path, "lyg-county")
    # 东海县 item 5 target 6 场次; 连云区 item 5 target 4; item 14 by 科普大篷车 (有 30, 无 12);
    # item 23 「发稿不少于90篇」 for every county.
    _counts(path, [("LYG1", "5", 5), ("LYG6", "5", 4), ("LYG4", "14", 11), ("LYG2", "23", 95)])
    result = _score(path)
    assert result.ok
    below = [i.message for i in result.issues if i.code == "count-below-target"]
    assert below == [
        "LYG1 东海县 指标 5（组织开展学术交流活动）：完成 5场次，低于本单位目标 6场次",
        "LYG4 赣榆区 指标 14（开展科普宣传进基层活动（按有无科普大篷车））：完成 11场次，"
        "低于本单位目标 12场次",
    ]


def test_count_for_an_indicator_without_target_refused(tmp_path: Path) -> None:
    path = _case(tmp_path, "lyg-county")
    _counts(path, [("LYG2", "2", 3)])
    result = _score(path)
    assert [(i.code, i.source) for i in result.issues if i.is_error] == [
        ("count-not-counted", "lyg-county.xlsx!完成数量!B2")
    ]


# 自评表 templates ask for the count -------------------------------------------------------


def test_templates_ask_for_counts(tmp_path: Path) -> None:
    (blank,) = api.make_templates("cq-2020-county", tmp_path / "cq")
    ws = load_workbook(blank)["自评表"]
    assert [c.value for c in ws[4]] == [
        "指标",
        "指标说明",
        "分值",
        "完成情况",
        "自评分",
        "完成数量",
    ]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    assert "按数量计分：3次及以上得10分" in rows["1.1"][1]
    assert "按数量计分" not in rows["2.2"][1]
    forms = api.make_templates(
        "lyg-2018-county", tmp_path / "lyg", roster=CASES / "lyg-county" / "input.xlsx"
    )
    donghai = next(f for f in forms if "东海县" in f.name)
    rows = {
        r[0]: r for r in load_workbook(donghai)["自评表"].iter_rows(min_row=5, values_only=True)
    }
    assert "本单位目标：组织开展学术交流活动不少于6场次" in rows["5"][1]
    assert "本单位目标：在省市媒体、网站及科协刊物上发稿不少于90篇" in rows["23"][1]
    # js-2024-society has neither counted indicators nor targets: the form is unchanged.
    (js,) = api.make_templates("js-2024-society", tmp_path / "js")
    assert [c.value for c in load_workbook(js)["自评表"][4]] == [
        "指标",
        "指标说明",
        "分值",
        "完成情况",
        "自评分",
    ]


# Chongqing: the county table's notes, and why the other tables use them ------------------


def test_cq_notes_applied_and_explained() -> None:
    county = load_builtin("cq-2020-county")
    assert isinstance(county, Scheme)
    assert county.indicator_components[0].events
    assert county.indicator_components[0].events.deduction_best_grade == "一等"
    assert set(county.vetoes) == {"取消特等", "取消一等", "不予考核"}
    for scheme_id, annex in (
        ("cq-2020-society", "附件2"),
        ("cq-2020-enterprise", "附件3"),
        ("cq-2020-university", "附件4"),
    ):
        scheme = load_builtin(scheme_id)
        assert isinstance(scheme, Scheme)
        why = next(n for n in scheme.notes if "附件1" in n and "理由" in n)
        assert annex in why
        rules = {d.rule for d in scheme.defaults}
        assert {"出现扣分项的单位不能评为特等", "特等、一等名额"} <= rules
        assert scheme.deadlines[0].consequence == "absent"


def test_programme_defaults_in_run_sheet(tmp_path: Path) -> None:
    api.score(CASES / "sz-capacity" / "input.xlsx", api.ScoreOptions(out=tmp_path))
    wb = load_workbook(next(tmp_path.rglob("*结果.xlsx")))
    run = [r[1] for r in wb["运行信息"].iter_rows(values_only=True) if r[0] == "原文未规定，默认"]
    assert "奖补最低分：评审得分60分（通知未规定合格分数）" in run


def test_reported_count_against_assessed_score(tmp_path: Path) -> None:
    """cq-2020-county 6 「4次及以上」 (10分): D1 reports 3 (0 points) but was scored 9.5;
    D2 reports 5 (10 points) but was scored 9; 1.2 「3次以上」 (5分): D2 reports 3 (5
    points) but was scored 4.5. Each is shown to staff; the assessed score stands."""
    path = _case(tmp_path, "cq-county")
    _counts(path, [("D1", "6", 3), ("D2", "6", 5), ("D2", "1.2", 3)])
    result = _score(path)
    assert result.ok
    gaps = [i.message for i in result.issues if i.code == "count-points-gap"]
    assert gaps == [
        "D1 万州区科协 指标 6：填报完成 3次，按方案折合 0 分，评定得分为 9.50 分",
        "D2 涪陵区科协 指标 6：填报完成 5次，按方案折合 10 分，评定得分为 9.00 分",
        "D2 涪陵区科协 指标 1.2：填报完成 3次，按方案折合 5 分，评定得分为 4.50 分",
    ]


def test_registry_gives_last_years_tier(tmp_path: Path) -> None:
    """The rank reading of 争先进位 compares ranks within the same tier only."""
    db = tmp_path / "kx.db"
    api.score(
        CASES / "small-year" / "input.xlsx",
        api.ScoreOptions(out=tmp_path / "out", registry=db),
    )
    with open_registry(db) as reg:
        previous = reg.previous(2024)
    assert previous["S01"].tier == "一类" and previous["S01"].rank is not None


def test_count_column_of_the_self_sheet(tmp_path: Path) -> None:
    """A 完成数量 column beside the 自评分 in sheet 自评 is read as the reported count."""
    path = _case(tmp_path, "cq-county")
    wb = load_workbook(path)
    ws = wb["自评"]
    ws.cell(row=1, column=5, value="完成数量")
    ws.cell(row=2, column=5, value=2)  # D5 1.1: 2 times → 0 points, scored 8
    wb.save(path)
    result = _score(path)
    assert result.ok
    gaps = [i.message for i in result.issues if i.code == "count-points-gap"]
    assert gaps == ["D5 江北区科协 指标 1.1：填报完成 2次，按方案折合 0 分，评定得分为 8.00 分"]
