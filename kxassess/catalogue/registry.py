"""Issue codes: 登记库、运行记录、输出文件的发布与文件锁。"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: dict[str, Entry] = {}
