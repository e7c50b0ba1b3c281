"""Open a spreadsheet and hand out its sheets as row lists anchored at A1.

The file's type is taken from its first bytes, not its extension: xlsx (Excel or WPS), xls
(and WPS .et), ods via python-calamine; an HTML table saved as .xls via pandas; CSV in
UTF-8 or GB18030. When the content is not what the name says, ``note`` says so. Zip-based
files are checked for zip bombs and XML entities first (:mod:`kxassess.reading.zipcheck`).
calamine reads a formula's cached value; formulas never calculated are listed per sheet.

:func:`open_form` opens one small 自评表 the way :func:`open_workbook` does, but reads an
xlsx once into memory for the type, the checks and calamine; anything else, and anything
the in-memory check does not accept, goes the :func:`open_workbook` way.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import cast

import python_calamine as pc
from defusedxml import ElementTree

from kxassess.issues import KxError
from kxassess.reading.cells import ErrorValue, cell_ref, parse_ref
from kxassess.reading.xlserrors import xls_errors
from kxassess.reading.zipcheck import ZipReport, check_zip, scan_in_memory

Row = list[object]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_TEXT_FILE = 200 * 1024**2  # HTML and CSV are read whole
KIND_NAMES = {
    "xlsx": "xlsx 工作簿",
    "xls": "xls 工作簿",
    "ods": "ods 工作簿",
    "html": "网页表格（HTML）",
    "csv": "CSV 文本文件",
}
EXTENSIONS = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".et": "xls",
    ".ods": "ods",
    ".csv": "csv",
    ".txt": "csv",
    ".html": "html",
    ".htm": "html",
}


@dataclass
class Workbook:
    """A spreadsheet opened for reading; ``label`` is the name used in messages."""

    path: Path
    label: str
    kind: str
    sheet_names: list[str]
    note: str = ""  # e.g. "报表.xls is really an HTML table"
    _book: pc.CalamineWorkbook | None = None
    _tables: dict[str, list[Row]] = field(default_factory=dict)
    _uncached: dict[str, list[str]] = field(default_factory=dict)
    _errors: dict[str, dict[str, str]] = field(default_factory=dict)
    hidden: list[str] = field(default_factory=list)  # hidden and very hidden sheets

    def rows(self, sheet: str) -> list[Row]:
        if sheet not in self._tables:
            if self._book is None:
                raise KxError("没有这张工作表", f"{self.label}!{sheet}")
            try:
                data = self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception as exc:  # calamine raises its own error types
                raise KxError(f"无法读取该工作表：{exc}", f"{self.label}!{sheet}") from exc
            self._tables[sheet] = _mark_errors(cast(list[Row], data), self._errors.get(sheet, {}))
        return self._tables[sheet]

    def merged(self, sheet: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged cell ranges of ``sheet`` as 0-based ((row, col), (row, col)), where the
        reader knows them (xlsx); calamine leaves all but the first cell blank."""
        if self._book is None:
            return []
        try:
            ranges = self._book.get_sheet_by_name(sheet).merged_cell_ranges
        except Exception:  # calamine raises its own error types; no ranges is safe
            return []
        return [((a[0], a[1]), (b[0], b[1])) for a, b in ranges or ()]

    def uncached_formulas(self, sheet: str) -> list[str]:
        """Cells of ``sheet`` holding a formula with no cached value (xlsx)."""
        return self._uncached.get(sheet, [])


def sniff(path: Path) -> str:
    """The real type of a file from its first bytes, whatever its extension says."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise KxError(f"无法打开文件（{exc.strerror}）", path.name) from exc
    if not head:
        raise KxError("文件是空的", path.name)
    if head.startswith(_OLE):
        return "xls"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError) as exc:
            raise KxError("文件是损坏或不完整的压缩包，不是工作簿", path.name) from exc
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            return "ods"
        raise KxError("文件是压缩包，但不是 xlsx 或 ods 工作簿", path.name)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "html"  # markup: web systems export tables as HTML named .xls
    if b"\x00" not in head and _decode(head, partial=True) is not None:
        return "csv"
    raise KxError("文件不是电子表格（不是 xlsx、xls、ods、网页表格或 CSV）", path.name)


def _decode(data: bytes, partial: bool = False) -> str | None:
    """UTF-8 (with or without BOM), else GB18030; None if neither fits."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            if partial and exc.start >= len(data) - 4:  # a character cut by the 4 KiB read
                return data[: exc.start].decode(encoding, errors="ignore")
    return None


