"""Cross-references of a whole scheme (tiers, grades, honours, tie-breakers …), every
problem at once, each named as staff know the place: 「等级 A」, 「升类规则」, 「荣誉 一流学会」."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from kxassess.scheme.components import IndicatorsComponent, duplicates

if TYPE_CHECKING:
    from kxassess.scheme.model import Scheme


def _known(names: tuple[str, ...] | list[str]) -> str:
    return "、".join(names) or "无"


def scheme_problems(scheme: Scheme) -> list[str]:
    """Chinese lines 「place：problem」; empty when the scheme hangs together."""
    out: list[str] = []
    tiers = scheme.tiers
    grades = scheme.grade_names
    honours = [h.name for h in scheme.honours]

    def tier_refs(place: str, names: tuple[str, ...]) -> None:
        out.extend(
            f"{place}：类别「{t}」不存在（可用：{_known(tiers)}）" for t in names if t not in tiers
        )

    def grade_refs(place: str, names: tuple[str, ...]) -> None:
        out.extend(
            f"{place}：等级「{g}」不存在（可用：{_known(grades)}）"
            for g in names
            if g not in grades
        )

    comp_ids = [c.id for c in scheme.components]
    if dupes := duplicates(comp_ids):
        out.append(f"考核构成：代码重复：{'、'.join(dupes)}")
    codes = [i.code for c in scheme.indicator_components for i in c.indicators]
    codes += [code for c in scheme.indicator_components if c.events for code in c.events.codes]
    if len(scheme.indicator_components) > 1 and (dupes := duplicates(codes)):
        out.append(f"考核构成之间：指标或加减分代码重复：{'、'.join(dupes)}")
    for tb in scheme.tie_breakers:
        if tb not in comp_ids:
            out.append(
                f"并列时比较（tie_breakers）：考核构成「{tb}」不存在（可用：{_known(comp_ids)}）"
            )
    if scheme.grades and scheme.bands:
        out.append("等级：按名额（grades）与按分数段（bands）只能二选一")
    if scheme.grades:
        out += _quota_problems(scheme)
    if dupes := duplicates(list(grades)):
        out.append(f"等级：名称重复：{'、'.join(dupes)}")
    for action, veto in scheme.vetoes.items():
        grade_refs(f"否决处理 {action}", (veto.best_grade,) if veto.best_grade else ())
        out.extend(
            f"否决处理 {action}：荣誉「{b}」不存在（可用：{_known(honours)}）"
            for b in veto.bars_honours
            if b not in honours
        )
    grade_refs("以奖代补金额", tuple(scheme.rewards))
    if scheme.grading_group == "tier" and not tiers:
        out.append("定等范围：按类别定等（grading_group: tier），但方案没有列出类别（tiers）")
    for name, rule in (("升类规则", scheme.moves.promote), ("降类规则", scheme.moves.demote)):
        if rule is not None:
            tier_refs(name, rule.tiers)
            grade_refs(name, (rule.grade,))
    if scheme.absence.absent.next_tier is not None:
        tier_refs("无故不参加", (scheme.absence.absent.next_tier,))
    for h in scheme.honours:
        tier_refs(f"荣誉 {h.name}", h.tiers or ())
        grade_refs(f"荣誉 {h.name}", h.grades or ())
        if h.progress is not None and h.progress.reading != "promoted" and not tiers:
            out.append(f"荣誉 {h.name}：按名次进步认定需要方案列出类别（tiers）")
    if dupes := duplicates(honours):
        out.append(f"荣誉：名称重复：{'、'.join(dupes)}")
    indicators = scheme.all_indicators
    for t in scheme.targets:
        if t.indicator not in indicators:
            out.append(f"分单位目标：指标「{t.indicator}」不存在")
    for comp in scheme.components:
        if not isinstance(comp, IndicatorsComponent):
            continue
        events = comp.events
        if events and events.deduction_best_grade is not None:
            grade_refs(
                f"考核构成 {comp.id} 加减分（扣分后最高等级）", (events.deduction_best_grade,)
            )
        for part in comp.parts:
            if part.weights is None:
                continue
            tier_refs(f"考核构成 {comp.id} 部分 {part.id} 的权重", tuple(part.weights))
            missing = [t for t in tiers if t not in part.weights]
            if missing:
                out.append(
                    f"考核构成 {comp.id} 部分 {part.id} 的权重：缺少类别 {'、'.join(missing)}"
                )
    return out


def _quota_problems(scheme: Scheme) -> list[str]:
    """Grade quotas: shares in 0…1 adding up to at most 1, exactly one grade taking the
    rest, listed best first (bands from the top, the rest — Jiangsu's 中位 B —, bands from
    the bottom)."""
    out: list[str] = []
    open_ended = [g for g in scheme.grades if g.side == "rest"]
    if len(open_ended) > 1:
        out.append(f"等级：只能有一个等级取其余单位（{'、'.join(g.grade for g in open_ended)}）")
    elif not open_ended:
        out.append("等级：须有一个等级取其余单位（from: rest）")
    order = {"top": 0, "rest": 1, "bottom": 2}
    sides = [order[g.side or "rest"] for g in scheme.grades]
    if sides != sorted(sides):
        out.append("等级：请按从好到差列出：先列从前位数起的等级，再列取其余的，最后列从后位数起的")
    for g in scheme.grades:
        if g.fraction is not None and not 0 < g.fraction <= 1:
            out.append(f"等级 {g.grade}：比例须大于0且不超过1，现为 {float(g.fraction):.4g}")
    if sum((g.fraction or Fraction(0)) for g in scheme.grades) > 1:
        out.append("等级：各等级比例合计超过1")
    return out
