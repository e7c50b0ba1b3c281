"""Rules of the other notices, each checked on a small hand-computed example."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kxassess import api
from kxassess.engine.components import consensus, event_points, indicator_consensus, rate_score
from kxassess.inputs import Score
from kxassess.scheme import load_builtin
from kxassess.scheme.model import Aggregation

from .conftest import CASES

F = Fraction


def test_event_caps() -> None:
    events = load_builtin("cq-2020-county").indicator_components[0].events
    assert events is not None
    # 加1a ×1 + 加1b ×1 = 3 (item 加1 at its cap); 加4 ×2 = 2; deductions 减1 ×6 = 12 → 10
    got = event_points(events, {"加1a": F(1), "加1b": F(1), "加4": F(2), "减1": F(6)})
    assert (got.bonus, got.deduction) == (5, 10)
    # every bonus item at its cap: 3 + 3 + 3 + 3 = 12 → bonus cap 10
    many = {"加1b": F(5), "加2b": F(5), "加3b": F(5), "加4": F(5)}
    assert event_points(events, many).bonus == 10


def test_rate_score_capped_at_max() -> None:
    ind = load_builtin("cq-2020-society").all_indicators["2.1"]  # 10分，5分/项
    assert [rate_score(ind, F(n)) for n in (0, 1, 2, 3)] == [0, 5, 10, 10]


def test_trimmed_mean() -> None:
    agg = Aggregation(method="trimmed", trim_min_judges=4)
    assert consensus([F(10), F(8), F(9), F(1)], agg, trim=False) == F(17, 2)  # drops 10 and 1
    assert consensus([F(10), F(8), F(1)], agg, trim=False) == F(19, 3)  # too few to trim
    plain = Aggregation()
    assert consensus([F(10), F(8), F(9), F(1)], plain, trim=True) == F(17, 2)  # --trim


def test_group_weighted_consensus() -> None:
    comp = load_builtin("lyg-2018-county").indicator_components[0]
    scores = [
        Score("L1", "U", "1", F(4), "", "市科协领导"),
        Score("L2", "U", "1", F(2), "", "市科协领导"),
        Score("D1", "U", "1", F(1), "", "机关各部门"),
        Score("C1", "U", "1", F(2), "", "县区科协"),
        Score("C2", "U", "1", F(4), "", "县区科协"),
    ]
    # 0.4 × 3 + 0.3 × 1 + 0.3 × 3 = 2.4
    assert indicator_consensus(scores, comp, trim=False)["U"]["1"] == F(12, 5)


def test_counts_instead_of_scores(make_book: Callable[..., Path]) -> None:
    head = ["专家", "单位编码", "指标", "得分", "次数"]
    codes = ["1", "2.1", "2.2", "2.3", "2.4", "3", "4", "5.1", "5.2", "5.3", "5.4"]
    rows: list[list[object]] = [head]
    for code in codes:
        rows.append(["学会学术部", "M1", code, 4 if code in ("1", "5.1") else None, None])
    rows[2][3], rows[2][4] = None, 3  # 2.1 by count: 3 × 5 = 15 → max 10
    rows[3][3] = "1次"  # 2.2: "1次" → 5
    rows[6][3] = "6项"  # 3: 6 × 3 = 18 → max 15
    for r in rows[1:]:
        if r[3] is None and r[4] is None:
            r[3] = 0
    sheets = {
        "考核设置": [["项目", "值"], ["方案", "cq-2020-society"], ["年度", 2020]],
        "考核对象": [["单位编码", "单位名称"], ["M1", "市测试学会"]],
        "专家评分": rows,
    }
    result = api.score(make_book(sheets), api.ScoreOptions(write=False))
    assert result.ok, result.issues
    u = result.units[0]
    assert u.indicators["2.1"] == 10 and u.indicators["2.2"] == 5 and u.indicators["3"] == 15
    assert u.total == 4 + 10 + 5 + 15 + 4  # 1, 2.1, 2.2, 3, 5.1

    rows[1][3] = "2次"  # indicator 1 is not scored per event
    bad = api.score(make_book(sheets, "bad.xlsx"), api.ScoreOptions(write=False))
    assert [(i.code, i.source) for i in bad.issues] == [("not-per-event", "bad.xlsx!专家评分!D2")]


def test_star_downgrade_needs_last_year(tmp_path: Path) -> None:
    import openpyxl

    reg = tmp_path / "kx.db"
    first = api.score(
        CASES / "star-society" / "input.xlsx", api.ScoreOptions(out=tmp_path / "o1", registry=reg)
    )
    assert first.ok
    wb = openpyxl.load_workbook(CASES / "star-society" / "input.xlsx")
    wb["考核设置"]["B3"] = 2016
    ws = wb["专家评分"]
    for row in ws.iter_rows(min_row=2):
        if row[1].value == "X1":
            row[3].value = 21  # X1: 84 → ★★★★ (was ★★★★★)
    year2 = tmp_path / "2016.xlsx"
    wb.save(year2)
    second = api.score(year2, api.ScoreOptions(out=tmp_path / "o2", registry=reg))
    by = {u.code: u for u in second.units}
    assert by["X1"].grade == "★★★★" and by["X1"].previous_grade == "★★★★★"
    assert by["X1"].flags == ("star_downgraded", "funding_review")
    assert by["X3"].flags == ()  # kept its ★★★★
    assert by["X1"].reward == 30000
    xlsx = next(p for p in second.outputs if p.endswith(".xlsx"))
    header = [c.value for c in openpyxl.load_workbook(xlsx)["汇总"][1]]
    assert "以奖代补（元）" in header and "上年等级" in header


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=40))
def test_fast_mean_is_exact(values: list) -> None:  # type: ignore[type-arg]
    from kxassess.engine.components import mean

    fractions = [F(v) for v in values]
    assert mean(fractions) == sum(fractions, F(0)) / len(fractions)
