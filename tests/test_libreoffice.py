"""The documents open in a real client and print as a person would check them: LibreOffice
converts them to PDF headless, poppler reads the pages back. Runs where LibreOffice is
installed (.ci/run installs it).

Set ``KXASSESS_UPDATE_DOCS=1`` to copy the rendered first page of the 公示 to
``docs/公示示例.png`` (the picture in the README)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kxassess import api
from kxassess.workdays import Calendar

from .conftest import CASES, ROOT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdftoppm")
REQUIRED = os.environ.get("KXASSESS_REQUIRE_LIBREOFFICE") == "1"  # set by .ci/run
pytestmark = pytest.mark.skipif(
    (SOFFICE is None or not POPPLER) and not REQUIRED,
    reason="LibreOffice or poppler-utils is not installed",
)
A4 = {(595, 842), (842, 595)}  # points, portrait or landscape
FONTS = Path(__file__).parent / "fonts" / "fonts.conf"  # 公文 fonts → the Noto CJK faces
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _convert(files: list[Path], out: Path, profile: Path) -> subprocess.CompletedProcess[str]:
    assert SOFFICE is not None, "CI requires LibreOffice (soffice) but it is not installed"
    return subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "HOME": str(profile), "FONTCONFIG_FILE": str(FONTS)},
    )


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[: _page_count(pdf)]


def _info(pdf: Path) -> str:
    return subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout


def _page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _info(pdf), re.M).group(1))  # type: ignore[union-attr]


def _sizes(pdf: Path) -> set[tuple[int, int]]:
    found = re.findall(r"size:\s+([\d.]+) x ([\d.]+) pts", _info(pdf))
    return {(round(float(w)), round(float(h))) for w, h in found}


def _date(text: str) -> dt.date:
    return dt.date(*map(int, DATE.findall(text)[-1]))


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every document of two runs (a society year with feedback, a project programme),
    converted to PDF in one LibreOffice call."""
    tmp = tmp_path_factory.mktemp("lo")
    files: list[Path] = []
    for workbook, date in (
        (CASES / "small-year" / "input.xlsx", dt.date(2024, 12, 20)),
        (ROOT / "sample_data" / "sz-2022.xlsx", dt.date(2022, 12, 20)),
    ):
        result = api.score(workbook, api.ScoreOptions(out=tmp / "out", date=date))
        assert result.ok
        files += [Path(p) for p in result.outputs if p.endswith((".xlsx", ".docx"))]
    feedback = [f for f in files if f.parent.name.endswith("-反馈")]
    # one unit's letter and the combined letters stand for all the feedback
    files = [f for f in files if f not in feedback]
    files += [f for f in feedback if f.name in ("S05-戊学会.docx", "全部单位反馈.docx")]
    pdf = tmp / "pdf"
    done = _convert(files, pdf, tmp / "profile")
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr and "Error" not in done.stdout, done.stdout + done.stderr
    out = {}
    for f in files:
        target = pdf / f"{f.stem}.pdf"
        assert target.is_file(), f"{f.name} was not converted: {done.stdout} {done.stderr}"
        out[f.name] = target
    return out


def test_every_document_is_a4_without_hash_marks(converted: dict[str, Path]) -> None:
    assert len(converted) == 8  # 2 workbooks, 2 × (结果通报, 公示), 2 letters
    for name, pdf in converted.items():
        assert _sizes(pdf) <= A4 and _sizes(pdf), f"{name}: {_sizes(pdf)}"
        text = "".join(_pages(pdf))
        assert "###" not in text, f"{name} prints ### (a column too narrow for its number)"


def test_notices_number_every_page_and_name_every_unit(converted: dict[str, Path]) -> None:
    names = ["甲学会", "乙学会", "丙学会", "戊学会", "壬学会", "癸学会", "子学会"]
    for kind in ("结果通报", "公示"):
        pdf = converted[f"js-2024-society-2024-{kind}.docx"]
        pages = _pages(pdf)
        assert len(pages) >= 2  # the body and the 附件
        for n, page in enumerate(pages, start=1):
            assert re.search(rf"—\s*{n}\s*—", page), f"{kind} page {n} has no page number"
        text = "".join(pages)
        for name in names:
            assert name in text, f"{name} missing from the {kind}"
    letters = _pages(converted["全部单位反馈.docx"])
    assert sum(1 for p in letters if re.search(r"—\s*1\s*—", p)) == 11  # each unit from page 1


def test_results_notice_is_dated_after_the_public_notice(converted: dict[str, Path]) -> None:
    public = re.sub(r"\s+", "", "".join(_pages(converted["js-2024-society-2024-公示.docx"])))
    period = re.search(r"公示期为(\d{4}年\d+月\d+日)至(\d{4}年\d+月\d+日)", public)
    assert period is not None
    last = _date(period.group(2))
    notice = re.sub(r"\s+", "", "".join(_pages(converted["js-2024-society-2024-结果通报.docx"])))
    dated = _date(notice)  # the last date: the 成文日期 (the 附件 has none)
    assert dated > last and dated == Calendar().next_workday(last)
    assert (last, dated) == (dt.date(2024, 12, 26), dt.date(2024, 12, 27))


def test_public_notice_picture(converted: dict[str, Path], tmp_path: Path) -> None:
    """One page of the 公示 as a picture, for the README."""
    pdf = converted["js-2024-society-2024-公示.docx"]
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png"))
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 10_000
    if os.environ.get("KXASSESS_UPDATE_DOCS") == "1":
        shutil.copy(png, ROOT / "docs" / "公示示例.png")
