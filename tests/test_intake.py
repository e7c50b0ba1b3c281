"""Real-world intake: per-unit 自评表 in every format staff send, messy cells, hostile files."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from kxassess import api
from kxassess.cli import app
from kxassess.issues import KxError
from kxassess.reading.workbook import open_workbook

from .conftest import CASES, ROOT
from .forms import csv_form, form_rows, html_form, ods_form, xls_form, xlsx_form

runner = CliRunner()
GOLDEN = CASES / "small-year" / "input.xlsx"  # units S01…S11, js-2024-society
LINES = [
    ("A1", "组织建设", 20, "按期换届", "16"),
    ("A2", "党建工作", 20, "", "８．５"),
    ("A3", "制度建设", 20, "", " 18分 "),
    ("A4", "信息化建设", 20, "", 20),
    ("A5", "年度计划", 20, "", 15),
    ("B1", "服务科技工作者", 20, "", 17),
    ("B2", "服务创新驱动发展", 20, "", 18),
    ("B3", "服务全民科学素质", 20, "", 16),
    ("B4", "服务党委政府科学决策", 20, "", 15),
    ("B5", "人才托举", 20, "", 14),
    ("C1", "主建或联建重大科技型实体化服务平台", 10, "", 6),
    ("C2", "战略合作协议", 10, "", 5),
    ("C3", "服务地方经济社会建设获取的收入", 10, "", "—"),
]
SUM = 16 + 8.5 + 18 + 20 + 15 + 17 + 18 + 16 + 15 + 14 + 6 + 5


def score(inbox: Path, tmp_path: Path) -> api.ScoreResult:
    return api.score(GOLDEN, api.ScoreOptions(out=tmp_path / "out", self_dir=inbox, write=False))


def by_code(result: api.ScoreResult, code: str) -> object:
    return next(u for u in result.units if u.code == code)


@pytest.mark.parametrize(
    ("maker", "name", "kind"),
    [
        (xlsx_form, "甲学会.xlsx", "xlsx"),
        (xls_form, "甲学会.xls", "xls"),
        (ods_form, "甲学会.ods", "ods"),
        (html_form, "甲学会.xls", "html"),
        (csv_form, "甲学会.csv", "csv"),
    ],
)
def test_every_format(maker: Callable[..., Path], name: str, kind: str, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    maker(inbox / name, form_rows("甲学会", "S01", LINES, SUM))
    assert open_workbook(inbox / name, text_tables=True).kind == kind
    result = score(inbox, tmp_path)
    problems = {
        (i.code, i.source)
        for i in result.issues
        if i.code
        not in ("no-form", "no-row", "month-blank", "self-gap", "move-rounds-zero", "honour-target")
    }
    expected = {("missing-indicator", name)}  # C3 was left as "—"
    if kind == "html":
        expected.add(("file-type", name))
    assert problems == expected
    own = by_code(result, "S01").self_scores  # type: ignore[attr-defined]
    assert own["A2"] == 8.5 and own["A3"] == 18 and "C3" not in own
    if kind == "html":
        note = next(i for i in result.issues if i.code == "file-type")
        assert "实际是网页表格（HTML）" in note.message


def test_form_problems_named(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bad = list(LINES)
    bad[0] = ("A1", "组织建设", 20, "", 25)  # above max → E6
    bad[1] = ("A2", "党建工作", 20, "", "良好")  # text → E7
    bad[12] = ("Z9", "不存在的指标", 10, "", 3)  # extra indicator → A18
    xlsx_form(inbox / "01.xlsx", form_rows("甲学会", "", bad, 99))
    xlsx_form(inbox / "02.xlsx", form_rows("乙学会", "S02", LINES, 100))  # total ≠ lines
    xlsx_form(inbox / "03.xlsx", form_rows("乙学会", "S02", LINES, SUM))  # a second form
    xlsx_form(inbox / "04.xlsx", form_rows("不存在学会", "", LINES))  # unknown unit
    (inbox / "05.xlsx").write_bytes(b"PK\x03\x04broken")  # unreadable
    (inbox / "~$01.xlsx").write_bytes(b"lock")  # an Office lock file: skipped
    result = score(inbox, tmp_path)
    got = {(i.code, i.source) for i in result.issues}
    assert ("above-max", "01.xlsx!Sheet!E6") in got
    assert ("not-a-number", "01.xlsx!Sheet!E7") in got
    assert ("unknown-indicator", "01.xlsx!Sheet!A18") in got
    assert ("total-mismatch", "02.xlsx!Sheet!E19") in got
    assert ("duplicate-form", "03.xlsx") in got
    assert ("unknown-unit", "04.xlsx!Sheet!A2") in got
    assert ("unreadable", "05.xlsx") in got
    assert ("no-form", str(inbox)) in got  # units S03… sent nothing
    missing = next(i for i in result.issues if i.code == "missing-indicator")
    assert "A1、A2" in missing.message
    assert not any("~$" in i.source for i in result.issues)
    assert not result.ok


def test_template_round_trip(tmp_path: Path) -> None:
    forms = tmp_path / "forms"
    result = runner.invoke(
        app, ["template", "js-2024-society", "--roster", str(GOLDEN), "--out", str(forms)]
    )
    assert result.exit_code == 0, result.output
    files = sorted(forms.iterdir())
    assert len(files) == 11 and files[0].name == "S01-甲学会-自评表.xlsx"
    ws = openpyxl.load_workbook(files[0])["自评表"]
    assert ws["B2"].value == "甲学会" and ws["D2"].value == "S01"
    rules = {str(dv.sqref): (dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    assert rules["E5"] == ("0", "20") and rules["E17"] == ("0", "10")
    for path in files:  # staff fill every score
        wb = openpyxl.load_workbook(path)
        sheet = wb["自评表"]
        for row in range(5, 18):
            sheet.cell(row=row, column=5, value=sheet.cell(row=row, column=3).value * 0.8)
        wb.save(path)
    scored = score(forms, tmp_path)
    form_codes = {
        "no-form",
        "missing-indicator",
        "unknown-indicator",
        "unreadable",
        "not-a-number",
        "duplicate-form",
        "unknown-unit",
        "total-mismatch",
    }
    assert not [i for i in scored.issues if i.code in form_codes]
    assert by_code(scored, "S03").self_scores["A1"] == 16  # type: ignore[attr-defined]


def test_lyg_template_carries_targets(tmp_path: Path) -> None:
    forms = api.make_templates("lyg-2018-county", tmp_path, ROOT / "sample_data" / "lyg-2018.xlsx")
    ws = openpyxl.load_workbook(forms[0])["自评表"]
    texts = [c.value for c in ws["B"] if c.value]
    assert any("本单位目标：组织开展学术交流活动不少于6场次" in t for t in texts)


def test_wps_xlsx_with_wrong_dimensions(tmp_path: Path) -> None:
    """WPS writes <dimension ref="A1"/> for whole sheets; calamine reads the cells anyway."""
    src = xlsx_form(tmp_path / "src.xlsx", form_rows("甲学会", "S01", LINES, SUM))
    target = tmp_path / "wps.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.startswith("xl/worksheets/"):
                import re

                data = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1"/>', data)
            zout.writestr(item, data)
    book = open_workbook(target)
    assert len(book.rows(book.sheet_names[0])) == 19


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zip_bomb_refused(tmp_path: Path) -> None:
    bomb = _zip(
        tmp_path / "bomb.xlsx",
        {
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\x00" * (40 * 1024**2),  # 40 MiB of zeros, ~40 KiB zipped
        },
    )
    with pytest.raises(KxError, match="压缩炸弹"):
        open_workbook(bomb)
    result = runner.invoke(app, ["score", str(bomb), "--out", str(tmp_path / "o")])
    assert (
        result.exit_code == 1 and "压缩炸弹" in result.stderr and "Traceback" not in result.output
    )


def test_xml_entities_refused(tmp_path: Path) -> None:
    src = GOLDEN
    target = tmp_path / "xxe.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/sharedStrings.xml" or item.filename == "xl/workbook.xml":
                dtd = (
                    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">'
                    b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                )
                head, sep, rest = data.partition(b"?>")
                data = head + sep + dtd + rest if sep else dtd + data
            zout.writestr(item, data)
    with pytest.raises(KxError, match="实体声明"):
        open_workbook(target)


def test_truncated_and_foreign_files(tmp_path: Path) -> None:
    half = tmp_path / "half.xlsx"
    half.write_bytes(GOLDEN.read_bytes()[:2000])
    pdf = tmp_path / "scan.xls"
    pdf.write_bytes(b"%PDF-1.4\n\x00\x01binary")
    for path, words in ((half, "损坏或不完整"), (pdf, "不是电子表格")):
        result = runner.invoke(app, ["score", str(path), "--out", str(tmp_path / "o")])
        assert result.exit_code == 1, result.output
        assert words in result.stderr and "Traceback" not in result.output


def test_gbk_csv_named_xls_is_named(tmp_path: Path) -> None:
    path = csv_form(tmp_path / "甲学会.xls", form_rows("甲学会", "S01", LINES, SUM))
    book = open_workbook(path, text_tables=True)
    assert book.kind == "csv" and "实际是CSV 文本文件" in book.note
    with pytest.raises(KxError, match="不是含有工作表的工作簿"):
        open_workbook(path)


def test_batch_of_two_hundred_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """200 forms (read by the process pool, used here whatever the cores) with a handful
    broken: every problem in one run."""
    monkeypatch.setattr("kxassess.validation.selfassess.POOL_MIN_CORES", 1)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    roster = tmp_path / "roster.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考核对象"
    ws.append(["单位编码", "单位名称", "类别", "参加"])
    for n in range(1, 201):
        ws.append([f"U{n:03d}", f"第{n}学会", "二类", ""])
    wb.save(roster)
    for n in range(1, 201):
        rows = form_rows(f"第{n}学会", f"U{n:03d}", LINES, SUM)
        if n == 17:
            rows[5][4] = 99  # A1 above its max
        if n == 42:
            rows[1][0], rows[1][2] = "填报人：张三", ""  # no 单位名称 or 单位编码 label
        xlsx_form(inbox / f"{n:03d}.xlsx", rows)
    (inbox / "120.xlsx").write_bytes(b"PK\x03\x04 broken")  # replaces a good form
    shutil.copy(inbox / "005.xlsx", inbox / "005-副本.xlsx")  # a second form for U005
    issues = api.validate_forms(inbox, "js-2024-society", roster)
    got = {(i.code, i.source) for i in issues}
    assert ("above-max", "017.xlsx!Sheet!E6") in got
    assert ("no-unit-name", "042.xlsx") in got
    assert ("unreadable", "120.xlsx") in got
    assert ("duplicate-form", "005.xlsx") in got or ("duplicate-form", "005-副本.xlsx") in got
    no_form = {i.message for i in issues if i.code == "no-form"}
    assert no_form == {"没有收到 U042 第42学会 的自评表", "没有收到 U120 第120学会 的自评表"}
    cli = runner.invoke(
        app, ["validate", str(inbox), "--scheme", "js-2024-society", "--roster", str(roster)]
    )
    assert cli.exit_code == 1 and "017.xlsx!Sheet!E6" in cli.stderr
    assert runner.invoke(app, ["validate", str(inbox)]).exit_code == 2  # needs --scheme


def test_percent_scores(make_book: Callable[..., Path]) -> None:
    from .conftest import js_year

    scores = ["80%"] * 10 + ["50%", "50%", "50%"]  # 16 each A/B, 5 each C
    result = api.score(
        make_book(js_year([("U1", "一号学会", "一类", "")], {"U1": scores})),
        api.ScoreOptions(write=False),
    )
    assert result.ok, result.issues
    assert result.units[0].indicators["A1"] == 16 and result.units[0].indicators["C1"] == 5
    bad = api.score(
        make_book(js_year([("U1", "一号", "一类", "")], {"U1": ["120%"] * 13}), "bad.xlsx"),
        api.ScoreOptions(write=False),
    )
    assert bad.issues[0].code == "out-of-range"


def test_verification_cascade(tmp_path: Path, make_book: Callable[..., Path]) -> None:
    """核实: an indicator with an item found 不实 scores 0; two such indicators zero the unit."""
    import yaml

    from kxassess.scheme.loader import BUILTIN_DIR

    from .conftest import js_year

    data = yaml.safe_load((BUILTIN_DIR / "js-2024-society.yaml").read_text(encoding="utf-8"))
    data["id"] = "js-verified"
    data["components"][0]["verification"] = {"false_items": 1, "zeroed_indicators": 2}
    scheme = tmp_path / "js-verified.yaml"
    scheme.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    units = [("U1", "一号学会", "一类", ""), ("U2", "二号学会", "一类", "")]
    sheets = js_year(units, {"U1": [15] * 10 + [5] * 3, "U2": [15] * 10 + [5] * 3})
    sheets["自评"] = [
        ["单位编码", "指标", "完成情况", "自评分", "核实"],
        ["U1", "A1", "换届", 18, "不实"],
        ["U1", "A2", "党建", 9, "属实"],
        ["U1", "A2", "党建活动", 9, ""],  # a second item of A2: allowed with a 核实 column
        ["U2", "A1", "换届", 18, "不实"],
        ["U2", "B1", "人才举荐", 18, "不实"],
    ]
    result = api.score(make_book(sheets), api.ScoreOptions(scheme=str(scheme), write=False))
    assert result.ok, result.issues
    u1, u2 = (next(u for u in result.units if u.code == c) for c in ("U1", "U2"))
    assert u1.indicators["A1"] == 0 and u1.flags == ("zeroed:A1",)
    assert u1.self_scores["A2"] == 18  # two items add up
    # 一类: 20 × Σ基础/100 + 80 × Σ能力/100 + 15: A1 lost → 20 × 60/100 + 60 + 15 = 87
    assert u1.components is not None and u1.components["centralized"] == 87
    assert u2.flags == ("zeroed:A1", "zeroed:B1", "total_zeroed") and u2.total == 0


def test_forms_read_by_the_pool_give_the_same_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 自评表 folder read by the process pool (on machines with cores to spare): the
    run's issues (code, place, text, order) and units are those of reading the forms in
    this process, with good, broken, duplicate and unknown forms."""
    from kxassess.validation import selfassess

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(1, 12):
        rows = form_rows(f"学会{n}", f"S{n:02d}", LINES, SUM)
        if n == 3:
            rows[5][4] = 99  # above its max
        xlsx_form(inbox / f"{n:02d}.xlsx", rows)
    (inbox / "07.xlsx").write_bytes(b"PK\x03\x04 broken")
    shutil.copy(inbox / "05.xlsx", inbox / "05-副本.xlsx")
    csv_form(inbox / "99-外单位.csv", form_rows("外单位", "X99", LINES, SUM))
    monkeypatch.setattr(selfassess, "PARALLEL_FROM", 1)
    monkeypatch.setattr(selfassess, "POOL_MIN_CORES", 1)
    pooled = score(inbox, tmp_path / "a")
    monkeypatch.setattr(selfassess, "PARALLEL_FROM", 10**9)
    here = score(inbox, tmp_path / "b")
    assert [(i.code, i.source, i.message) for i in pooled.issues] == [
        (i.code, i.source, i.message) for i in here.issues
    ]
    assert pooled.units == here.units
    codes = {i.code for i in pooled.issues}
    assert {"unreadable", "duplicate-form", "above-max", "unknown-unit"} <= codes


