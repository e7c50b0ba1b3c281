"""Notices rendered from Jinja2 templates (the repository's ``templates/`` or ``--templates``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from kxassess.issues import Issue, IssueList, KxError
from kxassess.kinds import path_for
from kxassess.result import Publication, ScoreResult, Status, UnitResult, flag_label
from kxassess.scheme import ProgrammeScheme, Scheme
from kxassess.workdays import Calendar, HolidayFile
from kxassess.writing.annex import annex_table, flag_lines, money

# What Markdown (CommonMark + GitHub tables) reads as markup anywhere in a line: escapes,
# code, emphasis, links and images (``[``/``]``; ``!`` and ``(`` only matter next to
# them), raw HTML (``<``) and table cells (``|``). Everything else stays as typed.
_MD_INLINE = re.compile(r"([\\`*_\[\]<|])")
# What is markup only at the start of a line: headings, quotes, list items, rules.
_MD_LINE_START = re.compile(r"^([ \t]*)([#>]|[-+=](?=\s|$)|\d+(?=[.)](?:\s|$)))", re.MULTILINE)
# Two or more tildes make strikethrough (GitHub); one tilde (60~80) is plain text.
_MD_TILDES = re.compile(r"~(?=[^~]*~)")
RESULTS_TEMPLATE = "结果通报.md.j2"
PROGRAMME_TEMPLATE = "项目结果通报.md.j2"
PUBLIC_TEMPLATE = "公示.md.j2"
PROGRAMME_PUBLIC_TEMPLATE = "项目公示.md.j2"
NORMALIZED_METHOD = "专家评分先按每位专家、每项指标作标准化处理（z 分数）后再取平均。"


@dataclass(frozen=True)
class Period:
    """The 公示 period: first and last day, and how many working days."""

    first: dt.date
    last: dt.date
    days: int


@dataclass(frozen=True)
class NoticeOptions:
    """What the user may set for the notices (None = the scheme's ``notice`` block).

    ``date`` is the 公示's; the 结果通报 is dated ``results_date``, or else the first working
    day after the 公示 period ends."""

    date: dt.date
    results_date: dt.date | None = None
    doc_number: str | None = None
    start: dt.date | None = None
    days: int | None = None
    department: str | None = None
    contact: str | None = None
    phone: str | None = None
    holidays: HolidayFile | None = None


def default_templates() -> Path:
    """Templates shipped with the package (wheel), else the source checkout's templates/."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise KxError("本安装缺少内置的通报模板文件夹（templates），请重新安装 kxassess")


def md_escape(text: object) -> str:
    """Text from the inputs shown literally in Markdown (no links, emphasis or HTML),
    escaping only what Markdown would read as markup, so the file reads clean as text:
    ``2024.xlsx!评分!C3``, ``（回避）`` and ``“4+1”`` stay as they are."""
    return _md_escape(str(text))


@lru_cache(maxsize=1 << 16)  # every letter escapes the same indicator texts again
def _md_escape(text: str) -> str:
    out = _MD_INLINE.sub(r"\\\1", text)
    out = _MD_TILDES.sub(r"\\~", out)
    return _MD_LINE_START.sub(_escape_line_start, out)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, mark = match.group(1), match.group(2)
    if mark[0].isdigit():
        return f"{indent}{mark}\\"  # 1. → 1\. (the escape goes before the dot)
    return f"{indent}\\{mark}"


@cache
def _environment(folder: Path) -> Environment:
    """One environment per templates folder: templates compile once, not once per unit."""
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["md"] = md_escape
    return env


def _by_code(units: list[UnitResult]) -> list[UnitResult]:
    return sorted(units, key=lambda u: u.code)


def programme_context(
    scheme: ProgrammeScheme, result: ScoreResult, date: dt.date
) -> dict[str, Any]:
    categories = [
        {
            "name": c.name,
            "awarded": _by_code([u for u in result.units if u.group == c.name and u.honours]),
        }
        for c in scheme.categories
    ]
    return {
        "scheme": scheme,
        "year": result.year,
        "date": date,
        "issuer": scheme.issuer,
        "categories": categories,
        "not_passed": _by_code([u for u in result.units if u.status is Status.EXCLUDED]),
    }


def _letterhead(result: ScoreResult) -> dict[str, str]:
    """The 结果通报's 红头 and 文号: the scheme's ``notice`` block, the 文号 of the run."""
    scheme = result.scheme
    assert scheme is not None
    number = (result.publication.doc_number if result.publication else "") or (
        scheme.notice.doc_number
    )
    organ = scheme.notice.organ or (scheme.issuer if number else "")
    return {"organ": organ, "number": number}


def results_context(scheme: Scheme, result: ScoreResult, date: dt.date) -> dict[str, Any]:
    groups = []
    for name in dict.fromkeys(u.group for u in result.units):
        members = [u for u in result.units if u.group == name]
        if not any(u.status is Status.SCORED for u in members):
            continue  # a group with nobody scored has no grades to publish
        groups.append(
            {
                "name": name,
                "scored": sum(1 for u in members if u.status is Status.SCORED),
                "grades": [
                    {
                        "name": g,
                        "units": _by_code([u for u in members if u.grade == g]),
                        "reward": money(scheme.rewards.get(g)),
                    }
                    for g in scheme.grade_names
                ],
            }
        )
    honours = [
        {"name": h.name, "units": _by_code([u for u in result.units if h.name in u.honours])}
        for h in scheme.honours
    ]
    moves = []
    if scheme.moves.promote is not None:
        moves.append(
            {"label": "升类", "units": _by_code([u for u in result.units if u.move == "promote"])}
        )
    if scheme.moves.demote is not None:
        moves.append(
            {"label": "降类", "units": _by_code([u for u in result.units if u.move == "demote"])}
        )
    absent = _by_code([u for u in result.units if u.status is Status.ABSENT])
    rule = scheme.absence.absent
    return {
        "scheme": scheme,
        "year": result.year,
        "date": date,
        "issuer": scheme.issuer,
        "groups": groups,
        "honours": honours,
        "honoured": any(h["units"] for h in honours),
        "moves": moves,
        "absent": absent,
        "absent_flags": [flag_label(f) for f in rule.flags],
        "absent_repeat": [u for u in absent if set(rule.repeat_flags) & set(u.flags)],
        "repeat_flags": [flag_label(f) for f in rule.repeat_flags],
        "excused": _by_code([u for u in result.units if u.status is Status.EXCUSED]),
        "excluded": _by_code([u for u in result.units if u.status is Status.EXCLUDED]),
        "objections_line": objections_line(result),
        "method": NORMALIZED_METHOD if result.normalize else "",
        "flagged": flag_lines(result.units, skip=Status.ABSENT),
        "annex": annex_table(scheme, _by_code(list(result.units))),
        "letterhead": {"organ": "", "number": ""},
    }


def objections_line(result: ScoreResult) -> str:
    """The 通报's sentence on the objections of the 公示, when every one has been handled;
    empty when there were none or one is still pending (the run warns: not final)."""
    count = len(result.objections)
    if not count or any(not o.outcome for o in result.objections):
        return ""
    return f"公示期间收到异议{count}件，均已按程序处理"


def render(folder: Path, name: str, context: dict[str, Any]) -> str:
    try:
        template = _environment(folder).get_template(name)
    except TemplateNotFound as exc:
        raise KxError(f"找不到模板 {name}", str(folder)) from exc
    try:
        return template.render(**context)
    except Exception as exc:  # a user's template can fail in many ways
        raise KxError(f"模板 {name} 出错：{exc}", str(folder / name)) from exc


def render_results_notice(result: ScoreResult, date: dt.date, folder: Path | None = None) -> str:
    """The 结果通报, dated as the run published it (``result.publication``), else ``date``;
    with the 红头 and 文号 when the scheme or the run gives them."""
    if result.publication is not None:
        date = result.publication.date
    assert result.scheme is not None
    context, name = path_for(result.scheme).notice(result, date, public=False)
    context["letterhead"] = _letterhead(result)
    return render(folder or default_templates(), name, context)


def public_period(options: NoticeOptions, scheme_days: int) -> Period:
    """N working days from the start date (default: the notice's date)."""
    days = options.days or scheme_days
    calendar = Calendar(options.holidays or HolidayFile())
    first, last = calendar.period(options.start or options.date, days)
    return Period(first, last, days)


def publication(result: ScoreResult, options: NoticeOptions) -> Publication:
    """The 结果通报's date — the first working day after the 公示 ends, as the 公示 counts
    working days, unless the user set it — and its 文号."""
    scheme = result.scheme
    assert scheme is not None
    date = options.results_date
    if date is None:
        period = public_period(options, scheme.notice.days)
        date = Calendar(options.holidays or HolidayFile()).next_workday(period.last)
    return Publication(date, options.doc_number or "")


def notice_issues(result: ScoreResult, options: NoticeOptions) -> list[Issue]:
    """A 公示 without a contact or a phone leaves objectors nobody to ask: warn."""
    scheme = result.scheme
    assert scheme is not None
    contact = options.contact if options.contact is not None else scheme.notice.contact
    phone = options.phone if options.phone is not None else scheme.notice.phone
    missing = [what for what, value in (("联系人", contact), ("联系电话", phone)) if not value]
    issues = IssueList()
    if missing:
        issues.add("notice-no-contact", f"{scheme.id}!公示", missing="和".join(missing))
    return list(issues)


def render_public_notice(
    result: ScoreResult, options: NoticeOptions, folder: Path | None = None
) -> str:
    """The 公示: the list, the period in working days, how to object, whom to contact."""
    scheme = result.scheme
    assert scheme is not None
    base = scheme.notice
    notice = {
        "department": options.department if options.department is not None else base.department,
        "contact": options.contact if options.contact is not None else base.contact,
        "phone": options.phone if options.phone is not None else base.phone,
    }
    period = public_period(options, base.days)
    context, name = path_for(scheme).notice(result, options.date, public=True)
    if "annex" in context:  # the 公示 proposes: 拟定考核结果, 拟表扬, 拟调整类别
        proposed = {"考核结果": "拟定考核结果", "表扬": "拟表扬", "类别调整": "拟调整类别"}
        headers = [proposed.get(h, h) for h in context["annex"]["headers"]]
        context["annex"] = {**context["annex"], "headers": headers}
    context.update(period=period, notice=notice)
    return render(folder or default_templates(), name, context)


def render_issue_report(result: ScoreResult) -> str:
    """The issue report (问题清单), written even when errors block scoring."""
    scheme = result.scheme.id if result.scheme else "（未识别方案）"
    lines = [f"# 问题清单：{scheme} {result.year or ''}", ""]
    errors = [i for i in result.issues if i.is_error]
    lines.append(
        f"错误 {len(errors)} 个（阻止计分，未生成结果），"
        f"提示 {len(result.issues) - len(errors)} 个。"
        if errors
        else f"没有错误；提示 {len(result.issues)} 个。"
    )
    lines += ["", "| 级别 | 代码 | 位置 | 说明 |", "|---|---|---|---|"]
    for i in result.issues:
        cells = [i.severity.label, i.code, i.source, i.message]
        lines.append("| " + " | ".join(md_escape(c).replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"
