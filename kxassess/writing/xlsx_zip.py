"""The zlib level of the results workbook's zip file.

xlsxwriter zips at zlib's default level 6. Measured on the parts of a national year's
workbook (53 MB of XML at js13 × 3,000, 153 MB at w40): level 5 takes 0.31 s and 0.89 s
against 0.52 s and 1.50 s, for 0.3 % and 2 % more bytes (5.81 against 5.79 MB, 15.7
against 15.3 MB); levels 1–4 are faster still but 10–30 % larger. xlsxwriter has no option
for it, so its ``ZipFile`` is given the level while one workbook closes (kxassess closes one
workbook at a time, in one thread)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

import xlsxwriter.workbook

LEVEL = 5


@contextmanager
def zip_level(level: int = LEVEL) -> Iterator[bool]:
    """While open, xlsxwriter zips at ``level``; yields whether it could be set (not when
    xlsxwriter no longer makes its zip file with ``zipfile.ZipFile``)."""
    module = xlsxwriter.workbook
    if getattr(module, "ZipFile", None) is not zipfile.ZipFile:
        yield False
        return
    module.ZipFile = partial(zipfile.ZipFile, compresslevel=level)
    try:
        yield True
    finally:
        module.ZipFile = zipfile.ZipFile
