"""Issue codes: 定等与升降类（配额、并列、组别过小）。"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: dict[str, Entry] = {}
