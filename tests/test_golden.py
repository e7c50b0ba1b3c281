"""Golden cases: every folder in tests/cases/ with an input.xlsx and an expected.json.

The expected results are written by hand (see each case's README.md for the working).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kxassess import api

from .conftest import CASES

CASE_DIRS = sorted(p for p in CASES.iterdir() if (p / "expected.json").is_file())


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_golden_case(case: Path, tmp_path: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    result = api.score(case / "input.xlsx", api.ScoreOptions(out=tmp_path, write=False))
    got = result.to_dict()
    assert got["scheme"] == expected["scheme"]
    assert got["year"] == expected["year"]
    assert [i.code for i in result.issues] == expected["issue_codes"]
    # cases written before 审定 existed have no overrides key: none were applied
    assert got["units"] == [{"overrides": [], **u} for u in expected["units"]]


def test_cases_were_found() -> None:
    assert {p.name for p in CASE_DIRS} >= {"small-year", "small-year-wide"}
