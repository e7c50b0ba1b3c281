"""The results workbook's bulk rows, pieced from each distinct value's cell XML
(kxassess/writing/xlsx_rows.py), make the same workbook as xlsxwriter's own API: the old way
and the new way are written for the sample years of several schemes and for odd values, and
compared part by part (bytes) and sheet by sheet, cell by cell (value, number or text,
number format, bold, fill, merged ranges, frozen panes, autofilter, print setup, conditional
formats, charts)."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
import xlsxwriter

from kxassess import api
from kxassess.inputs import Score, YearInput
from kxassess.issues import Issue, Severity
from kxassess.result import ScoreResult
from kxassess.scheme.model import Scheme
from kxassess.writing import excel, xlsx_block, xlsx_rows, xlsx_zip
from kxassess.writing.excel import write_results_workbook
from kxassess.writing.programme import write_programme_workbook
from kxassess.writing.xlsx import Book, add_sheet
from kxassess.writing.xlsx_scores import score_block

from .conftest import CASES, ROOT

SAMPLES = [*sorted((ROOT / "sample_data").glob("*.xlsx")), CASES / "small-year" / "input.xlsx"]
LONG = "长文本" * 6000  # over xlsxwriter's 16,383 characters: its own API writes it
ODD_TEXTS = [
    "=1+1",
    "<>&",
    "a\x01b\x1fc",
    "_x0041_ 转义样子",
    " 前后空格 ",
    "\t制表",
    "第一行\n第二行",
    "<r>rich</r>",
    '"引号"',
    "\ufffe",
    "表情 😀",
    "+1",
    "0012",
    "长" * 300,
    LONG,
]
ODD_VALUES: list[object] = [
    None,
    "",
    0,
    -3,
    10**20,
    True,
    False,
    Decimal("0.00"),
    Decimal("-12.35"),
    Decimal("85.10"),
    Decimal("1E+3"),
    0.1,
    -0.0,
    1e-7,
    Fraction(1, 3),
    *ODD_TEXTS,
]


def _old_judge_sheet(
    book: Book, scheme: Scheme, units: Sequence[Any], scores: Sequence[Score]
) -> None:
    """专家评分 as the workbook wrote it before the rows were pieced (the reference)."""
    inds = [i.code for c in scheme.indicator_components for i in c.indicators]
    position = {code: n for n, code in enumerate(inds)}
    names = {u.code: u.name for u in units}
    table: dict[tuple[str, str], list[float | None]] = {}
    for s in scores:
        row = table.get((s.judge, s.unit))
        if row is None:
            row = table[(s.judge, s.unit)] = [None] * len(inds)
        row[position[s.indicator]] = float(s.value)
    headers = ["专家", "单位编码", "单位名称", *inds]
    ws = add_sheet(book, "专家评分", headers, [])
    for n, ((judge, unit), values) in enumerate(sorted(table.items()), start=1):
        ws.write_string(n, 0, judge)
        ws.write_string(n, 1, unit)
        ws.write_string(n, 2, names.get(unit, ""))
        for c, value in enumerate(values, start=3):
            if value is not None:
                ws.write_number(n, c, value, book.number)
    if table:
        ws.autofilter(0, 0, len(table), len(headers) - 1)
    for c, width in enumerate([10, 12, 24]):
        ws.set_column(c, c, width)


def _write(path: Path, result: ScoreResult, data: Any, old: bool) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        if old:
            mp.setattr(xlsx_rows, "ENABLED", False)
            mp.setattr(excel, "_judge_sheet", _old_judge_sheet)
        if isinstance(result.scheme, Scheme):
            write_results_workbook(path, result.scheme, result, data)
        else:
            write_programme_workbook(path, result, data.scores if data else ())
    return path


def _parts(path: Path) -> dict[str, bytes]:
    """Every part of the file but its creation time."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def _sheets(path: Path) -> dict[str, Any]:
    """What a person sees of each sheet, read back with openpyxl."""
    with zipfile.ZipFile(path) as z:
        charts = sum(1 for n in z.namelist() if n.startswith("xl/charts/chart"))
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"charts": charts, "order": wb.sheetnames}
    for ws in wb.worksheets:
        cells = [
            (
                c.coordinate,
                c.value,
                c.data_type,
                c.number_format,
                bool(c.font.b),
                c.fill.fgColor.rgb if c.fill.fill_type else None,
            )
            for row in ws.iter_rows()
            for c in row
            if c.value is not None or c.has_style
        ]
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "print": (
                ws.page_setup.orientation,
                ws.page_setup.paperSize,
                ws.page_setup.fitToWidth,
                ws.page_setup.fitToHeight,
                ws.sheet_properties.pageSetUpPr.fitToPage
                if ws.sheet_properties.pageSetUpPr
                else None,
                ws.print_title_rows,
                ws.print_title_cols,
                ws.oddFooter.center.text,
            ),
            "conditional": sorted(
                (str(cf.sqref), r.type, r.operator, tuple(r.formula or ()), r.dxfId)
                for cf in ws.conditional_formatting
                for r in cf.rules
            ),
            "widths": sorted(
                (k, round(d.width, 2)) for k, d in ws.column_dimensions.items() if d.width
            ),
        }
    return out


