"""The results workbook staff open (SPEC §6): Chinese headers, ranked, print-ready."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kxassess.inputs import Score, YearInput
from kxassess.numbers import as_decimal
from kxassess.result import MOVE_LABELS, STATUS_LABELS, ScoreResult, UnitResult
from kxassess.scheme.model import Scheme

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GRADE_FILLS = ["C6EFCE", "FFEB9C", "FCE4D6", "EDEDED"]  # best grade first
NUMBER = "0.00"


def _put_rows(ws: Worksheet, rows: Iterable[Sequence[object]], first: int) -> None:
    """Append rows to a sheet whose next row is ``first``; text from the inputs is never
    written as a live formula."""
    for number, row in enumerate(rows, start=first):
        ws.append(list(row))
        for col, value in enumerate(row, start=1):
            if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
                ws.cell(row=number, column=col).data_type = "s"


def add_sheet(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    widths: dict[int, float] | None = None,
) -> Worksheet:
    ws = wb.create_sheet(title)
    _put_rows(ws, [headers], 1)
    _put_rows(ws, rows, 2)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, Decimal | float):
                cell.number_format = NUMBER
    _fit_widths(ws, widths or {})
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    return ws


def _text_width(value: object) -> float:
    text = f"{value:.2f}" if isinstance(value, Decimal) else str(value or "")
    return sum(2.0 if ord(ch) > 0x2E80 else 1.1 for ch in text)


def _fit_widths(ws: Worksheet, fixed: dict[int, float]) -> None:
    widths: dict[int, float] = {}
    for row in ws.iter_rows(max_row=min(ws.max_row, 500)):
        for cell in row:
            widths[cell.column] = max(widths.get(cell.column, 0), _text_width(cell.value))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = fixed.get(
            col, min(max(width + 2, 6), 60)
        )


Column = tuple[str, Callable[[UnitResult], object]]


def _component_getter(comp_id: str) -> Callable[[UnitResult], object]:
    return lambda u: (u.components or {}).get(comp_id)


def _summary_columns(scheme: Scheme, units: Sequence[UnitResult]) -> list[Column]:
    """The summary's columns; optional ones only where the scheme or the data has them."""
    cols: list[Column] = [
        ("分组", lambda u: u.group),
        ("排名", lambda u: u.rank),
        ("单位编码", lambda u: u.code),
        ("单位名称", lambda u: u.name),
        ("类别", lambda u: u.tier or ""),
        ("状态", lambda u: STATUS_LABELS[u.status]),
        ("总分", lambda u: u.total),
    ]
    cols += [(c.name, _component_getter(c.id)) for c in scheme.components]
    if any(c.events for c in scheme.indicator_components):
        cols += [("加分", lambda u: u.bonus), ("扣分", lambda u: u.deduction)]
    if scheme.grade_names:
        cols.append(("等级", lambda u: u.grade or ""))
    if any(u.previous_grade or u.previous_rank for u in units):
        cols += [
            ("上年等级", lambda u: u.previous_grade or ""),
            ("上年排名", lambda u: u.previous_rank),
        ]
    if scheme.rewards:
        cols.append(("以奖代补（元）", lambda u: u.reward))
    if scheme.tiers:
        cols += [
            ("升降", lambda u: MOVE_LABELS.get(u.move, u.move or "")),
            ("下年度类别", lambda u: u.next_tier or ""),
        ]
    if scheme.vetoes:
        cols.append(("否决事项", lambda u: "；".join(u.vetoes)))
    cols += [("荣誉", lambda u: "、".join(u.honours)), ("标记", lambda u: "、".join(u.flags))]
    return cols


def _colour_grades(ws: Worksheet, scheme: Scheme, grade_col: int) -> None:
    fills = {
        g: PatternFill("solid", fgColor=GRADE_FILLS[min(i, len(GRADE_FILLS) - 1)])
        for i, g in enumerate(scheme.grade_names)
    }
    for row in ws.iter_rows(min_row=2, min_col=grade_col, max_col=grade_col):
        for cell in row:
            fill = fills.get(str(cell.value))
            if fill is not None:
                cell.fill = fill


