"""Benchmark: ``make bench`` writes BENCHMARKS.md (about 7 minutes on 2 cores);
``make bench ARGS=--quick`` measures 300 units only and writes a temp file instead.

For each shape (13 and 40 indicators, see bench_load.py) and each size, on a
deterministic wide-form workload with a 自评表 folder, measured in fresh processes:

- score: the full ``kxassess score`` as staff run it (issues printed, all outputs written,
  no registry), wall time and peak resident memory;
- floor: reading every input with python-calamine (workbook and 自评表 folder), plus
  writing the same output cells with the fastest writer measured (xlsxwriter in
  constant-memory mode, rustpy-xlsxwriter when installed: ``pip install -e '.[bench]'``),
  plus plain writes of the same notice, Word and feedback files;
- baseline (small sizes only): a naive openpyxl + pandas reading of the inputs.

At the largest size also: where the time of one in-process ``score`` goes, and the
自评表 folder read with the process pool against one process.

    python scripts/bench.py [--quick] [--sizes 300,3000] [--shapes js13,w40] [--judges 15]
                            [--runs 3] [--big-runs 1] [--out FILE] [--save FIGURES.json]
    python scripts/bench.py --report-only FIGURES.json   (after editing bench-notes.md)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

from bench_load import ROOT, Shape, shape, write_forms, write_scheme, write_workbook
from bench_report import Row, write_report

CHILD = str(Path(__file__).with_name("bench_child.py"))
BIG = 1000  # sizes above this are measured --big-runs times
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


def writers() -> list[str]:
    found = ["xlsxwriter"]
    if find_spec("rustpy_xlsxwriter") is not None:
        found.append("rustpy-xlsxwriter")
    return found


def measure(argv: list[str], runs: int) -> tuple[float, float]:
    """(median seconds, peak MiB) of ``argv`` run ``runs`` times in fresh processes. Peak is
    the largest resident set of the process or of any child it waited for."""
    times, peaks = [], []
    for _ in range(runs):
        os.sync()  # the writes of the step before are not this command's to wait for
        with tempfile.TemporaryFile() as err:  # a file, not a pipe: thousands of lines
            start = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            times.append(time.perf_counter() - start)
            if os.waitstatus_to_exitcode(status) != 0:
                err.seek(0)
                tail = err.read().decode(errors="replace")[-3000:]
                raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{tail}")
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(times), max(peaks)


def child(*args: str) -> dict:
    """Run one bench_child task; its JSON report (the last argument named *.json)."""
    report = next(Path(a) for a in args if a.endswith(".json"))
    os.sync()
    subprocess.run(
        [sys.executable, CHILD, *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return json.loads(report.read_text(encoding="utf-8"))


def score_args(sh: Shape, work: Path, book: Path, forms: Path, out: Path) -> list[str]:
    return [
        "score",
        str(book),
        "--scheme",
        sh.scheme_ref(work),
        "--self",
        str(forms),
        "--out",
        str(out),
        "--no-registry",
        "--date",
        "2024-12-20",
    ]


def run_size(sh: Shape, units: int, args: argparse.Namespace, work: Path, last: bool) -> Row:
    py = sys.executable
    runs = args.runs if units <= BIG else args.big_runs
    book, forms = work / f"{sh.name}-{units}.xlsx", work / f"{sh.name}-{units}-自评表"
    clock = time.perf_counter()
    write_workbook(sh, book, units, args.judges)
    write_forms(sh, forms, units)
    print(
        f"{sh.name} {units:,} units: workload made in {time.perf_counter() - clock:.0f}s",
        flush=True,
    )
    out = work / f"{sh.name}-{units}-out"
    score = measure([py, "-m", "kxassess.cli", *score_args(sh, work, book, forms, out)], runs)
    read = measure([py, CHILD, "read", str(book), str(forms)], runs)
    dump = work / f"{sh.name}-{units}.pickle"
    subprocess.run([py, CHILD, "prep", str(out), str(dump)], check=True)
    written = {}
    for writer in writers():
        tries = []
        for n in range(runs):  # into a new folder each time, as score writes its files
            floor_out = work / f"floor-out-{writer}-{n}"
            tries.append(child("write", writer, str(dump), str(floor_out), str(work / "w.json")))
            shutil.rmtree(floor_out)
        written[writer] = {
            "xlsx": statistics.median(t["xlsx"] for t in tries),
            "files": statistics.median(t["files"] for t in tries),
            "count": tries[0]["count"],
        }
    dump.unlink()
    base = (
        measure([py, "-c", BASELINE, str(book), str(forms)], runs)
        if units <= args.baseline_upto
        else None
    )
    phases = pool = None
    if last:
        phases = child(
            "phases",
            str(work / "phases.json"),
            "--",
            *score_args(sh, work, book, forms, work / "phases-out"),
        )
        pool = []  # twice each, interleaved, so that a burst of load hits both alike
        for how in ("serial", "pool", "serial", "pool"):
            got = child("forms", str(forms), how, str(work / f"{how}.json"))
            pool.append((how, got["seconds"], got["cpu"]))
    row = Row(
        sh, units, args.judges, book.stat().st_size, runs, score, read, written, base, phases, pool
    )
    print(f"  {row.summary()}", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="300 units only")
    parser.add_argument("--sizes", default="300,3000")
    parser.add_argument("--shapes", default="js13,w40")
    parser.add_argument("--judges", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure up to 1,000 units")
    parser.add_argument("--big-runs", type=int, default=1, help="runs per figure above that")
    parser.add_argument("--baseline-upto", type=int, default=300)
    parser.add_argument("--out", type=Path, help="default BENCHMARKS.md (--quick: a temp file)")
    parser.add_argument("--save", type=Path, help="also keep the raw figures in this JSON file")
    parser.add_argument("--report-only", type=Path, help="rewrite --out from a --save file")
    args = parser.parse_args()
    if args.out is None:  # a quick look never replaces the full figures
        quick = Path(tempfile.gettempdir()) / "kxassess-BENCHMARKS-quick.md"
        args.out = quick if args.quick else ROOT / "BENCHMARKS.md"
    if args.report_only:
        saved = json.loads(args.report_only.read_text(encoding="utf-8"))
        rows = [Row.from_dict(r) for r in saved["rows"]]
        write_report(args.out, rows, saved["machine"], saved["writers"])
        return
    sizes = [300] if args.quick else [int(s) for s in args.sizes.split(",")]
    rows: list[Row] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kxbench-") as tmp:
        work = Path(tmp)
        for name in args.shapes.split(","):
            sh = shape(name)
            write_scheme(sh, work)
            for units in sizes:
                rows.append(run_size(sh, units, args, work, last=units == max(sizes)))
    load = os.getloadavg()
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average {load[0]:.1f} at the end "
        f"(the whole bench took {(time.perf_counter() - started) / 60:.0f} min)"
    )
    if args.save:
        figures = {"machine": machine, "writers": writers(), "rows": [r.to_dict() for r in rows]}
        args.save.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    write_report(args.out, rows, machine, writers())


if __name__ == "__main__":
    main()
