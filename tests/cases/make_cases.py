"""Build the input workbooks of the golden cases (run from the repository root).

    python tests/cases/make_cases.py

Each judge gives one unit the same score on every indicator of a part, so a case can be
checked with a calculator; the expected results (expected.json) are written by hand in
each case's README.md, not generated.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
A = [f"A{i}" for i in range(1, 6)]
B = [f"B{i}" for i in range(1, 6)]
C = ["C1", "C2", "C3"]

# code, name, tier, 参加, {judge: (a, b, c)} — a: every A indicator, b: every B, c: every C
SMALL_YEAR = [
    ("S01", "甲学会", "一类", "", {"赵一": (16, 18, 8), "钱二": (14, 17, 6)}),
    ("S02", "乙学会", "1", "是", {"赵一": (12, 15, 2), "钱二": (12, 15, 2)}),
    ("S03", "丙学会", "二类", "", {"赵一": (18, 18, 5), "钱二": (18, 18, 5)}),
    ("S04", "丁学会", "二类学会", "", {"赵一": (16, 16, 3), "钱二": (16, 16, 3)}),
    ("S05", "戊学会", "二类", "", {"赵一": (15, 15, 3), "钱二": (15, 16, 3)}),
    ("S06", "己学会", "二类", "", {"赵一": (15, 15, 3), "钱二": (15, 15, 3)}),
    ("S07", "庚学会", "二类", "", {"赵一": (15, 15, 3), "钱二": (15, 15, 3)}),
    ("S08", "辛学会", "２", "", {"赵一": (10, 10, 0), "钱二": (10, 10, 0)}),
    ("S09", "壬学会", "二类", "", {"赵一": (8, 8, 0), "钱二": (8, 8, 0)}),
    ("S10", "癸学会", "三类", "否", {}),
    ("S11", "子学会", "四类", "请假", {}),
]
# month → score for months 1…12 (None = blank); S09 has no row at all
MONTHS = {
    "S01": [100, 100, 90, 90, 90, 90, None, 90, 90, 90, 90, 100],
    "S02": [90] * 12,
    "S03": [100] * 12,
    "S04": [90] * 12,
    "S05": [80] * 12,
    "S06": [90] * 12,
    "S07": [90] * 12,
    "S08": [60, 60, 60, None, 60, 60, 60, 60, 60, "—", 60, 60],
    "S10": [50] * 12,
}
PERFORMANCE = {
    "S01": 90,
    "S02": 80,
    "S03": 100,
    "S04": 90,
    "S05": 80,
    "S06": 82,
    "S07": 82,
    "S08": 70,
    "S09": 60,
    "S10": None,
    "S11": None,
}


def _start(scheme: str, year: int) -> Workbook:
    """A new workbook whose first sheet, 考核设置, names the scheme and the year."""
    wb = Workbook()
    ws = wb.active
    ws.title = "考核设置"
    ws.append(["项目", "值"])
    ws.append(["方案", scheme])
    ws.append(["年度", year])
    return wb


def _common(wb: Workbook) -> None:
    ws = wb.create_sheet("考核对象")
    ws.append(["单位编码", "单位名称", "类别", "参加"])
    for code, name, tier, attend, _ in SMALL_YEAR:
        ws.append([code, name, tier, attend])
    ws = wb.create_sheet("学会网月报")
    ws.append(["单位编码", *[f"{m}月" for m in range(1, 13)]])
    for code, months in MONTHS.items():
        ws.append([code, *months])
    ws = wb.create_sheet("日常考核")
    ws.append(["单位编码", "工作表现"])
    for code, score in PERFORMANCE.items():
        ws.append([code, score])


def _row(abc: tuple[int, int, int]) -> list[int]:
    a, b, c = abc
    return [a] * len(A) + [b] * len(B) + [c] * len(C)


def build_long(path: Path) -> None:
    wb = _start("js-2024-society", 2024)
    _common(wb)
    ws = wb.create_sheet("专家评分")
    ws.append(["专家", "评委组", "单位编码", "指标", "得分"])
    for code, _, _, _, judges in SMALL_YEAR:
        for judge, abc in judges.items():
            for ind, score in zip(A + B + C, _row(abc), strict=True):
                ws.append([judge, "专家组", code, ind, score])
    wb.save(path)


def build_wide(path: Path) -> None:
    wb = _start("js-2024-society", 2024)
    _common(wb)
    for judge in ("赵一", "钱二"):
        ws = wb.create_sheet(f"评分-{judge}")
        ws.append(["2024年度学会考核专家评分表"])  # a title row above the header
        ws.append(["单位名称", "单位编码", *A, *B, *C, "合计"])
        for code, name, _, _, judges in SMALL_YEAR:
            row = _row(judges[judge]) if judge in judges else []
            ws.append([name, code, *row, sum(row) if row else None])
    wb.save(path)


# --- lyg-county: Lianyungang 2018, judge groups 40/30/30 with recusal ---------------------
LYG_MAX = [4, 5, 2, 2, 3, 3, 8, 4, 6, 4, 4, 5, 4, 4, 2, 7, 3, 4, 5, 11, 2, 5, 3]
COUNTIES = ["东海县", "灌云县", "灌南县", "赣榆区", "海州区", "连云区"]
# county → group → (p, bonus): every item scored p × max, 加1 = bonus (加2, 加3 = 0)
LYG_SCORES = {
    "东海县": {"市科协领导": ("0.9", 2), "机关各部门": ("0.9", 2), "县区科协": ("0.8", 0)},
    "灌云县": {"市科协领导": ("0.8", 2), "机关各部门": ("0.8", 0), "县区科协": ("0.8", 0)},
    "灌南县": {"市科协领导": ("0.8", 0), "机关各部门": ("0.8", 0), "县区科协": ("0.85", 0)},
    "赣榆区": {"市科协领导": ("0.7", 0), "机关各部门": ("0.7", 0), "县区科协": ("0.7", 0)},
    "海州区": {"市科协领导": ("0.75", 0), "机关各部门": ("0.7", 0), "县区科协": ("0.7", 0)},
    "连云区": {"市科协领导": ("0.6", 0), "机关各部门": ("0.6", 0), "县区科协": ("0.6", 0)},
}
LYG_JUDGES = [
    ("领导甲", "市科协领导", ""),
    ("领导乙", "市科协领导", ""),
    ("部门甲", "机关各部门", ""),
    ("部门乙", "机关各部门", ""),
] + [(f"{c}评委", "县区科协", c) for c in COUNTIES]


def _lyg_row(p: str, bonus: int) -> list[object]:
    from decimal import Decimal

    return [float(Decimal(p) * m) for m in LYG_MAX] + [bonus, 0, 0]


def build_lyg(path: Path) -> None:
    wb = _start("lyg-2018-county", 2018)
    ws = wb.create_sheet("考核对象")
    ws.append(["单位编码", "单位名称", "参加", "科普大篷车"])
    for n, county in enumerate(COUNTIES, start=1):
        ws.append([f"LYG{n}", county, "", "有" if n <= 3 else "无"])
    ws = wb.create_sheet("评委")
    ws.append(["专家", "评委组", "所属单位"])
    for judge in LYG_JUDGES:
        ws.append(list(judge))
    codes = [str(i) for i in range(1, 24)] + ["加1", "加2", "加3"]
    for judge, group, own in LYG_JUDGES:
        ws = wb.create_sheet(f"评分-{judge}")
        ws.append(["单位编码", "单位名称", *codes])
        for n, county in enumerate(COUNTIES, start=1):
            p, bonus = LYG_SCORES[county][group]
            if county == own:  # a county judge would favour its own county: recused
                p, bonus = "1", 4
            ws.append([f"LYG{n}", county, *_lyg_row(p, bonus)])
    ws = wb.create_sheet("否决事项")
    ws.append(["单位编码", "事项", "处理"])
    ws.append(["LYG1", "年内发生重大安全事故", "一票否决"])
    wb.save(path)


# --- cq-county: Chongqing 2020 区县科协 -------------------------------------------------------
CQ_MAX = {
    "1.1": 10,
    "1.2": 5,
    "2.1": 4,
    "2.2": 6,
    "3.1": 4,
    "3.2": 3,
    "3.3": 4,
    "3.4": 4,
    "3.5": 3,
    "3.6": 2,
    "4.1": 5,
    "4.2": 5,
    "4.3": 10,
    "5": 10,
    "6": 10,
    "7": 6,
    "8.1": 3,
    "8.2": 4,
    "8.3": 2,
}
# code, name, 参加, p (every indicator p × max), service ratings, leadership ratings
CQ_UNITS = [
    ("D1", "万州区科协", "", "0.95", [90] * 20, [80, 80]),
    ("D2", "涪陵区科协", "", "0.9", [90] * 20, [90, 90]),
    ("D3", "渝中区科协", "", "0.9", [95] * 19, [90, 90]),
    ("D4", "大渡口区科协", "", "0.85", [80] * 20, [80, 80]),
    ("D5", "江北区科协", "", "0.8", [80] * 20, [70, 70]),
    ("D6", "沙坪坝区科协", "", "0.7", [70] * 20, [70, 70]),
    ("D7", "九龙坡区科协", "否", None, [], []),
    ("D8", "南岸区科协", "", "0.99", [99] * 20, [99, 99]),
]
CQ_EVENTS = [
    ("D1", "加1b", 2),
    ("D1", "加2a", 1),
    ("D1", "减1", 1),
    ("D4", "加1a", 3),
    ("D4", "加2b", 2),
    ("D4", "加3b", 2),
    ("D4", "加4", 5),
]
CQ_VETOES = [("D3", "重大安全责任事故", "取消特等"), ("D8", "党风廉政问题", "不予考核")]
CQ_SELF = [("D5", "1.1", 10), ("D6", "1.1", 10)]


def build_cq_county(path: Path) -> None:
    from decimal import Decimal

    wb = _start("cq-2020-county", 2020)
    ws = wb.create_sheet("考核对象")
    ws.append(["单位编码", "单位名称", "参加"])
    for code, name, attend, *_ in CQ_UNITS:
        ws.append([code, name, attend])
    ws = wb.create_sheet("专家评分")
    ws.append(["专家", "单位编码", "指标", "得分"])
    for code, _, _, p, _, _ in CQ_UNITS:
        for ind, top in CQ_MAX.items():
            if p is not None:
                ws.append(["组织人事部", code, ind, float(Decimal(p) * top)])
    for sheet, column in (("服务对象评价", 4), ("领导评价", 5)):
        ws = wb.create_sheet(sheet)
        ws.append(["单位编码", "评价人", "得分"])
        for unit in CQ_UNITS:
            for n, score in enumerate(unit[column], start=1):  # type: ignore[arg-type]
                ws.append([unit[0], f"评价人{n}", score])
    ws = wb.create_sheet("加减分")
    ws.append(["单位编码", "项目", "次数", "说明"])
    for row in CQ_EVENTS:
        ws.append([*row, ""])
    ws = wb.create_sheet("否决事项")
    ws.append(["单位编码", "事项", "处理"])
    for row in CQ_VETOES:
        ws.append(list(row))
    ws = wb.create_sheet("自评")
    ws.append(["单位编码", "指标", "完成情况", "自评分"])
    for code, ind, score in CQ_SELF:
        ws.append([code, ind, "（示例）举办活动3次", score])
    wb.save(path)


# --- star-society: star bands ---------------------------------------------------------------
# code, name, {judge: (area1, area2, area3, area4)}
STAR_UNITS = [
    ("X1", "市机械工程学会", {"专家一": (23, 23, 22, 22), "专家二": (23, 22, 23, 22)}),
    ("X2", "市电子学会", {"专家一": (22.5, 22.5, 22.5, 22.5), "专家二": (22.5, 22.5, 22.5, 22.4)}),
    ("X3", "市化工学会", {"专家一": (20, 20, 20, 20), "专家二": (20, 20, 20, 20)}),
    ("X4", "市土木学会", {"专家一": (18, 17, 17, 18), "专家二": (17, 18, 18, 17)}),
    ("X5", "市农学会", {"专家一": (17.5, 17.5, 17.5, 17.5), "专家二": (17.5, 17.5, 17.5, 17.4)}),
]


def build_star(path: Path) -> None:
    wb = _start("star-society-2015", 2015)
    ws = wb.create_sheet("考核对象")
    ws.append(["单位编码", "单位名称", "参加"])
    for code, name, _ in STAR_UNITS:
        ws.append([code, name, ""])
    ws = wb.create_sheet("专家评分")
    ws.append(["专家", "单位编码", "指标", "得分"])
    for code, _, judges in STAR_UNITS:
        for judge, areas in judges.items():
            for ind, score in zip(("1", "2", "3", "4"), areas, strict=True):
                ws.append([judge, code, ind, score])
    wb.save(path)


# --- sz-capacity: Suzhou 2022 project programme -----------------------------------------------
SZ_HEAD = [
    "申报编号",
    "单位编码",
    "单位名称",
    "项目名称",
    "类别",
    "子类",
    "申报日期",
    "可开具税务票据",
    "学会日",
    "评估等级",
    "评估有效期至",
    "品牌项目数",
    "绩效报告日期",
    "阶段",
]
_OK = ("是", "是", "4A", "2024-12-31", 3, "2022-10-20")
SZ_APPS = [
    # 编号, 单位, 项目, 类别, 子类, 申报日期, (税票, 学会日, 等级, 有效期, 品牌, 报告), 阶段, 评分
    (
        "A01",
        "苏州市机械工程学会",
        "综合示范学会",
        "综合示范学会建设",
        "",
        "2022-04-10",
        _OK,
        "",
        [92, 90],
    ),
    (
        "A02",
        "苏州市医学会",
        "综合示范学会",
        "综合示范学会建设",
        "",
        "2022-04-12",
        ("是", "是", "3A", "2023-06-30", 2, "2022-10-30"),
        "",
        [88, 86],
    ),
    (
        "A03",
        "苏州市农学会",
        "综合示范学会",
        "综合示范学会建设",
        "",
        "2022-04-01",
        ("是", "否", "4A", "2024-12-31", 3, "2022-10-20"),
        "",
        [95, 95],
    ),
    (
        "A04",
        "苏州市土木建筑学会",
        "综合示范学会",
        "综合示范学会建设",
        "",
        "2022-03-01",
        ("是", "是", "3A", "2021-12-31", 4, "2022-10-20"),
        "",
        [90, 90],
    ),
    (
        "A05",
        "苏州市电子学会",
        "综合示范学会",
        "综合示范学会建设",
        "",
        "2022-04-11",
        _OK,
        "",
        [87, 87],
    ),
    (
        "A06",
        "苏州市化学化工学会",
        "综合示范学会",
        "综合示范学会建设",
        "",
        "2022-04-11",
        _OK,
        "",
        [85, 85],
    ),
    (
        "A07",
        "苏州市气象学会",
        "党建引领会员服务",
        "党建强会",
        "党建工作小组",
        "2022-04-15",
        ("是", "", "无", "", 0, "2022-10-31"),
        "",
        [75, 65],
    ),
    (
        "A08",
        "苏州市林学会",
        "功能性党支部建设",
        "党建强会",
        "功能性党支部和行动支部",
        "2022-04-02",
        ("否", "", "", "", 0, "2022-10-20"),
        "",
        [],
    ),
    (
        "A09",
        "苏州市园艺学会",
        "园艺一会一品",
        "承能创新",
        "一会一品",
        "2022-04-16",
        ("是", "", "", "", 0, "2022-10-20"),
        "",
        [],
    ),
    (
        "A10",
        "苏州市水利学会",
        "水利科技奖",
        "承能创新",
        "评奖评优",
        "2022-04-08",
        ("是", "", "", "", 0, ""),
        "",
        [],
    ),
    (
        "A11",
        "苏州市纺织工程学会",
        "纺织产业发展报告",
        "承能创新",
        "撰写产业发展报告",
        "2022-04-08",
        ("是", "", "", "", 0, "2022-10-15"),
        "",
        [59, 60],
    ),
    (
        "A12",
        "苏州市计算机学会",
        "计算机学报苏州版",
        "学术交流品牌建设",
        "精品期刊建设",
        "2022-04-08",
        ("是", "", "3A", "2025-12-31", 0, "2022-10-15"),
        "表彰奖补",
        [80, 80],
    ),
]


def build_sz(path: Path) -> None:
    import datetime as dt

    def day(text: str) -> object:
        return dt.date.fromisoformat(text) if text else None

    wb = _start("sz-2022-capacity", 2022)
    ws = wb.create_sheet("申报")
    ws.append(SZ_HEAD)
    for n, (code, unit, project, cat, sub, applied, gates, stage, _) in enumerate(SZ_APPS, 1):
        tax, day_set, rating, expiry, brands, report = gates
        ws.append(
            [
                code,
                f"SZ{n:02d}",
                unit,
                project,
                cat,
                sub,
                day(applied),
                tax,
                day_set,
                rating,
                day(expiry),
                brands,
                day(report),
                stage,
            ]
        )
    ws = wb.create_sheet("绩效评审")
    ws.append(["专家", "申报编号", "得分"])
    for code, *_, scores in SZ_APPS:
        for judge, score in zip(("专家甲", "专家乙"), scores, strict=False):
            ws.append([judge, code, score])
    wb.save(path)


if __name__ == "__main__":
    build_long(HERE / "small-year" / "input.xlsx")
    build_wide(HERE / "small-year-wide" / "input.xlsx")
    build_lyg(HERE / "lyg-county" / "input.xlsx")
    build_cq_county(HERE / "cq-county" / "input.xlsx")
    build_star(HERE / "star-society" / "input.xlsx")
    build_sz(HERE / "sz-capacity" / "input.xlsx")
