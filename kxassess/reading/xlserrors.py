"""Excel error values in a genuine xls (BIFF8) workbook.

calamine reads an error cell (``#DIV/0!``, ``#N/A`` …) of an xls as blank, which would pass
for "no score". This module finds those cells itself: it reads the ``Workbook`` stream out
of the OLE compound file and walks each sheet's BIFF records for BOOLERR records holding an
error and FORMULA records whose cached result is an error. Anything it cannot follow
returns no cells (the reader then behaves as before), never an exception.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

from kxassess.reading.cells import cell_ref

ERROR_CODES = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
}
_END = 0xFFFFFFFE
MAX_BYTES = 512 * 1024**2


def xls_errors(path: Path) -> dict[str, dict[str, str]]:
    """Sheet → cell → error value; {} when the file cannot be followed."""
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_BYTES else b""
        stream = _workbook_stream(data)
        return _biff_errors(stream) if stream else {}
    except (struct.error, IndexError, ValueError, UnicodeDecodeError, OSError):
        return {}


def _workbook_stream(data: bytes) -> bytes:
    if len(data) < 512:
        return b""
    sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini = 1 << struct.unpack_from("<H", data, 0x20)[0]
    first_dir, _, cutoff, first_minifat, _, first_difat, n_difat = struct.unpack_from(
        "<IIIIIII", data, 0x30
    )

    def at(n: int) -> int:
        return (n + 1) * sector

    difat = [x for x in struct.unpack_from("<109I", data, 0x4C) if x < _END]
    nxt = first_difat
    for _ in range(n_difat):
        if nxt >= _END:
            break
        more = struct.unpack_from(f"<{sector // 4}I", data, at(nxt))
        difat += [x for x in more[:-1] if x < _END]
        nxt = more[-1]
    fat: list[int] = []
    for s in difat:
        fat += struct.unpack_from(f"<{sector // 4}I", data, at(s))

    def chain(start: int) -> list[int]:
        out: list[int] = []
        n = start
        while n < _END and len(out) <= len(fat):
            out.append(n)
            n = fat[n]
        return out

    def read(start: int, size: int) -> bytes:
        return b"".join(data[at(s) : at(s) + sector] for s in chain(start))[:size]

    directory = read(first_dir, len(chain(first_dir)) * sector)
    entries: dict[str, tuple[int, int, int]] = {}
    for off in range(0, len(directory) - 127, 128):
        name_len = struct.unpack_from("<H", directory, off + 64)[0]
        name = directory[off : off + max(name_len - 2, 0)].decode("utf-16-le")
        kind = directory[off + 66]
        start, size = struct.unpack_from("<II", directory, off + 116)
        entries[name] = (kind, start, size)
    found = entries.get("Workbook") or entries.get("Book")
    if found is None:
        return b""
    _, start, size = found
    if size >= cutoff:
        return read(start, size)
    root = next(v for v in entries.values() if v[0] == 5)
    ministream = read(root[1], root[2])
    minifat = b"".join(data[at(s) : at(s) + sector] for s in chain(first_minifat))
    table = struct.unpack(f"<{len(minifat) // 4}I", minifat)
    parts: list[bytes] = []
    n = start
    while n < _END and len(parts) <= len(table):
        parts.append(ministream[n * mini : (n + 1) * mini])
        n = table[n]
    return b"".join(parts)[:size]


def _records(stream: bytes, pos: int) -> Iterator[tuple[int, bytes]]:
    while pos + 4 <= len(stream):
        rid, length = struct.unpack_from("<HH", stream, pos)
        yield rid, stream[pos + 4 : pos + 4 + length]
        pos += 4 + length
        if rid == 0x000A:  # EOF
            return


def _biff_errors(stream: bytes) -> dict[str, dict[str, str]]:
    sheets: list[tuple[str, int]] = []
    for rid, body in _records(stream, 0):
        if rid == 0x0085:  # BOUNDSHEET: stream offset of the sheet's BOF, then its name
            offset = struct.unpack_from("<I", body, 0)[0]
            count, wide = body[6], body[7] & 1
            raw = body[8 : 8 + count * (2 if wide else 1)]
            sheets.append((raw.decode("utf-16-le" if wide else "latin-1"), offset))
    out: dict[str, dict[str, str]] = {}
    for name, offset in sheets:
        for rid, body in _records(stream, offset):
            value = None
            if rid == 0x0205 and len(body) >= 8 and body[7] == 1:  # BOOLERR, an error
                value = ERROR_CODES.get(body[6], "#错误")
            elif rid == 0x0006 and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 2:
                value = ERROR_CODES.get(body[8], "#错误")  # FORMULA with an error result
            if value is not None:
                row, col = struct.unpack_from("<HH", body, 0)
                out.setdefault(name, {})[cell_ref(row, col)] = value
    return out
