"""A folder of per-unit 自评表 files (``--self DIR``): each matched to its unit and its lines
to the scheme's indicators. One unreadable file is reported and the rest go on."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction
from pathlib import Path

from kxassess.inputs import Participation, SelfScore, Unit
from kxassess.issues import IssueList, KxError
from kxassess.numbers import as_decimal
from kxassess.reading.cells import NotANumber, display_text, norm_text, parse_number
from kxassess.reading.selffile import SelfForm, SelfLine, read_form
from kxassess.scheme.model import Indicator, Scheme
from kxassess.validation.lookup import UnitIndex

SKIP_PREFIXES = ("~$", ".", "#")  # Office lock files, hidden files
PARALLEL_FROM = 24  # files; below this, reading in one process is faster
POOL_MIN_CORES = 4  # on 2 cores the pool saved no time and cost a third more CPU (BENCHMARKS.md)
Progress = Callable[[int, int], None]


def form_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and not p.name.startswith(SKIP_PREFIXES)
    )


def _read_one(path: Path) -> SelfForm | KxError:
    try:
        return read_form(path)
    except KxError as exc:
        return exc


def read_forms(files: list[Path], progress: Progress | None = None) -> list[SelfForm | KxError]:
    """Read every file, on all cores when there are many; order kept."""
    if len(files) < PARALLEL_FROM or (os.cpu_count() or 1) < POOL_MIN_CORES:
        out = []
        for n, path in enumerate(files, start=1):
            out.append(_read_one(path))
            if progress:
                progress(n, len(files))
        return out
    with ProcessPoolExecutor(max_workers=min(os.cpu_count() or 2, 4)) as pool:
        results = []
        for n, item in enumerate(pool.map(_read_one, files, chunksize=8), start=1):
            results.append(item)
            if progress:
                progress(n, len(files))
        return results


def _match(line: SelfLine, indicators: dict[str, Indicator]) -> Indicator | None:
    """By code in a key column (指标, 序号 …), else by the start of the indicator text."""
    for key in line.keys:
        code = key.rstrip(".、．")
        if code in indicators:
            return indicators[code]
    texts = [norm_text(line.text), *line.keys]
    for ind in indicators.values():
        own = norm_text(ind.text)
        for t in texts:
            if len(t) >= 6 and (own.startswith(t[:12]) or t.startswith(own[:12])):
                return ind
    return None


def read_self_folder(
    folder: Path,
    scheme: Scheme,
    units: list[Unit] | None,
    issues: IssueList,
    progress: Progress | None = None,
) -> dict[str, dict[str, SelfScore]]:
    """unit code → indicator → self score, from every 自评表 in ``folder``. Without a
    roster (``units`` None) the forms are checked on their own: each names its unit."""
    if not folder.is_dir():
        issues.error("missing-folder", str(folder), "the 自评表 folder does not exist")
        return {}
    files = form_files(folder)
    index = UnitIndex.of(units) if units is not None else None
    indicators = scheme.all_indicators
    out: dict[str, dict[str, SelfScore]] = {}
    owner: dict[str, str] = {}
    for path, form in zip(files, read_forms(files, progress), strict=True):
        if isinstance(form, KxError):
            issues.error("unreadable", form.source or path.name, form.message)
            continue
        if form.note:
            issues.warning("file-type", form.label, form.note)
        for code, source, message in form.problems:
            issues.error(code, source, message)
        unit = _unit_of(form, index, issues)
        if unit is None:
            continue
        if unit.code in owner:
            issues.error(
                "duplicate-form",
                form.label,
                f"a second 自评表 for {unit.code} {unit.name} (also {owner[unit.code]})",
            )
            continue
        owner[unit.code] = form.label
        out[unit.code] = _lines(form, unit, indicators, issues)
    for unit in units or ():
        if unit.participation is Participation.YES and unit.code not in owner:
            issues.warning("no-form", str(folder), f"no 自评表 from {unit.code} {unit.name}")
    return out


def _unit_of(form: SelfForm, index: UnitIndex | None, issues: IssueList) -> Unit | None:
    if index is None:  # no roster: the form's own label names the unit
        if form.unit_code or form.unit_name:
            key = form.unit_code or norm_text(form.unit_name)
            return Unit(key, form.unit_name, None, Participation.YES, source=form.label)
        issues.error(
            "no-unit-name",
            form.label,
            "no 单位名称 found in the first rows of the form (e.g. 单位名称：XX学会)",
        )
        return None
    if form.unit_code and form.unit_code in index.by_code:
        return index.by_code[form.unit_code]
    if form.unit_name:
        unit = index.by_name.get(norm_text(form.unit_name))
        if unit is None:
            issues.error(
                "unknown-unit",
                form.name_ref or form.label,
                f"单位名称 {form.unit_name!r} is not in the roster (考核对象)",
            )
        return unit
    if form.unit_code:
        issues.error("unknown-unit", form.label, f"单位编码 {form.unit_code} is not in the roster")
        return None
    issues.error(
        "no-unit-name",
        form.label,
        "no 单位名称 found in the first rows of the form (e.g. 单位名称：XX学会)",
    )
    return None


def _lines(
    form: SelfForm, unit: Unit, indicators: dict[str, Indicator], issues: IssueList
) -> dict[str, SelfScore]:
    scores: dict[str, SelfScore] = {}
    for line in form.lines:
        ind = _match(line, indicators)
        has_score = norm_text(line.score) not in ("", "-", "—", "/")
        if ind is None:
            if has_score:
                issues.error(
                    "unknown-indicator",
                    line.key_ref,
                    f"{' / '.join(k for k in line.keys if k) or line.text!r} is not an "
                    "indicator of the scheme",
                )
            continue  # a section heading such as "一、组织建设(12分)"
        if ind.code in scores:
            issues.error(
                "duplicate-row",
                line.key_ref,
                f"indicator {ind.code} appears twice (also at {scores[ind.code].source})",
            )
            continue
        try:
            value = parse_number(line.score)
        except NotANumber as exc:
            issues.error("not-a-number", line.ref, f"自评分: {exc}")
            continue
        if value is None:
            continue
        if not 0 <= value <= ind.max:
            issues.error(
                "above-max" if value > ind.max else "below-zero",
                line.ref,
                f"自评分 {display_text(line.score)} is outside 0…{as_decimal(ind.max):g} "
                f"of indicator {ind.code}",
            )
            continue
        if line.verified not in ("", "属实", "不实"):
            issues.error("bad-verification", line.ref, "核实 must be 属实, 不实 or blank")
            continue
        false = int(line.verified == "不实")
        scores[ind.code] = SelfScore(value, line.report, line.ref, line.verified, false)
    missing = [c for c in indicators if c not in scores]
    if missing:
        issues.warning(
            "missing-indicator",
            form.label,
            f"{unit.code} {unit.name} gives no 自评分 for {'、'.join(missing)}",
        )
    _check_total(form, scores, issues)
    return scores


def _check_total(form: SelfForm, scores: dict[str, SelfScore], issues: IssueList) -> None:
    if form.total is None or norm_text(form.total) == "":
        return
    try:
        claimed = parse_number(form.total)
    except NotANumber:
        issues.warning("bad-total", form.total_ref, "the total (合计) is not a number")
        return
    lines = sum((s.value for s in scores.values()), start=Fraction(0))
    if claimed is not None and claimed != lines:
        issues.warning(
            "total-mismatch",
            form.total_ref,
            f"the form's total {as_decimal(claimed):g} differs from the sum of its "
            f"lines {as_decimal(lines):g}",
        )
