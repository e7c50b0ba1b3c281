"""Issue codes: 公示后的审定、异议与运行对照。"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: dict[str, Entry] = {
    "unit-renamed": Entry(
        W,
        "单位编码 {unit} 在登记库（{population}）中的名称为「{old}」，本年度为「{new}」，"
        "按单位更名处理并记入登记库",
        "确为更名的无需处理；编码填错的，请改正考核对象表中的单位编码后重新计分",
    ),
}
