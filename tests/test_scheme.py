"""Schemes as data: the built-in Jiangsu scheme and the checks on user-written files."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from kxassess.issues import KxError
from kxassess.scheme import builtin_ids, load_builtin, load_scheme, load_scheme_file
from kxassess.scheme.loader import BUILTIN_DIR
from kxassess.scheme.model import IndicatorsComponent, MonthlyComponent


def test_jiangsu_as_spec() -> None:
    s = load_builtin("js-2024-society")
    assert "js-2024-society" in builtin_ids()
    assert [(c.id, c.weight) for c in s.components] == [
        ("centralized", Fraction(4, 5)),
        ("website", Fraction(1, 10)),
        ("performance", Fraction(1, 10)),
    ]
    central = s.components[0]
    assert isinstance(central, IndicatorsComponent) and central.representative
    assert [(i.code, i.part, i.max) for i in central.indicators] == [
        *[(f"A{n}", "基础", 20) for n in range(1, 6)],
        *[(f"B{n}", "能力", 20) for n in range(1, 6)],
        *[(f"C{n}", "创新", 10) for n in range(1, 4)],
    ]
    basic, ability, innovation = central.parts
    assert [basic.weights[t] for t in s.tiers] == [20, 40, 60, 70]  # type: ignore[index]
    assert [ability.weights[t] for t in s.tiers] == [80, 60, 40, 30]  # type: ignore[index]
    assert innovation.cap == 20 and innovation.weights is None
    website = s.components[1]
    assert isinstance(website, MonthlyComponent) and list(website.months) == list(range(3, 12))
    assert [(g.grade, g.fraction, g.side, g.rounding) for g in s.grades] == [
        ("A", Fraction(3, 10), "top", "half_up"),
        ("B", None, "rest", "half_up"),
        ("C", Fraction(3, 10), "bottom", "half_up"),
    ]
    assert s.moves.promote and s.moves.promote.tiers == ("二类", "三类", "四类")
    assert s.moves.demote and s.moves.demote.tiers == ("一类", "二类", "三类")
    assert s.moves.promote.fraction == Fraction(1, 3)
    assert s.absence.absent.next_tier == "四类"
    assert s.tie_breakers == ("centralized",)


def _copy(tmp_path: Path, change: dict[str, object] | None = None, text: str | None = None) -> Path:
    data = yaml.safe_load((BUILTIN_DIR / "js-2024-society.yaml").read_text(encoding="utf-8"))
    data.update(change or {})
    path = tmp_path / "my-scheme.yaml"
    path.write_text(
        text if text is not None else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    return path


def test_copied_scheme_loads(tmp_path: Path) -> None:
    path = _copy(tmp_path, {"id": "js-2025-society", "year": 2025})
    assert load_scheme(str(path)).year == 2025


def test_unknown_key_named_with_file(tmp_path: Path) -> None:
    data = yaml.safe_load((BUILTIN_DIR / "js-2024-society.yaml").read_text(encoding="utf-8"))
    data["components"][0]["parts"][2]["capp"] = 20
    data["tie_breaker"] = ["centralized"]
    path = _copy(tmp_path, text=yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(KxError) as err:
        load_scheme_file(path)
    text = str(err.value)
    assert "my-scheme.yaml" in text
    assert "考核构成 centralized 部分 创新：不认识的键「capp」" in text
    assert "方案：不认识的键「tie_breaker」" in text


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"tie_breakers": ["nonexistent"]}, "考核构成「nonexistent」不存在"),
        (
            {
                "grades": [
                    {"grade": "A", "fraction": 0.7},
                    {"grade": "B", "fraction": 0.4},
                    {"grade": "C"},
                ]
            },
            "各等级比例合计超过1",
        ),
        (
            {"grades": [{"grade": "A", "fraction": "abc"}, {"grade": "C"}]},
            "等级 A 比例有误：应为数字",
        ),
        ({"tiers": ["一类", "二类"]}, "升类规则有误：类别「三类」不存在（可用：一类、二类）"),
        ({"id": "JS 2024"}, "方案编号有误"),
    ],
)
def test_bad_values_named(tmp_path: Path, change: dict[str, object], words: str) -> None:
    with pytest.raises(KxError) as err:
        load_scheme_file(_copy(tmp_path, change))
    assert words in str(err.value)


def test_duplicate_key_refused(tmp_path: Path) -> None:
    text = (BUILTIN_DIR / "js-2024-society.yaml").read_text(encoding="utf-8")
    path = _copy(tmp_path, text=text + "\nyear: 2025\n")
    with pytest.raises(KxError, match="写了两次"):
        load_scheme_file(path)


def test_unknown_builtin_lists_known() -> None:
    with pytest.raises(KxError, match="js-2024-society"):
        load_builtin("no-such-scheme")


def test_scheme_objects_are_frozen() -> None:
    s = load_builtin("js-2024-society")
    with pytest.raises(Exception):  # noqa: B017 - pydantic's ValidationError
        s.year = 2030  # type: ignore[misc]
