"""Issue codes: 读入与核对：工作簿、工作表、单元格、考核对象、评分、自评表。"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: dict[str, Entry] = {
    "missing-sheet": Entry(
        E, "工作簿中没有工作表「{sheet}」{hint}", "按模板补上该工作表，或更正工作表名称。"
    ),
    "no-review-yet": Entry(
        W,
        "工作簿中没有工作表「{sheet}」{hint}：尚无申报项目经过评审",
        "评审完成后补上该工作表再计分。",
    ),
    "missing-sheet-provisional": Entry(
        W,
        "工作簿中没有工作表「{sheet}」{hint}；临时计分，各单位该项按 0 分计",
        "正式计分前补上该工作表，或更正工作表名称。",
    ),
    "hidden-sheet": Entry(
        W,
        "隐藏工作表「{sheet}」未读取",
        "如该表的数据应当计入，请在 Excel 或 WPS 中取消隐藏；旧表或草稿请删除。",
    ),
    "unmatched-score-sheet": Entry(
        E,
        "工作表「{sheet}」含有评分表（单位编码及指标列），但名称不符合「评分-专家姓名」或"
        "「专家评分」，其中的评分未读取{hint}",
        "把工作表改名为「评分-专家姓名」（一位专家一张表）或「专家评分」；不用的表请删除。",
    ),
    "missing-scores": Entry(
        E,
        "工作簿中没有专家评分：需要工作表「专家评分」（每行一个分数）或每位专家一张"
        "「评分-专家姓名」{hint}",
        "按模板补上专家评分表，或更正工作表名称。",
    ),
    "judge-without-scores": Entry(
        E,
        "评委表列出的专家「{judge}」没有评分{hint}",
        "补上该专家的评分表「评分-{judge}」，或从评委表中删去该专家。",
    ),
    "judge-not-listed": Entry(
        E,
        "专家「{judge}」的评分（{sheet}）不属于评委表列出的专家{hint}",
        "在评委表中补上该专家，或更正评分表中的专家姓名。",
    ),
    "judge-missing-unit": Entry(
        E,
        "专家「{judge}」没有给 {unit} {name} 评分（工作表{sheet}中没有该单位的评分行）",
        "补上该单位的评分；该专家按规定回避或不评该单位的，在评委表的「评审范围」或"
        "「所属单位」中写明。临时计分可加 --allow-missing（缺评按 0 分计）。",
    ),
    "judge-missing-unit-provisional": Entry(
        W,
        "专家「{judge}」没有给 {unit} {name} 评分（工作表{sheet}），临时计分，缺评按 0 分计",
        "正式计分前补上该单位的评分。",
    ),
    "bad-scope": Entry(
        E,
        "评审范围中的「{token}」不是类别、单位编码、指标编码或指标部分",
        "评审范围写类别（如 一类）、单位编码、指标编码或部分名称，用「、」分隔；留空表示全部。",
    ),
    "merged-tier": Entry(
        W,
        "「类别」{span} 是合并单元格，其中各单位均按「{tier}」读取",
        "核对合并范围内的单位是否都属于该类别；不是的请拆分单元格后分别填写。",
    ),
    "unknown-unit": Entry(
        E,
        "{what}「{value}」不在考核对象名单中{hint}",
        "更正为考核对象表中的单位编码；新增单位请先补入考核对象表。",
    ),
    "name-mismatch": Entry(
        W,
        "单位名称「{given}」与考核对象表中 {unit} 的名称「{name}」不同，以单位编码为准",
        "核对单位编码是否填错；编码无误的，可把名称改为与考核对象表一致。",
    ),
    "blank-unit": Entry(
        E,
        "该行没有写明单位（单位编码和单位名称都为空）",
        "填写单位编码；不需要的行请删除。",
    ),
    "unknown-indicator": Entry(
        E,
        "指标「{text}」不是考核方案中的指标{hint}",
        "按考核方案的指标编码填写（可用「kxassess scheme show 方案」查看）。",
    ),
    "out-of-range": Entry(
        E,
        "{column}「{text}」超出 0～{top} 的范围",
        "更正为 0～满分之间的数值。",
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
