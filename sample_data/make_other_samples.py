"""Regenerate the sample years of the other built-in schemes (deterministic).

    python sample_data/make_other_samples.py

- lyg-2018.xlsx: 6 counties, 15 judges in three groups (county judges recused for their
  own county), targets attribute 科普大篷车, one 一票否决.
- cq-2020-<kind>.xlsx (county, society, enterprise, university): department scores (long
  form), bonus/deduction events, vetoes, self-assessment; the county year has 20 service
  ratings per district (one district 18) and leadership ratings; one non-submitter each;
  the society year reports some per-event indicators as counts ("3次").
- sz-2022.xlsx: 24 applications across the five categories, some failing gates, 5 experts.
- star-2015.xlsx: 18 societies, 5 experts over the four capability areas.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import yaml
from openpyxl import Workbook

HERE = Path(__file__).parent
BUILTIN = HERE.parent / "kxassess" / "scheme" / "builtin"
Rows = list[list[object]]


def save(path: Path, sheets: dict[str, Rows]) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    print(f"wrote {path}")


def indicators(scheme_id: str) -> list[tuple[str, Decimal, Decimal | None]]:
    data = yaml.safe_load((BUILTIN / f"{scheme_id}.yaml").read_text(encoding="utf-8"))
    comp = data["components"][0]
    return [
        (str(i["code"]), Decimal(str(i["max"])), Decimal(str(i["rate"])) if "rate" in i else None)
        for i in comp["indicators"]
    ]


def settings(scheme_id: str, year: int) -> Rows:
    return [["项目", "值"], ["方案", scheme_id], ["年度", year]]


def half(rng: random.Random, top: Decimal, quality: float) -> float:
    value = round(rng.gauss(float(top) * quality, float(top) * 0.08) * 2) / 2
    return min(max(value, 0.0), float(top))


# --- Lianyungang ---------------------------------------------------------------------------
COUNTIES = ["东海县", "灌云县", "灌南县", "赣榆区", "海州区", "连云区"]


def lyg(rng: random.Random) -> None:
    inds = indicators("lyg-2018-county")
    quality = {c: rng.uniform(0.7, 0.95) for c in COUNTIES}
    judges = [(f"领导{n}", "市科协领导", "") for n in "甲乙丙"]
    judges += [
        (f"{d}代表", "机关各部门", "")
        for d in ("办公室", "组织人事部", "学会学术部", "科学普及部", "企业工作部", "调研宣传部")
    ]
    judges += [(f"{c}科协代表", "县区科协", c) for c in COUNTIES]
    sheets: dict[str, Rows] = {
        "考核设置": settings("lyg-2018-county", 2018),
        "考核对象": [["单位编码", "单位名称", "参加", "科普大篷车"]]
        + [
            [f"LYG{n:02d}", c, "", "有" if c in ("东海县", "赣榆区", "灌云县") else "无"]
            for n, c in enumerate(COUNTIES, 1)
        ],
        "评委": [["专家", "评委组", "所属单位"], *[list(j) for j in judges]],
    }
    codes = [code for code, _, _ in inds]
    for judge, _, _ in judges:
        rows: Rows = [["单位编码", "单位名称", *codes, "合计"]]
        for n, county in enumerate(COUNTIES, 1):
            row = [
                half(rng, top, quality[county])
                if not code.startswith("加")
                else float(rng.choice([0, 1, 2]))
                for code, top, _ in inds
            ]
            rows.append([f"LYG{n:02d}", county, *row, sum(row)])
        sheets[f"评分-{judge}"] = rows
    sheets["否决事项"] = [
        ["单位编码", "事项", "处理"],
        ["LYG05", "年内发生安全生产责任事故", "一票否决"],
    ]
    save(HERE / "lyg-2018.xlsx", sheets)


# --- Chongqing -----------------------------------------------------------------------------
DISTRICTS = [
    "万州区",
    "涪陵区",
    "渝中区",
    "大渡口区",
    "江北区",
    "沙坪坝区",
    "九龙坡区",
    "南岸区",
    "北碚区",
    "綦江区",
    "大足区",
    "渝北区",
    "巴南区",
    "黔江区",
    "长寿区",
    "江津区",
    "合川区",
    "永川区",
    "南川区",
    "璧山区",
    "铜梁区",
    "潼南区",
    "荣昌区",
    "开州区",
    "梁平区",
    "武隆区",
    "城口县",
    "丰都县",
    "垫江县",
    "忠县",
    "云阳县",
    "奉节县",
    "巫山县",
    "巫溪县",
    "石柱县",
    "秀山县",
    "酉阳县",
    "彭水县",
    "万盛经开区",
]
CQ_UNITS = {
    "cq-2020-county": [f"{d}科协" for d in DISTRICTS],
    "cq-2020-society": [
        f"重庆市{n}学会"
        for n in (
            "机械工程",
            "电子",
            "化学化工",
            "土木建筑",
            "医学",
            "中医药",
            "农学",
            "林学",
            "水利",
            "气象",
            "地理",
            "地质",
            "环境科学",
            "计算机",
            "通信",
            "汽车工程",
            "自动化",
            "力学",
            "数学",
            "物理",
            "植物",
            "动物",
            "昆虫",
            "营养",
            "药学",
            "护理",
            "心理",
            "科技史",
        )
    ],
    "cq-2020-enterprise": [
        f"{n}科协"
        for n in (
            "长安汽车",
            "重庆钢铁",
            "西南铝业",
            "重庆建工",
            "重庆机电",
            "两江新区数字产业园",
            "西部科学城高新区",
            "重庆市农科院",
            "中冶赛迪",
            "重庆化医",
            "重庆水务",
            "招商局重庆交科院",
            "煤科院重庆研究院",
            "重庆市畜牧科学院",
        )
    ],
    "cq-2020-university": [
        f"{n}科协"
        for n in (
            "重庆大学",
            "西南大学",
            "重庆医科大学",
            "重庆邮电大学",
            "重庆交通大学",
            "重庆师范大学",
            "西南政法大学",
            "重庆工商大学",
            "重庆理工大学",
            "重庆科技学院",
            "长江师范学院",
        )
    ],
}
DEPARTMENT = {
    "cq-2020-county": "组织人事部",
    "cq-2020-society": "学会学术部",
    "cq-2020-enterprise": "企事业工作部",
    "cq-2020-university": "企事业工作部",
}


def cq(rng: random.Random, scheme_id: str) -> None:
    inds = indicators(scheme_id)
    names = CQ_UNITS[scheme_id]
    codes = [f"CQ{n:03d}" for n in range(1, len(names) + 1)]
    quality = {c: rng.uniform(0.6, 0.97) for c in codes}
    skipped = codes[-1]  # did not hand in its materials
    roster: Rows = [["单位编码", "单位名称", "参加"]]
    roster += [[c, n, "否" if c == skipped else ""] for c, n in zip(codes, names, strict=True)]
    scores: Rows = [["专家", "单位编码", "指标", "得分"]]
    self_rows: Rows = [["单位编码", "指标", "完成情况", "自评分"]]
    for code in codes:
        if code == skipped:
            continue
        for ind, top, rate in inds:
            value: object = half(rng, top, quality[code])
            if rate is not None and rng.random() < 0.5:
                value = f"{rng.randint(0, int(top / rate) + 1)}次"
            scores.append([DEPARTMENT[scheme_id], code, ind, value])
            claimed = min(float(top), half(rng, top, quality[code] + 0.08))
            self_rows.append([code, ind, "按要求完成", claimed])
    data = yaml.safe_load((BUILTIN / f"{scheme_id}.yaml").read_text(encoding="utf-8"))
    items = data["components"][0]["events"]["items"]
    bonus = [r["code"] for item in items if item["kind"] == "bonus" for r in item["rates"]]
    minus = [r["code"] for item in items if item["kind"] == "deduction" for r in item["rates"]]
    events: Rows = [["单位编码", "项目", "次数", "说明"]]
    for code in rng.sample(codes[:-1], k=min(8, len(codes) - 1)):
        events.append([code, rng.choice(bonus), rng.randint(1, 3), "获表彰/批示/推广"])
    for code in rng.sample(codes[:-1], k=3):
        events.append([code, rng.choice(minus), 1, "未按时报送材料"])
    vetoes: Rows = [["单位编码", "事项", "处理"], [codes[2], "重大安全责任事故", "取消特等"]]
    sheets: dict[str, Rows] = {
        "考核设置": settings(scheme_id, 2020),
        "考核对象": roster,
        "专家评分": scores,
        "加减分": events,
        "否决事项": vetoes,
        "自评": self_rows,
    }
    if scheme_id == "cq-2020-county":
        service: Rows = [["单位编码", "评价人", "得分"]]
        leaders: Rows = [["单位编码", "评价人", "得分"]]
        for n, code in enumerate(codes[:-1]):
            for k in range(18 if n == 5 else 20):
                service.append([code, f"服务对象{k + 1:02d}", min(100, round(rng.gauss(88, 6)))])
            for k in range(5):
                leaders.append([code, f"市科协领导{k + 1}", min(100, round(rng.gauss(85, 5)))])
        sheets["服务对象评价"] = service
        sheets["领导评价"] = leaders
    save(HERE / f"{scheme_id}.xlsx", sheets)


# --- Suzhou --------------------------------------------------------------------------------
SZ_CATEGORIES = {
    "综合示范学会建设": [""],
    "党建强会": ["党建工作小组", "功能性党支部和行动支部", "会员党员数据库", "科学家精神宣讲"],
    "强化组织建设": ["学会日活动", "综合管理水平", "信息化与网上会员之家", "首席科普专家团队"],
    "学术交流品牌建设": ["市科协重点学术活动", "市级学会优秀学术年会", "精品期刊建设"],
    "承能创新": [
        "服务科技经济融合行动",
        "承接政府转移职能",
        "撰写产业发展报告",
        "一会一品",
        "评奖评优",
    ],
}
SZ_SOCIETIES = [
    "机械工程",
    "电子",
    "医学",
    "计算机",
    "化学化工",
    "土木建筑",
    "纺织工程",
    "园艺",
    "气象",
    "水利",
    "农学",
    "林学",
    "地理",
    "心理",
    "药学",
    "环境科学",
]


def sz(rng: random.Random) -> None:
    head = [
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
    apps: Rows = [head]
    review: Rows = [["专家", "申报编号", "得分"]]
    n = 0
    for category, subtypes in SZ_CATEGORIES.items():
        for k in range(5 if category != "强化组织建设" else 4):
            n += 1
            society = SZ_SOCIETIES[(n * 5) % len(SZ_SOCIETIES)]
            code = f"SZ2022-{n:03d}"
            applied = dt.date(2022, 3, 1) + dt.timedelta(days=rng.randint(0, 46))  # a few late
            rating = rng.choice(["5A", "4A", "3A", "2A", "无"])
            expiry = dt.date(rng.choice([2021, 2023, 2024, 2025]), 12, 31)
            report = (
                None
                if k == 3 and category == "承能创新"
                else dt.date(2022, 10, rng.randint(10, 31))
            )
            apps.append(
                [
                    code,
                    f"SZ{n:03d}",
                    f"苏州市{society}学会",
                    f"{society}{subtypes[k % len(subtypes)] or '综合示范'}项目",
                    category,
                    subtypes[k % len(subtypes)],
                    applied,
                    "否" if n == 7 else "是",
                    "是" if rng.random() < 0.8 else "否",
                    rating,
                    expiry,
                    rng.randint(1, 4),
                    report,
                    "",
                ]
            )
            quality = rng.uniform(0.55, 0.95)
            for judge in ("专家甲", "专家乙", "专家丙", "专家丁", "专家戊"):
                review.append([judge, code, min(100, round(rng.gauss(100 * quality, 4)))])
    save(
        HERE / "sz-2022.xlsx",
        {"考核设置": settings("sz-2022-capacity", 2022), "申报": apps, "绩效评审": review},
    )


# --- Star societies ------------------------------------------------------------------------
STAR_SOCIETIES = [
    "机械工程",
    "电机工程",
    "电子",
    "计算机",
    "化学化工",
    "医学",
    "中医药",
    "药学",
    "农学",
    "林学",
    "水利",
    "气象",
    "地理",
    "土木建筑",
    "纺织工程",
    "环境科学",
    "心理",
    "营养",
]


def star(rng: random.Random) -> None:
    codes = [f"XS{n:02d}" for n in range(1, len(STAR_SOCIETIES) + 1)]
    quality = {c: rng.uniform(0.62, 0.97) for c in codes}
    scores: Rows = [["专家", "单位编码", "指标", "得分"]]
    for judge in ("专家一", "专家二", "专家三", "专家四", "专家五"):
        for code in codes:
            for ind in ("1", "2", "3", "4"):
                scores.append([judge, code, ind, half(rng, Decimal(25), quality[code])])
    roster: Rows = [["单位编码", "单位名称", "参加"]]
    roster += [[c, f"市{n}学会", ""] for c, n in zip(codes, STAR_SOCIETIES, strict=True)]
    save(
        HERE / "star-2015.xlsx",
        {"考核设置": settings("star-society-2015", 2015), "考核对象": roster, "专家评分": scores},
    )


def main() -> None:
    rng = random.Random(2020)
    lyg(rng)
    for scheme_id in CQ_UNITS:
        cq(rng, scheme_id)
    sz(rng)
    star(rng)


if __name__ == "__main__":
    main()
