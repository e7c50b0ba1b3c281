"""Issue codes: 读入与核对：工作簿、工作表、单元格、考核对象、评分、自评表。"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: dict[str, Entry] = {
    "missing-sheet": Entry(
        E, "工作簿中没有工作表「{sheet}」{hint}", "按模板补上该工作表，或更正工作表名称。"
    ),
    "year-mismatch": Entry(
        W,
        "本工作簿为 {year} 年度，所用考核方案 {scheme} 依据的是 {scheme_year} 年度的{document}；"
        "通报仍按该文件引用",
        "如本年度已有新的考核办法，请复制并修改考核方案，再用 --scheme 指定；"
        "如沿用原办法，可不处理。",
    ),
    "error-value": Entry(
        E,
        "单元格是错误值 {value}{what}，不能当作分数，也不能当作未评分",
        "在 Excel 或 WPS 中修正该单元格（或它的公式引用的单元格），使其显示数值；"
        "确实没有分数的，留空或填「—」。",
    ),
    "not-a-number": Entry(
        E,
        "「{text}」不是数值{what}",
        "填写数值（如 8 或 8.5，也可写 ８、8分）；没有分数的留空或填「—」「/」「无」。",
    ),
}
