"""Regenerate sample_data/2024.xlsx: a realistic js-2024-society year (deterministic).

44 provincial societies across the four tiers, 5 judges filling wide-form sheets
(评分-<专家>), monthly website reports with gaps, daily performance scores, one society
absent without reason (参加 = 否), one excused (请假), and two societies of 三类 whose
scores are identical in every input (a tie that shares a rank).

    python sample_data/make_sample.py [OUTPUT]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from openpyxl import Workbook

SOCIETIES = [
    # (name, tier)
    ("江苏省机械工程学会", "一类"),
    ("江苏省计算机学会", "一类"),
    ("江苏省医学会", "一类"),
    ("江苏省化学化工学会", "一类"),
    ("江苏省电子学会", "一类"),
    ("江苏省农学会", "一类"),
    ("江苏省土木建筑学会", "一类"),
    ("江苏省自动化学会", "一类"),
    ("江苏省药学会", "一类"),
    ("江苏省中医药学会", "一类"),
    ("江苏省水利学会", "二类"),
    ("江苏省电机工程学会", "二类"),
    ("江苏省测绘地理信息学会", "二类"),
    ("江苏省地理学会", "二类"),
    ("江苏省气象学会", "二类"),
    ("江苏省环境科学学会", "二类"),
    ("江苏省汽车工程学会", "二类"),
    ("江苏省通信学会", "二类"),
    ("江苏省林学会", "二类"),
    ("江苏省园艺学会", "二类"),
    ("江苏省金属学会", "二类"),
    ("江苏省造船工程学会", "二类"),
    ("江苏省地质学会", "三类"),
    ("江苏省数学学会", "三类"),
    ("江苏省物理学会", "三类"),
    ("江苏省植物学会", "三类"),
    ("江苏省动物学会", "三类"),
    ("江苏省心理学会", "三类"),
    ("江苏省营养学会", "三类"),
    ("江苏省航空航天学会", "三类"),
    ("江苏省硅酸盐学会", "三类"),
    ("江苏省纺织工程学会", "三类"),
    ("江苏省食品科学技术学会", "三类"),
    ("江苏省图学学会", "三类"),
    ("江苏省天文学会", "四类"),
    ("江苏省海洋湖沼学会", "四类"),
    ("江苏省昆虫学会", "四类"),
    ("江苏省微生物学会", "四类"),
    ("江苏省茶叶学会", "四类"),
    ("江苏省蚕学会", "四类"),
    ("江苏省照明学会", "四类"),
    ("江苏省声学学会", "四类"),
    ("江苏省真空学会", "四类"),
    ("江苏省古生物学会", "四类"),
]
ABSENT = "江苏省真空学会"
EXCUSED = "江苏省图学学会"
TWINS = ("江苏省营养学会", "江苏省硅酸盐学会")  # identical inputs: tied in 三类
JUDGES = ["张明", "李华", "王芳", "刘洋", "陈静"]
INDICATORS = (
    {f"A{i}": 20 for i in range(1, 6)}
    | {f"B{i}": 20 for i in range(1, 6)}
    | {"C1": 10, "C2": 10, "C3": 10}
)


def _half(rng: random.Random, centre: float, spread: float, top: int) -> float:
    """A judge's score: a half point between 0 and ``top`` near ``centre``."""
    value = round(rng.gauss(centre, spread) * 2) / 2
    return min(max(value, 0), top)


def build(path: Path) -> None:
    rng = random.Random(2024)
    units = [(f"JS{n:03d}", name, tier) for n, (name, tier) in enumerate(SOCIETIES, start=1)]
    quality = {code: rng.uniform(0.55, 0.95) for code, _, _ in units}
    twin_codes = [code for code, name, _ in units if name in TWINS]
    quality[twin_codes[1]] = quality[twin_codes[0]]

    wb = Workbook()
    ws = wb.active
    ws.title = "考核设置"
    ws.append(["项目", "值"])
    ws.append(["方案", "js-2024-society"])
    ws.append(["年度", 2024])

    ws = wb.create_sheet("考核对象")
    ws.append(["单位编码", "单位名称", "类别", "参加", "备注"])
    for code, name, tier in units:
        attend = "否" if name == ABSENT else "请假" if name == EXCUSED else ""
        note = "换届延期，经批准请假" if name == EXCUSED else ""
        ws.append([code, name, tier, attend, note])

    ws = wb.create_sheet("评委")
    ws.append(["专家", "评委组", "所属单位"])
    for judge in JUDGES:
        ws.append([judge, "专家组", ""])

    taking_part = [(c, n, t) for c, n, t in units if n not in (ABSENT, EXCUSED)]
    for judge in JUDGES:
        ws = wb.create_sheet(f"评分-{judge}")
        ws.append(["单位编码", "单位名称", *INDICATORS, "合计"])
        bias = rng.uniform(-0.6, 0.6)
        twin_row: list[float] = []
        for code, name, _ in units:
            if (code, name, _) not in taking_part:
                ws.append([code, name])
                continue
            if code == twin_codes[1]:
                row = twin_row
            else:
                row = []
                for ind, top in INDICATORS.items():
                    centre = top * quality[code] + bias
                    if ind.startswith("C"):
                        centre = top * max(quality[code] - 0.45, 0) * 1.6
                    row.append(_half(rng, centre, top * 0.08, top))
                if code == twin_codes[0]:
                    twin_row = row
            ws.append([code, name, *row, sum(row)])

    ws = wb.create_sheet("学会网月报")
    ws.append(["单位编码", "单位名称", *[f"{m}月" for m in range(1, 13)]])
    twin_months: list[object] = []
    for code, name, _ in units:
        if code == twin_codes[1]:
            months = twin_months
        else:
            months = []
            for _month in range(1, 13):
                score = min(100, round(rng.gauss(100 * quality[code], 6)))
                months.append(None if rng.random() < 0.06 else score)
            if code == twin_codes[0]:
                twin_months = months
        ws.append([code, name, *months])

    ws = wb.create_sheet("日常考核")
    ws.append(["单位编码", "单位名称", "工作表现", "说明"])
    twin_perf = 0
    for code, name, _ in units:
        perf = min(100, round(rng.gauss(95 * quality[code] + 8, 4)))
        if code == twin_codes[1]:
            perf = twin_perf
        if code == twin_codes[0]:
            twin_perf = perf
        ws.append([code, name, perf if name != ABSENT else None, ""])

    wb.save(path)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("2024.xlsx")
    build(target)
    print(f"wrote {target}")