def test_letters_show_self_scores_only_where_there_are_some(tmp_path: Path) -> None:
    """A unit that sent a 自评表 sees 自评分 and 差值 in its letter; a unit without one gets
    no empty columns."""
    from kxassess.writing.feedback import FEEDBACK_TEMPLATE, unit_context
    from kxassess.writing.notices import default_templates, render

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    xlsx_form(inbox / "甲学会.xlsx", form_rows("甲学会", "S01", LINES, SUM))
    result = score(inbox, tmp_path)
    assert result.scheme is not None

    def letter(code: str) -> str:
        unit = next(u for u in result.units if u.code == code)
        context = unit_context(result.scheme, result, unit, None)  # type: ignore[arg-type]
        return render(default_templates(), FEEDBACK_TEMPLATE, context)

    with_self, without = letter("S01"), letter("S02")
    assert "| 指标 | 内容 | 分值 | 得分 | 自评分 | 差值 | 同组比较 |" in with_self
    assert "| 指标 | 内容 | 分值 | 得分 | 同组比较 |" in without
    assert "自评分" not in without


def _rewrite(src: Path, dst: Path, change: Callable[[str, bytes], bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info)))
    return dst


def test_a_cell_far_out_is_refused_before_any_reader(tmp_path: Path) -> None:
    """One cell at XFD1048576 in a 6 KB form would make the reader ask for hundreds of GiB:
    the file is refused, named, and the other forms are read."""
    from kxassess.reading.zipcheck import check_zip, scan_in_memory

    good = xlsx_form(tmp_path / "甲学会.xlsx", form_rows("甲学会", "S01", LINES, SUM))
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'

    def change(name: str, data: bytes) -> bytes:
        return data.replace(b"</sheetData>", far) if name.startswith("xl/worksheets/") else data

    bad = _rewrite(good, tmp_path / "乙学会.xlsx", change)
    with pytest.raises(KxError, match=r"远在 XFD1048576 的单元格.*1048576 行 × 16384 列"):
        check_zip(bad, bad.name)
    assert scan_in_memory(bad.read_bytes()) is None  # left to the file's own check
    check_zip(good, good.name)  # a row 1,048,576 in column A would be fine
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.move(bad, inbox / bad.name)
    shutil.move(good, inbox / good.name)
    result = score(inbox, tmp_path)
    errors = [(i.code, i.source) for i in result.issues if i.is_error]
    assert errors == [("unreadable", "乙学会.xlsx")]  # the other form was read without a word


