"""Shared helpers: build small workbooks in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

Sheets = dict[str, Sequence[Sequence[object]]]

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).parent / "cases"
# What one scored year writes to its output folder, after the <scheme>-<year>- prefix.
OUTPUT_KINDS = (
    "结果.xlsx",
    "结果通报.md",
    "结果通报.docx",
    "公示.md",
    "公示.docx",
    "反馈",
    "问题清单.md",
)
INDICATORS = [f"A{i}" for i in range(1, 6)] + [f"B{i}" for i in range(1, 6)] + ["C1", "C2", "C3"]


def write_book(path: Path, sheets: Sheets) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text as typed, even "=…" (no formulas here)
    wb.save(path)
    return path


def js_year(
    units: Sequence[tuple[str, str, str, str]],
    scores: dict[str, list[object]],
    perf: dict[str, object] | None = None,
) -> Sheets:
    """A js-2024-society year: units (code, name, 类别, 参加); scores: code → 13 values
    given by one judge 专家甲 (wide form); months 3…11 at 80; 工作表现 from ``perf``."""
    perf = perf or {}
    return {
        "考核设置": [["项目", "值"], ["方案", "js-2024-society"], ["年度", 2024]],
        "考核对象": [["单位编码", "单位名称", "类别", "参加"], *units],
        "评分-专家甲": [
            ["单位编码", "单位名称", *INDICATORS],
            *[[code, "", *vals] for code, vals in scores.items()],
        ],
        "学会网月报": [
            ["单位编码", *[f"{m}月" for m in range(1, 13)]],
            *[[u[0], *[80] * 12] for u in units],
        ],
        "日常考核": [["单位编码", "工作表现"], *[[u[0], perf.get(u[0], 80)] for u in units]],
    }


@pytest.fixture(autouse=True)
def _registry_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test writes ./kxassess.db: the default registry lives in the test's folder."""
    path = tmp_path / "registry" / "kxassess.db"
    monkeypatch.setenv("KXASSESS_REGISTRY", str(path))
    return path


@pytest.fixture
def make_book(tmp_path: Path) -> Callable[..., Path]:
    def _make(sheets: Sheets, name: str = "2024.xlsx") -> Path:
        return write_book(tmp_path / name, sheets)

    return _make