def open_workbook(path: Path, text_tables: bool = False) -> Workbook:
    """Open ``path``; HTML and CSV tables only when ``text_tables`` (per-unit 自评表 files:
    a year workbook needs named sheets)."""
    if not path.is_file():
        raise KxError("文件不存在", str(path))
    kind = sniff(path)
    if kind in ("html", "csv") and not text_tables:
        raise KxError(
            f"文件是{KIND_NAMES[kind]}，不是含有工作表的工作簿（xlsx、xls 或 ods）",
            path.name,
        )
    expected = EXTENSIONS.get(path.suffix.lower())
    note = ""
    if expected is not None and expected != kind:
        note = f"{path.name} 实际是{KIND_NAMES[kind]}，与扩展名不符"
    if kind in ("html", "csv"):
        if path.stat().st_size > MAX_TEXT_FILE:
            raise KxError("文件太大，不能作为网页表格或 CSV 读取", path.name)
        tables = _read_html(path) if kind == "html" else {path.stem: _read_csv(path)}
        return Workbook(path, path.name, kind, list(tables), note, _tables=tables)
    uncached: dict[str, list[str]] = {}
    errors: dict[str, dict[str, str]] = {}
    if kind in ("xlsx", "ods"):
        report = check_zip(path, path.name)
        if kind == "xlsx" and (report.uncached or report.errors):
            uncached, errors = _by_sheet(report, _sheet_members(path))
        if kind == "ods" and report.ods_errors:
            errors = _ods_errors(path)
    if kind == "xls":
        errors = xls_errors(path)
    try:
        if note and kind in ("xlsx", "ods"):  # calamine picks its reader by the name: by content
            book = pc.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        else:
            book = pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        hint = "（WPS 的 .et 文件：请另存为 .xlsx）" if path.suffix.lower() == ".et" else ""
        raise KxError(
            f"无法读取这个{KIND_NAMES[kind]}：文件已损坏或内容不完整，请用 Excel 或 WPS 打开后另存"
            f"{hint}（读取程序的说明：{exc}）",
            path.name,
        ) from exc
    return _workbook(path, kind, note, book, uncached, errors)


def _by_sheet(
    report: ZipReport, members: dict[str, str]
) -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
    """The zip check's findings per sheet name (they come per archive member)."""
    uncached = {s: report.uncached[m] for s, m in members.items() if m in report.uncached}
    errors = {s: report.errors[m] for s, m in members.items() if m in report.errors}
    return uncached, errors


def _workbook(
    path: Path,
    kind: str,
    note: str,
    book: pc.CalamineWorkbook,
    uncached: dict[str, list[str]],
    errors: dict[str, dict[str, str]],
) -> Workbook:
    """The workbook calamine opened: hidden sheets kept apart from the readable ones."""
    hidden = [s.name for s in book.sheets_metadata if s.visible != pc.SheetVisibleEnum.Visible]
    names = [s for s in book.sheet_names if s not in hidden]
    return Workbook(
        path, path.name, kind, names, note, book, _uncached=uncached, _errors=errors, hidden=hidden
    )


FORM_IN_MEMORY = 16 * 1024**2  # bytes: larger forms are read the streaming way
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def open_form(path: Path) -> Workbook:
    """``open_workbook(path, text_tables=True)``, the same workbook or the same KxError."""
    book = _xlsx_in_memory(path)
    return book if book is not None else open_workbook(path, text_tables=True)


