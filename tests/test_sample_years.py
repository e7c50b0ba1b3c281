"""Every bundled sample year scores cleanly; Chongqing's four in one run do not mix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kxassess import api
from kxassess.cli import app
from kxassess.result import Status

from .conftest import OUTPUT_KINDS, ROOT

SAMPLES = ROOT / "sample_data"
CQ = ["cq-2020-county", "cq-2020-society", "cq-2020-enterprise", "cq-2020-university"]
runner = CliRunner()


@pytest.mark.parametrize(
    ("name", "scheme", "units"),
    [
        ("lyg-2018", "lyg-2018-county", 6),
        ("cq-2020-county", "cq-2020-county", 39),
        ("cq-2020-society", "cq-2020-society", 28),
        ("cq-2020-enterprise", "cq-2020-enterprise", 14),
        ("cq-2020-university", "cq-2020-university", 11),
        ("sz-2022", "sz-2022-capacity", 24),
        ("star-2015", "star-society-2015", 18),
    ],
)
def test_sample_year_scores(name: str, scheme: str, units: int) -> None:
    result = api.score(SAMPLES / f"{name}.xlsx", api.ScoreOptions(write=False))
    assert result.ok, [i for i in result.issues if i.is_error]
    assert result.scheme is not None and result.scheme.id == scheme
    assert len(result.units) == units


def test_lyg_sample_recusal_veto_and_honour() -> None:
    result = api.score(SAMPLES / "lyg-2018.xlsx", api.ScoreOptions(write=False))
    assert sum(1 for i in result.issues if i.code == "recused") == 6
    advanced = [u for u in result.units if "先进单位" in u.honours]
    assert len(advanced) >= 2 and all(u.code != "LYG05" for u in advanced)


def test_cq_county_sample_features() -> None:
    result = api.score(SAMPLES / "cq-2020-county.xlsx", api.ScoreOptions(write=False))
    codes = {i.code for i in result.issues}
    assert {"respondents", "self-gap"} <= codes
    status = {u.status for u in result.units}
    assert Status.ABSENT in status
    grades = [u.grade for u in result.units if u.status is Status.SCORED]
    assert grades.count("特等") >= round(0.2 * len(grades))
    assert all(u.grade != "特等" for u in result.units if u.deduction)


def test_chongqing_four_workbooks_one_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = [
        "score",
        *[str(SAMPLES / f"{s}.xlsx") for s in CQ],
        "--out",
        str(out),
        "--registry",
        str(tmp_path / "kx.db"),
        "--json",
        "--date",
        "2021-01-15",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    docs = json.loads(result.stdout)
    assert [d["scheme"] for d in docs] == CQ
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == sorted(f"{s}-2020-{kind}" for s in CQ for kind in OUTPUT_KINDS)
    for doc in docs:  # each document lists only its own units and outputs
        assert all(doc["scheme"] in p for p in doc["outputs"])
    society = {u["code"] for u in docs[1]["units"]}
    county = {u["name"] for u in docs[0]["units"]}
    assert len(society) == 28 and all(n.endswith("科协") for n in county)


def test_one_bad_workbook_does_not_stop_the_others(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    args = [
        "score",
        str(bad),
        str(SAMPLES / "star-2015.xlsx"),
        "--out",
        str(tmp_path / "o"),
        "--no-registry",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert (tmp_path / "o" / "star-society-2015-2015-结果.xlsx").is_file()
    assert "bad.xlsx" in result.stderr
