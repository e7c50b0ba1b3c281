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
    "review-unknown-item": Entry(
        E,
        "审定项目「{value}」无法识别",
        "项目只能填「等级」「升降」或「荣誉」",
    ),
    "review-missing-reason": Entry(
        E,
        "审定记录缺少理由：{unit} 的「{item}」调整须写明理由",
        "在「理由」列写明调整的依据，如复核结论或会议决定的要点",
    ),
    "review-missing-approver": Entry(
        E,
        "审定记录缺少审批：{unit} 的「{item}」调整须写明由谁决定",
        "在「审批」列写明决定的会议或负责人及日期，如「2024年12月28日主席办公会」",
    ),
    "review-blank-unit": Entry(
        E,
        "审定记录没有填写单位编码",
        "填写要调整的单位的单位编码（与考核对象表一致）",
    ),
    "review-unknown-unit": Entry(
        E,
        "审定记录中的单位编码 {unit} 不在考核对象表中",
        "核对单位编码，与考核对象表保持一致",
    ),
    "review-no-grades": Entry(
        E,
        "本方案不评定等级，不能审定等级",
        "删除这一行，或改为审定升降或荣誉",
    ),
    "review-bad-grade": Entry(
        E,
        "「{value}」不是本方案的等级（可填：{grades}，或「无」）",
        "在「调整为」列填写本方案的一个等级，或填「无」表示不评等级",
    ),
    "review-no-tiers": Entry(
        E,
        "本方案不分类别，不能审定升降",
        "删除这一行",
    ),
    "review-bad-move": Entry(
        E,
        "升降只能调整为「升类」「降类」或「不变」，「{value}」无法识别",
        "在「调整为」列填写升类、降类或不变",
    ),
    "review-bad-honour": Entry(
        E,
        "荣誉调整「{value}」无法识别（本方案的荣誉：{honours}）",
        "写成「+荣誉名称」表示授予、「-荣誉名称」表示取消，名称与方案一致",
    ),
    "review-twice": Entry(
        E,
        "{unit} 的「{item}」在审定表中出现两次（另见 {other}）",
        "每家单位的等级、升降各只保留一行审定记录",
    ),
    "review-not-scored": Entry(
        E,
        "{unit} {name} 未参加考核评分（{status}），不能审定{item}",
        "删除这一行；未参加考核的单位不评等级",
    ),
    "review-no-effect": Entry(
        W,
        "审定未改变结果：{unit} {name} 的{item}本来就是「{value}」",
        "核对审定记录；重新计分后计算结果已与审定一致的，可删除这一行",
    ),
    "review-breaks-quota": Entry(
        W,
        "审定后{group}的{what}为 {count} 家，多于按比例确定的 {quota} 家",
        "确认突破比例已经审批；如属误填，请改正审定表",
    ),
    "objection-pending": Entry(
        W,
        "{objector} 对 {unit} 的异议尚无处理结果，结果通报还不是最终版本",
        "异议处理完毕后在「处理结果」列填写结论，再重新计分出具通报",
    ),
    "objection-unknown-unit": Entry(
        W,
        "异议记录中的单位编码 {unit} 不在考核对象表中",
        "核对单位编码，与考核对象表保持一致",
    ),
}
