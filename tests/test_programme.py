"""The Suzhou project programme: workbook, stages, validation, award ties, registry."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import openpyxl

from kxassess import api

from .conftest import CASES

SZ = CASES / "sz-capacity" / "input.xlsx"


def test_programme_workbook_stages_and_reasons(tmp_path: Path) -> None:
    result = api.score(SZ, api.ScoreOptions(out=tmp_path))
    assert result.ok
    xlsx = next(p for p in result.outputs if p.endswith(".xlsx"))
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames[:2] == ["申报汇总", "综合示范学会建设"]
    rows = {r[2]: r for r in wb["申报汇总"].iter_rows(min_row=2, values_only=True)}
    stage = {code: r[10] for code, r in rows.items()}
    assert stage == {
        "A01": "公示发文",
        "A02": "公示发文",
        "A05": "公示发文",
        "A07": "公示发文",
        "A12": "表彰奖补",
        "A06": "绩效评审",
        "A11": "绩效评审",
        "A10": "项目实施",
        "A03": "申报",
        "A04": "申报",
        "A08": "申报",
        "A09": "申报",
    }
    assert rows["A04"][5] == "未通过"
    assert rows["A04"][6] == "须获评3A级以上（含）社会组织且在有效期内"
    assert rows["A01"][7] == "是" and rows["A01"][9] == "是"


def _edit(tmp_path: Path, edits: dict[str, object], sheet: str = "申报") -> Path:
    target = tmp_path / "sz.xlsx"
    shutil.copy(SZ, target)
    wb = openpyxl.load_workbook(target)
    for cell, value in edits.items():
        wb[sheet][cell] = value
    wb.save(target)
    return target


def test_programme_validation(tmp_path: Path) -> None:
    path = _edit(tmp_path, {"E3": "科普行动", "F8": "党建品牌", "G4": "4月12日", "J5": "优秀"})
    result = api.score(path, api.ScoreOptions(write=False))
    found = {i.code: i.source for i in result.issues}
    assert found["unknown-category"] == "sz.xlsx!申报!E3"
    assert found["unknown-subtype"] == "sz.xlsx!申报!F8"
    assert found["bad-value"] in ("sz.xlsx!申报!G4", "sz.xlsx!申报!J5")
    assert {i.source for i in result.issues if i.code == "bad-value"} == {
        "sz.xlsx!申报!G4",
        "sz.xlsx!申报!J5",
    }
    review = _edit(tmp_path, {"B2": "Z99", "C3": 101}, sheet="绩效评审")
    bad = api.score(review, api.ScoreOptions(write=False))
    assert {(i.code, i.source) for i in bad.issues if i.is_error} == {
        ("unknown-application", "sz.xlsx!绩效评审!B2"),
        ("out-of-range", "sz.xlsx!绩效评审!C3"),
    }


def test_tie_beyond_the_award_cap_is_warned(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(SZ)
    ws = wb["绩效评审"]
    for row in ws.iter_rows(min_row=2):
        if row[1].value == "A06":
            row[2].value = 87  # A06 joins A02 and A05 at 87.00
    path = tmp_path / "tie.xlsx"
    wb.save(path)
    result = api.score(path, api.ScoreOptions(write=False))
    awarded = sorted(u.code for u in result.units if u.honours and u.group == "综合示范学会建设")
    assert awarded == ["A01", "A02", "A05", "A06"]
    warning = next(i for i in result.issues if i.code == "award-tie")
    assert warning.message == (
        "综合示范学会建设：4 个申报在 3 个奖补名额的末位并列（A01、A02、A05、A06），均列为奖补"
    )


def test_programme_in_registry_has_no_unit_tiers(tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    assert api.score(SZ, api.ScoreOptions(out=tmp_path / "o", registry=reg)).ok
    conn = sqlite3.connect(reg)
    assert conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 12
    assert conn.execute("SELECT COUNT(*) FROM unit_tiers").fetchone()[0] == 0