def _xlsx_in_memory(path: Path) -> Workbook | None:
    """An ordinary xlsx read in one go; None for any other file or anything unusual
    (:func:`open_workbook` then reads it and words any refusal). Only under an xlsx name:
    a file whose name and content differ gets its note there."""
    if path.suffix.lower() not in XLSX_SUFFIXES:
        return None
    try:
        if path.stat().st_size > FORM_IN_MEMORY:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    scanned = scan_in_memory(data) if data.startswith(b"PK\x03\x04") else None
    if scanned is None or "xl/workbook.xml" not in scanned[0]:
        return None
    report = scanned[1]
    uncached: dict[str, list[str]] = {}
    errors: dict[str, dict[str, str]] = {}
    if report.uncached or report.errors:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                members = _members_of(zf)
        except Exception:  # open_workbook meets the same fault and reports it
            return None
        uncached, errors = _by_sheet(report, members)
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return _workbook(path, "xlsx", "", book, uncached, errors)
    except Exception:  # calamine's own error types: open_workbook words the message
        return None


def _mark_errors(rows: list[Row], errors: dict[str, str]) -> list[Row]:
    """Put an :class:`ErrorValue` where the sheet holds an Excel error value (calamine
    reads those cells as blank, which would pass for "no score")."""
    for ref, value in errors.items():
        row, col = parse_ref(ref)
        while len(rows) <= row:
            rows.append([])
        while len(rows[row]) <= col:
            rows[row].append(None)
        rows[row][col] = ErrorValue(value)
    return rows


def _read_csv(path: Path) -> list[Row]:
    text = _decode(path.read_bytes())
    if text is None:
        raise KxError("CSV 文件既不是 UTF-8 也不是 GBK/GB18030 编码的文本", path.name)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _read_html(path: Path) -> dict[str, list[Row]]:
    import pandas as pd

    raw = path.read_bytes()
    text = _decode(raw)
    if text is None:
        raise KxError("网页文件既不是 UTF-8 也不是 GBK/GB18030 编码的文本", path.name)
    try:
        frames = pd.read_html(io.StringIO(text), header=None, flavor="lxml")
    except (ValueError, ImportError) as exc:
        raise KxError(f"网页文件中读不出表格（{exc}）", path.name) from exc
    tables: dict[str, list[Row]] = {}
    for n, frame in enumerate(frames, start=1):
        rows = frame.astype(object).where(frame.notna(), "").values.tolist()
        tables[f"Sheet{n}"] = [list(r) for r in rows]
    return tables


_NS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_NS_CALC = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


def _ods_errors(path: Path) -> dict[str, dict[str, str]]:
    """Sheet → cell → error value of an ods (LibreOffice marks them value-type "error")."""
    out: dict[str, dict[str, str]] = {}
    sheet, row, col = "", -1, 0
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
        for event, el in ElementTree.iterparse(fh, events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == f"{_NS_TABLE}table":
                    sheet, row = el.get(f"{_NS_TABLE}name", ""), -1
                elif tag == f"{_NS_TABLE}table-row":
                    row, col = row + 1, 0
                continue
            if tag in (f"{_NS_TABLE}table-cell", f"{_NS_TABLE}covered-table-cell"):
                repeat = int(el.get(f"{_NS_TABLE}number-columns-repeated", "1"))
                if el.get(f"{_NS_CALC}value-type") == "error":
                    value = "".join(el.itertext()).strip() or "#错误"
                    for c in range(col, col + min(repeat, 1024)):
                        out.setdefault(sheet, {})[cell_ref(row, c)] = value
                col += repeat
            elif tag == f"{_NS_TABLE}table-row":
                row += int(el.get(f"{_NS_TABLE}number-rows-repeated", "1")) - 1
                el.clear()
    return out


def _sheet_members(path: Path) -> dict[str, str]:
    """Sheet name → member path inside the xlsx archive."""
    with zipfile.ZipFile(path) as zf:
        return _members_of(zf)


def _members_of(zf: zipfile.ZipFile) -> dict[str, str]:
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    out: dict[str, str] = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        if not target:
            continue
        member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[sheet.get("name", "")] = member
    return out
