"""A folder of per-unit 自评表 files (``--self DIR``): each matched to its unit and its lines
to the scheme's indicators. One unreadable file is reported and the rest go on."""

from __future__ import annotations

import ctypes
import math
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from kxassess.inputs import Participation, SelfScore, Unit
from kxassess.issues import IssueList, KxError
from kxassess.numbers import as_decimal
from kxassess.reading.cells import (
    NotANumber,
    display_text,
    is_no_score,
    norm_text,
    parse_number,
)
from kxassess.reading.selffile import SelfForm, SelfLine, read_form
from kxassess.scheme.model import Indicator, Scheme
from kxassess.validation.lookup import UnitIndex, report_not_number

SKIP_PREFIXES = ("~$", ".", "#")  # Office lock files, hidden files
PARALLEL_FROM = 24  # files; below this, reading in one process is faster
POOL_MIN_CORES = 4  # on 2 cores the pool saved little time and cost more CPU (BENCHMARKS.md)
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies
Progress = Callable[[int, int], None]


def form_files(folder: Path) -> list[Path]:
    """The folder's files in name order, lock and hidden files left out."""
    with os.scandir(folder) as entries:
        names = sorted(
            e.name for e in entries if e.is_file() and not e.name.startswith(SKIP_PREFIXES)
        )
    return [folder / name for name in names]


def _read_one(path: Path) -> SelfForm | KxError:
    try:
        return read_form(path)
    except KxError as exc:
        return exc


def iter_forms(files: list[Path], progress: Progress | None = None) -> Iterator[SelfForm | KxError]:
    """Each file read in turn, on all cores when there are many and cores to spare; order
    kept. One at a time, so a form is matched and let go before the next is read."""
    if len(files) < PARALLEL_FROM or _cores() < POOL_MIN_CORES:
        for n, path in enumerate(files, start=1):
            form = _read_one(path)
            if progress:
                progress(n, len(files))
            yield form
        return
    pool = ProcessPoolExecutor(max_workers=min(_cores(), 4), initializer=_worker_start)
    try:
        for n, item in enumerate(pool.map(_read_one, files, chunksize=8), start=1):
            if progress:
                progress(n, len(files))
            yield item
    finally:  # on Ctrl-C or an error: the forms not yet started are not read
        pool.shutdown(wait=True, cancel_futures=True)


def _cores() -> int:
    """The cores this process may use (a CPU limit or affinity counts)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on every system
        return os.cpu_count() or 1


def _worker_start() -> None:
    """A pool worker leaves Ctrl-C to the main process (which stops the pool), and on Linux
    dies with the main process, killed or not, rather than reading on alone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def read_forms(files: list[Path], progress: Progress | None = None) -> list[SelfForm | KxError]:
    """Every file read (see :func:`iter_forms`)."""
    return list(iter_forms(files, progress))


class _Matcher:
    """The scheme's indicators, looked up by a line's code or the start of its text."""

    def __init__(self, indicators: dict[str, Indicator]) -> None:
        self.indicators = indicators
        self.texts = [(ind, norm_text(ind.text)) for ind in indicators.values()]

    def __call__(self, line: SelfLine) -> Indicator | None:
        """By code in a key column (指标, 序号 …), else by the start of the indicator text."""
        for key in line.keys:
            ind = self.indicators.get(key.rstrip(".、．"))
            if ind is not None:
                return ind
        texts = [norm_text(line.text), *line.keys]
        for ind, own in self.texts:
            for t in texts:
                if len(t) >= 6 and (own.startswith(t[:12]) or t.startswith(own[:12])):
                    return ind
        return None


# A plain number cell is parsed once per distinct value: 3,000 forms hold a few hundred.
_float_value = lru_cache(maxsize=1 << 16)(parse_number)


def _number(value: object) -> Fraction | None:
    """:func:`parse_number` of a cell."""
    return _float_value(value) if type(value) is float else parse_number(value)


def _above(value: Fraction, top: Fraction) -> bool:
    """value > top, compared as integers (denominators are positive)."""
    return value.numerator * top.denominator > top.numerator * value.denominator


