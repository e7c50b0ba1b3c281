"""Deterministic workloads for ``make bench``: a wide-form year workbook (one
``评分-<专家>`` sheet per judge) and a folder with one 自评表 per unit, in two shapes:

- ``js13``: the built-in js-2024-society scheme as shipped (13 indicators);
- ``w40``:  the same scheme with a 40-indicator table (a scheme file written beside the
  workload), the size of the larger provincial schemes.

Written with xlsxwriter in constant-memory mode, so that making a national workload takes
seconds, not minutes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILTIN_ID = "js-2024-society"
BUILTIN = ROOT / "kxassess" / "scheme" / "builtin" / f"{BUILTIN_ID}.yaml"
W40_PARTS = {"基础": ("A", 15, 6), "能力": ("B", 15, 6), "创新": ("C", 10, 2)}  # prefix, n, max
TIERS = ["一类", "二类", "三类", "四类"]


@dataclass(frozen=True)
class Shape:
    name: str  # js13 or w40
    label: str  # for the report
    indicators: tuple[tuple[str, str, float], ...]  # (code, part, max)

    def scheme_ref(self, work: Path) -> str:
        """What ``--scheme`` gets: the built-in id, or the scheme file written in ``work``."""
        return BUILTIN_ID if self.name == "js13" else str(work / "bench-w40.yaml")

    @property
    def scheme_id(self) -> str:
        return BUILTIN_ID if self.name == "js13" else "bench-w40"


def _builtin() -> dict:
    return yaml.safe_load(BUILTIN.read_text(encoding="utf-8"))


def shape(name: str) -> Shape:
    if name == "js13":
        comp = _builtin()["components"][0]
        inds = tuple((i["code"], i["part"], float(i["max"])) for i in comp["indicators"])
        return Shape("js13", "13 indicators (js-2024-society as shipped)", inds)
    if name == "w40":
        inds = tuple(
            (f"{p}{i}", part, float(top))
            for part, (p, n, top) in W40_PARTS.items()
            for i in range(1, n + 1)
        )
        return Shape("w40", "40 indicators (js-2024-society rules, larger table)", inds)
    raise SystemExit(f"unknown shape {name!r}: js13 or w40")


def write_scheme(sh: Shape, work: Path) -> None:
    """The w40 scheme file: the built-in rules with the 40-indicator table."""
    if sh.name != "w40":
        return
    data = _builtin()
    data["id"] = sh.scheme_id
    comp = data["components"][0]
    comp["indicators"] = [
        {"code": c, "part": part, "max": int(top), "text": f"指标{c}"}
        for c, part, top in sh.indicators
    ]
    for part in comp["parts"]:
        if "out_of" in part:
            part["out_of"] = 90
    Path(sh.scheme_ref(work)).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _sheet(wb: xlsxwriter.Workbook, title: str, rows: list[list[object]]) -> None:
    ws = wb.add_worksheet(title)
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)


def write_workbook(sh: Shape, path: Path, units: int, judges: int) -> None:
    rng = random.Random(units * 1000 + judges + len(sh.indicators))
    codes = [f"U{n:05d}" for n in range(1, units + 1)]
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    _sheet(wb, "考核设置", [["项目", "值"], ["方案", sh.scheme_id], ["年度", 2024]])
    roster = [["单位编码", "单位名称", "类别", "参加"]]
    roster += [[c, f"第{n + 1}学会", TIERS[n % 4], ""] for n, c in enumerate(codes)]
    _sheet(wb, "考核对象", roster)
    quality = [rng.uniform(0.4, 0.95) for _ in codes]
    for j in range(judges):
        ws = wb.add_worksheet(f"评分-专家{j + 1:02d}")
        ws.write_row(0, 0, ["单位编码", "单位名称", *[c for c, _, _ in sh.indicators]])
        for n, code in enumerate(codes):
            values = [
                max(0.0, min(top, round(top * quality[n] + rng.uniform(-1, 1), 1)))
                for _, _, top in sh.indicators
            ]
            ws.write_row(n + 1, 0, [code, f"第{n + 1}学会", *values])
    monthly = [["单位编码", *[f"{m}月" for m in range(1, 13)]]]
    monthly += [[c, *[rng.randint(50, 100) for _ in range(12)]] for c in codes]
    _sheet(wb, "学会网月报", monthly)
    _sheet(wb, "日常考核", [["单位编码", "工作表现"], *[[c, rng.randint(60, 100)] for c in codes]])
    wb.close()


def write_forms(sh: Shape, folder: Path, units: int) -> None:
    """One 自评表 per unit, as staff receive them: title, unit label, header, lines, total."""
    rng = random.Random(units + len(sh.indicators))
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, units + 1):
        rows: list[list[object]] = [
            ["2024年度学会考核自评表"],
            [f"单位名称：第{n}学会", "", f"单位编码：U{n:05d}"],
            [],
            ["指标", "指标说明", "分值", "完成情况", "自评分"],
        ]
        total = 0.0
        for code, _, top in sh.indicators:
            score = round(rng.uniform(0.5, 1.0) * top, 1)
            total += score
            rows.append([code, f"指标{code}", top, "按计划完成", score])
        rows.append(["合计", "", "", "", round(total, 1)])
        wb = xlsxwriter.Workbook(str(folder / f"U{n:05d}-自评表.xlsx"))
        _sheet(wb, "自评表", rows)
        wb.close()