def _same(old: Path, new: Path) -> None:
    before, after = _parts(old), _parts(new)
    assert list(before) == list(after)
    for name in before:
        assert before[name] == after[name], f"{name} differs"
    assert _sheets(old) == _sheets(new)


def _scored(path: Path) -> tuple[ScoreResult, Any]:
    result, data = api._score(path, api.ScoreOptions(), None)
    assert result.ok, [i.message for i in result.issues if i.is_error]
    return result, data


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_years_write_the_same_workbook(sample: Path, tmp_path: Path) -> None:
    result, data = _scored(sample)
    _same(
        _write(tmp_path / "old.xlsx", result, data, True),
        _write(tmp_path / "new.xlsx", result, data, False),
    )


def _odd_year() -> tuple[ScoreResult, YearInput]:
    """The sample year with odd names, tiers, totals, issues and scores."""
    result, data = _scored(ROOT / "sample_data" / "2024.xlsx")
    totals = [None, Decimal("0.00"), Decimal("-5.25"), Decimal("100.00"), Decimal("59.99")]
    units = tuple(
        replace(
            u,
            name=ODD_TEXTS[n % len(ODD_TEXTS)] if n % 3 == 0 else u.name,
            total=totals[n % len(totals)] if n % 4 == 0 else u.total,
            previous_rank=-n if n % 5 == 0 else None,
            honours=(ODD_TEXTS[n % len(ODD_TEXTS)],) if n % 7 == 0 else u.honours,
        )
        for n, u in enumerate(result.units)
    )
    issues = tuple(
        Issue(Severity.WARNING, "odd", f"x.xlsx!表!A{n}", text) for n, text in enumerate(ODD_TEXTS)
    )
    values = [Fraction(0), Fraction(-3), Fraction(1, 3), Fraction(1234, 100), Fraction(10**9)]
    scores = tuple(
        replace(
            s,
            value=values[n % len(values)] if n % 11 == 0 else s.value,
            judge=ODD_TEXTS[n % 4] if n % 13 == 0 else s.judge,
        )
        for n, s in enumerate(data.scores)
        if n % 17  # some judges leave some indicators empty
    )
    return replace(result, units=units, issues=result.issues + issues), replace(data, scores=scores)


def test_odd_values_write_the_same_workbook(tmp_path: Path) -> None:
    result, data = _odd_year()
    old = _write(tmp_path / "old.xlsx", result, data, True)
    new = _write(tmp_path / "new.xlsx", result, data, False)
    _same(old, new)
    sheets = _sheets(new)
    names = [c[1:3] for c in sheets["汇总"]["cells"] if c[0].startswith("D")]
    issues = [c[1:3] for c in sheets["问题清单"]["cells"] if c[0].startswith("D")]
    assert ("=1+1", "s") in names and ("<>&", "s") in issues  # text, never a live formula
    assert (LONG, "s") in issues


