"""Issue codes: 定等与升降类（配额、并列、组别过小）。

Every template names the grading group (``{group}``: the tier, or 全部) so that staff can
explain a band that differs from the notice's share.
"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: dict[str, Entry] = {
    "band-tie": Entry(
        W,
        "{group}：「{grade}」等次按比例应为 {quota} 个单位，实为 {got} 个"
        "（分界处得分并列，按有利于单位的原则处理）",
        "无需处理；如需打破并列，可在考核方案中增加并列时依次比较的分项。",
    ),
    "band-short": Entry(
        W,
        "{group}：「{grade}」等次按比例应为 {quota} 个单位，但可评该等次的单位只有 {got} 个"
        "（否决事项或扣分限制了等次）",
        "核对否决事项和加减分；无误则无需处理。",
    ),
    "band-rounds-zero": Entry(
        W,
        "{group}：只有 {n} 个参评单位，「{grade}」等次按 {share} 计算为 0 个，本组不设该等次",
        "无需处理；如本组应设该等次，请在考核方案中调整该等次的取整方式。",
    ),
    "band-min-group": Entry(
        W,
        "{group}：只有 {n} 个参评单位，少于「{grade}」等次要求的 {min} 个，本组不设该等次",
        "无需处理；如本组应设该等次，请在考核方案中调整最少单位数。",
    ),
    "group-all-tied": Entry(
        W,
        "{group}：全部 {n} 个参评单位得分并列，均定为「{grade}」",
        "核对评分是否录入完整；无误则无需处理。",
    ),
    "move-tie": Entry(
        W,
        "{group}：「{grade}」等次单位中{move}名额按比例应为 {quota} 个，实为 {got} 个"
        "（分界处得分并列，按有利于单位的原则处理）",
        "无需处理；如需打破并列，可在考核方案中增加并列时依次比较的分项。",
    ),
    "move-rounds-zero": Entry(
        W,
        "{group}：「{grade}」等次只有 {count} 个单位，按 {share} 计算{move}名额为 0 个，"
        "本组无{move}",
        "无需处理。",
    ),
}
