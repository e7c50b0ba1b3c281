"""The seed schemes: pinned codes, points as transcribed, and `scheme check`."""

from __future__ import annotations

import json
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kxassess.cli import app
from kxassess.scheme import builtin_ids, load_builtin
from kxassess.scheme.loader import BUILTIN_DIR

runner = CliRunner()

PINNED = {
    "lyg-2018-county": [str(i) for i in range(1, 24)] + ["加1", "加2", "加3"],
    "cq-2020-county": [
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "3.5",
        "3.6",
        "4.1",
        "4.2",
        "4.3",
        "5",
        "6",
        "7",
        "8.1",
        "8.2",
        "8.3",
    ],
    "cq-2020-society": ["1", "2.1", "2.2", "2.3", "2.4", "3", "4", "5.1", "5.2", "5.3", "5.4"],
    "cq-2020-enterprise": [
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "3.1",
        "3.2",
        "4.1",
        "4.2",
        "4.3",
        "5.1",
        "5.2",
        "5.3",
    ],
    "cq-2020-university": [
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
        "4.1",
        "4.2",
        "4.3",
        "5.1",
        "5.2",
        "5.3",
    ],
}
EVENTS = {
    "cq-2020-county": ["加1a", "加1b", "加2a", "加2b", "加3a", "加3b", "加4", "减1", "减2"],
    "cq-2020-society": ["加1", "加2", "减1", "减2"],
    "cq-2020-enterprise": ["加1", "加2", "减1", "减2", "减3", "减4"],
    "cq-2020-university": ["加1", "加2", "减1", "减2", "减3", "减4"],
}


def test_every_seed_is_built_in() -> None:
    assert set(builtin_ids()) >= {
        "js-2024-society",
        "lyg-2018-county",
        "cq-2020-county",
        "cq-2020-society",
        "cq-2020-enterprise",
        "cq-2020-university",
        "sz-2022-capacity",
        "star-society-2015",
    }


@pytest.mark.parametrize("scheme_id", sorted(PINNED))
def test_pinned_codes_and_points(scheme_id: str) -> None:
    scheme = load_builtin(scheme_id)
    comp = scheme.indicator_components[0]
    assert [i.code for i in comp.indicators] == PINNED[scheme_id]
    base = sum(i.max for i in comp.indicators if not i.code.startswith("加"))
    assert base == 100
    if scheme_id in EVENTS:
        assert list(scheme.event_codes) == EVENTS[scheme_id]
        assert comp.events and comp.events.item_cap == 3
        assert comp.events.bonus_cap == 10 and comp.events.deduction_cap == 10
        assert comp.events.deduction_best_grade == "一等"
        assert [g.grade for g in scheme.grades] == ["特等", "一等", "二等"]
        assert [g.fraction for g in scheme.grades] == [Fraction(1, 5), Fraction(2, 5), None]
        assert scheme.vetoes["取消特等"].best_grade == "一等"
        assert scheme.vetoes["取消一等"].best_grade == "二等"
        assert scheme.vetoes["不予考核"].exclude


def test_lyg_details() -> None:
    s = load_builtin("lyg-2018-county")
    comp = s.indicator_components[0]
    by_part = Counter[str]()
    for i in comp.indicators:
        by_part[i.part] += i.max  # type: ignore[assignment]
    assert list(by_part.values()) == [13, 28, 26, 7, 26, 10]
    assert [(g.name, g.weight) for g in comp.judge_groups] == [
        ("市科协领导", Fraction(2, 5)),
        ("机关各部门", Fraction(3, 10)),
        ("县区科协", Fraction(3, 10)),
    ]
    assert comp.recusal
    assert comp.parts[-1].cap == 10
    assert [i.max for i in comp.indicators[-3:]] == [4, 4, 2]
    assert s.honours[0].name == "先进单位" and s.honours[0].fraction == Fraction(1, 3)
    assert s.vetoes["一票否决"].bars_honours == ("先进单位",)
    targets = {t.indicator: t for t in s.targets}
    assert set(targets) == {"1", "3", "5", "7", "8", "14", "18", "21", "23"}
    assert targets["23"].at_least == 90
    assert targets["5"].by_unit == {
        "东海县": 6,
        "灌云县": 6,
        "灌南县": 6,
        "赣榆区": 6,
        "海州区": 4,
        "连云区": 4,
    }
    assert targets["14"].attribute == "科普大篷车"
    assert targets["14"].by_attribute == {"有": 30, "无": 12}


