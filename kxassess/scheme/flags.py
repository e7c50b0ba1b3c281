"""Flags as staff read them. A flag (``expel``) is an id the scheme raises; screens,
workbooks and feedback show its label. The built-in flags are named here; a scheme file
names its own under ``flag_labels:``, and a flag with no label is refused when the file
is read, so staff never see a bare id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

BUILTIN_FLAG_LABELS = {
    "suspend_capacity_projects": "暂停申报能力提升计划项目",
    "suspend_all_projects": "暂停申报所有项目",
    "expel": "责令退出团体会员",
    "star_downgraded": "星级下降",
    "funding_review": "调整资金支持",
    "funding_adjust": "考核不合格，适时调整或终止资金支持",
    "unqualified": "考核不合格",
    "priority": "优先支持",
    "total_zeroed": "核实不实指标过多，总分计0分",
}


def require_labels(flags: Iterable[str], labels: Mapping[str, str]) -> None:
    """Raise (for the scheme loader) when a flag has neither a built-in nor an own label."""
    for flag in flags:
        if flag not in BUILTIN_FLAG_LABELS and not labels.get(flag, "").strip():
            raise ValueError(
                f"标记「{flag}」没有中文名称：请在 flag_labels 中写明，"
                f"如 flag_labels: {{{flag}: 中文名称}}"
            )
