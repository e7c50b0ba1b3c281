"""BENCHMARKS.md from the figures of one ``make bench`` run (tables and the targets'
standing are generated; the prose after them is scripts/bench-notes.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from bench_load import ROOT, Shape, shape

TARGET_RATIO = 2.5  # national score ≤ 2.5× the read + write floor
TARGET_PEAK = 1024  # MiB
TARGET_GROWTH = 10.0  # 10× the units ≤ 10× the time


@dataclass
class Row:
    shape: Shape
    units: int
    judges: int
    book_bytes: int
    runs: int
    score: tuple[float, float]  # seconds, peak MiB
    read: tuple[float, float]
    written: dict[str, dict]  # writer → {"xlsx": s, "files": s, "count": n}
    baseline: tuple[float, float] | None
    phases: dict | None
    pool: list[tuple] | None  # (how, seconds[, cpu seconds])

    def to_dict(self) -> dict:
        return {**asdict(self), "shape": self.shape.name}

    @classmethod
    def from_dict(cls, d: dict) -> Row:
        pool = [tuple(p) for p in d["pool"]] if d["pool"] else None
        base = tuple(d["baseline"]) if d["baseline"] else None
        return cls(
            **{
                **d,
                "shape": shape(d["shape"]),
                "pool": pool,
                "baseline": base,
                "score": tuple(d["score"]),
                "read": tuple(d["read"]),
            }
        )

    @property
    def best_writer(self) -> str:
        return min(self.written, key=lambda w: self.written[w]["xlsx"])

    @property
    def write(self) -> float:
        best = self.written[self.best_writer]
        return best["xlsx"] + best["files"]

    @property
    def floor(self) -> float:
        return self.read[0] + self.write

    @property
    def ratio(self) -> float:
        return self.score[0] / self.floor

    @property
    def scores(self) -> int:
        return self.units * self.judges * len(self.shape.indicators)

    def summary(self) -> str:
        return (
            f"score {self.score[0]:.2f}s ({self.score[1]:.0f} MiB), floor {self.floor:.2f}s "
            f"(read {self.read[0]:.2f} + write {self.write:.2f}), {self.ratio:.1f}×"
        )


def _s(x: float) -> str:
    return f"{x:.2f} s"


def _main_table(rows: list[Row]) -> list[str]:
    out = [
        "| shape | units | expert scores | workbook | `kxassess score` | floor: read "
        "| floor: write | floor | score / floor | peak memory (score) | naive baseline |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        base = _s(r.baseline[0]) if r.baseline else "—"
        out.append(
            f"| {r.shape.name} | {r.units:,} | {r.scores:,} | {r.book_bytes / 2**20:.1f} MiB "
            f"| {_s(r.score[0])} | {_s(r.read[0])} | {_s(r.write)} | {_s(r.floor)} "
            f"| **{r.ratio:.1f}×** | {r.score[1]:.0f} MiB | {base} |"
        )
    return out


def _writer_table(rows: list[Row], writers: list[str]) -> list[str]:
    out = [
        "| shape | units | "
        + " | ".join(f"results cells, {w}" for w in writers)
        + " | other files, plain writes |",
        "|---|---|" + "---|" * len(writers) + "---|",
    ]
    for r in rows:
        cells = " | ".join(
            _s(r.written[w]["xlsx"]) + (" ←" if w == r.best_writer else "") for w in writers
        )
        files = r.written[r.best_writer]
        out.append(
            f"| {r.shape.name} | {r.units:,} | {cells} | {_s(files['files'])} "
            f"({files['count']:,} files) |"
        )
    return out


def _growth(rows: list[Row]) -> list[str]:
    out = []
    for name in dict.fromkeys(r.shape.name for r in rows):
        mine = [r for r in rows if r.shape.name == name]
        if len(mine) < 2:
            continue
        a, b = mine[0], mine[-1]
        out.append(
            f"- {name}: {a.units:,} → {b.units:,} units ({b.units / a.units:.0f}× the work): "
            f"`score` took {b.score[0] / a.score[0]:.1f}× as long, the floor "
            f"{b.floor / a.floor:.1f}×; peak memory {a.score[1]:.0f} → {b.score[1]:.0f} MiB."
        )
    return out


def _phase_tables(rows: list[Row]) -> list[str]:
    big = [r for r in rows if r.phases]
    if not big:
        return []
    head = "| phase | " + " | ".join(f"{r.shape.name}, {r.units:,} units" for r in big) + " |"
    rule = "|---|" + "---|" * len(big)
    names = list(dict.fromkeys(k for r in big for k in r.phases["top"]))
    out = ["", "### Where the time of one `score` goes", "", head, rule]
    for name in names:
        cells = []
        for r in big:
            t = r.phases["top"].get(name)
            cells.append("—" if t is None else f"{t:.2f} s ({t / _total(r) * 100:.0f}%)")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    rest = [
        f"{r.phases['run'] - sum(v for k, v in r.phases['top'].items() if k != 'imports'):.2f} s"
        for r in big
    ]
    out.append("| everything else (other sheets, checks, CLI) | " + " | ".join(rest) + " |")
    totals = " | ".join(f"**{_total(r):.2f} s**" for r in big)
    out.append(f"| **total in-process** | {totals} |")
    sheets = list(dict.fromkeys(k for r in big for k in r.phases["sheets"]))
    out += ["", "The results xlsx by sheet:", "", head, rule]
    for name in sheets:
        cells = [f"{r.phases['sheets'].get(name, 0.0):.2f} s" for r in big]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    summary = [
        f"{r.phases['top'].get('results xlsx', 0.0) - sum(r.phases['sheets'].values()):.2f} s"
        for r in big
    ]
    out.append("| 汇总 and the group sheets (the rest) | " + " | ".join(summary) + " |")
    for r in big:
        printed = r.phases.get("printed", {})
        codes = ", ".join(f"{code} {n:,}" for code, n in list(printed.items())[:4])
        out += ["", f"{r.shape.name}: {sum(printed.values()):,} issues printed ({codes})."]
    loaded = sorted({m for r in big for m in r.phases["loaded"]})
    out += ["", f"Loaded by `import kxassess.cli` before any work: {', '.join(loaded)}."]
    missing = sorted({m for r in big for m in r.phases["missing"]})
    if missing:
        out.append(f"Not found (renamed since the bench was written): {', '.join(missing)}.")
    return out


def _total(r: Row) -> float:
    assert r.phases is not None
    return r.phases["run"] + r.phases["top"]["imports"]


def _pool_table(rows: list[Row]) -> list[str]:
    big = [r for r in rows if r.pool]
    if not big:
        return []
    out = [
        "",
        "### The 自评表 folder: process pool against one process",
        "",
        "| shape | files | one process (two runs) | pool on all cores (two runs) |",
        "|---|---|---|---|",
    ]

    def runs(r: Row, way: str) -> str:
        assert r.pool is not None
        return ", ".join(
            f"{t[1]:.2f} s" + (f" (CPU {t[2]:.2f} s)" if len(t) > 2 else "")
            for t in r.pool
            if t[0] == way
        )

    for r in big:
        out.append(f"| {r.shape.name} | {r.units:,} | {runs(r, 'serial')} | {runs(r, 'pool')} |")
    return out


def _targets(rows: list[Row]) -> list[str]:
    largest = max(r.units for r in rows)
    big = [r for r in rows if r.units == largest]
    out = ["", "## Targets and where they stand", "", "Generated from the figures above:", ""]
    for r in big:
        met = "met" if r.ratio <= TARGET_RATIO else "missed"
        out.append(
            f"- `score` ≤ {TARGET_RATIO}× the read + write floor, {r.shape.name} at "
            f"{r.units:,} units: **{met}** ({r.ratio:.1f}×: {r.score[0]:.1f} s against "
            f"{r.floor:.1f} s)."
        )
    peak = max(r.score[1] for r in rows)
    out.append(
        f"- Peak memory < 1 GiB: **{'met' if peak < TARGET_PEAK else 'missed'}** "
        f"(largest {peak:.0f} MiB)."
    )
    for name in dict.fromkeys(r.shape.name for r in rows):
        mine = [r for r in rows if r.shape.name == name]
        if len(mine) >= 2:
            a, b = mine[0], mine[-1]
            growth = b.score[0] / a.score[0]
            limit = b.units / a.units
            met = "met" if growth <= limit else "missed"
            out.append(
                f"- {limit:.0f}× the units ≤ {limit:.0f}× the time, {name}: **{met}** "
                f"({growth:.1f}×)."
            )
    return out


def write_report(out: Path, rows: list[Row], machine: str, writers: list[str]) -> None:
    runs = sorted({(r.units, r.runs) for r in rows})
    shapes = {r.shape.name: r.shape for r in rows}.values()
    lines = [
        "# Benchmarks",
        "",
        "Produced by `make bench` (`scripts/bench.py`); do not edit by hand.",
        "",
        f"Machine: {machine}.",
        "",
        f"Workload: wide-form expert sheets ({rows[0].judges} judges), a roster, 学会网月报 "
        "and 日常考核 sheets, and one 自评表 file per unit. Shapes: "
        + "; ".join(f"**{s.name}** = {s.label}" for s in shapes)
        + ". Figures are medians of "
        + ", ".join(f"{n} run{'s' if n > 1 else ''} at {u:,} units" for u, n in runs)
        + "; peak = largest resident set of the process (or of one pool worker).",
        "",
        "`score` is the whole command as staff run it: issues printed (to a pipe), every "
        "output written, no registry. The **floor** is what any tool must do for the same "
        "job: read every input with python-calamine (the workbook and every 自评表, in a fresh "
        "process, interpreter start included), plus write the same cells of the results "
        "workbook with the fastest writer measured (its columns already built in memory), "
        "plus plain writes of the same bytes of every other file `score` writes (notices, "
        "Word files, one feedback file per unit, 问题清单), each file created in a new "
        "folder as `score` creates it. The floor writes no formats, charts or print setup. "
        "Every measured command starts after `sync`, so that no step waits on the writes "
        "of the step before.",
        "",
        *_main_table(rows),
        "",
        "Floor writers compared (the faster one, ←, is in the floor):",
        "",
        *_writer_table(rows, writers),
        "",
        "Growth:",
        "",
        *_growth(rows),
        *_phase_tables(rows),
        *_pool_table(rows),
        *_targets(rows),
    ]
    notes = (ROOT / "scripts" / "bench-notes.md").read_text(encoding="utf-8")
    out.write_text("\n".join(lines) + "\n\n" + notes, encoding="utf-8")
    print(f"wrote {out}")
