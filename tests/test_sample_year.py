"""The bundled sample year (sample_data/2024.xlsx) scores cleanly and shows its features."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kxassess import api
from kxassess.result import Status

from .conftest import ROOT

SAMPLE = ROOT / "sample_data" / "2024.xlsx"


def test_sample_year(tmp_path: Path) -> None:
    result = api.score(SAMPLE, api.ScoreOptions(out=tmp_path, write=False))
    assert result.ok, result.issues
    assert len(result.units) == 44
    status = Counter(u.status for u in result.units)
    assert status == {Status.SCORED: 42, Status.ABSENT: 1, Status.EXCUSED: 1}
    tiers = Counter(u.tier for u in result.units)
    assert tiers == {"一类": 10, "二类": 12, "三类": 12, "四类": 10}
    # the two identical societies of 三类 share a rank and a grade
    twins = [u for u in result.units if u.name in ("江苏省营养学会", "江苏省硅酸盐学会")]
    assert twins[0].total == twins[1].total and twins[0].rank == twins[1].rank
    assert twins[0].grade == twins[1].grade
    # within each tier, quotas by round_half_up: 一类 n=10 → 3 A (ties may add)
    a_count = sum(1 for u in result.units if u.tier == "一类" and u.grade == "A")
    assert a_count >= 3
    absent = next(u for u in result.units if u.status is Status.ABSENT)
    assert absent.next_tier == "四类" and absent.flags == ("suspend_capacity_projects",)
