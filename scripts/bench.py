"""Benchmark: ``make bench``. Writes BENCHMARKS.md.

Generates deterministic workloads (a wide-form year: one ``评分-<专家>`` sheet per judge,
units × 40 indicators, with a matching scheme file), then measures, each in a fresh
process:

- floor:    python-calamine reading every sheet of the workbook, nothing else;
- score:    the full ``kxassess score`` (validation, scoring, all outputs written);
- baseline: a naive openpyxl + pandas reading of the same workbook with per-indicator means.

Median wall time of ``--runs`` runs and the peak resident memory of each process.

    python scripts/bench.py [--sizes 300,3000] [--judges 15] [--runs 3] [--out BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
BUILTIN = ROOT / "kxassess" / "scheme" / "builtin" / "js-2024-society.yaml"
PARTS = {"基础": ("A", 15, 6), "能力": ("B", 15, 6), "创新": ("C", 10, 2)}  # prefix, count, max
TIERS = ["一类", "二类", "三类", "四类"]

FLOOR = """
import sys, pathlib, python_calamine as pc
n = 0
for path in [pathlib.Path(sys.argv[1]), *sorted(pathlib.Path(sys.argv[2]).iterdir())]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    n += sum(len(wb.get_sheet_by_name(s).to_python()) for s in wb.sheet_names)
"""
BASELINE = """
import sys, pathlib, openpyxl, pandas as pd
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
frames = []
for ws in wb.worksheets:
    rows = list(ws.iter_rows(values_only=True))
    df = pd.DataFrame(rows[1:], columns=rows[0])
    if ws.title.startswith("评分-"):
        frames.append(df.drop(columns=["单位名称"]).set_index("单位编码"))
means = pd.concat(frames).groupby(level=0).mean()
forms = []
for path in sorted(pathlib.Path(sys.argv[2]).iterdir()):
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True).active
    forms.append(pd.DataFrame(list(ws.iter_rows(values_only=True))[4:]))
