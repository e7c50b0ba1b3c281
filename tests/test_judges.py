"""评委分析: bias, flags, disagreements, Kendall's W and z-score normalisation, each on a
small example worked by hand (the working is in the comments)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from kxassess import api
from kxassess.cli import app
from kxassess.engine import score_year
from kxassess.engine.concordance import concordance, kendall_w, pairwise_w
from kxassess.engine.judges import JudgeAnalysis, analyse_judges, median_without
from kxassess.engine.normalize import normalize_scores, sqrt_ratio
from kxassess.engine.score import YearOutcome
from kxassess.inputs import Participation, Score, Unit, YearInput
from kxassess.issues import KxError
from kxassess.scheme.judges import JudgeSettings
from kxassess.scheme.loader import load_scheme_file
from kxassess.scheme.model import Scheme

from .conftest import ROOT

F = Fraction
D = Decimal


def scheme(groups: Sequence[str] = (), **judges: object) -> Scheme:
    """One expert table: indicator A out of 10 and B out of 20, every unit in one group."""
    component: dict[str, Any] = {
        "kind": "indicators",
        "id": "review",
        "name": "专家评审",
        "weight": 1,
        "parts": [{"id": "p"}],
        "indicators": [
            {"code": "A", "part": "p", "text": "甲", "max": 10},
            {"code": "B", "part": "p", "text": "乙", "max": 20},
        ],
    }
    if groups:
        component["judge_groups"] = [{"name": g, "weight": F(1, len(groups))} for g in groups]
    return Scheme.model_validate(
        {
            "id": "judge-test",
            "title": "测试",
            "year": 2024,
            "issuer": "测试科协",
            "unit_kind": "学会",
            "grading_group": "all",
            "components": [component],
            "judges": judges,
        }
    )


def year(
    sch: Scheme, table: Mapping[tuple[str, str, str], object], groups: Mapping[str, str]
) -> YearInput:
    """``table``: (judge, unit, indicator) → score; units U1… in order of appearance."""
    codes = list(dict.fromkeys(unit for _, unit, _ in table))
    units = tuple(Unit(c, f"{c}学会", None, Participation.YES) for c in codes)
    scores = tuple(
        Score(j, u, i, F(str(v)), f"评分-{j}!{u}{i}", groups.get(j, ""))
        for (j, u, i), v in table.items()
    )
    return YearInput(sch, 2024, units, scores, {}, {})


def analyse(inp: YearInput) -> JudgeAnalysis:
    return analyse_judges(inp, score_year(inp).units)


def by_name(analysis: JudgeAnalysis) -> dict[str, tuple[Decimal | None, tuple[str, ...]]]:
    return {j.judge: (j.bias, j.flags) for j in analysis.judges}


def grid(rows: Mapping[str, Sequence[object]], indicator: str = "A") -> dict[Any, object]:
    """judge → one score per unit U1, U2, … of one indicator."""
    return {
        (judge, f"U{n}", indicator): v
        for judge, values in rows.items()
        for n, v in enumerate(values, start=1)
        if v is not None
    }


# --- bias and flags ------------------------------------------------------------------------


def test_lenient_harsh_and_flat_judges() -> None:
    # Indicator A (out of 10), units U1 U2 U3:
    #   J1 9 8 9 | J2 6 5 7 | J3 6 6 6 | J4 5 4 5
    # J1 against the median of the other three: U1 {6,6,5}→6: +3; U2 {5,6,4}→5: +3;
    #    U3 {7,6,5}→6: +3 → mean 3 of 10 → 30.00 (lenient)
    # J2: U1 {9,6,5}→6: 0; U2 {8,6,4}→6: −1; U3 {9,6,5}→6: +1 → 0.00
    # J3: U1 {9,6,5}→6: 0; U2 {8,5,4}→5: +1; U3 {9,7,5}→7: −1 → 0.00, and one score for
    #    all 3 units on its only indicator (flat)
    # J4: U1 {9,6,6}→6: −1; U2 {8,5,6}→6: −2; U3 {9,7,6}→7: −2 → −5/3 of 10 → −16.67 (harsh)
    rows = {"J1": [9, 8, 9], "J2": [6, 5, 7], "J3": [6, 6, 6], "J4": [5, 4, 5]}
    analysis = analyse(year(scheme(), grid(rows), {}))
    assert by_name(analysis) == {
        "J1": (D("30.00"), ("lenient",)),
        "J2": (D("0.00"), ()),
        "J3": (D("0.00"), ("flat",)),
        "J4": (D("-16.67"), ("harsh",)),
    }
    j3 = analysis.judges[2]
    assert (j3.scores, j3.compared, j3.flat_indicators) == (3, 3, 1)


def test_median_of_two_other_judges() -> None:
    # Indicator B (out of 20), three judges, so two others: their median is their mean.
    #   U1: K1 10, K2 12, K3 17 → K1 vs (12+17)/2 = 14.5: −4.5; K2 vs 13.5: −1.5; K3 vs 11: +6
    #   U2: K1 15, K2 14, K3 13 → K1 vs 13.5: +1.5; K2 vs 14: 0; K3 vs 14.5: −1.5
    # K1: (−4.5 + 1.5)/2 = −1.5 of 20 → −7.50; K2: −0.75 of 20 → −3.75; K3: 2.25 of 20 → 11.25
    rows = {"K1": [10, 15], "K2": [12, 14], "K3": [17, 13]}
    assert by_name(analyse(year(scheme(), grid(rows, "B"), {}))) == {
        "K1": (D("-7.50"), ("harsh",)),
        "K2": (D("-3.75"), ()),
        "K3": (D("11.25"), ("lenient",)),
    }
    assert median_without([10, 12, 17], 0) == F(29, 2)
    assert median_without([4, 5, 6, 9], 3) == 5


def test_bias_divides_each_score_by_its_own_indicator_max() -> None:
    # L1 is 2 above the other two on A (out of 10: 20 points) and 2 above on B (out of 20:
    # 10 points): mean 15.00. L2 and L3 agree with each other.
    table = {
        ("L1", "U1", "A"): 7, ("L2", "U1", "A"): 5, ("L3", "U1", "A"): 5,
        ("L1", "U1", "B"): 12, ("L2", "U1", "B"): 10, ("L3", "U1", "B"): 10,
    }  # fmt: skip
    # L2 vs median(7, 5) = 6 on A: −1 of 10 = −10; vs median(12, 10) = 11 on B: −1 of 20 = −5
    assert by_name(analyse(year(scheme(), table, {}))) == {
        "L1": (D("15.00"), ("lenient",)),
        "L2": (D("-7.50"), ("harsh",)),
        "L3": (D("-7.50"), ("harsh",)),
    }


def test_fewer_than_two_other_judges_are_not_compared() -> None:
    rows = {"M1": [9, 9, 9], "M2": [1, 2, 3]}
    analysis = analyse(year(scheme(), grid(rows), {}))
    assert [(j.bias, j.compared, j.scores) for j in analysis.judges] == [(None, 0, 3)] * 2
    assert analysis.judges[0].flags == ("flat",)  # flat needs no other judge
    # W: M1 ranks all 2 (T = 24), M2 ranks U1 3, U2 2, U3 1; R = 5 4 3, R̄ = 4, S = 2;
    # W = 12·2/(4·24 − 2·24) = 1/2 → 一致性一般 (at its cut-off)
    assert (analysis.agreement[0].w, analysis.agreement[0].meaning) == (D("0.50"), "一致性一般")
    assert analysis.judges[0].to_dict() == {
        "judge": "M1",
        "group": None,
        "scores": 3,
        "bias": None,
        "flags": ["flat"],
    }


def test_judge_groups_and_recusal() -> None:
    # Two 评委组 on very different scales; each judge is compared with the own group only.
    # 理工组 (P3 belongs to U3 and recused: no score, and U3 keeps only 2 judges there):
    #   U1: P1 8, P2 6, P3 7;  U2: P1 9, P2 7, P3 7;  U3: P1 5, P2 5
    # P1: U1 vs (6+7)/2 = 6.5: +1.5; U2 vs 7: +2; U3 has 1 other: skipped → 1.75 → 17.50
    # P2: U1 vs 7.5: −1.5; U2 vs 8: −1 → −1.25 → −12.50
    # P3: U1 vs 7: 0; U2 vs 8: −1 → −0.5 → −5.00 (harsh: the threshold is inclusive)
    # 文科组: Q1 2 2 2, Q2 3 3 3, Q3 4 4 4 → Q1 vs 3.5: −1.5 → −15.00; Q2 vs 3: 0;
    #   Q3 vs 2.5: +1.5 → 15.00; all three flat.
    table = grid({"P1": [8, 9, 5], "P2": [6, 7, 5], "P3": [7, 7, None]})
    table |= grid({"Q1": [2, 2, 2], "Q2": [3, 3, 3], "Q3": [4, 4, 4]})
    groups = {"P1": "理工组", "P2": "理工组", "P3": "理工组"}
    groups |= {"Q1": "文科组", "Q2": "文科组", "Q3": "文科组"}
    analysis = analyse(year(scheme(("理工组", "文科组")), table, groups))
    assert by_name(analysis) == {
        "P1": (D("17.50"), ("lenient",)),
        "P2": (D("-12.50"), ("harsh",)),
        "P3": (D("-5.00"), ("harsh",)),
        "Q1": (D("-15.00"), ("harsh", "flat")),
        "Q2": (D("0.00"), ("flat",)),
        "Q3": (D("15.00"), ("lenient", "flat")),
    }
    p3 = analysis.judges[2]
    assert (p3.group, p3.scores, p3.compared) == ("理工组", 2, 2)
    assert [j.to_dict()["group"] for j in analysis.judges] == ["理工组"] * 3 + ["文科组"] * 3
    # W per 评委组: 理工组 has a hole (P3 recused from U3), so W comes from the pairs.
    agreement = {a.judge_group: a for a in analysis.agreement}
    assert agreement["理工组"].complete is False and agreement["理工组"].judges == 3
    # every 文科组 judge gave all units one total: no order to agree on
    assert (agreement["文科组"].w, agreement["文科组"].meaning) == (
        None,
        "各专家所评总分排不出名次，未计算",
    )


def test_thresholds_are_scheme_settings() -> None:
    rows = {"J1": [9, 8, 9], "J2": [6, 5, 7], "J3": [6, 6, 6], "J4": [5, 4, 5]}
    strict = scheme(lenient=40, harsh=-20, flat_min_units=4)
    assert by_name(analyse(year(strict, grid(rows), {}))) == {
        "J1": (D("30.00"), ()),
        "J2": (D("0.00"), ()),
        "J3": (D("0.00"), ()),
        "J4": (D("-16.67"), ()),
    }
    with pytest.raises(ValueError, match="harsh must be below lenient"):
        JudgeSettings(lenient=F(0), harsh=F(0))


# --- disagreements -------------------------------------------------------------------------


def test_spread_of_half_the_max_is_a_warning_naming_judges_and_cells() -> None:
    # U1 A (out of 10): 9, 6, 4 → 9 − 4 = 5 ≥ 10/2. U2 A: 9, 6, 5 → 4: no warning.
    rows = {"N1": [9, 9], "N2": [6, 6], "N3": [4, 5]}
    analysis = analyse(year(scheme(), grid(rows), {}))
    assert [(i.code, i.source) for i in analysis.issues] == [("judge-spread", "评分-N1!U1A")]
    message = analysis.issues[0].message
    assert message.startswith("U1 U1学会 指标A专家评分分歧较大：最高 9 分（N1，评分-N1!U1A）")
    assert "最低 4 分（N3，评分-N3!U1A），相差 5 分，达到该指标满分 10 分的 50%" in message
    assert [j.disagreements for j in analysis.judges] == [1, 0, 1]


def test_no_spread_warning_with_two_judges() -> None:
    rows = {"N1": [10], "N2": [0]}
    assert analyse(year(scheme(), grid(rows), {})).issues == ()


# --- Kendall's W ---------------------------------------------------------------------------


def test_w_is_1_when_all_judges_agree() -> None:
    assert kendall_w([[9, 7, 5, 3], [10, 8, 6, 1], [4, 3, 2, 1]]) == 1


def test_w_of_reversed_rankings() -> None:
    # two judges, ranks 1 2 3 and 3 2 1: R = 4 4 4 = R̄, S = 0 → W = 0
    assert kendall_w([[3, 2, 1], [1, 2, 3]]) == 0
    # three judges, the third reversed: R = 5 6 7, R̄ = 6, S = 2, W = 12·2/(9·24) = 1/9
    assert kendall_w([[3, 2, 1], [3, 2, 1], [1, 2, 3]]) == F(1, 9)


def test_w_with_ties() -> None:
    # J1 10 8 8 → ranks 1, 2.5, 2.5 (one tie of 2: T = 6); J2 9 8 7 → 1 2 3.
    # R = 2, 4.5, 5.5; R̄ = 4; S = 4 + 0.25 + 2.25 = 6.5; W = 12·6.5/(4·24 − 2·6) = 13/14
    assert kendall_w([[10, 8, 8], [9, 8, 7]]) == F(13, 14)
    assert kendall_w([[5, 5], [5, 5]]) is None  # nothing to rank


def test_w_of_a_year_and_its_meaning() -> None:
    # Totals (A only): J1 9 8 9, J2 6 5 7, J3 6 6 6, J4 5 4 5. Ranks: J1 1.5 3 1.5 (T 6);
    # J2 2 3 1; J3 2 2 2 (T 24); J4 1.5 3 1.5 (T 6). R = 7, 11, 6; R̄ = 8; S = 1 + 9 + 4 = 14;
    # W = 12·14/(16·24 − 4·36) = 168/240 = 0.70 → 一致性较好 (at the cut-off)
    rows = {"J1": [9, 8, 9], "J2": [6, 5, 7], "J3": [6, 6, 6], "J4": [5, 4, 5]}
    (found,) = analyse(year(scheme(), grid(rows), {})).agreement
    assert (found.group, found.judges, found.units, found.complete) == ("全部", 4, 3, True)
    assert (found.w, found.meaning) == (D("0.70"), "一致性较好")
    (lower,) = analyse(year(scheme(agreement_good=F(3, 4)), grid(rows), {})).agreement
    assert lower.meaning == "一致性一般"


def test_w_with_a_recused_judge_from_the_pairs() -> None:
    # J1 ranks a b c d; J2 recused from d, ranks a b c alike: r = 1; J3 recused from a,
    # ranks b c d in reverse of J1: r = −1; J2 and J3 share only b, c: not compared.
    # r̄ = 0 → W = (1 + 2·0)/3 = 1/3
    by_judge: dict[str, dict[str, int | Fraction]] = {
        "J1": {"a": 4, "b": 3, "c": 2, "d": 1},
        "J2": {"a": 3, "b": 2, "c": 1},
        "J3": {"b": 1, "c": 2, "d": 3},
    }
    assert pairwise_w(by_judge) == F(1, 3)
    found = concordance(by_judge)
    assert (found.w, found.judges, found.units, found.complete) == (F(1, 3), 3, 4, False)


# --- normalisation -------------------------------------------------------------------------


def test_sqrt_ratio_exact_when_rational() -> None:
    assert sqrt_ratio(F(9), F(4)) == F(3, 2)
    assert sqrt_ratio(F(1), F(9)) == F(1, 3)
    root2 = sqrt_ratio(F(2), F(1))
    assert abs(root2 - F(Decimal("1.41421356237309504880168872420969807857"))) < F(1, 10**38)


def indicator_a(outcome: YearOutcome) -> list[Decimal]:
    """Indicator A of U1, U2, U3 (results come in rank order)."""
    return [u.indicators["A"] for u in sorted(outcome.units, key=lambda u: u.code)]


def test_z_score_normalisation_by_hand() -> None:
    # A (out of 10). Z1 2 4 6: mean 4, variance 8/3; Z2 5 6 7: mean 6, variance 2/3.
    # All six: mean 5, variance (9+1+1+0+1+4)/6 = 8/3. Z1: σ/σ₁ = 1 → 5 + (x − 4) = 3 5 7;
    # Z2: σ/σ₂ = √4 = 2 → 5 + 2(x − 6) = 3 5 7. Means per unit: 3, 5, 7 (raw: 3.5, 5, 6.5).
    sch = scheme()
    inp = year(sch, grid({"Z1": [2, 4, 6], "Z2": [5, 6, 7]}), {})
    values = {(s.judge, s.unit): s.value for s in normalize_scores(inp.scores, sch)}
    assert values == {
        ("Z1", "U1"): 3, ("Z1", "U2"): 5, ("Z1", "U3"): 7,
        ("Z2", "U1"): 3, ("Z2", "U2"): 5, ("Z2", "U3"): 7,
    }  # fmt: skip
    assert indicator_a(score_year(inp, normalize=True)) == [3, 5, 7]
    assert indicator_a(score_year(inp)) == [D("3.5"), 5, D("6.5")]


def test_normalisation_of_a_flat_judge_and_within_bounds() -> None:
    # Z1 gives 6 to every unit (σ₁ = 0): each score becomes the mean of all, (6·3+0+5+10)/6
    # = 33/6 = 5.5. Z2 0 5 10: mean 5, variance 50/3; all: variance (0.25·3 + 30.25 + 0.25
    # + 20.25)/6 = 51.5/6 → ratio √(51.5/100) < 1: Z2's scores stay within 0 and 10.
    sch = scheme()
    inp = year(sch, grid({"Z1": [6, 6, 6], "Z2": [0, 5, 10]}), {})
    values = {(s.judge, s.unit): s.value for s in normalize_scores(inp.scores, sch)}
    assert [values[("Z1", u)] for u in ("U1", "U2", "U3")] == [F(11, 2)] * 3
    assert values[("Z2", "U2")] == F(11, 2)
    assert all(0 <= values[("Z2", u)] <= 10 for u in ("U1", "U3"))
    # the scheme setting does what --normalize does
    on = scheme(normalize=True)
    assert indicator_a(score_year(year(on, grid({"Z1": [2, 4, 6], "Z2": [5, 6, 7]}), {}))) == [
        3,
        5,
        7,
    ]


# --- through the command line and the workbook ---------------------------------------------


def star_year() -> dict[str, list[list[object]]]:
    """star-society-2015, four indicators out of 25, three judges; 专家丙 is lenient."""
    scores: list[list[object]] = [["专家", "单位编码", "指标", "得分"]]
    marks = {"专家甲": [15, 18, 20], "专家乙": [16, 17, 21], "专家丙": [22, 24, 25]}
    for judge, values in marks.items():
        for unit, value in zip(("X1", "X2", "X3"), values, strict=True):
            scores += [[judge, unit, code, value] for code in ("1", "2", "3", "4")]
    return {
        "考核设置": [["项目", "值"], ["方案", "star-society-2015"], ["年度", 2015]],
        "考核对象": [
            ["单位编码", "单位名称"],
            ["X1", "甲学会"],
            ["X2", "乙学会"],
            ["X3", "丙学会"],
        ],
        "专家评分": scores,
    }


def test_score_json_lists_the_judges(make_book: Callable[..., Path], tmp_path: Path) -> None:
    # Per indicator (out of 25), as every indicator has the same scores:
    # 专家甲 vs median(16, 22) = 19, (17, 24) = 20.5, (21, 25) = 23: −4, −2.5, −3 → −19/6 of 25
    #   → −12.67; 专家乙 vs 18.5, 21, 22.5: −2.5, −4, −1.5 → −8/3 of 25 → −10.67;
    # 专家丙 vs 15.5, 17.5, 20.5: 6.5, 6.5, 4.5 → 35/6 of 25 → 23.33.
    book = make_book(star_year(), "2015.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["score", str(book), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["judges"] == [
        {"judge": "专家甲", "group": None, "scores": 12, "bias": -12.67, "flags": ["harsh"]},
        {"judge": "专家乙", "group": None, "scores": 12, "bias": -10.67, "flags": ["harsh"]},
        {"judge": "专家丙", "group": None, "scores": 12, "bias": 23.33, "flags": ["lenient"]},
    ]
    workbook = next(out.glob("*-结果.xlsx"))
    ws = openpyxl.load_workbook(workbook)["评委分析"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "专家",
        "评委组",
        "评分条数",
        "参与比较条数",
        "偏差（满分的百分点）",
        "同分指标数",
        "分歧次数",
        "标记",
    )
    assert rows[3][:8] == ("专家丙", None, 12, 12, 23.33, 0, 0, "偏宽")
    # all three rank X3 > X2 > X1: W = 1
    assert rows[5][:7] == (
        "考核分组",
        "评委组",
        "评委数",
        "单位数",
        "肯德尔W",
        "一致性",
        "计算方式",
    )
    assert rows[6][:6] == ("全部", None, 3, 3, 1, "一致性较好")
    with zipfile.ZipFile(workbook) as z:  # openpyxl does not read charts back
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/")]
    assert any("各专家评分偏差" in c and "评委分析!$E$2:$E$4" in c for c in charts)
    # printed whole: the W table's cells fit their shared columns (全部专家评了全部单位,
    # 10 Chinese characters, 22 wide), W is centred apart from 一致性, the notes wrap in merged
    # cells over the eight columns, the judges' names stand at the chart's left edge
    assert ws.column_dimensions["G"].width >= 22
    assert ws["E7"].alignment.horizontal == "center"
    assert {str(r) for r in ws.merged_cells.ranges} >= {"A9:H9", "A10:H10"}
    assert ws["A9"].alignment.wrap_text
    assert any('<c:tickLblPos val="low"/>' in c for c in charts)
    run = {
        r[0]: r[1] for r in openpyxl.load_workbook(workbook)["运行信息"].iter_rows(values_only=True)
    }
    assert run["评分标准化"] == "否"


def test_normalize_option_reaches_the_run_sheet_and_the_notice(
    make_book: Callable[..., Path], tmp_path: Path
) -> None:
    book = make_book(star_year(), "2015.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["score", str(book), "--out", str(out), "--normalize"])
    assert result.exit_code == 0, result.output
    # the screen names the flagged judges (their own scores, not the normalised ones)
    assert "评委分析：专家甲（偏严）；专家乙（偏严）；专家丙（偏宽）" in result.stderr
    workbook = next(out.glob("*-结果.xlsx"))
    run = {
        r[0]: r[1] for r in openpyxl.load_workbook(workbook)["运行信息"].iter_rows(values_only=True)
    }
    assert str(run["评分标准化"]).startswith("是")
    notice = next(out.glob("*-结果通报.md")).read_text(encoding="utf-8")
    assert "专家评分先按每位专家、每项指标作标准化处理（z 分数）后再取平均。" in notice
    library = api.score(book, api.ScoreOptions(write=False, normalize=True))
    assert library.normalize and library.ok


def test_judges_block_in_a_scheme_file(tmp_path: Path) -> None:
    text = (ROOT / "kxassess/scheme/builtin/star-society-2015.yaml").read_text(encoding="utf-8")
    good = tmp_path / "mine.yaml"
    good.write_text(text + "\njudges:\n  lenient: 8\n  agreement_good: 80%\n", encoding="utf-8")
    settings = load_scheme_file(good).judges  # type: ignore[union-attr]
    assert (settings.lenient, settings.harsh, settings.agreement_good) == (8, -5, F(4, 5))
    bad = tmp_path / "typo.yaml"
    bad.write_text(text + "\njudges:\n  lenent: 8\n", encoding="utf-8")
    with pytest.raises(KxError, match="lenent"):
        load_scheme_file(bad)
