"""Checks on zip-based workbooks (xlsx, ods) before any parser sees them.

A hostile file can declare small sizes and inflate to gigabytes (a zip bomb), or carry XML
entity declarations (billion laughs, external entities). Every member is decompressed as a
stream, counting real bytes against the declared size and the limits, and scanned for DTD
and entity declarations, which OOXML and ODF never need. The same pass finds worksheet
cells holding a formula without a cached value.

:func:`scan_in_memory` is the same check on a small workbook already read into memory (a
自评表), one decompression per member: it accepts only what :func:`check_zip` accepts, with
the same report, and answers None for anything out of the ordinary, for which the caller
runs :func:`check_zip` itself (so every refusal keeps its wording).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kxassess.issues import KxError

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
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
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
                if sheet and b't="e"' in window:
                    for m in _ERROR_CELL.finditer(window):
                        ref = _REF.search(m.group(1))
                        if ref is not None:
                            errors[ref.group(1).decode()] = m.group(2).decode(errors="replace")
                tail = window[-OVERLAP:]
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise KxError(f"压缩包损坏或不完整（{exc}）", label) from exc
    except zipfile.LargeZipFile as exc:  # pragma: no cover
        raise KxError("压缩包太大", label) from exc
    if refs:
        report.uncached[info.filename] = list(dict.fromkeys(refs))
    if errors:
        report.errors[info.filename] = errors
    return read


# The in-memory check reads the zip structures itself, and only the plain kind that zipfile
# reads the same way: no archive comment, no zip64, nothing before the archive, no extra
# fields in the directory, names without NUL, stored or deflated members.
_END = struct.Struct("<4s4H2LH")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_UTF8_NAME = 0x800
_UNUSUAL_FLAGS = 0x1 | 0x20 | 0x40  # encrypted, patched, strong encryption
_MAX_VERSION = 63  # zipfile refuses later versions


class _Member(NamedTuple):
    name: str
    flags: int
    method: int
    crc: int
    packed: int
    size: int
    offset: int


def scan_in_memory(data: bytes) -> tuple[set[str], ZipReport] | None:
    """The member names and :func:`check_zip`'s report of the zip archive ``data``; None
    for anything out of the plain: a member that is not a stored or deflated stream of
    exactly its declared size and CRC under one :data:`CHUNK`, an XML declaration, a limit
    passed, a directory zipfile might read otherwise."""
    members = _directory(data)
    if members is None or len(members) > MAX_MEMBERS:
        return None
    if sum(m.size for m in members) > MAX_TOTAL:
        return None
    report = ZipReport()
    for member in members:
        name = member.name
        if name.endswith("/"):
            continue
        content = _inflate(member, data)
        if content is None:
            return None
        if name.endswith((".xml", ".rels", ".vml")) and _ENTITY.search(content):
            return None
        if name == "content.xml" and b'value-type="error"' in content:
            report.ods_errors = True
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            _scan_sheet(name, content, report)
    return {m.name for m in members}, report


def _directory(data: bytes) -> list[_Member] | None:
    """The central directory, read as zipfile reads it, when it is of the plain kind."""
    if len(data) < _END.size + 20:
        return None
    end = _END.unpack_from(data, len(data) - _END.size)
    if end[0] != b"PK\x05\x06" or end[7] != 0:  # no archive comment
        return None
    if data[-_END.size - 20 : -_END.size - 16] == b"PK\x06\x07":  # a zip64 locator
        return None
    size, at = end[5], end[6]
    stop = at + size
    if stop != len(data) - _END.size:  # something before the archive
        return None
    members = []
    while at < stop:
        if at + _CENTRAL.size > stop:
            return None
        entry = _CENTRAL.unpack_from(data, at)
        if entry[0] != b"PK\x01\x02" or entry[3] > _MAX_VERSION or entry[13] or entry[14]:
            return None  # not an entry, a version zipfile refuses, extra fields, a comment
        at += _CENTRAL.size
        name = _name(data[at : at + entry[12]], entry[5])
        if name is None or "\0" in name:
            return None
        members.append(_Member(name, entry[5], entry[6], entry[9], entry[10], entry[11], entry[18]))
        at += entry[12]
    return members if at == stop else None


def _name(raw: bytes, flags: int) -> str | None:
    """A member's name decoded as zipfile decodes it."""
    if raw.isascii():  # the same text in UTF-8 and cp437
        return raw.decode("ascii")
    try:
        return raw.decode("utf-8" if flags & _UTF8_NAME else "cp437")
    except UnicodeDecodeError:
        return None


def _inflate(member: _Member, data: bytes) -> bytes | None:
    """The member's bytes, when zipfile would read them without complaint in one chunk."""
    size = member.size
    if size > CHUNK or member.flags & _UNUSUAL_FLAGS:
        return None
    if member.method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    at = member.offset
    if at + _LOCAL.size > len(data):
        return None
    head = _LOCAL.unpack_from(data, at)
    if head[0] != b"PK\x03\x04":
        return None
    at += _LOCAL.size
    if _name(data[at : at + head[10]], head[3]) != member.name:
        return None
    at += head[10] + head[11]
    raw = data[at : at + member.packed]
    if len(raw) != member.packed:
        return None
    if member.method == zipfile.ZIP_STORED:
        content = raw
    else:
        inflater = zlib.decompressobj(-15)
        try:
            content = inflater.decompress(raw, size + 1)
        except zlib.error:
            return None
        if not inflater.eof or inflater.unused_data or inflater.unconsumed_tail:
            return None
    if len(content) != size or zlib.crc32(content) != member.crc:
        return None
    return content


def _scan_sheet(name: str, content: bytes, report: ZipReport) -> None:
    """Uncalculated formulas and error cells of one worksheet, as :func:`_scan_member`
    finds them in a member read in one chunk."""
    if b"<f" in content:
        refs = [m.group(1).decode() for m in _UNCACHED.finditer(content)]
        if refs:
            report.uncached[name] = list(dict.fromkeys(refs))
    if b't="e"' in content:
        errors: dict[str, str] = {}
        for m in _ERROR_CELL.finditer(content):
            ref = _REF.search(m.group(1))
            if ref is not None:
                errors[ref.group(1).decode()] = m.group(2).decode(errors="replace")
        if errors:
            report.errors[name] = errors
