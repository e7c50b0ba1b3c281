"""Issue codes: 计分、定等、升降类、荣誉，以及命令行本身的提示。"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: dict[str, Entry] = {}