"""


def indicators() -> list[tuple[str, str, int]]:
    return [(f"{p}{i}", part, top) for part, (p, n, top) in PARTS.items() for i in range(1, n + 1)]


def write_scheme(path: Path) -> None:
    data = yaml.safe_load(BUILTIN.read_text(encoding="utf-8"))
    data["id"] = "bench-society"
    comp = data["components"][0]
    comp["indicators"] = [
        {"code": c, "part": part, "max": top, "text": f"指标{c}"} for c, part, top in indicators()
    ]
    for part in comp["parts"]:
        if "out_of" in part:
            part["out_of"] = 90
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def write_workload(path: Path, units: int, judges: int) -> None:
    rng = random.Random(units * 1000 + judges)
    inds = indicators()
    codes = [f"U{n:05d}" for n in range(1, units + 1)]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("考核设置")
    ws.append(["项目", "值"])
    ws.append(["方案", "bench-society"])
    ws.append(["年度", 2024])
    ws = wb.create_sheet("考核对象")
    ws.append(["单位编码", "单位名称", "类别", "参加"])
    for n, code in enumerate(codes):
        ws.append([code, f"第{n + 1}学会", TIERS[n % 4], ""])
    quality = [rng.uniform(0.4, 0.95) for _ in codes]
    for j in range(judges):
        ws = wb.create_sheet(f"评分-专家{j + 1:02d}")
        ws.append(["单位编码", "单位名称", *[c for c, _, _ in inds]])
        for n, code in enumerate(codes):
            row = [min(top, round(top * quality[n] + rng.uniform(-1, 1), 1)) for _, _, top in inds]
            ws.append([code, f"第{n + 1}学会", *[max(v, 0) for v in row]])
    ws = wb.create_sheet("学会网月报")
    ws.append(["单位编码", *[f"{m}月" for m in range(1, 13)]])
    for code in codes:
        ws.append([code, *[rng.randint(50, 100) for _ in range(12)]])
    ws = wb.create_sheet("日常考核")
    ws.append(["单位编码", "工作表现"])
    for code in codes:
        ws.append([code, rng.randint(60, 100)])
    wb.save(path)


def write_forms(folder: Path, units: int) -> None:
    """One 自评表 per unit, as staff receive them: title, unit label, header, lines, total."""
    rng = random.Random(units)
    folder.mkdir(parents=True, exist_ok=True)
    inds = indicators()
    for n in range(1, units + 1):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("自评表")
        ws.append(["2024年度学会考核自评表"])
        ws.append([f"单位名称：第{n}学会", "", f"单位编码：U{n:05d}"])
        ws.append([])
        ws.append(["指标", "指标说明", "分值", "完成情况", "自评分"])
        total = 0.0
        for code, _, top in inds:
            score = round(rng.uniform(0.5, 1.0) * top, 1)
            total += score
            ws.append([code, f"指标{code}", top, "按计划完成", score])
        ws.append(["合计", "", "", "", round(total, 1)])
        wb.save(folder / f"U{n:05d}-自评表.xlsx")


PHASES = """
import sys, datetime as dt
from pathlib import Path
from kxassess import api
book, forms, scheme, out = map(Path, sys.argv[1:5])
opts = api.ScoreOptions(scheme=str(scheme), self_dir=forms, out=out, date=dt.date(2024, 12, 20))
t = api.score(book, opts).timings
print(t["read+validate"], t["score"], t["write"])
"""


def phases(book: Path, forms: Path, scheme: Path, out: Path) -> tuple[float, ...]:
    """Seconds spent reading and validating, scoring, and writing (one in-process run)."""
    done = subprocess.run(
        [sys.executable, "-c", PHASES, str(book), str(forms), str(scheme), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return tuple(float(x) for x in done.stdout.split())


def measure(argv: list[str], runs: int) -> tuple[float, float]:
    """(median seconds, peak MiB) of ``argv`` run ``runs`` times in fresh processes."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{err}")
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="300,3000")
    parser.add_argument("--judges", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    py = sys.executable
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        scheme = work / "bench-society.yaml"
        write_scheme(scheme)
        for units in sizes:
            book = work / f"year-{units}.xlsx"
            forms = work / f"forms-{units}"
            write_workload(book, units, args.judges)
            write_forms(forms, units)
            scores = units * args.judges * len(indicators())
            print(f"{units} units, {scores:,} expert scores, {units:,} 自评表 …", flush=True)
            floor = measure([py, "-c", FLOOR, str(book), str(forms)], args.runs)
            command = [
                py,
                "-m",
                "kxassess.cli",
                "score",
                str(book),
                "--scheme",
                str(scheme),
                "--self",
                str(forms),
                "--out",
                str(work / f"out-{units}"),
                "--no-registry",
                "--quiet",
                "--date",
                "2024-12-20",
            ]
            full = measure(command, args.runs)
            base = measure([py, "-c", BASELINE, str(book), str(forms)], args.runs)
            split = phases(book, forms, scheme, work / f"phases-{units}")
            rows.append((units, scores, book.stat().st_size, floor, full, base, split))
            print(f"  floor {floor[0]:.2f}s  score {full[0]:.2f}s  baseline {base[0]:.2f}s")
    write_report(args.out, rows, args)


def write_report(out: Path, rows: list[tuple], args: argparse.Namespace) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Produced by `make bench` (`scripts/bench.py`); do not edit by hand.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}.",
        f"Workload: wide-form expert sheets, {args.judges} judges × {len(indicators())} "
        f"indicators; median of {args.runs} runs; peak = max resident memory of the process.",
        "",
        "| units | expert scores | workbook | raw parse floor | `kxassess score` "
        "| naive openpyxl+pandas | score / floor | baseline / score | peak memory (score) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for units, scores, size, floor, full, base, _ in rows:
        lines.append(
            f"| {units:,} | {scores:,} | {size / 2**20:.1f} MiB | {floor[0]:.2f} s | "
            f"{full[0]:.2f} s | {base[0]:.2f} s | {full[0] / floor[0]:.1f}× | "
            f"{base[0] / full[0]:.2f}× | {full[1]:.0f} MiB |"
        )
    lines += [
        "",
        "Where the time of `score` goes (one in-process run):",
        "",
        "| units | read + validate | score | write outputs |",
        "|---|---|---|---|",
    ]
    for units, *_, split in rows:
        lines.append(f"| {units:,} | {split[0]:.2f} s | {split[1]:.2f} s | {split[2]:.2f} s |")
    if len(rows) >= 2:
        (u0, _, _, _, f0, _, _), (u1, _, _, _, f1, _, _) = rows[0], rows[-1]
        lines += [
            "",
            f"Growth from {u0:,} to {u1:,} units ({u1 / u0:.0f}× the work): "
            f"`score` took {f1[0] / f0[0]:.1f}× as long.",
        ]
    notes = (ROOT / "scripts" / "bench-notes.md").read_text(encoding="utf-8")
    out.write_text("\n".join(lines) + "\n\n" + notes, encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