def _plain_rows(path: Path, rows: list[list[object]], enabled: bool) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(xlsx_rows, "ENABLED", enabled)
        book = Book(path)
        ws = add_sheet(book, "表", [f"列{n}" for n in range(len(rows[0]))], rows)
        ws.write_string(len(rows) + 3, 0, "表后")
        book.close()
    return path


def _odd_rows() -> list[list[object]]:
    n = len(ODD_VALUES)
    return [[ODD_VALUES[(r * 7 + c) % n] for c in range(n)] for r in range(3 * n)] + [[None] * n]


def test_odd_values_in_every_column_and_position(tmp_path: Path) -> None:
    rows = _odd_rows()
    old, new = (
        _plain_rows(tmp_path / "o.xlsx", rows, False),
        _plain_rows(tmp_path / "n.xlsx", rows, True),
    )
    _same(old, new)
    cells = {c[0]: c for c in _sheets(new)["表"]["cells"]}
    assert "A2" not in cells and "B2" not in cells  # None and "" leave the cell empty
    assert cells["D2"][1:4] == (-3, "n", "General") and cells["G2"][1:3] == ("否", "s")
    assert cells["I2"][1:4] == (-12.35, "n", "0.00") and cells["E2"][1] == 10**20


def test_the_comparison_sees_a_number_written_as_text(tmp_path: Path) -> None:
    """The comparison can fail: the same value once as a number, once as text."""
    one = _plain_rows(tmp_path / "a.xlsx", [["甲", Decimal("1.50")]], True)
    other = _plain_rows(tmp_path / "b.xlsx", [["甲", "1.5"]], True)
    with pytest.raises(AssertionError):
        _same(one, other)
    with pytest.raises(AssertionError):
        assert _sheets(one) == _sheets(other)


def test_an_infinite_number_is_refused_as_before(tmp_path: Path) -> None:
    for enabled in (False, True):
        with pytest.raises(TypeError):
            _plain_rows(tmp_path / f"{enabled}.xlsx", [["甲", float("inf")]], enabled)


def _block(path: Path, texts: list[list[str]], numbers: np.ndarray, enabled: bool) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(xlsx_rows, "ENABLED", enabled)
        book = Book(path)
        ws = book.wb.add_worksheet("块")
        ws.write_row(0, 0, ["甲", "乙"], book.header)
        ws.set_row(7, 30)  # a row of its own height inside the block
        end = xlsx_block.write_block(ws, 1, texts, numbers, book.number)
        ws.write_string(end, 0, "块后")
        book.close()
    return path


@pytest.mark.parametrize("height", [False, True])
def test_a_block_of_text_and_number_columns(tmp_path: Path, height: bool) -> None:
    rows = 40
    texts = [[ODD_TEXTS[(r + k) % (len(ODD_TEXTS) - 1)] for r in range(rows)] for k in range(3)]
    texts[1][5] = ""
    numbers = np.array(
        [
            [(-1) ** r * (r * 7 + c) / 3 if (r + c) % 5 else np.nan for c in range(4)]
            for r in range(rows)
        ]
    )
    numbers[9] = np.nan  # a row of no scores
    numbers[10] = [0.0, -0.0, 1e-7, 1e20]
    numbers[:, 2] = np.nan  # an indicator no judge scored
    if not height:
        texts = texts[:0]
    old = _block(tmp_path / "o.xlsx", texts, numbers, False)
    new = _block(tmp_path / "n.xlsx", texts, numbers, True)
    _same(old, new)


