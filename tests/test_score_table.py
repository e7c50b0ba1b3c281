"""The columnar score table against the implementation before it (tests/oracle): the same
issues (code, source, message, order), the same results and the same 评委分析 on varied
corrupted workbooks, and the table's exact arithmetic by hand."""

from __future__ import annotations

import random
from collections.abc import Callable
from fractions import Fraction as F
from pathlib import Path

import pytest

from kxassess import api, scoretable
from kxassess.engine import judges as engine_judges
from kxassess.engine import score as engine_score
from kxassess.engine.consensus import table_consensus
from kxassess.inputs import Score
from kxassess.result import ScoreResult
from kxassess.scheme import load_builtin
from kxassess.scoretable import ScoreTable
from kxassess.validation import year as validation_year
from tests.conftest import INDICATORS
from tests.oracle import judges_old, scores_old

# Cells that are not plain numbers, each with its own path through the parser.
ODD: list[object] = [
    "８",
    "８.５",
    "8分",
    "3次",
    "80%",
    "#DIV/0!",
    "1 5",
    -1,
    -0.0,
    8.333,
    2.675,
    1e20,
    True,
    False,
    21,
    999,
    None,
    "",
    "abc",
    "无",
    "／",
    " 7 ",
    "7.5",
    0,
    10,
    20,
]
# Odd cells that are still scores (or blanks, counted 0 under --allow-missing).
ACCEPTED: list[object] = ["８", "８.５", "8分", "80%", 8.333, 2.675, -0.0, None, "", "7.5", 0]
MAXIMA = {c: 20 if c[0] in "AB" else 10 for c in INDICATORS}


def _run(path: Path, old: bool, mp: pytest.MonkeyPatch, **options: object) -> ScoreResult:
    with mp.context() as m:
        if old:
            m.setattr(validation_year, "read_scores", scores_old.read_scores)
            m.setattr(engine_score, "indicator_consensus", judges_old.indicator_consensus)
            m.setattr(engine_judges, "analyse_judges", judges_old.analyse_judges)
        return api.score(path, api.ScoreOptions(write=False, **options))  # type: ignore[arg-type]


def _same(path: Path, mp: pytest.MonkeyPatch, **options: object) -> ScoreResult:
    new, old = _run(path, False, mp, **options), _run(path, True, mp, **options)
    assert [(i.code, i.source, i.message) for i in new.issues] == [
        (i.code, i.source, i.message) for i in old.issues
    ]
    assert new.issues == old.issues
    assert new.units == old.units
    assert new.judges == old.judges
    assert new.agreement == old.agreement
    return new


def _js_book(
    rng: random.Random, odd_share: float, long_form: bool, corrupt: bool = True
) -> dict[str, list[list[object]]]:
    units = [(f"U{n:02d}", f"学会{n}", ["一类", "二类"][n % 2], "是") for n in range(1, 10)]
    units[3] = ("U04", "学会4", "一类", "否")
    units[5] = ("U06", "学会6", "一类", "请假")
    sheets: dict[str, list[list[object]]] = {
        "考核设置": [["项目", "值"], ["方案", "js-2024-society"], ["年度", 2024]],
        "考核对象": [["单位编码", "单位名称", "类别", "参加"], *map(list, units)],
        "学会网月报": [
            ["单位编码", *[f"{m}月" for m in range(1, 13)]],
            *[[u[0], *[80] * 12] for u in units],
        ],
        "日常考核": [["单位编码", "工作表现"], *[[u[0], 80] for u in units]],
    }

    def value(code: str) -> object:
        if rng.random() < odd_share:
            return rng.choice(ODD if corrupt else ACCEPTED)
        top = MAXIMA[code]
        return rng.choice([rng.randint(0, top), round(rng.uniform(0, top), 2), top / 2])

    codes = [u[0] for u in units]
    for judge in ("专家甲", "专家乙", "专家丙", "专家丁"):
        rows: list[list[object]] = [["单位编码", "单位名称", *INDICATORS]]
        for code in codes:
            if code in ("U04", "U06") and rng.random() < 0.7:
                rows.append([code, "", *[None] * len(INDICATORS)])
            else:
                rows.append([code, "", *[value(c) for c in INDICATORS]])
        if corrupt and rng.random() < 0.3:
            rows.append([rng.choice(codes), "", *[5] * len(INDICATORS)])  # a second row
        if corrupt and rng.random() < 0.3:
            rows.append(["U99", "", *[5] * len(INDICATORS)])  # unknown unit
        if corrupt and rng.random() < 0.2:
            rows = [rows[0], *rows[1:4], *rows[5:]]  # a missing row
        sheets[f"评分-{judge}"] = rows
    if long_form:
        rows = [["专家", "单位编码", "指标", "得分", "次数"]]
        for code in codes:
            for ind in INDICATORS:
                rows.append(["专家戊", code, ind, value(ind), None])
        for _ in range(3 if corrupt else 0):  # duplicates
            rows.append(["专家戊", rng.choice(codes), rng.choice(INDICATORS), 5, None])
        if corrupt:
            rows.append(["", "U01", "A1", 5, None])
            rows.append(["专家戊", "U01", "Z9", 5, None])
        if corrupt and rng.random() < 0.5:
            rows.append(["专家甲", rng.choice(codes), "A1", 5, None])
        sheets["专家评分"] = rows
    return sheets


