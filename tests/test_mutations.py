"""Mutation test: the sample year corrupted in the ways
staff corrupt a workbook. Every run either reproduces the clean totals or exits with an
error naming the corrupted place (its sheet, and its cell where there is one).

A seeded generator picks, for each case, one corruption and where it strikes; building
each workbook from rows held in memory (openpyxl write-only) keeps hundreds of cases
within a few seconds of scoring each.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell import WriteOnlyCell

from kxassess import api
from kxassess.reading.cells import cell_ref

from .conftest import ROOT

SAMPLE = ROOT / "sample_data" / "2024.xlsx"
SEED = 20241129
CASES = 240
JUDGES = ["张明", "李华", "王芳", "刘洋", "陈静"]
SCORED_MONTHS = range(3, 12)  # the scheme's 3月…11月; other months are not scored
FULL_WIDTH = str.maketrans("0123456789ABCJS", "０１２３４５６７８９ＡＢＣＪＳ")


@dataclass
class Book:
    """A workbook as rows, with the sheets' states and error cells to write."""

    sheets: dict[str, list[list[object]]]
    hidden: dict[str, str] = field(default_factory=dict)  # sheet → hidden / veryHidden
    errors: set[tuple[str, int, int]] = field(default_factory=set)  # (sheet, row, col)

    def copy(self) -> Book:
        return Book({k: [list(r) for r in v] for k, v in self.sheets.items()})

    def rename(self, old: str, new: str) -> None:
        self.sheets = {(new if k == old else k): v for k, v in self.sheets.items()}

    def save(self, path: Path) -> Path:
        wb = openpyxl.Workbook(write_only=True)
        for name, rows in self.sheets.items():
            ws = wb.create_sheet(name)
            if name in self.hidden:
                ws.sheet_state = self.hidden[name]
            for r, row in enumerate(rows):
                cells = []
                for c, value in enumerate(row):
                    cell = WriteOnlyCell(ws, value=value)
                    if (name, r, c) in self.errors:
                        cell.data_type = "e"
                    elif isinstance(value, str):
                        cell.data_type = "s"
                    cells.append(cell)
                ws.append(cells)
        wb.save(path)
        return path


@dataclass(frozen=True)
class Case:
    """One corruption: ``places`` are texts (sheet name, cell, judge, unit) that an error
    must name together; ``benign`` corruptions must score as the clean year; with
    ``zero_rule`` the scheme's own rule (a month not reported counts 0) may change the
    totals, with a warning naming the place."""

    what: str
    book: Book
    places: tuple[str, ...]
    benign: bool = False
    zero_rule: bool = False


def _sample() -> Book:
    wb = openpyxl.load_workbook(SAMPLE)
    return Book({ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb})


CLEAN = _sample()
Mutator = Callable[[random.Random, Book], Case]


def _judge_cell(rng: random.Random, book: Book) -> tuple[str, int, int]:
    sheet = f"评分-{rng.choice(JUDGES)}"
    return sheet, rng.randrange(1, len(book.sheets[sheet])), rng.randrange(2, 15)


def _scored_cell(rng: random.Random, book: Book) -> tuple[str, int, int, int]:
    """A scored cell anywhere and its max: a judge's indicator, a month, 工作表现."""
    kind = rng.randrange(3)
    if kind == 0:
        sheet, row, col = _judge_cell(rng, book)
        top = 10 if col >= 12 else 20  # C1…C3 are out of 10
        return sheet, row, col, top
    if kind == 1:
        sheet = "学会网月报"
        return sheet, rng.randrange(1, len(book.sheets[sheet])), 1 + rng.choice(SCORED_MONTHS), 100
    sheet = "日常考核"
    return sheet, rng.randrange(1, len(book.sheets[sheet])), 2, 100


def error_cell(rng: random.Random, book: Book) -> Case:
    sheet, row, col, _ = _scored_cell(rng, book)
    value = rng.choice(["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NUM!"])
    book.sheets[sheet][row][col] = value
    book.errors.add((sheet, row, col))
    return Case(f"{value} in {sheet}!{cell_ref(row, col)}", book, (sheet, cell_ref(row, col)))


def text_cell(rng: random.Random, book: Book) -> Case:
    sheet, row, col, _ = _scored_cell(rng, book)
    book.sheets[sheet][row][col] = rng.choice(["良好", "八", "优", "15..5", "1 5"])
    return Case(f"text in {sheet}!{cell_ref(row, col)}", book, (sheet, cell_ref(row, col)))


def negative(rng: random.Random, book: Book) -> Case:
    sheet, row, col, _ = _scored_cell(rng, book)
    book.sheets[sheet][row][col] = -rng.choice([0.5, 1, 3, 15])
    return Case(f"negative in {sheet}!{cell_ref(row, col)}", book, (sheet, cell_ref(row, col)))