def test_score_block_sorts_and_keeps_the_last_of_repeated_scores() -> None:
    def score(judge: str, unit: str, ind: str, value: Fraction) -> Score:
        return Score(judge, unit, ind, value, "x")

    scores = [
        score("乙", "U2", "B", Fraction(3, 2)),
        score("甲", "U9", "A", Fraction(7)),
        score("乙", "U1", "A", Fraction(1)),
        score("乙", "U2", "B", Fraction(5, 2)),  # repeated: the last counts
    ]
    judges, units, values = score_block(scores, ["A", "B"])
    assert (judges, units) == (["乙", "乙", "甲"], ["U1", "U2", "U9"])
    assert np.array_equal(
        values, np.array([[1.0, np.nan], [np.nan, 2.5], [7.0, np.nan]]), equal_nan=True
    )


def test_the_installed_xlsxwriter_is_one_whose_internals_were_checked(tmp_path: Path) -> None:
    """Fails loudly when xlsxwriter changes under the pieced rows: a version outside the
    checked range (update CHECKED and pyproject.toml together, after these tests pass) or
    internals that are gone."""
    book = Book(tmp_path / "v.xlsx")
    ws = book.wb.add_worksheet("表")
    assert xlsx_rows.CHECKED[0] <= xlsx_rows._version() <= xlsx_rows.CHECKED[1], (
        f"xlsxwriter {xlsxwriter.__version__} is outside the checked range {xlsx_rows.CHECKED}"
    )
    assert xlsx_rows.supported(ws)
    book.close()


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    _soffice() is None and os.environ.get("KXASSESS_REQUIRE_LIBREOFFICE") != "1",
    reason="LibreOffice is not installed",
)
def test_libreoffice_opens_the_odd_workbook(tmp_path: Path) -> None:
    soffice = _soffice()
    assert soffice is not None
    result, data = _odd_year()
    book = _write(tmp_path / "odd.xlsx", result, data, False)
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path / "csv"),
            str(book),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stdout + done.stderr, done.stdout + done.stderr
    text = (tmp_path / "csv" / "odd.csv").read_text(encoding="utf-8", errors="replace")
    assert "排名" in text or "单位编码" in text


def test_the_workbook_is_zipped_at_level_5_and_xlsxwriter_left_as_it_was(tmp_path: Path) -> None:
    """Fails loudly when xlsxwriter stops making its zip file with zipfile.ZipFile."""
    import xlsxwriter.workbook

    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
    with xlsx_zip.zip_level() as done:
        assert done
        archive = xlsxwriter.workbook.ZipFile(tmp_path / "z.zip", "w")
        assert archive.compresslevel == xlsx_zip.LEVEL == 5
        archive.close()
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
    book = _plain_rows(tmp_path / "b.xlsx", _odd_rows(), True)
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist())


@pytest.mark.parametrize("odd", [False, True])
def test_score_rows_from_the_table_as_from_scores(odd: bool) -> None:
    """The 专家评分 rows taken from the score table's columns equal those taken score by
    score: same rows in the same order (judge, then unit, as text), same floats, NaN where
    a judge gave none; odd exact values (thirds, three decimals) included."""
    from kxassess.scoretable import ScoreTable

    values = [Fraction(17, 2), Fraction(0), Fraction(20), Fraction(267, 100)]
    if odd:
        values += [Fraction(10, 3), Fraction(2675, 1000)]
    scores = [
        Score(judge, unit, ind, values[(j * 7 + u * 3 + i) % len(values)], ("a!b", 2, 3))
        for j, judge in enumerate(["专家乙", "专家甲", "Z"])
        for u, unit in enumerate(["U10", "U02", "U1"])
        for i, ind in enumerate(["B1", "A1", "A2"])
        if (j + u + i) % 4  # holes
    ]
    table = ScoreTable.from_scores(scores)
    indicators = ["A1", "A2", "B1", "C9"]
    judges, codes, block = score_block(table, indicators)
    old_judges, old_codes, old_block = score_block(list(scores), indicators)
    assert (judges, codes) == (old_judges, old_codes)
    assert judges[0] == "Z" and codes[:3] == ["U02", "U1", "U10"]  # text order, by hand
    np.testing.assert_array_equal(block, old_block)  # NaN equals NaN here
    assert np.isnan(block[:, 3]).all()
