"""``scheme check`` (every problem at once, named as staff know the place, impossible
values refused) and ``scheme show`` (every rule, defaults marked, ``--json``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kxassess.cli.app import app
from kxassess.scheme import builtin_ids
from kxassess.scheme.loader import BUILTIN_DIR

runner = CliRunner()


def _mine(tmp_path: Path, base: str, edit: object) -> Path:
    data = yaml.safe_load((BUILTIN_DIR / f"{base}.yaml").read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _errors(path: Path) -> list[dict[str, str]]:
    result = runner.invoke(app, ["scheme", "check", str(path), "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    return doc["errors"]


@pytest.mark.parametrize("value", [-3, 0])
def test_impossible_max_refused(tmp_path: Path, value: int) -> None:
    def edit(d: dict) -> None:  # type: ignore[type-arg]
        d["components"][0]["indicators"][10]["max"] = value

    errors = _errors(_mine(tmp_path, "js-2024-society", edit))
    assert [e["message"] for e in errors] == [
        f"考核构成 centralized 指标 C1 分值有误：须大于0，现为 {value}"
    ]


def test_every_problem_at_once(tmp_path: Path) -> None:
    """A duplicate code is not hidden by other errors of the same table."""

    def edit(d: dict) -> None:  # type: ignore[type-arg]
        comp = d["components"][0]
        comp["indicators"][1]["code"] = "A1"  # A1 twice
        comp["indicators"][10]["max"] = -3
        comp["parts"][0]["weights"]["二类"] = -40
        d["components"][1]["weight"] = -0.1
        d["vetoes"] = {"取消特等": {"best_gradee": "A"}}

    errors = _errors(_mine(tmp_path, "js-2024-society", edit))
    messages = [e["message"] for e in errors]
    assert messages == [
        "考核构成 centralized有误：指标或加减分代码重复：A1",
        "考核构成 centralized 部分 基础 二类 的权重有误：不能为负数，现为 -40",
        "考核构成 centralized 指标 C1 分值有误：须大于0，现为 -3",
        "考核构成 website 权重有误：不能为负数，现为 -0.1",
        "否决处理 取消特等：不认识的键「best_gradee」",
    ]
    assert all(
        "components[" not in m and e["source"].endswith("mine.yaml")
        for m, e in zip(messages, errors, strict=True)
    )
    screen = runner.invoke(app, ["scheme", "check", str(tmp_path / "mine.yaml")])
    assert screen.exit_code == 1 and "方案文件有 5 处错误" in screen.stderr
    assert "Traceback" not in screen.output


def test_cross_references_all_reported(tmp_path: Path) -> None:
    def edit(d: dict) -> None:  # type: ignore[type-arg]
        d["tie_breakers"] = ["total"]
        d["honours"][0]["grades"] = ["A+"]
        d["moves"]["promote"]["fraction"] = "150%"

    messages = [e["message"] for e in _errors(_mine(tmp_path, "js-2024-society", edit))]
    assert messages == [
        "升类规则 比例有误：须大于0且不超过1（如 30%、1/3），现为 1.5",
        "并列时比较（tie_breakers）有误：考核构成「total」不存在（可用：centralized、website、performance）",
        "荣誉 一流学会有误：等级「A+」不存在（可用：A、B、C）",
    ]


def test_threshold_steps_out_of_order_warned(tmp_path: Path) -> None:
    def edit(d: dict) -> None:  # type: ignore[type-arg]
        ind = d["components"][0]["indicators"][0]
        ind["thresholds"] = [{"at_least": 1, "points": 5}, {"at_least": 3, "points": 2}]

    result = runner.invoke(
        app, ["scheme", "check", str(_mine(tmp_path, "cq-2020-county", edit)), "--json"]
    )
    warnings = json.loads(result.stdout)["warnings"]
    assert [w["message"] for w in warnings] == [
        "指标 1.1：计分档次中较高的数量得分反而较低（5 → 2）"
    ]


@pytest.mark.parametrize("scheme_id", [s for s in builtin_ids() if s != "sz-2022-capacity"])
def test_show_prints_every_rule(scheme_id: str) -> None:
    result = runner.invoke(app, ["scheme", "show", scheme_id], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    out = result.stdout
    doc = json.loads(runner.invoke(app, ["scheme", "show", scheme_id, "--json"]).stdout)
    assert "考核构成与权重" in out
    assert ("等级名额" in out) == bool(doc["grades"])
    assert ("按总分定等" in out) == bool(doc["bands"])
    assert ("升类：" in out) == ("promote" in doc["moves"])
    assert ("升降类：本方案没有升降类" in out) == (not doc["moves"])
    assert ("否决事项的处理" in out) == bool(doc["vetoes"])
    assert ("本方案没有否决处理" in out) == (not doc["vetoes"])
    assert ("荣誉：本方案没有荣誉" in out) == (not doc["honours"])
    for h in doc["honours"]:
        assert h["name"] in out
    assert "原文未规定，默认的取值" in out and doc["defaults"]
    for d in doc["defaults"]:
        assert d["rule"] in out and d["mark"] == "原文未规定，默认"
    assert "未参加考核（参加 = 否）" in out and "公示：5 个工作日" in out


def test_show_json_of_jiangsu() -> None:
    doc = json.loads(runner.invoke(app, ["scheme", "show", "js-2024-society", "--json"]).stdout)
    assert doc["population"] == "js-2024-society"
    # 「依次按照前位30%、中位40%、后位30%」: A from the top, C from the bottom, B the rest
    assert [(g["grade"], g["side"], g["fraction"], g["rounding"]) for g in doc["grades"]] == [
        ("A", "top", "0.3", "half_up"),
        ("B", "rest", None, "half_up"),
        ("C", "bottom", "0.3", "half_up"),
    ]
    assert doc["moves"]["promote"] == {
        "tiers": ["二类", "三类", "四类"],
        "grade": "A",
        "fraction": "1/3",
    }
    assert [(h["name"], h["target"]) for h in doc["honours"]] == [
        ("一流学会", 20),
        ("争先进位学会", 10),
    ]
    assert doc["honours"][1]["progress"] == {"reading": "promoted", "places": 1}
    assert [(d["what"], d["date"], d["consequence"]) for d in doc["deadlines"]] == [
        ("年度工作计划", "2024-03-31", "warning"),
        ("集中考核佐证材料", "2024-11-30", "warning"),
    ]
    parts = doc["components"][0]["parts"]
    assert parts[0]["weights"] == {"一类": "20", "二类": "40", "三类": "60", "四类": "70"}
    assert parts[2]["cap"] == "20"


def test_show_marks_defaults_of_every_scheme() -> None:
    expected = {
        "cq-2020-county": "特等、一等名额",
        "lyg-2018-county": "先进单位名额",
        "star-society-2015": "合格线",
        "sz-2022-capacity": "奖补最低分",
        "js-2024-society": "公示",
    }
    for scheme_id, rule in expected.items():
        doc = json.loads(runner.invoke(app, ["scheme", "show", scheme_id, "--json"]).stdout)
        assert rule in [d["rule"] for d in doc["defaults"]], scheme_id
    county = runner.invoke(app, ["scheme", "show", "cq-2020-county"], env={"COLUMNS": "200"})
    assert "有扣分项的单位最高评为一等" in county.stdout
    assert "不参加本次考核（视为未参与评价）" in county.stdout
    assert "3次及以上 10分" in county.stdout
    lyg = runner.invoke(app, ["scheme", "show", "lyg-2018-county"], env={"COLUMNS": "200"})
    assert "各单位 90篇" in lyg.stdout and "东海县 6场次" in lyg.stdout
    star = runner.invoke(app, ["scheme", "show", "star-society-2015"], env={"COLUMNS": "200"})
    assert "合格线：总分不低于 60；低于者：考核不合格，适时调整或终止资金支持" in star.stdout


def test_builtin_texts_cite_notices_by_title() -> None:
    for path in BUILTIN_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for word in ("种子", "seed", "SPEC", "(inferred)", "（inferred）"):
            assert word not in text, (path.name, word)


def test_programme_scheme_checked_in_chinese(tmp_path: Path) -> None:
    def edit(d: dict) -> None:  # type: ignore[type-arg]
        d["review_max"] = 0
        d["gates"][1].pop("date")
        d["categories"].append(dict(d["categories"][1]))

    messages = [e["message"] for e in _errors(_mine(tmp_path, "sz-2022-capacity", edit))]
    assert messages == [
        "资格条件 申报日期有误：截止日期条件（date_by）须写明日期（date）",
        "评审满分有误：须大于0，现为 0",
        "申报类别有误：名称重复：党建强会",
    ]


def test_unknown_key_and_weights_reported_at_once(tmp_path: Path) -> None:
    """An unknown key (an error) does not hide the weight sum (a warning): 0.7 + 0.1 + 0.1
    = 0.9, both listed in one run of scheme check."""

    def edit(d: dict) -> None:  # type: ignore[type-arg]
        d["components"][0]["weight"] = 0.7
        d["components"][1]["colour"] = "red"
        d["colour"] = "blue"

    path = _mine(tmp_path, "js-2024-society", edit)
    result = runner.invoke(app, ["scheme", "check", str(path), "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert sorted(e["message"] for e in doc["errors"]) == [
        "方案：不认识的键「colour」",
        "考核构成 website：不认识的键「colour」",
    ]
    assert [w["message"] for w in doc["warnings"]] == ["考核构成：权重合计为 0.9，不是 1"]
    screen = runner.invoke(app, ["scheme", "check", str(path)])
    assert screen.exit_code == 1
    assert "不认识的键「colour」" in screen.stderr
    assert "权重合计为 0.9，不是 1" in screen.stderr


def test_show_names_what_staff_read() -> None:
    """Tie-breakers by the component's name, counts in the notice's own unit word
    (cq-2020-society 2.4 「4分，2分/次」, 3 「15分，3分/项」), notes without file keys."""
    js = runner.invoke(app, ["scheme", "show", "js-2024-society"], env={"COLUMNS": "200"})
    assert "总分相同时依次比较：集中考核得分" in js.stdout
    cq = runner.invoke(app, ["scheme", "show", "cq-2020-society"], env={"COLUMNS": "200"})
    assert "2分/次，至多 4 分" in cq.stdout and "3分/项，至多 15 分" in cq.stdout
    for scheme_id in builtin_ids():
        shown = runner.invoke(app, ["scheme", "show", scheme_id], env={"COLUMNS": "200"}).stdout
        notes = [line for line in shown.splitlines() if line.startswith(("注：", "│"))]
        for key in ("honours", "vetoes", "deduction_best_grade", "rewards", "pass_score", "min("):
            assert not any(key in line for line in notes), (scheme_id, key)
    listed = runner.invoke(app, ["schemes"])
    assert listed.stdout.splitlines()[0].split("\t")[0] == "方案编号"
