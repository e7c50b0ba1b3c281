"""Issue codes: 评委分析。"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: dict[str, Entry] = {
    "judge-spread": Entry(
        W,
        "{unit} {name} 指标{indicator}专家评分分歧较大{group}：最高 {high} 分（{high_judges}，"
        "{high_cells}），最低 {low} 分（{low_judges}，{low_cells}），相差 {gap} 分，"
        "达到该指标满分 {max} 分的 {share}",
        "请核对这几位专家的评分及评分依据，必要时请专家说明理由或复评；确认无误的可不作处理",
    ),
}
