"""Issue codes: 考核方案文件（scheme check / scheme show）与方案规定的截止日期、目标数。"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

_EDIT = "按提示修改方案文件后，再运行 kxassess scheme check 检查"

CODES: dict[str, Entry] = {
    # Errors: the scheme cannot be used.
    "scheme-unknown-key": Entry(
        E, "{place}：不认识的键「{key}」", "检查拼写；可参照内置方案文件的写法"
    ),
    "scheme-missing-key": Entry(E, "{place}：缺少必填项「{key}」", "补上这一项"),
    "scheme-bad-value": Entry(E, "{place}有误：{problem}", _EDIT),
    "scheme-rule": Entry(E, "{place}有误：{problem}", _EDIT),
    "scheme-invalid": Entry(E, "方案无法使用：{problem}", _EDIT),
    "scheme-not-mapping": Entry(E, "方案文件应为“键: 值”的结构", "参照内置方案文件的写法"),
    # Warnings: the scheme loads, but something deserves a look.
    "weights": Entry(W, "{place}：权重合计为 {total}，不是 {expected}", "核对各项权重"),
    "rate-above-cap": Entry(
        W,
        "{place}：每次 {rate} 分，超过上限 {cap} 分（一次即达上限；按原文保留）",
        "核对原文；如确属原文规定，可不处理",
    ),
    "band-gap": Entry(W, "{place}：{low} 分至 {high} 分以下没有对应等级", "调整分数段的上下限"),
    "band-overlap": Entry(W, "{place}：{low} 分至 {high} 分以下同属两个等级", "调整分数段"),
    "band-empty": Entry(W, "{place}：上限不高于下限，此等级无人能得", "调整分数段的上下限"),
    "steps-order": Entry(
        W, "{place}：计分档次中较高的数量得分反而较低（{low} → {high}）", "核对计分档次"
    ),
    # Run-time checks of the scheme's own rules.
    "submitted-late": Entry(
        W,
        "{unit} {what}的提交日期 {submitted} 晚于截止日期 {deadline}",
        "核实提交日期；方案规定逾期仅作提示",
    ),
    "submitted-late-absent": Entry(
        W,
        "{unit} {what}的提交日期 {submitted} 晚于截止日期 {deadline}，按方案规定不参加本次考核",
        "如逾期有正当理由，经批准后可改正提交日期或在 考核对象 中将参加改为“请假”",
    ),
    "bad-date": Entry(
        E, "「{text}」不是日期（{column}）", "写成 2020-12-31 或 2020年12月31日 的形式"
    ),
    "honour-target": Entry(
        W,
        "{honour}：认定 {count} 家，与《{notice}》确定的目标 {target} 家不同",
        "属正常情况时可不处理；需要调整时在 审定 表中增减荣誉并写明理由",
    ),
    "count-below-target": Entry(
        W,
        "{unit} 指标 {indicator}（{text}）：完成 {count}{unit_word}，低于本单位目标 {target}"
        "{unit_word}",
        "核实完成数量；评委评分时参考",
    ),
    "count-points-gap": Entry(
        W,
        "{unit} 指标 {indicator}：填报完成 {count}{unit_word}，按方案折合 {points} 分，"
        "评定得分为 {assessed} 分",
        "核实填报的数量与评分；如评分有误，改正 专家评分 后重新计算",
    ),
    "count-not-counted": Entry(
        E,
        "指标 {indicator} 没有按数量计分的规定，也没有分单位目标，不能填写完成数量",
        "删去这一行，或改填自评分",
    ),
}