def _exact_sum(values: Iterable[Fraction]) -> Fraction:
    """Σ values, added as integers over their common denominator."""
    parts = [(v.numerator, v.denominator) for v in values]
    common = math.lcm(1, *(d for _, d in parts))
    return Fraction(sum(n * (common // d) for n, d in parts), common)


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
        issues.add("missing-folder", str(folder))
        return {}
    files = form_files(folder)
    forms = iter_forms(files, progress)
    index = UnitIndex.of(units) if units is not None else None
    match = _Matcher(scheme.all_indicators)
    out: dict[str, dict[str, SelfScore]] = {}
    owner: dict[str, str] = {}
    for path, form in zip(files, forms, strict=True):
        if isinstance(form, KxError):
            issues.add("unreadable", form.source or path.name, detail=form.message)
            continue
        if form.note:
            issues.add("file-type", form.label, detail=form.note)
        for code, source, _ in form.problems:
            issues.add(code, source)
        unit = _unit_of(form, index, issues)
        if unit is None:
            continue
        if unit.code in owner:
            first = owner[unit.code]
            issues.add("duplicate-form", form.label, unit=unit.code, name=unit.name, first=first)
            continue
        owner[unit.code] = form.label
        out[unit.code] = _lines(form, unit, match, issues)
    for unit in units or ():
        if unit.participation is Participation.YES and unit.code not in owner:
            issues.add("no-form", str(folder), unit=unit.code, name=unit.name)
    return out


def _unit_of(form: SelfForm, index: UnitIndex | None, issues: IssueList) -> Unit | None:
    if index is None:  # no roster: the form's own label names the unit
        if form.unit_code or form.unit_name:
            key = form.unit_code or norm_text(form.unit_name)
            return Unit(key, form.unit_name, None, Participation.YES, source=form.label)
        issues.add("no-unit-name", form.label)
        return None
    if form.unit_code and form.unit_code in index.by_code:
        return index.by_code[form.unit_code]
    if form.unit_name:
        unit = index.by_name.get(norm_text(form.unit_name))
        if unit is None:
            hint = index.hint("", norm_text(form.unit_name))
            where = form.name_ref or form.label
            issues.add("unknown-unit", where, what="单位名称", value=form.unit_name, hint=hint)
        return unit
    if form.unit_code:
        hint = index.hint(form.unit_code, "")
        issues.add("unknown-unit", form.label, what="单位编码", value=form.unit_code, hint=hint)
        return None
    issues.add("no-unit-name", form.label)
    return None


def _lines(form: SelfForm, unit: Unit, match: _Matcher, issues: IssueList) -> dict[str, SelfScore]:
    scores: dict[str, SelfScore] = {}
    for line in form.lines:
        ind = match(line)
        if ind is None:
            if not is_no_score(line.score):
                text = " / ".join(k for k in line.keys if k) or line.text
                issues.add("unknown-indicator", line.key_ref, text=text, hint="")
            continue  # a section heading such as "一、组织建设(12分)"
        if ind.code in scores:
            first = scores[ind.code].source
            issues.add("duplicate-row", line.key_ref, unit=f"指标 {ind.code}", first=first)
            continue
        try:
            value = _number(line.score)
        except NotANumber as exc:
            report_not_number(issues, line.ref, exc, f"（指标 {ind.code} 的自评分）")
            continue
        if value is None:
            continue
        above = _above(value, ind.max)
        if above or value.numerator < 0:
            issues.add(
                "above-max" if above else "below-zero",
                line.ref,
                what="自评分",
                text=display_text(line.score),
                max=f"{as_decimal(ind.max):g}",
                indicator=ind.code,
            )
            continue
        if line.verified not in ("", "属实", "不实"):
            issues.add("bad-verification", line.ref)
            continue
        false = int(line.verified == "不实")
        scores[ind.code] = SelfScore(value, line.report, line.ref, line.verified, false)
    missing = [c for c in match.indicators if c not in scores]
    if missing:
        issues.add(
            "missing-indicator",
            form.label,
            unit=unit.code,
            name=unit.name,
            codes="、".join(missing),
        )
    _check_total(form, scores, issues)
    return scores


def _check_total(form: SelfForm, scores: dict[str, SelfScore], issues: IssueList) -> None:
    if form.total is None or norm_text(form.total) == "":
        return
    try:
        claimed = _number(form.total)
    except NotANumber:
        issues.add("bad-total", form.total_ref)
        return
    lines = _exact_sum(s.value for s in scores.values())
    if claimed is not None and claimed != lines:
        issues.add(
            "total-mismatch",
            form.total_ref,
            claimed=f"{as_decimal(claimed):g}",
            lines=f"{as_decimal(lines):g}",
        )
