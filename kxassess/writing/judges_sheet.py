"""The 评委分析 sheet of the results workbook: each judge's bias and flags, Kendall's W per
grading group with what it means, how to read them, and a bar chart of the bias."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from kxassess.numbers import as_decimal
from kxassess.result import ScoreResult, judge_flag_labels
from kxassess.scheme.model import Scheme
from kxassess.writing.xlsx import Book, add_sheet, put_row

TITLE = "评委分析"
JUDGE_HEADERS = [
    "专家",
    "评委组",
    "评分条数",
    "参与比较条数",
    "偏差（满分的百分点）",
    "同分指标数",
    "分歧次数",
    "标记",
]
BIAS_COLUMN = JUDGE_HEADERS.index("偏差（满分的百分点）")
AGREEMENT_HEADERS = ["考核分组", "评委组", "评委数", "单位数", "肯德尔W", "一致性", "计算方式"]
COMPLETE = {True: "全部专家评了全部单位", False: "有回避或分工，按两两共同评过的单位估算"}


def _notes(scheme: Scheme, normalize: bool) -> list[str]:
    """How to read the sheet, with the scheme's own thresholds."""
    s = scheme.judges
    share = f"{as_decimal(s.flat_share * 100).normalize():f}%"
    spread = f"{as_decimal(s.spread * 100).normalize():f}%"
    notes = [
        "说明：",
        "偏差 = 该专家每个评分减去同组其他专家对同一单位同一指标评分的中位数，除以指标满分"
        f"再乘以 100，取平均（至少 {s.min_others} 位其他专家评过的才比较；回避的不算评分）。",
        f"偏差 ≥ {as_decimal(s.lenient):f} 为偏宽，≤ {as_decimal(s.harsh):f} 为偏严；"
        f"在至少 {share} 的指标上给所有单位（不少于 {s.flat_min_units} 家）打同一分为区分度不足。",
        f"分歧次数：同一单位同一指标至少 {s.spread_min_judges} 位专家评分、最高与最低分相差"
        f"达到满分的 {spread} 时，该专家是最高或最低者的次数（详见问题清单）。",
        "肯德尔W：各专家按本人所评总分给单位排出的名次是否一致，1 为完全一致，0 为毫无一致；"
        f"≥ {as_decimal(s.agreement_good):f} 一致性较好，≥ {as_decimal(s.agreement_fair):f} "
        "一致性一般，以下为一致性较差。有回避或分工时，由每两位专家共同评过的单位上的"
        "名次相关系数的平均值折算。",
    ]
    if normalize:
        notes.append("本次计分时，专家评分已按每位专家、每项指标作 z 分数标准化后再取平均。")
    return notes


def judges_sheet(book: Book, scheme: Scheme, result: ScoreResult) -> None:
    """评委分析; nothing when the year has no expert scores."""
    if not result.judges:
        return
    rows = [
        [
            j.judge,
            j.group,
            j.scores,
            j.compared,
            j.bias,
            j.flat_indicators,
            j.disagreements,
            judge_flag_labels(j.flags),
        ]
        for j in result.judges
    ]
    ws = add_sheet(book, TITLE, JUDGE_HEADERS, rows)
    agreement = [
        [a.group, a.judge_group, a.judges, a.units, a.w, a.meaning, COMPLETE[a.complete]]
        for a in result.agreement
    ]
    # The W table sits below the judges' table in the same columns: each column is as wide
    # as the wider of its two cells, and W is centred, so that 0.93 and 一致性较好 stand apart.
    widths = _widths([JUDGE_HEADERS, *rows], [AGREEMENT_HEADERS, *agreement])
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    centred = book.wb.add_format({"num_format": "0.00", "align": "center"})
    row = len(rows) + 2
    ws.write_row(row, 0, AGREEMENT_HEADERS, book.header)
    w_column = AGREEMENT_HEADERS.index("肯德尔W")
    for a, values in zip(result.agreement, agreement, strict=True):
        row += 1
        put_row(book, ws, row, values)
        if a.w is not None:
            ws.write_number(row, w_column, float(a.w), centred)
    # The notes wrap inside the width of the tables (merged cells), so that they print whole.
    wrap = book.wb.add_format({"text_wrap": True, "valign": "top"})
    last = len(JUDGE_HEADERS) - 1
    per_line = max(sum(widths) / 2, 20)
    row += 1
    for note in _notes(scheme, result.normalize):
        row += 1
        lines = -(-len(note) // int(per_line))  # ceiling: Chinese characters are 2 wide
        ws.set_row(row, 16 * lines)
        ws.merge_range(row, 0, row, last, note, wrap)

    n = len(rows)
    chart = book.wb.add_chart({"type": "bar"})
    assert chart is not None
    chart.add_series(
        {
            "name": [TITLE, 0, BIAS_COLUMN],
            "categories": [TITLE, 1, 0, n, 0],
            "values": [TITLE, 1, BIAS_COLUMN, n, BIAS_COLUMN],
            "invert_if_negative": False,
        }
    )
    chart.set_title({"name": "各专家评分偏差"})
    chart.set_x_axis({"name": "偏差（满分的百分点）"})
    # names at the chart's left edge, never on the bars (a negative bias crosses the axis)
    chart.set_y_axis({"reverse": True, "label_position": "low"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 640, "height": max(320, 36 * n + 120)})
    # below the notes, so that it hides none of them, on a printed page of its own
    ws.set_h_pagebreaks([row + 2])
    ws.insert_chart(row + 2, 0, chart)


def _widths(*tables: Sequence[Sequence[object]]) -> list[float]:
    """Column widths fitting every cell of the tables that share the columns (a Chinese
    character counts two, as in the other sheets)."""
    widths: list[float] = []
    for table in tables:
        for line in table:
            for c, value in enumerate(line):
                text = f"{value:.2f}" if isinstance(value, Decimal | float) else str(value or "")
                width = sum(2.0 if ord(ch) > 0x2E80 else 1.1 for ch in text) + 2
                if c < len(widths):
                    widths[c] = max(widths[c], width)
                else:
                    widths.append(width)
    return [min(max(w, 6), 60) for w in widths]
