"""The 自评表 reader as it was before the lean serial reader (issue 16), kept verbatim as the
reference the equivalence tests compare the package's reader with. Not used by the package."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from kxassess.inputs import Participation, SelfScore, Unit
from kxassess.issues import IssueList, KxError
from kxassess.numbers import as_decimal
from kxassess.reading.cells import (
    NotANumber,
    cell_ref,
    display_text,
    is_no_score,
    norm_text,
    parse_number,
)
from kxassess.reading.workbook import Row, open_workbook
from kxassess.scheme.model import Indicator, Scheme
from kxassess.validation.lookup import UnitIndex, report_not_number

SKIP_PREFIXES = ("~$", ".", "#")
LABEL_ROWS = 15
HEADER_ROWS = 40
KEY_COLUMNS = ("指标", "序号", "指标编号", "编号", "项目")
TEXT_COLUMNS = ("指标说明", "考核内容", "指标内容", "考核内容及标准", "内容")
TOTALS = ("合计", "总计", "总分", "自评总分", "小计")
_LABEL = re.compile(r"^(单位编码|单位名称|填报单位)[:：]?(.*)$")


@dataclass(frozen=True)
class SelfLine:
    """One row of the form: what identifies the indicator, and the cells that matter."""

    keys: tuple[str, ...]  # normalised values of the key columns (指标, 序号 …)
    text: str  # the indicator's description, if any
    report: str  # 完成情况
    score: object  # the raw 自评分 cell
    verified: str  # 核实 (属实/不实) if the form has that column
    ref: str  # file!sheet!cell of the 自评分 cell
    key_ref: str


@dataclass(frozen=True)
class SelfForm:
    label: str
    sheet: str
    unit_name: str = ""
    unit_code: str = ""
    name_ref: str = ""
    lines: tuple[SelfLine, ...] = ()
    total: object = None
    total_ref: str = ""
    note: str = ""
    problems: tuple[tuple[str, str, str], ...] = field(default=())  # (code, source, message)


def _label_value(values: Row, col: int, text: str) -> str:
    """A label's value: after its colon in the same cell, or the next non-empty cell."""
    match = _LABEL.match(text)
    if match and match.group(2):
        return display_text(match.group(2)).lstrip(":：")
    for value in values[col + 1 :]:
        if norm_text(value):
            return display_text(value)
    return ""


def read_form(path: Path) -> SelfForm:
    """Read a 自评表 file; unreadable files raise KxError with the file named."""
    book = open_workbook(path, text_tables=True)
    for sheet in book.sheet_names:
        form = _read_sheet(book.label, sheet, book.rows(sheet), book.note)
        if form is not None:
            uncached = book.uncached_formulas(sheet)
            if uncached:
                problems = form.problems + tuple(
                    (
                        "formula-no-value",
                        f"{book.label}!{sheet}!{ref}",
                        "",
                    )
                    for ref in uncached
                )
                form = SelfForm(**{**form.__dict__, "problems": problems})
            return form
    raise KxError("没有一张工作表的表头含有「指标」（或「序号」）和「自评分」", book.label)


