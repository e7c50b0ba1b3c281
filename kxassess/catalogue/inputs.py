"""Issue codes: 读入与核对：工作簿、工作表、单元格、考核对象、评分、自评表。"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: dict[str, Entry] = {
    "missing-sheet": Entry(
        E, "工作簿中没有工作表「{sheet}」{hint}", "按模板补上该工作表，或更正工作表名称。"
    ),
}
