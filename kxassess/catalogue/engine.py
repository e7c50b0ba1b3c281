"""Issue codes: 计分、定等、升降类、荣誉，以及命令行本身的提示。"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: dict[str, Entry] = {
    "self-gap": Entry(
        W,
        "{unit} {name} 指标 {indicator}：自评分 {claimed}，核定得分 {assessed}，"
        "相差 {gap}，超过允许的 {limit}",
        "核实该指标的佐证材料；核定得分无误的不必处理，评分有误的更正后重新计分。",
    ),
    "review-ignored": Entry(
        W,
        "申报 {application} 未通过资格审查，其绩效评审得分不予采用",
        "核对该申报的资格条件；确未通过的不必处理，登记有误的更正「申报」工作表后重新计分。",
    ),
    "not-reviewed": Entry(
        W,
        "申报 {application} 已通过资格审查，但还没有绩效评审得分",
        "在「绩效评审」工作表补录专家评分后重新计分。",
    ),
    "award-tie": Entry(
        W,
        "{category}：{count} 个申报在 {max_awards} 个奖补名额的末位并列（{codes}），均列为奖补",
        "公示前由评审组研究确定是否全部给予奖补。",
    ),
}