def over_max(rng: random.Random, book: Book) -> Case:
    sheet, row, col, top = _scored_cell(rng, book)
    book.sheets[sheet][row][col] = top + rng.choice([0.5, 1, 5, 80])
    return Case(f"over max in {sheet}!{cell_ref(row, col)}", book, (sheet, cell_ref(row, col)))


def blank_judge_cell(rng: random.Random, book: Book) -> Case:
    sheet, row, col = _judge_cell(rng, book)
    book.sheets[sheet][row][col] = rng.choice([None, "—", "——", "/", "-", "无"])
    return Case(f"no score in {sheet}!{cell_ref(row, col)}", book, (sheet, cell_ref(row, col)))


def no_score_performance(rng: random.Random, book: Book) -> Case:
    rows = book.sheets["日常考核"]
    row = rng.randrange(1, len(rows))
    rows[row][2] = rng.choice([None, "—", "——", "/", "-", "无"])
    return Case(f"no score in 日常考核!C{row + 1}", book, ("日常考核", cell_ref(row, 2)))


def same_value_retyped(rng: random.Random, book: Book) -> Case:
    sheet, row, col = _judge_cell(rng, book)
    value = book.sheets[sheet][row][col]
    text = str(Decimal(str(value)).normalize()) if value is not None else ""
    full_width = text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    book.sheets[sheet][row][col] = rng.choice([f" {text}分 ", full_width, f"{text}"])
    return Case(f"retyped {sheet}!{cell_ref(row, col)}", book, (), benign=True)


def dashed_sheet_name(rng: random.Random, book: Book) -> Case:
    judge = rng.choice(JUDGES)
    dash = rng.choice(["－", "—", "–", "‐", " - ", " — ", "-  "])
    book.rename(f"评分-{judge}", f"评分{dash}{judge}")
    return Case(f"评分{dash}{judge}", book, (), benign=True)


def hidden_old_copy(rng: random.Random, book: Book) -> Case:
    judge = rng.choice(JUDGES)
    rows = [list(r) for r in book.sheets[f"评分-{judge}"]]
    for r in rows[1:]:
        r[2] = 1  # an old copy with other scores
    book.sheets[f"评分-{judge}(旧)"] = rows
    book.hidden[f"评分-{judge}(旧)"] = rng.choice(["hidden", "veryHidden"])
    return Case(f"hidden 评分-{judge}(旧)", book, (), benign=True)


def hide_sheet(rng: random.Random, book: Book) -> Case:
    sheet = rng.choice([f"评分-{j}" for j in JUDGES] + ["考核对象", "学会网月报", "日常考核"])
    book.hidden[sheet] = rng.choice(["hidden", "veryHidden"])
    return Case(f"hidden {sheet}", book, (sheet,))


def remove_sheet(rng: random.Random, book: Book) -> Case:
    sheet = rng.choice([f"评分-{j}" for j in JUDGES] + ["考核对象", "学会网月报", "日常考核"])
    del book.sheets[sheet]
    place = sheet.removeprefix("评分-")  # a judge's sheet: the error names the judge
    return Case(f"removed {sheet}", book, (place,))


def rename_sheet(rng: random.Random, book: Book) -> Case:
    judge = rng.choice(JUDGES)
    new = rng.choice(["Sheet1", f"评分{judge}", judge, f"{judge}评分表"])
    book.rename(f"评分-{judge}", new)
    return Case(f"renamed 评分-{judge} → {new}", book, (new,))


def delete_judge_row(rng: random.Random, book: Book) -> Case:
    sheet = f"评分-{rng.choice(JUDGES)}"
    rows = book.sheets[sheet]
    row = rng.randrange(1, len(rows))
    code = str(rows[row][0])
    del rows[row]
    return Case(f"deleted {code} from {sheet}", book, (sheet, code))


def delete_other_row(rng: random.Random, book: Book) -> Case:
    sheet = rng.choice(["日常考核", "学会网月报", "考核对象"])
    rows = book.sheets[sheet]
    row = rng.randrange(1, len(rows))
    code = str(rows[row][0])
    del rows[row]
    return Case(f"deleted {code} from {sheet}", book, (code,), zero_rule=sheet == "学会网月报")


def duplicate_judge_row(rng: random.Random, book: Book) -> Case:
    sheet = f"评分-{rng.choice(JUDGES)}"
    rows = book.sheets[sheet]
    row = rng.randrange(1, len(rows))
    copy = list(rows[row])
    copy[2] = 0 if copy[2] != 0 else 1
    rows.append(copy)
    return Case(f"second row of {copy[0]} in {sheet}", book, (sheet, f"A{len(rows)}"))


