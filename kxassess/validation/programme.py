"""A project programme's sheets: 申报 (applications) and 绩效评审 (expert review)."""

from __future__ import annotations

import datetime as dt
import re

from kxassess.inputs import Application, ProgrammeInput, Score
from kxassess.issues import IssueList
from kxassess.reading.cells import NotANumber, display_text, norm_text, parse_number
from kxassess.reading.sheets import find_sheet, missing_sheet, sheet_hint
from kxassess.reading.tables import Record, find_table
from kxassess.reading.workbook import Workbook
from kxassess.scheme.programme import STAGES, Gate, ProgrammeScheme
from kxassess.validation.lookup import bounded_cell, report_not_number

APPLICATIONS = "申报"
REVIEW = "绩效评审"
_YES = {"是": True, "有": True, "已设立": True, "否": False, "无": False, "未设立": False}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_rating(text: str) -> int | None:
    """``3A``, ``AAA``, ``3A级``, ``4A`` → 3, 3, 3, 4; ``无`` or blank → 0; else None."""
    t = norm_text(text).upper().removesuffix("级")
    if t in ("", "无", "未评估"):
        return 0
    if re.fullmatch(r"[1-5]A", t):
        return int(t[0])
    if re.fullmatch(r"A{1,5}", t):
        return len(t)
    return None


def parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(norm_text(value))
    if match is None:
        raise ValueError(f"应为日期（如 2022-04-15），此处为「{display_text(value)}」")
    return dt.date(*(int(g) for g in match.groups()))


def _parse(gate: Gate, column: str, rec: Record, issues: IssueList) -> object:
    """The typed value of a gate column (None = blank); a bad cell is an error."""
    raw = rec.raw(column)
    if norm_text(raw) == "":
        return None
    try:
        if column == gate.valid_column or gate.check == "date_by":
            return parse_date(raw)
        if gate.check == "affirmed":
            if norm_text(raw) not in _YES:
                raise ValueError(f"应为 是 或 否，此处为「{display_text(raw)}」")
            return _YES[norm_text(raw)]
        if gate.check == "rating_at_least":
            level = parse_rating(display_text(raw))
            if level is None:
                raise ValueError(f"应为评估等级（如 3A），此处为「{display_text(raw)}」")
            return level
        return parse_number(raw)
    except NotANumber as exc:
        report_not_number(issues, rec.ref(column), exc, f"（{column}）")
        return None
    except ValueError as exc:
        issues.add("bad-value", rec.ref(column), column=column, detail=str(exc))
        return None


def read_programme(
    book: Workbook, scheme: ProgrammeScheme, year: int, issues: IssueList, allow_missing: bool
) -> ProgrammeInput | None:
    if find_sheet(book, APPLICATIONS) is None:
        missing_sheet(book, APPLICATIONS, issues)
        return None
    needed = ["申报编号", "单位编码", "单位名称", "类别", *scheme.gate_columns]
    table = find_table(book, APPLICATIONS, list(dict.fromkeys(needed)), issues)
    if table is None:
        return None
    apps: list[Application] = []
    seen: dict[str, str] = {}
    for rec in table.records():
        app = _application(rec, scheme, issues, seen)
        if app is not None:
            apps.append(app)
    scores = _review(book, scheme, apps, issues, allow_missing)
    if issues.has_errors:
        return None
    return ProgrammeInput(scheme, year, tuple(apps), tuple(scores))


def _application(
    rec: Record, scheme: ProgrammeScheme, issues: IssueList, seen: dict[str, str]
) -> Application | None:
    code = rec.text("申报编号")
    if not code:
        issues.add("blank-code", rec.ref("申报编号"), column="申报编号", detail="")
        return None
    if code in seen:
        issues.add("duplicate-application", rec.ref("申报编号"), application=code, first=seen[code])
        return None
    seen[code] = rec.ref("申报编号")
    category = scheme.category(rec.text("类别"))
    if category is None:
        names = "、".join(c.name for c in scheme.categories)
        issues.add(
            "unknown-category", rec.ref("类别"), text=display_text(rec.raw("类别")), names=names
        )
        return None
    subtype = display_text(rec.raw("子类"))
    if (
        subtype
        and category.subtypes
        and norm_text(subtype) not in map(norm_text, category.subtypes)
    ):
        issues.add(
            "unknown-subtype", rec.ref("子类"), text=subtype, names="、".join(category.subtypes)
        )
    stage = display_text(rec.raw("阶段"))
    if stage and stage not in STAGES:
        issues.add("bad-stage", rec.ref("阶段"), text=stage, names="、".join(STAGES))
    values: dict[str, object] = {}
    refs: dict[str, str] = {}
    for gate in scheme.gates + category.gates:
        for column in (gate.column, gate.valid_column):
            if column and column not in values:
                values[column] = _parse(gate, column, rec, issues)
                refs[column] = rec.ref(column)
    if rec.table.has("申报日期") and "申报日期" not in values:
        try:
            values["申报日期"] = parse_date(rec.raw("申报日期")) if rec.text("申报日期") else None
        except ValueError as exc:
            issues.add("bad-value", rec.ref("申报日期"), column="申报日期", detail=str(exc))
    rule = scheme.priority
    if rule is not None and rule.column not in values:
        values[rule.column] = parse_rating(display_text(rec.raw(rule.column)))
    if rule is not None and rule.valid_column and rule.valid_column not in values:
        try:
            raw = rec.raw(rule.valid_column)
            values[rule.valid_column] = parse_date(raw) if norm_text(raw) else None
        except ValueError as exc:
            where = rec.ref(rule.valid_column)
            issues.add("bad-value", where, column=rule.valid_column, detail=str(exc))
    return Application(
        code=code,
        unit_code=rec.text("单位编码"),
        unit_name=display_text(rec.raw("单位名称")),
        project=display_text(rec.raw("项目名称")),
        category=category.name,
        subtype=subtype,
        values=values,
        refs=refs,
        source=rec.ref("申报编号"),
        stage=stage,
    )


def _review(
    book: Workbook,
    scheme: ProgrammeScheme,
    apps: list[Application],
    issues: IssueList,
    allow_missing: bool,
) -> list[Score]:
    """Expert review scores (专家, 申报编号, 得分), 0…review_max."""
    if find_sheet(book, REVIEW) is None:
        if apps:
            issues.add("no-review-yet", book.label, sheet=REVIEW, hint=sheet_hint(book, REVIEW))
        return []
    table = find_table(book, REVIEW, ["专家", "申报编号", "得分"], issues)
    if table is None:
        return []
    known = {a.code for a in apps}
    scores: list[Score] = []
    seen: dict[tuple[str, str], str] = {}
    del allow_missing  # an application passing its gates without review is warned later
    for rec in table.records():
        judge = display_text(rec.raw("专家"))
        code = rec.text("申报编号")
        if code not in known:
            issues.add(
                "unknown-application", rec.ref("申报编号"), application=code, sheet=APPLICATIONS
            )
            continue
        value = bounded_cell(rec, "得分", scheme.review_max, issues)
        if value is None:
            continue
        if (judge, code) in seen:
            issues.add(
                "duplicate-score",
                rec.ref("得分"),
                judge=judge,
                unit=code,
                indicator="（绩效评审）",
                first=seen[(judge, code)],
            )
            continue
        seen[(judge, code)] = rec.ref("得分")
        scores.append(Score(judge, code, "review", value, rec.ref("得分")))
    return scores
