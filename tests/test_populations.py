"""Populations in the registry: one code, several units (Chongqing numbers every kind from
CQ001), and the migration of a registry written before populations existed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from kxassess import api
from kxassess.cli import app
from kxassess.registry import open_registry
from kxassess.registry.migrations import MIGRATIONS
from kxassess.registry.runs import list_runs

from .conftest import ROOT, js_year

runner = CliRunner()
SAMPLES = ROOT / "sample_data"
CQ = {
    "county": "万州区科协",
    "society": "重庆市机械工程学会",
    "enterprise": "长安汽车科协",
    "university": "重庆大学科协",
}


def _score_all(reg: Path, out: Path) -> None:
    for kind in CQ:
        result = api.score(
            SAMPLES / f"cq-2020-{kind}.xlsx", api.ScoreOptions(out=out / kind, registry=reg)
        )
        assert result.ok, [i.message for i in result.issues if i.is_error]


def test_four_chongqing_samples_keep_their_own_names(tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    _score_all(reg, tmp_path)
    done = runner.invoke(app, ["history", "CQ001", "--json", "--registry", str(reg)])
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert {p["population"]: p["name"] for p in doc["populations"]} == {
        f"cq-{kind}": name for kind, name in CQ.items()
    }
    assert {(y["scheme"], y["name"]) for y in doc["years"]} == {
        (f"cq-2020-{kind}", name) for kind, name in CQ.items()
    }
    one = runner.invoke(
        app, ["history", "CQ001", "--population", "cq-county", "--json", "--registry", str(reg)]
    )
    doc = json.loads(one.stdout)
    assert doc["name"] == "万州区科协"
    assert [y["scheme"] for y in doc["years"]] == ["cq-2020-county"]
    screen = runner.invoke(app, ["history", "CQ001", "--registry", str(reg)])
    assert "重庆大学科协" in screen.stdout and "万州区科协" in screen.stdout
    missing = runner.invoke(
        app, ["history", "CQ001", "--population", "cq-nothing", "--registry", str(reg)]
    )
    assert missing.exit_code == 1 and "考核对象群体 cq-nothing" in missing.stderr
    tiers = runner.invoke(
        app, ["tiers", "--population", "cq-society", "--json", "--registry", str(reg)]
    )
    assert tiers.exit_code == 0, tiers.output


def test_a_renamed_unit_is_a_warning_and_recorded(
    make_book: Callable[..., Path], tmp_path: Path
) -> None:
    reg = tmp_path / "kx.db"
    full = [15] * 10 + [5, 5, 5]
    first = make_book(
        js_year(
            [("S01", "甲学会", "一类", ""), ("S02", "乙学会", "一类", "")],
            {"S01": full, "S02": full},
        ),
        "a.xlsx",
    )
    assert api.score(first, api.ScoreOptions(out=tmp_path / "o", registry=reg)).ok
    second = make_book(
        js_year(
            [("S01", "甲学会", "一类", ""), ("S02", "新乙学会", "一类", "")],
            {"S01": full, "S02": full},
        ),
        "b.xlsx",
    )
    result = api.score(second, api.ScoreOptions(out=tmp_path / "o", registry=reg))
    renamed = [i for i in result.issues if i.code == "unit-renamed"]
    assert len(renamed) == 1 and not renamed[0].is_error
    assert "「乙学会」" in renamed[0].message and "「新乙学会」" in renamed[0].message
    conn = sqlite3.connect(reg)
    assert conn.execute(
        "SELECT population, code, old_name, new_name FROM unit_renames"
    ).fetchall() == [("js-2024-society", "S02", "乙学会", "新乙学会")]


def _old_registry(path: Path) -> None:
    """A registry exactly as kxassess wrote it before populations: schema 1, with rows
    inserted by the statements that version used."""
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)"
    )
    version, script = MIGRATIONS[0]
    assert version == 1
    with conn:
        for statement in script.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (1, datetime('now'))")
    rows = [
        # scheme, year, code, name, tier
        ("cq-2020-county", 2020, "CQ001", "万州区科协", None),
        ("cq-2020-society", 2020, "CQ001", "重庆市机械工程学会", None),
        ("js-2024-society", 2024, "S01", "甲学会", "二类"),
    ]
    with conn:
        for position, (scheme, year, code, name, tier) in enumerate(rows):
            conn.execute(
                "INSERT INTO runs (started, finished, scheme, year, inputs, version, exit_code, "
                "digest) VALUES ('2025-01-01T09:00:00+08:00', '2025-01-01T09:00:05+08:00', "
                "?, ?, '[]', '0.9.0', 0, 'x')",
                (scheme, year),
            )
            # the old code upserted units by code alone: the last scheme's name wins
            conn.execute(
                "INSERT INTO units (code, name, attributes, updated) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                "attributes = excluded.attributes, updated = excluded.updated",
                (code, name, "{}", "2025-01-01"),
            )
            if tier is not None:
                conn.execute(
                    "INSERT OR REPLACE INTO unit_tiers VALUES (?, ?, ?, 'roster')",
                    (code, year, tier),
                )
            conn.execute(
                "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    scheme,
                    year,
                    code,
                    name,
                    tier,
                    "全部",
                    "scored",
                    "90.00",
                    "{}",
                    1,
                    "一等",
                    "promote" if tier else None,
                    "一类" if tier else None,
                    "[]",
                    "[]",
                    position,
                ),
            )
        conn.execute("INSERT INTO unit_tiers VALUES ('S01', 2025, '一类', 'moves')")
    conn.close()


def test_migration_from_the_schema_before_populations(tmp_path: Path) -> None:
    reg = tmp_path / "old.db"
    _old_registry(reg)
    with open_registry(reg) as r:
        assert r.populations() == ["cq-county", "cq-society", "js-2024-society"]
        assert r.unit_names("cq-county") == {"CQ001": "万州区科协"}
        assert r.unit_names("cq-society") == {"CQ001": "重庆市机械工程学会"}
        assert r.tiers_for(2024, "js-2024-society") == {"S01": "二类"}
        assert r.tiers_for(2025, "js-2024-society") == {"S01": "一类"}
        assert [(h.population, h.name) for h in r.history("CQ001")] == [
            ("cq-county", "万州区科协"),
            ("cq-society", "重庆市机械工程学会"),
        ]
        versions = r.conn.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
        assert versions == [(1,), (2,), (3,), (4,)]
        # the old audit rows are runs with no kept results
        assert [x.number for x in list_runs(r.conn)] == [1, 2, 3]
    # opening again changes nothing
    with open_registry(reg) as r:
        assert r.populations() == ["cq-county", "cq-society", "js-2024-society"]


def _roster(path: Path) -> list[tuple[object, ...]]:
    import openpyxl

    sheet = openpyxl.load_workbook(path)["考核对象"]
    return list(sheet.iter_rows(values_only=True))


def test_chongqing_rosters_without_tiers(tmp_path: Path) -> None:
    """The Chongqing schemes have no 类别: a year's roster is every unit scored that
    year, and --promote carries each of them on to the next year with a blank 类别.
    cq-2020-society.xlsx lists 28 societies (CQ001 重庆市机械工程学会 … CQ028, absent)."""
    reg = tmp_path / "kx.db"
    _score_all(reg, tmp_path)
    args = ["--registry", str(reg)]
    shown = runner.invoke(app, ["tiers", "--population", "cq-society", *args])
    assert shown.exit_code == 0, shown.output
    assert "cq-2020-society：本方案不分类别，没有升类、降类" in shown.stderr
    assert "尚未应用" not in shown.stderr
    done = runner.invoke(app, ["tiers", "--promote", "--population", "cq-society", *args])
    assert done.exit_code == 0, done.output
    assert "已把 28 家单位记入 2021 年度的考核对象名单（类别留空）" in done.stderr
    for year in (2020, 2021):
        target = tmp_path / f"名单-{year}.xlsx"
        out = runner.invoke(
            app,
            ["roster", "--year", str(year), "--population", "cq-society", "-o", str(target), *args],
        )
        assert out.exit_code == 0, out.output
        assert "（28 家单位）" in out.stderr
        rows = _roster(target)
        assert rows[0][:3] == ("单位编码", "单位名称", "类别")
        assert rows[1][:3] == ("CQ001", "重庆市机械工程学会", None)
        assert [r[0] for r in rows[1:]] == [f"CQ{n:03d}" for n in range(1, 29)]
    # the county population was not promoted: it has a 2020 roster (39 units), no 2021 one
    county = runner.invoke(
        app,
        [
            "roster",
            "--year",
            "2021",
            "--population",
            "cq-county",
            "-o",
            str(tmp_path / "c.xlsx"),
            *args,
        ],
    )
    assert county.exit_code == 1 and "2021" in county.stderr
    county = runner.invoke(
        app,
        [
            "roster",
            "--year",
            "2020",
            "--population",
            "cq-county",
            "-o",
            str(tmp_path / "c.xlsx"),
            *args,
        ],
    )
    assert county.exit_code == 0 and "（39 家单位）" in county.stderr
    # never one sheet of four populations whose codes all start at CQ001
    mixed = runner.invoke(app, ["roster", "--year", "2020", "-o", str(tmp_path / "m.xlsx"), *args])
    assert mixed.exit_code == 1 and not (tmp_path / "m.xlsx").exists()
    assert "cq-county、cq-enterprise、cq-society、cq-university" in mixed.stderr
    assert "--population" in mixed.stderr
    # a blank 类别 on the roster fills nothing in the next year's workbook
    with open_registry(reg, create=False) as opened:
        assert opened.tiers_for(2021, "cq-society") == {}


def test_tiers_of_a_programme_say_it_has_none(tmp_path: Path) -> None:
    reg = tmp_path / "kx.db"
    result = api.score(SAMPLES / "sz-2022.xlsx", api.ScoreOptions(out=tmp_path, registry=reg))
    assert result.ok
    shown = runner.invoke(app, ["tiers", "--registry", str(reg)])
    assert shown.exit_code == 0, shown.output
    assert "sz-2022-capacity：本方案评审申报项目，没有类别和升类、降类" in shown.stderr
    assert "尚未应用" not in shown.stderr
    done = runner.invoke(app, ["tiers", "--promote", "--registry", str(reg)])
    assert "没有下一年度的考核对象名单" in done.stderr