def test_an_encrypted_member_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    from kxassess.reading.zipcheck import check_zip

    good = xlsx_form(tmp_path / "甲学会.xlsx", form_rows("甲学会", "S01", LINES, SUM))
    data = bytearray(good.read_bytes())
    at = data.index(b"PK\x01\x02")  # the first entry of the central directory
    data[at + 8] |= 0x01  # its flags: encrypted
    bad = tmp_path / "乙学会.xlsx"
    bad.write_bytes(bytes(data))
    with pytest.raises(KxError, match="已加密或使用了不支持的压缩方式"):
        check_zip(bad, bad.name)


def test_an_xlsx_named_xls_is_read_by_its_content(tmp_path: Path) -> None:
    """The type comes from the file's content: an xlsx saved under a .xls name is read as
    xlsx, with a note that the name is wrong (not refused with the reader's English)."""
    made = xlsx_form(tmp_path / "甲学会.xlsx", form_rows("甲学会", "S01", LINES, SUM))
    path = made.rename(tmp_path / "甲学会.xls")
    book = open_workbook(path, text_tables=True)
    assert book.kind == "xlsx" and "实际是xlsx 工作簿，与扩展名不符" in book.note
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path.rename(inbox / path.name)
    result = score(inbox, tmp_path)
    assert ("file-type", "甲学会.xls") in {(i.code, i.source) for i in result.issues}
    assert by_code(result, "S01").self_scores["A4"] == 20  # type: ignore[attr-defined]
