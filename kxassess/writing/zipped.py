"""Word packages whose last part, document.xml, is joined from pieces deflated once.

A letter's body is compressed once and the same bytes go into its own file and into the
combined one: each piece is deflated on its own and ends on a byte boundary (a sync
flush), so that pieces in any order make one valid deflate stream, closed by an empty
final block. The other parts come first, as python-docx saved them; the zip records are
those :mod:`zipfile` writes.
"""

from __future__ import annotations

import errno
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# The zip records (APPNOTE 4.3.7, 4.3.12, 4.3.16), as zipfile packs them.
_LOCAL_RECORD = "<4s2B4HL2L2H"
_CENTRAL_RECORD = "<4s4B4HL2L5H2L"
_END_RECORD = "<4s4H2LH"
_LOCAL_SIGNATURE = b"PK\x03\x04"
_CENTRAL_SIGNATURE = b"PK\x01\x02"
_END_SIGNATURE = b"PK\x05\x06"

# zlib's level 3 rather than python-docx's 6: a letter's document.xml deflates nearly as
# small (2.8 rather than 2.4 KB of a 40 KB file) at less than half the time
LEVEL = 3
_FINAL = zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush()  # an empty final block
_LIMIT = 0xFFFFFFFF  # zip without its 64-bit extension
_EXTERNAL = 0o600 << 16  # what zipfile gives a part written from bytes
_VERSION = 20  # deflate
_LOCAL_SIZE = struct.calcsize(_LOCAL_RECORD)


@dataclass(frozen=True)
class Deflated:
    """Bytes and the same deflated on their own, ready to be joined to other pieces."""

    original: bytes
    data: bytes


def deflate(original: bytes) -> Deflated:
    squeeze = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return Deflated(original, squeeze.compress(original) + squeeze.flush(zlib.Z_SYNC_FLUSH))


@dataclass(frozen=True)
class Parts:
    """The other parts of a package, as stored: their local records and their entries of
    the central directory (offsets from the start of the file)."""

    local: bytes
    central: bytes
    count: int

    @classmethod
    def of(cls, package: bytes) -> Parts:
        """The parts of a zip file written by :mod:`zipfile` (no comment, no zip64)."""
        end = package[-struct.calcsize(_END_RECORD) :]
        fields = struct.unpack(_END_RECORD, end)
        count, size, offset = fields[4], fields[5], fields[6]
        return cls(package[:offset], package[offset : offset + size], count)


def _dos_time() -> tuple[int, int]:
    y, mo, d, h, mi, s = time.localtime()[:6]
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


def _local(name: bytes, crc: int, csize: int, usize: int, when: tuple[int, int]) -> bytes:
    return (
        struct.pack(
            _LOCAL_RECORD,
            _LOCAL_SIGNATURE,
            _VERSION,
            0,
            0,
            zipfile.ZIP_DEFLATED,
            when[0],
            when[1],
            crc,
            csize,
            usize,
            len(name),
            0,
        )
        + name
    )


def _central(
    name: bytes, crc: int, csize: int, usize: int, when: tuple[int, int], offset: int
) -> bytes:
    return (
        struct.pack(
            _CENTRAL_RECORD,
            _CENTRAL_SIGNATURE,
            _VERSION,
            3,  # made on Unix, as zipfile says
            _VERSION,
            0,
            0,
            zipfile.ZIP_DEFLATED,
            when[0],
            when[1],
            crc,
            csize,
            usize,
            len(name),
            0,
            0,
            0,
            0,
            _EXTERNAL,
            offset,
        )
        + name
    )


def _end(count: int, size: int, offset: int) -> bytes:
    return struct.pack(_END_RECORD, _END_SIGNATURE, 0, 0, count, count, size, offset, 0)


class LastPart:
    """A package at ``path``: ``parts``, then ``name`` written piece by piece from deflated
    pieces (the original bytes go along for the CRC). Sizes must stay below 4 GiB."""

    def __init__(self, path: Path, parts: Parts, name: str) -> None:
        self.path = path
        self.parts = parts
        self.name = name.encode("ascii")
        self.when = _dos_time()
        self.file: BinaryIO = open(path, "wb")  # noqa: SIM115 (closed by close())
        self.file.write(parts.local)
        self.file.write(_local(self.name, 0, 0, 0, self.when))  # sizes filled in at the end
        self.crc = 0
        self.size = 0
        self.compressed = 0

    def add(self, piece: Deflated) -> None:
        self.crc = zlib.crc32(piece.original, self.crc)
        self.size += len(piece.original)
        self.compressed += len(piece.data)
        self.file.write(piece.data)

    def close(self) -> None:
        """The final block, the central directory, and the part's sizes in its record."""
        try:
            self.file.write(_FINAL)
            self.compressed += len(_FINAL)
            central_at = self.file.tell()
            if self.size > _LIMIT or central_at > _LIMIT:
                raise OSError(errno.EFBIG, "文件超过 4 GB", str(self.path))
            sizes = (self.crc, self.compressed, self.size)
            self.file.write(self.parts.central)
            self.file.write(_central(self.name, *sizes, self.when, len(self.parts.local)))
            central_size = self.file.tell() - central_at
            self.file.write(_end(self.parts.count + 1, central_size, central_at))
            self.file.seek(len(self.parts.local))
            self.file.write(_local(self.name, *sizes, self.when))
        finally:
            self.file.close()


def write_package(path: Path, parts: Parts, name: str, pieces: tuple[Deflated, ...]) -> None:
    """A whole package at once: ``parts``, then ``name`` joined from ``pieces``."""
    path.write_bytes(package_bytes(parts, name, pieces))


def package_bytes(parts: Parts, name: str, pieces: tuple[Deflated, ...]) -> bytes:
    """The bytes of :func:`write_package`'s file."""
    raw = name.encode("ascii")
    crc = size = 0
    for piece in pieces:
        crc = zlib.crc32(piece.original, crc)
        size += len(piece.original)
    body = b"".join([*(piece.data for piece in pieces), _FINAL])
    when = _dos_time()
    local = parts.local
    central_at = len(local) + _LOCAL_SIZE + len(raw) + len(body)
    central = _central(raw, crc, len(body), size, when, len(local))
    return b"".join(
        (
            local,
            _local(raw, crc, len(body), size, when),
            body,
            parts.central,
            central,
            _end(parts.count + 1, len(parts.central) + len(central), central_at),
        )
    )