def _read_sheet(label: str, sheet: str, rows: list[Row], note: str) -> SelfForm | None:
    header_row, columns = _find_header(rows)
    if header_row is None:
        return None
    src = f"{label}!{sheet}"
    name = code = name_ref = ""
    for r, values in enumerate(rows[: min(header_row, LABEL_ROWS)]):
        for c, value in enumerate(values):
            text = norm_text(value)
            match = _LABEL.match(text)
            if not match:
                continue
            found = _label_value(values, c, display_text(value).replace(" ", ""))
            if match.group(1) == "单位编码":
                code = code or norm_text(found)
            elif not name:
                name, name_ref = found, f"{src}!{cell_ref(r, c)}"
    score_col = columns["自评分"]
    keys = [columns[k] for k in KEY_COLUMNS if k in columns]
    text_col = next((columns[k] for k in TEXT_COLUMNS if k in columns), None)
    lines: list[SelfLine] = []
    total: object = None
    total_ref = ""

    def cell(values: Row, col: int | None) -> object:
        return values[col] if col is not None and col < len(values) else None

    for r in range(header_row + 1, len(rows)):
        values = rows[r]
        texts = [norm_text(v) for v in values]
        if not any(texts):
            continue
        first = next(t for t in texts if t)
        if any(first.startswith(t) for t in TOTALS):
            total, total_ref = cell(values, score_col), f"{src}!{cell_ref(r, score_col)}"
            continue
        if first.startswith(("注", "说明", "填表说明", "备注")):
            continue
        key_values = tuple(norm_text(cell(values, k)) for k in keys)
        lines.append(
            SelfLine(
                keys=key_values,
                text=display_text(cell(values, text_col)),
                report=display_text(cell(values, columns.get("完成情况"))),
                score=cell(values, score_col),
                verified=norm_text(cell(values, columns.get("核实"))),
                ref=f"{src}!{cell_ref(r, score_col)}",
                key_ref=f"{src}!{cell_ref(r, keys[0] if keys else score_col)}",
            )
        )
    return SelfForm(label, sheet, name, code, name_ref, tuple(lines), total, total_ref, note)


def _find_header(rows: list[Row]) -> tuple[int | None, dict[str, int]]:
    for r, values in enumerate(rows[:HEADER_ROWS]):
        texts = [norm_text(v) for v in values]
        if "自评分" in texts and any(k in texts for k in KEY_COLUMNS + TEXT_COLUMNS):
            columns: dict[str, int] = {}
            for c, t in enumerate(texts):
                if t and t not in columns:
                    columns[t] = c
            return r, columns
    return None, {}


def form_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and not p.name.startswith(SKIP_PREFIXES)
    )


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
) -> dict[str, dict[str, SelfScore]]:
    """unit code → indicator → self score, from every 自评表 in ``folder``. Without a
    roster (``units`` None) the forms are checked on their own: each names its unit."""
    if not folder.is_dir():
        issues.add("missing-folder", str(folder))
        return {}
    files = form_files(folder)
    index = UnitIndex.of(units) if units is not None else None
    indicators = scheme.all_indicators
    out: dict[str, dict[str, SelfScore]] = {}
    owner: dict[str, str] = {}
    for path in files:
        try:
            form: SelfForm | KxError = read_form(path)
        except KxError as exc:
            form = exc
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
        out[unit.code] = _lines(form, unit, indicators, issues)
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


def _lines(
    form: SelfForm, unit: Unit, indicators: dict[str, Indicator], issues: IssueList
) -> dict[str, SelfScore]:
    scores: dict[str, SelfScore] = {}
    for line in form.lines:
        ind = _match(line, indicators)
        has_score = not is_no_score(line.score)
        if ind is None:
            if has_score:
                text = " / ".join(k for k in line.keys if k) or line.text
                issues.add("unknown-indicator", line.key_ref, text=text, hint="")
            continue  # a section heading such as "一、组织建设(12分)"
        if ind.code in scores:
            first = scores[ind.code].source
            issues.add("duplicate-row", line.key_ref, unit=f"指标 {ind.code}", first=first)
            continue
        try:
            value = parse_number(line.score)
        except NotANumber as exc:
            report_not_number(issues, line.ref, exc, f"（指标 {ind.code} 的自评分）")
            continue
        if value is None:
            continue
        if not 0 <= value <= ind.max:
            issues.add(
                "above-max" if value > ind.max else "below-zero",
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
    missing = [c for c in indicators if c not in scores]
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
        claimed = parse_number(form.total)
    except NotANumber:
        issues.add("bad-total", form.total_ref)
        return
    lines = sum((s.value for s in scores.values()), start=Fraction(0))
    if claimed is not None and claimed != lines:
        issues.add(
            "total-mismatch",
            form.total_ref,
            claimed=f"{as_decimal(claimed):g}",
            lines=f"{as_decimal(lines):g}",
        )