def test_chongqing_inferred_and_rates() -> None:
    county = load_builtin("cq-2020-county").all_indicators
    assert county["6"].inferred and county["6"].max == 10
    society = load_builtin("cq-2020-society").all_indicators
    assert society["1"].inferred and society["1"].max == 20
    assert [(c, society[c].rate, society[c].max) for c in ("2.1", "2.3", "2.4", "3", "4")] == [
        ("2.1", 5, 10),
        ("2.3", 3, 6),
        ("2.4", 2, 4),
        ("3", 3, 15),
        ("4", 5, 15),
    ]
    cq = load_builtin("cq-2020-county")
    assert [(c.id, c.weight) for c in cq.components] == [
        ("work", Fraction(7, 10)),
        ("service", Fraction(1, 5)),
        ("leadership", Fraction(1, 10)),
    ]
    assert cq.tie_breakers == ("work",)


def test_star_bands_and_rewards() -> None:
    s = load_builtin("star-society-2015")
    assert [(b.grade, b.min, b.below) for b in s.bands] == [
        ("★★★★★", 90, None),
        ("★★★★", 80, 90),
        ("★★★", 70, 80),
    ]
    assert set(s.rewards) == {"★★★★★", "★★★★", "★★★"}
    assert s.downgrade_flags == ("star_downgraded", "funding_review")


def test_scheme_check_builtins() -> None:
    for scheme_id in ("js-2024-society", "lyg-2018-county", "cq-2020-county", "star-society-2015"):
        result = runner.invoke(app, ["scheme", "check", scheme_id, "--json"])
        assert result.exit_code == 0
        assert json.loads(result.stdout)["warnings"] == []
    society = runner.invoke(app, ["scheme", "check", "cq-2020-society", "--json"])
    warnings = json.loads(society.stdout)["warnings"]
    assert [(w["code"], w["source"]) for w in warnings] == [
        ("rate-above-cap", "cq-2020-society: 加减分项 加1"),
        ("rate-above-cap", "cq-2020-society: 加减分项 加2"),
    ]


def _user_scheme(tmp_path: Path, base: str, **changes: object) -> Path:
    data = yaml.safe_load((BUILTIN_DIR / f"{base}.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_scheme_check_bands_gap_and_overlap(tmp_path: Path) -> None:
    bands = [
        {"grade": "5A", "min": 900},
        {"grade": "4A", "min": 750, "below": 850},
        {"grade": "3A", "min": 600, "below": 800},
    ]
    path = _user_scheme(tmp_path, "star-society-2015", id="my-stars", bands=bands, rewards={})
    result = runner.invoke(app, ["scheme", "check", str(path), "--json"])
    assert result.exit_code == 0
    found = {(w["code"], w["message"]) for w in json.loads(result.stdout)["warnings"]}
    assert ("band-gap", "分数段 4A/5A：850 分至 900 分以下没有对应等级") in found
    assert ("band-overlap", "分数段 3A/4A：750 分至 800 分以下同属两个等级") in found


def test_scheme_check_weights_and_errors(tmp_path: Path) -> None:
    data = yaml.safe_load((BUILTIN_DIR / "cq-2020-county.yaml").read_text(encoding="utf-8"))
    data["id"] = "my-county"
    data["components"][1]["weight"] = "25%"
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["scheme", "check", str(path), "--json"])
    warnings = json.loads(result.stdout)["warnings"]
    assert warnings[0]["message"] == "考核构成：权重合计为 1.05，不是 1"
    data["components"][0]["indicators"][1]["code"] = "1.1"  # a code used twice
    data["vetoes"]["取消特等"]["best_gradee"] = "一等"  # an unknown key
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    bad = runner.invoke(app, ["scheme", "check", str(path)])
    assert bad.exit_code == 1
    assert "mine.yaml" in bad.stderr
    assert "否决处理 取消特等：不认识的键「best_gradee」" in bad.stderr
    assert "考核构成 work有误：指标或加减分代码重复：1.1" in bad.stderr


def test_scheme_show_lists_targets_and_events() -> None:
    shown = runner.invoke(app, ["scheme", "show", "lyg-2018-county"])
    assert "东海县 6场次" in shown.stdout and "科普大篷车" in shown.stdout
    assert "市科协领导 40%" in shown.stdout
    cq = runner.invoke(app, ["scheme", "show", "cq-2020-society"])
    assert "5分/项" in cq.stdout and "推定" in cq.stdout and "加1" in cq.stdout