def write_results_workbook(path: Path, result: ScoreResult, data: YearInput | None) -> None:
    scores = data.scores if data is not None else ()
    scheme = result.scheme
    assert isinstance(scheme, Scheme)
    wb = Workbook()
    wb.remove(wb.active)
    columns = _summary_columns(scheme, result.units)
    headers = [h for h, _ in columns]
    groups = list(dict.fromkeys(u.group for u in result.units))
    sheets = [("汇总", list(result.units))]
    if len(groups) > 1:
        sheets += [(g, [u for u in result.units if u.group == g]) for g in groups]
    for title, members in sheets:
        rows = ([get(u) for _, get in columns] for u in members)
        ws = add_sheet(wb, title[:31], headers, rows)
        if "等级" in headers:
            _colour_grades(ws, scheme, headers.index("等级") + 1)
    _indicator_sheet(wb, scheme, result.units)
    _judge_sheet(wb, scheme, result.units, scores)
    issues_sheet(wb, result)
    run_sheet(wb, result)
    wb.save(path)


def issues_sheet(wb: Workbook, result: ScoreResult) -> None:
    add_sheet(
        wb,
        "问题清单",
        ["级别", "代码", "位置", "说明"],
        (
            ["错误" if i.severity == "error" else "提示", i.code, i.source, i.message]
            for i in result.issues
        ),
    )


def _indicator_sheet(wb: Workbook, scheme: Scheme, units: Sequence[UnitResult]) -> None:
    inds = [i for c in scheme.indicator_components for i in c.indicators]
    parts = [p for c in scheme.indicator_components for p in c.parts]
    headers = [
        "单位编码",
        "单位名称",
        "类别",
        *[i.code for i in inds],
        *[f"{p.name or p.id}得分" for p in parts],
    ]
    rows: list[list[object]] = [
        ["满分", "", "", *[as_decimal(i.max) for i in inds], *[""] * len(parts)]
    ]
    for u in units:
        if u.indicators:
            rows.append(
                [
                    u.code,
                    u.name,
                    u.tier or "",
                    *[u.indicators.get(i.code) for i in inds],
                    *[u.parts.get(p.id) for p in parts],
                ]
            )
    ws = add_sheet(wb, "指标明细", headers, rows)
    ws.freeze_panes = "D3"


def _judge_sheet(
    wb: Workbook, scheme: Scheme, units: Sequence[UnitResult], scores: Sequence[Score]
) -> None:
    inds = [i.code for c in scheme.indicator_components for i in c.indicators]
    names = {u.code: u.name for u in units}
    table: dict[tuple[str, str], dict[str, Decimal]] = {}
    for s in scores:
        cell = table.setdefault((s.judge, s.unit), {})
        cell[s.indicator] = as_decimal(s.value)
    rows = (
        [judge, unit, names.get(unit, ""), *[values.get(c) for c in inds]]
        for (judge, unit), values in sorted(table.items())
    )
    add_sheet(wb, "专家评分", ["专家", "单位编码", "单位名称", *inds], rows)


def run_sheet(wb: Workbook, result: ScoreResult) -> None:
    scheme = result.scheme
    assert scheme is not None
    rows: list[list[object]] = [
        ["方案", scheme.id],
        ["方案名称", scheme.title],
        ["年度", result.year],
        ["kxassess 版本", result.version],
        ["运行时间", result.started],
        [
            "参数",
            f"trim={'是' if result.trim else '否'}；allow_missing="
            f"{'是' if result.allow_missing else '否'}",
        ],
    ]
    rows += [["输入文件", f.path, f.sha256] for f in result.inputs]
    add_sheet(wb, "运行信息", ["项目", "值", "SHA-256"], rows)


def write_roster(path: Path, rows: Sequence[tuple[str, str, str, dict[str, str]]]) -> None:
    """A roster in the 考核对象 layout, ready to paste into next year's workbook."""
    extra = list(dict.fromkeys(k for *_, attrs in rows for k in attrs))
    wb = Workbook()
    wb.remove(wb.active)
    body = (
        [code, name, tier, "", *[attrs.get(k, "") for k in extra]]
        for code, name, tier, attrs in rows
    )
    add_sheet(wb, "考核对象", ["单位编码", "单位名称", "类别", "参加", *extra], body)
    wb.save(path)
