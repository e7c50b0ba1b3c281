"""Issue codes: 通报、公示、反馈与结果工作簿。"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: dict[str, Entry] = {
    "notice-no-contact": Entry(
        W,
        "公示没有{missing}：对公示有异议的单位和个人无从联系",
        "在考核方案的 notice 中填写 contact 和 phone，或计分时用 --contact、--phone 给出。",
    ),
}
