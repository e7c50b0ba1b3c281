"""The measured processes of ``make bench`` (each run in a fresh interpreter by bench.py).

bench_child.py read BOOK FORMS               the floor's reading: every input, calamine
bench_child.py prep OUTDIR DUMP              (untimed) the cells and files `score` wrote
bench_child.py write WRITER DUMP OUTDIR JSON the floor's writing with one writer
bench_child.py forms FORMS serial|pool JSON  the 自评表 folder read, one way or the other
bench_child.py phases JSON -- SCORE-ARGS...  one `kxassess score` in-process, by phase
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import contextlib  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

HEAVY = ["openpyxl", "docx", "pandas", "numpy", "jinja2", "pydantic", "rich", "lxml"]


def read(book: Path, forms: Path) -> None:
    import python_calamine as pc

    cells = 0
    for path in [book, *sorted(forms.iterdir())]:
        wb = pc.CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            cells += sum(len(r) for r in wb.get_sheet_by_name(name).to_python())


def prep(out: Path, dump: Path) -> None:
    """What the floor writes: every sheet's cells of the results workbook (blank cells as
    None) and the bytes of every other file `score` wrote."""
    import python_calamine as pc

    [book] = sorted(out.glob("*-结果.xlsx"))
    wb = pc.CalamineWorkbook.from_path(str(book))
    sheets = []
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python()
        sheets.append((name, [[None if v == "" else v for v in row] for row in rows]))
    files = {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p != book and not p.name.startswith(".")
    }
    dump.write_bytes(pickle.dumps({"sheets": sheets, "files": files}))


def _frames(sheets: list) -> list:
    """One DataFrame per sheet (first row as header), built before the clock starts: the
    floor assumes the columns are already at hand, as a columnar core would have them."""
    import pandas as pd

    out = []
    for name, rows in sheets:
        if not rows:
            continue
        seen: set[str] = set()
        header = []
        for n, h in enumerate(rows[0]):
            label = str(h) if h is not None else f"列{n + 1}"
            while label in seen:
                label += "_"
            seen.add(label)
            header.append(label)
        out.append((name, pd.DataFrame(rows[1:], columns=header)))
    return out


def write(writer: str, dump: Path, out: Path, report: Path) -> None:
    data = pickle.loads(dump.read_bytes())
    out.mkdir(parents=True, exist_ok=True)
    target = out / "结果.xlsx"
    if writer == "rustpy-xlsxwriter":
        import rustpy_xlsxwriter as rx

        frames = _frames(data["sheets"])
        clock = time.perf_counter()
        rx.write_worksheets(frames, str(target))
    elif writer == "xlsxwriter":
        import xlsxwriter

        clock = time.perf_counter()
        wb = xlsxwriter.Workbook(str(target), {"constant_memory": True})
        for name, rows in data["sheets"]:
            ws = wb.add_worksheet(name)
            write_row = ws.write_row
            for r, row in enumerate(rows):
                write_row(r, 0, row)
        wb.close()
    else:
        raise SystemExit(f"unknown writer {writer}")
    xlsx = time.perf_counter() - clock
    clock = time.perf_counter()
    for name, content in data["files"].items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    files = time.perf_counter() - clock
    report.write_text(json.dumps({"xlsx": xlsx, "files": files, "count": len(data["files"])}))


def forms(folder: Path, how: str, report: Path) -> None:
    from kxassess.validation import selfassess

    files = selfassess.form_files(folder)
    selfassess.PARALLEL_FROM = 10**9 if how == "serial" else 1  # type: ignore[misc]
    if how == "pool" and hasattr(selfassess, "POOL_MIN_CORES"):
        selfassess.POOL_MIN_CORES = 1  # type: ignore[attr-defined]
    clock, cpu = time.perf_counter(), _cpu()
    selfassess.read_forms(files)
    seconds, cpu = time.perf_counter() - clock, _cpu() - cpu  # cpu: the pool workers too
    report.write_text(json.dumps({"seconds": seconds, "cpu": cpu, "files": len(files)}))


def _cpu() -> float:
    import resource

    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


# --- phases ---------------------------------------------------------------------------------

# (module, attribute, phase): calls timed where the caller looks the name up. A name that a
# later refactor moved is reported as not found rather than breaking the bench.
TOP = [
    ("kxassess.reading.workbook", "open_workbook", "open the workbook"),
    ("kxassess.validation.year", "read_roster", "考核对象 roster"),
    ("kxassess.validation.year", "read_scores", "expert scores: read + validate"),
    ("kxassess.validation.year", "read_self_folder", "自评表 folder"),
    ("kxassess.api", "sha256_of", "input checksum"),
    ("kxassess.engine", "score_year", "engine (score, rank, grade)"),
    ("kxassess.engine.judges", "analyse_judges", "评委分析 (judge analysis)"),
    ("kxassess.writing.outputs", "write_results_workbook", "results xlsx"),
    ("kxassess.writing.outputs", "render_issue_report", "notices + 问题清单"),
    ("kxassess.writing.outputs", "render_results_notice", "notices + 问题清单"),
    ("kxassess.writing.outputs", "render_public_notice", "notices + 问题清单"),
    ("kxassess.writing.outputs", "write_text", "notices + 问题清单"),
    ("kxassess.writing.outputs", "_docx", "notices + 问题清单"),
    ("kxassess.writing.outputs", "write_feedback", "feedback files"),
    ("kxassess.cli.score", "print_issues", "printing issues on screen"),
]
SHEETS = [
    ("kxassess.writing.excel", "stats_sheet", "统计"),
    ("kxassess.writing.excel", "_indicator_sheet", "指标明细"),
    ("kxassess.writing.excel", "_judge_sheet", "专家评分"),
    ("kxassess.writing.excel", "self_sheet", "自评对比"),
    ("kxassess.writing.excel", "ledger_sheet", "加减分与否决"),
    ("kxassess.writing.excel", "review_sheets", "审定 sheets"),
    ("kxassess.writing.excel", "issues_sheet", "问题清单 sheet"),
    ("kxassess.writing.excel", "run_sheet", "运行信息"),
]


def _wrap(table: list, spent: dict[str, float], missing: list[str]) -> None:
    import importlib

    for module, name, phase in table:
        mod = importlib.import_module(module)
        inner = getattr(mod, name, None)
        if inner is None:
            missing.append(f"{module}.{name}")
            continue

        def timed(*args, _inner=inner, _phase=phase, **kwargs):  # type: ignore[no-untyped-def]
            clock = time.perf_counter()
            try:
                return _inner(*args, **kwargs)
            finally:
                spent[_phase] = spent.get(_phase, 0.0) + time.perf_counter() - clock

        setattr(mod, name, timed)


def phases(report: Path, args: list[str]) -> None:
    clock = time.perf_counter()
    from kxassess.cli import app

    imports = time.perf_counter() - clock
    loaded = [m for m in HEAVY if m in sys.modules]
    top: dict[str, float] = {"imports": imports}
    sheets: dict[str, float] = {}
    missing: list[str] = []
    _wrap(TOP, top, missing)
    _wrap(SHEETS, sheets, missing)
    from kxassess.writing import xlsx

    close = xlsx.Book.close

    def timed_close(self):  # type: ignore[no-untyped-def]
        clock = time.perf_counter()
        close(self)
        sheets["closing the workbook"] = time.perf_counter() - clock

    xlsx.Book.close = timed_close  # type: ignore[method-assign]
    from collections import Counter

    from kxassess.cli import score as command

    printed: Counter[str] = Counter()
    show = command.print_issues

    def counted(issues, *rest):  # type: ignore[no-untyped-def]
        printed.update(i.code for i in issues)
        return show(issues, *rest)

    command.print_issues = counted  # type: ignore[assignment]
    clock = time.perf_counter()
    with contextlib.suppress(SystemExit):
        app(args, standalone_mode=False)
    run = time.perf_counter() - clock
    report.write_text(
        json.dumps(
            {
                "top": top,
                "sheets": sheets,
                "run": run,
                "since_start": time.perf_counter() - STARTED,
                "loaded": loaded,
                "printed": dict(printed.most_common()),
                "missing": missing,
            },
            ensure_ascii=False,
        )
    )


def main() -> None:
    what, *rest = sys.argv[1:]
    if what == "read":
        read(Path(rest[0]), Path(rest[1]))
    elif what == "prep":
        prep(Path(rest[0]), Path(rest[1]))
    elif what == "write":
        write(rest[0], Path(rest[1]), Path(rest[2]), Path(rest[3]))
    elif what == "forms":
        forms(Path(rest[0]), rest[1], Path(rest[2]))
    elif what == "phases":
        phases(Path(rest[0]), rest[2:] if rest[1:2] == ["--"] else rest[1:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
