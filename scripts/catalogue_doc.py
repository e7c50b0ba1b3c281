"""Write docs/问题代码.md from the issue-code catalogue (kxassess/catalogue/).

Run after adding or changing a code:  make codes
The test suite checks that the committed file equals what this script writes."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

import kxassess.catalogue as catalogue
from kxassess.catalogue import Entry

TARGET = Path(__file__).resolve().parent.parent / "docs" / "问题代码.md"
# The areas in the order staff meet them in a run; an area added later comes after these.
ORDER = ("inputs", "judges", "grading", "engine", "registry", "documents", "review", "schemes")


def _areas() -> list[tuple[str, dict[str, Entry]]]:
    names = [m.name for m in pkgutil.iter_modules(catalogue.__path__)]
    names.sort(key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    areas = []
    for name in names:
        module = importlib.import_module(f"kxassess.catalogue.{name}")
        title = (module.__doc__ or name).strip().splitlines()[0]
        title = title.removeprefix("Issue codes:").strip().rstrip("。")
        areas.append((title, module.CODES))
    return areas


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    lines = [
        "# 问题代码",
        "",
        "kxassess 报告的每一个问题都有一个固定的代码，见于屏幕、问题清单"
        "（`…-问题清单.md` 和结果工作簿的「问题清单」表）和 `--json` 的 `code`。",
        "",
        "**错误**阻止计分（只写出问题清单，退出码 1）；**提示**不阻止计分。"
        "说明中的 `{…}` 在实际提示中换成具体内容（单位、指标、单元格等）。",
        "",
        "本文件由 `scripts/catalogue_doc.py` 根据 `kxassess/catalogue/` 生成，请勿手工修改。",
    ]
    for title, codes in _areas():
        if not codes:
            continue
        lines += ["", f"## {title}", "", "| 代码 | 级别 | 说明 | 处理办法 |", "|---|---|---|---|"]
        for code in sorted(codes):
            item = codes[code]
            lines.append(
                f"| `{code}` | {item.severity.label} | {_cell(item.message)} | {_cell(item.fix)} |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(render(), encoding="utf-8")
    print(f"已写出 {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
