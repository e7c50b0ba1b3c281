"""Open a spreadsheet with python-calamine and hand out its sheets as row lists.

Rows are anchored at A1 (``skip_empty_area=False``) so that every value keeps its real
cell address for messages. calamine reads a formula's cached value; a formula that was
never calculated (a file written by a program and never opened in Excel/WPS) reads as
empty there, so for xlsx the sheet XML is scanned for such cells and they are reported.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import cast

import python_calamine as pc
from defusedxml import ElementTree

from kxassess.issues import KxError

Row = list[object]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# A cell whose formula has no (or an empty) cached value: <c r="E5"><f>…</f></c>
_UNCACHED = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>'
)


@dataclass
class Workbook:
    """A spreadsheet file opened for reading; ``label`` is the name used in messages."""

    path: Path
    label: str
    kind: str
    sheet_names: list[str]
    _book: pc.CalamineWorkbook
    _uncached: dict[str, list[str]] | None = None
    _cache: dict[str, list[Row]] = field(default_factory=dict)

    def rows(self, sheet: str) -> list[Row]:
        if sheet not in self._cache:
            try:
                sheet_obj = self._book.get_sheet_by_name(sheet)
                data = cast(list[Row], sheet_obj.to_python(skip_empty_area=False))
            except Exception as exc:  # calamine raises its own error types
                raise KxError(f"cannot read the sheet: {exc}", f"{self.label}!{sheet}") from exc
            self._cache[sheet] = data
        return self._cache[sheet]

    def uncached_formulas(self, sheet: str) -> list[str]:
        """Cells of ``sheet`` holding a formula with no cached value (xlsx only)."""
        if self.kind != "xlsx":
            return []
        if self._uncached is None:
            self._uncached = _scan_uncached(self.path)
        return self._uncached.get(sheet, [])


def sniff(path: Path) -> str:
    """The real type of a file from its first bytes, whatever its extension says."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise KxError(f"cannot open the file ({exc.strerror})", path.name) from exc
    if head.startswith(_OLE):
        return "xls"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile as exc:
            raise KxError("the file is a damaged zip archive, not a workbook", path.name) from exc
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            return "ods"
        raise KxError("the file is a zip archive but not an xlsx or ods workbook", path.name)
    if not head:
        raise KxError("the file is empty", path.name)
    raise KxError("the file is not a spreadsheet (not xlsx, xls or ods)", path.name)


def open_workbook(path: Path) -> Workbook:
    if not path.is_file():
        raise KxError("no such file", str(path))
    kind = sniff(path)
    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise KxError(f"cannot read the {kind} workbook: {exc}", path.name) from exc
    return Workbook(path, path.name, kind, list(book.sheet_names), book)


def _scan_uncached(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as zf:
        for sheet, member in _sheet_members(zf).items():
            try:
                xml = zf.read(member)
            except KeyError:
                continue
            if b"<f" not in xml:
                continue
            refs = [m.group(1).decode() for m in _UNCACHED.finditer(xml)]
            if refs:
                found[sheet] = refs
    return found


def _sheet_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → member path inside the xlsx archive."""
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