@pytest.mark.parametrize("seed", range(12))
def test_same_issues_and_results_as_before(
    seed: int, make_book: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    odd_share = [0.0, 0.02, 0.1, 0.3][seed % 4]
    book = make_book(_js_book(rng, odd_share, long_form=seed % 3 == 0))
    for options in ({}, {"allow_missing": True}, {"trim": True, "allow_missing": True}):
        _same(book, monkeypatch, **options)


def test_clean_year_scores_the_same(
    make_book: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    for seed, share in ((99, 0.0), (7, 0.05)):
        rng = random.Random(seed)
        book = make_book(_js_book(rng, share, long_form=True, corrupt=False), f"{seed}.xlsx")
        result = _same(book, monkeypatch, allow_missing=True)
        assert [i.message for i in result.issues if i.is_error] == []
        assert sum(u.total is not None for u in result.units) == 7
        assert "judge-spread" in {i.code for i in result.issues}  # 评委分析 at work
        assert result.agreement and all(j.compared for j in result.judges)
        _same(book, monkeypatch, allow_missing=True, trim=True, normalize=True)


def _lyg_book(rng: random.Random, odd_share: float) -> dict[str, list[list[object]]]:
    scheme = load_builtin("lyg-2018-county")
    inds = [i for c in scheme.indicator_components for i in c.indicators]
    units = [(f"X{n}", f"某县{n}", "", "是") for n in range(1, 7)]
    judges = [
        ("L1", "市科协领导", ""),
        ("L2", "市科协领导", ""),
        ("D1", "机关各部门", ""),
        ("D2", "机关各部门", ""),
        ("C1", "县区科协", "某县1"),
        ("C2", "县区科协", "某县2"),
        ("C3", "县区科协", ""),
    ]
    rows: list[list[object]] = [["专家", "评委组", "所属单位", "单位编码", "指标", "得分", "次数"]]
    for judge, group, affiliation in judges:
        for code, *_ in units:
            for ind in inds:
                if rng.random() < odd_share:
                    score: object = rng.choice(ODD)
                else:
                    score = rng.choice([float(ind.max), float(ind.max) / 2, 1, 0.5, 0.25])
                    score = min(F(str(score)), ind.max)
                    score = float(score)
                rows.append([judge, group, affiliation, code, ind.code, score, None])
    return {
        "考核设置": [["项目", "值"], ["方案", "lyg-2018-county"], ["年度", 2024]],
        "考核对象": [["单位编码", "单位名称", "类别", "参加"], *map(list, units)],
        "专家评分": rows,
    }


@pytest.mark.parametrize("seed", range(4))
def test_groups_and_recusal_the_same(
    seed: int, make_book: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    book = make_book(_lyg_book(rng, [0.0, 0.01, 0.05, 0.2][seed]))
    for options in ({}, {"allow_missing": True}, {"trim": True}):
        result = _same(book, monkeypatch, **options)
        if seed == 0:  # clean: every county scored, C1 and C2 recused from their own
            assert all(u.total is not None for u in result.units)
            assert [i.code for i in result.issues].count("recused") == 2


# --- the table by hand ---------------------------------------------------------------------


def _scores() -> list[Score]:
    return [
        Score("甲", "U1", "A", F("8.5"), ("b!评分-甲", 1, 2)),
        Score("乙", "U1", "A", F(10, 3), ("b!评分-乙", 1, 2)),
        Score("丙", "U1", "A", F(7), "b!考核对象!A2", imputed=True),
        Score("甲", "U2", "A", F("0.25"), ("b!评分-甲", 2, 2)),
    ]


def test_table_round_trip_and_common_denominator() -> None:
    table = ScoreTable.from_scores(_scores())
    assert table.den == 300  # lcm(100, 3)
    assert table.value.tolist() == [2550, 1000, 2100, 75]
    assert list(table) == _scores()
    assert [table.source(i) for i in range(4)] == [
        "b!评分-甲!C2",
        "b!评分-乙!C2",
        "b!考核对象!A2",
        "b!评分-甲!C3",
    ]


def test_consensus_by_hand_and_exact_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    comp = load_builtin("js-2024-society").indicator_components[0]
    scores = [
        Score(j, "U", "A1", F(v), ("s", n, 0))
        for n, (j, v) in enumerate([("a", "10"), ("b", "8"), ("c", "9"), ("d", "1/3")])
    ]
    # mean (10 + 8 + 9 + 1/3)/4 = 82/12 = 41/6; trimmed (8 + 9)/2 = 17/2
    assert table_consensus(ScoreTable.from_scores(scores), comp, False)["U"]["A1"] == F(41, 6)
    monkeypatch.setattr(scoretable, "_INT64_SAFE", 10)  # force exact Python ints
    table = ScoreTable.from_scores(scores)
    assert not table.exact_ints
    assert table_consensus(table, comp, False)["U"]["A1"] == F(41, 6)
    assert table_consensus(table, comp, True)["U"]["A1"] == F(17, 2)


def test_exact_python_ints_give_the_same(
    make_book: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Values too large for int64 sums are held as Python ints: same results, same order."""
    monkeypatch.setattr(scoretable, "_INT64_SAFE", 10)
    book = make_book(_js_book(random.Random(5), 0.05, long_form=True, corrupt=False))
    result = _same(book, monkeypatch, allow_missing=True)
    assert sum(u.total is not None for u in result.units) == 7
    _same(book, monkeypatch, allow_missing=True, trim=True)
    lyg = make_book(_lyg_book(random.Random(0), 0.0), "lyg.xlsx")
    _same(lyg, monkeypatch)


@pytest.mark.parametrize("seed", range(12))
def test_long_form_in_blocks_the_same(
    seed: int, make_book: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The long form's common rows are taken in blocks: with several judges, rows in any
    order, names that do not match, odd cells between plain ones, and a score given twice
    (first plain then odd, first odd then plain, on the same or the next sheet), the issues
    and results are those of reading row by row."""
    rng = random.Random(100 + seed)
    sheets = _js_book(rng, 0.0, long_form=False, corrupt=False)
    for name in [s for s in sheets if s.startswith("评分-")]:
        del sheets[name]
    units = [r[0] for r in sheets["考核对象"][1:]]
    names = {r[0]: r[1] for r in sheets["考核对象"][1:]}
    rows: list[list[object]] = []
    for judge in ("专家甲", "专家乙", "专家丙"):
        for code in units:
            for ind in INDICATORS:
                value: object = rng.choice([rng.randint(0, MAXIMA[ind]), 7.5, MAXIMA[ind]])
                if rng.random() < 0.08:
                    value = rng.choice(ODD + ACCEPTED)
                name = names[code] if rng.random() < 0.7 else ""
                if rng.random() < 0.03:
                    name = "别的学会"  # a name that does not match the code
                rows.append([judge, code, name, ind, value, rng.choice(["", "组一"]), ""])
    rng.shuffle(rows)
    for _ in range(12):  # the same score again, later: plain or odd
        again = list(rng.choice(rows))
        again[4] = rng.choice([5, "８", "abc", 30, None])
        rows.insert(rng.randrange(len(rows) // 2, len(rows)), again)
    plain = next(
        r
        for r in rows
        if type(r[4]) is int and 0 <= r[4] <= MAXIMA[str(r[3])] and r[1] not in ("U04", "U06")
    )
    rows.append([*plain[:4], 5, *plain[5:]])  # surely a score given twice
    rows.insert(rng.randrange(len(rows)), ["", "U01", "", "A1", 5, "", ""])
    rows.insert(rng.randrange(len(rows)), ["专家甲", "U99", "", "A1", 5, "", ""])
    rows.insert(rng.randrange(len(rows)), ["专家甲", "U01", "", "Z9", 5, "", ""])
    head = ["专家", "单位编码", "单位名称", "指标", "得分", "评委组", "所属单位"]
    cut = len(rows) // 2
    sheets["专家评分"] = [head, *rows[:cut]]
    sheets["专家评分2"] = [head, *rows[cut:]]
    book = make_book(sheets, f"long-{seed}.xlsx")
    for options in ({}, {"allow_missing": True}, {"trim": True, "allow_missing": True}):
        result = _same(book, monkeypatch, **options)
    codes = {i.code for i in result.issues}
    assert "duplicate-score" in codes and "name-mismatch" in codes