def wrong_code(rng: random.Random, book: Book) -> Case:
    sheet = rng.choice([f"评分-{j}" for j in JUDGES] + ["日常考核", "学会网月报"])
    rows = book.sheets[sheet]
    row = rng.randrange(1, len(rows))
    rows[row][0] = str(rows[row][0]).replace("JS0", rng.choice(["JS9", "J0", "JS00"]))
    return Case(f"wrong code in {sheet}!A{row + 1}", book, (sheet, f"A{row + 1}"))


def unlisted_judge(rng: random.Random, book: Book) -> Case:
    judge = rng.choice(JUDGES)
    book.rename(f"评分-{judge}", f"评分-{judge}2")
    return Case(f"评分-{judge}2 not in 评委", book, (f"{judge}2",))


def typed_as_staff_do(rng: random.Random, book: Book) -> Case:
    """Full-width codes and headers, a title row, signature rows, spaces in a sheet name:
    none of these changes a result."""
    sheet = f"评分-{rng.choice(JUDGES)}"
    rows = book.sheets[sheet]
    kind = rng.randrange(5)
    if kind == 0:
        row = rng.randrange(1, len(rows))
        rows[row][0] = str(rows[row][0]).translate(FULL_WIDTH)
    elif kind == 1:
        col = rng.randrange(2, 15)
        rows[0][col] = f" {str(rows[0][col]).translate(FULL_WIDTH)} "
    elif kind == 2:
        rows.insert(0, [f"2024年度考核专家评分表（{sheet[3:]}）"])
    elif kind == 3:
        rows += [[], ["专家签名：", None, sheet[3:]], ["日期：", "2024年12月1日"]]
    else:
        book.rename("学会网月报", " 学会网月报 ")
    return Case(f"typed {kind} in {sheet}", book, (), benign=True)


def stray_long_form(rng: random.Random, book: Book) -> Case:
    name = rng.choice(["补充评分", "评分汇总", "Sheet2"])
    book.sheets[name] = [["专家", "单位编码", "指标", "得分"], ["赵六", "JS001", "A1", 20]]
    return Case(f"stray long form {name}", book, (name,))


def extra_listed_judge(rng: random.Random, book: Book) -> Case:
    book.sheets["评委"].append(["赵六", "专家组", None])
    return Case("评委 lists 赵六 without scores", book, ("评委", "赵六"))


def copied_judge_sheet(rng: random.Random, book: Book) -> Case:
    judge = rng.choice(JUDGES)
    copy = f"评分{rng.choice(['－', ' - ', '—'])}{judge}"
    book.sheets[copy] = [list(r) for r in book.sheets[f"评分-{judge}"]]
    return Case(f"copy {copy}", book, (copy,))


MUTATORS: list[Mutator] = [
    copied_judge_sheet,
    typed_as_staff_do,
    stray_long_form,
    extra_listed_judge,
    error_cell,
    text_cell,
    negative,
    over_max,
    blank_judge_cell,
    no_score_performance,
    same_value_retyped,
    dashed_sheet_name,
    hidden_old_copy,
    hide_sheet,
    remove_sheet,
    rename_sheet,
    delete_judge_row,
    delete_other_row,
    duplicate_judge_row,
    wrong_code,
    unlisted_judge,
]


def make_cases() -> list[Case]:
    rng = random.Random(SEED)
    return [MUTATORS[n % len(MUTATORS)](rng, CLEAN.copy()) for n in range(CASES)]


def totals(result: api.ScoreResult) -> dict[str, object]:
    return {u.code: (u.total, u.grade, u.move) for u in result.units}


@pytest.fixture(scope="module")
def clean_totals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    path = CLEAN.save(tmp_path_factory.mktemp("clean") / "2024.xlsx")
    result = api.score(path, api.ScoreOptions(write=False))
    assert result.ok and len(result.units) == 44
    return totals(result)


def names_place(text: str, places: tuple[str, ...]) -> bool:
    return all(p in text for p in places)


@pytest.mark.parametrize("case", make_cases(), ids=lambda c: c.what)
def test_corrupted_sample_year(case: Case, clean_totals: dict[str, object], tmp_path: Path) -> None:
    result = api.score(case.book.save(tmp_path / "2024.xlsx"), api.ScoreOptions(write=False))
    said = [f"{i.source} {i.message}" for i in result.issues]
    if result.ok and totals(result) == clean_totals:
        return
    assert not case.benign, f"{case.what}: changed the results: {said}"
    if result.ok:
        assert case.zero_rule, f"{case.what}: totals changed without an error: {said}"
        assert any(names_place(s, case.places) for s in said), said
        return
    errors = [f"{i.source} {i.message}" for i in result.issues if i.is_error]
    assert any(names_place(e, case.places) for e in errors), f"{case.what}: {errors}"


def test_every_kind_of_corruption_is_drawn() -> None:
    drawn = {c.what.split(" ")[0] for c in make_cases()}
    assert len(make_cases()) >= 200 and len(drawn) >= 10
