"""Checks on zip-based workbooks (xlsx, ods) before any parser sees them.

A hostile file can declare small sizes and inflate to gigabytes (a zip bomb), or carry XML
entity declarations (billion laughs, external entities). Every member is decompressed as a
stream, counting real bytes against the declared size and the limits, and scanned for DTD
and entity declarations, which OOXML and ODF never need. The same pass finds worksheet
cells holding a formula without a cached value.

:func:`scan_in_memory` is the same check on a small workbook already read into memory (a
自评表): it answers None for anything :func:`check_zip` refuses, and the caller then runs
:func:`check_zip` on the file itself (so every refusal keeps its wording).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from kxassess.issues import KxError
from kxassess.reading.cells import parse_ref

MAX_MEMBERS = 10_000
MAX_TOTAL = 2 * 1024**3  # uncompressed bytes of all members
MAX_RATIO = 500  # uncompressed / compressed, for members above RATIO_FLOOR
RATIO_FLOOR = 16 * 1024**2
CHUNK = 1 << 20
OVERLAP = 1 << 16
_ENTITY = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_UNCACHED = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>'
)

# A cell holding an Excel error value (#DIV/0!, #N/A …), typed or the cached result of a
# formula: t="e" among its attributes, then maybe the formula, then the value.
_ERROR_CELL = re.compile(
    rb'<c\b([^>]*\bt="e"[^>]*)>\s*(?:<f\b[^>]*(?:/>|>[^<]*</f>)\s*)?<v>([^<]*)</v>'
)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
# A cell far out (column AAA on, or row 100,000 on past column Z): calamine makes room for
# every cell up to it, so one such cell in a small file can ask for hundreds of GiB.
_FAR_CELL = re.compile(rb'<c r="([A-Z]{3}[0-9]+|[A-Z]{2}[0-9]{6,})"')
MAX_CELLS = 1 << 24  # rows × columns up to a sheet's last cell: 16.7 million


@dataclass
class ZipReport:
    """Member name → cells with an uncalculated formula, and cells holding an error value
    with that value (worksheets only)."""

    uncached: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, dict[str, str]] = field(default_factory=dict)
    ods_errors: bool = False  # content.xml of an ods holds error cells (read separately)


def check_zip(path: Path, label: str) -> ZipReport:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise KxError(f"文件是损坏的压缩包，不是工作簿（{exc}）", label) from exc
    with zf:
        return _check(zf, label)


def _check(zf: zipfile.ZipFile, label: str) -> ZipReport:
    """Every member of an open archive through the limits and the XML checks."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise KxError(f"压缩包内有 {len(infos)} 个成员，拒绝读取", label)
    declared = sum(i.file_size for i in infos)
    if declared > MAX_TOTAL:
        raise KxError(
            f"压缩包声明解压后有 {declared / 1024**3:.1f} GiB，拒绝读取"
            "（这样大的文件不是真实的考核工作簿）",
            label,
        )
    report = ZipReport()
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise KxError(
                f"{info.filename} 解压后将膨胀 {info.file_size // max(info.compress_size, 1)}"
                " 倍，疑为压缩炸弹（zip bomb），拒绝读取",
                label,
            )
        total += _scan_member(zf, info, label, report, total)
    return report


def _scan_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, report: ZipReport, total: int
) -> int:
    sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
    xml = info.filename.endswith((".xml", ".rels", ".vml"))
    read = 0
    tail = b""
    refs: list[str] = []
    errors: dict[str, str] = {}
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                read += len(chunk)
                if read > info.file_size or total + read > MAX_TOTAL:
                    raise KxError(
                        f"{info.filename} 解压后超过声明的大小，疑为压缩炸弹（zip bomb），拒绝读取",
                        label,
                    )
                window = tail + chunk
                if xml and _ENTITY.search(window):
                    raise KxError(
                        f"{info.filename} 含有 XML 文档类型或实体声明（工作簿从不需要），拒绝读取",
                        label,
                    )
                if info.filename == "content.xml" and b'value-type="error"' in window:
                    report.ods_errors = True
                if sheet and b"<f" in window:
                    refs += [m.group(1).decode() for m in _UNCACHED.finditer(window)]
                if sheet:
                    _check_extent(info.filename, window, label)
                if sheet and b't="e"' in window:
                    for m in _ERROR_CELL.finditer(window):
                        ref = _REF.search(m.group(1))
                        if ref is not None:
                            errors[ref.group(1).decode()] = m.group(2).decode(errors="replace")
                tail = window[-OVERLAP:]
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise KxError(f"压缩包损坏或不完整（{exc}）", label) from exc
    except (RuntimeError, NotImplementedError) as exc:  # zipfile: encrypted, unknown method
        raise KxError(
            f"{info.filename} 已加密或使用了不支持的压缩方式，无法读取（请另存为普通的 .xlsx）",
            label,
        ) from exc
    except zipfile.LargeZipFile as exc:  # pragma: no cover
        raise KxError("压缩包太大", label) from exc
    if refs:
        report.uncached[info.filename] = list(dict.fromkeys(refs))
    if errors:
        report.errors[info.filename] = errors
    return read


def _check_extent(member: str, window: bytes, label: str) -> None:
    """Refuse a sheet with a cell so far out that reading it would need room for more
    than :data:`MAX_CELLS` cells."""
    for match in _FAR_CELL.finditer(window):
        ref = match.group(1).decode()
        row, col = parse_ref(ref)
        if (row + 1) * (col + 1) > MAX_CELLS:
            raise KxError(
                f"{member} 中有远在 {ref} 的单元格，读取它需要留出 {row + 1} 行 × {col + 1} 列"
                "的空间，远超考核表的规模，疑为异常文件，拒绝读取（如是误填，请删除远处多余的"
                "单元格后另存）",
                label,
            )


def scan_in_memory(data: bytes) -> tuple[set[str], ZipReport] | None:
    """The member names and :func:`check_zip`'s report of the zip archive ``data`` (a
    small workbook already read into memory), read through zipfile as :func:`check_zip`
    reads a file; None for anything :func:`check_zip` would refuse, which the caller then
    runs on the file itself so that every refusal keeps its wording."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return set(zf.namelist()), _check(zf, "")
    except (
        KxError,
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        zlib.error,
        RuntimeError,
        NotImplementedError,
    ):
        return None
