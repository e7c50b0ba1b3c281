"""The results workbook and the Word notices open in a real client: LibreOffice converts
them to PDF headless. Runs where LibreOffice is installed (.ci/run installs it)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kxassess import api

from .conftest import CASES, ROOT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
REQUIRED = os.environ.get("KXASSESS_REQUIRE_LIBREOFFICE") == "1"  # set by .ci/run
pytestmark = pytest.mark.skipif(
    SOFFICE is None and not REQUIRED, reason="LibreOffice is not installed"
)


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
        timeout=300,
        check=False,
        env={**os.environ, "HOME": str(profile)},
    )


def test_outputs_convert_to_pdf(tmp_path: Path) -> None:
    files: list[Path] = []
    for workbook, date in (
        (CASES / "small-year" / "input.xlsx", dt.date(2024, 12, 20)),
        (ROOT / "sample_data" / "sz-2022.xlsx", dt.date(2022, 12, 20)),
    ):
        result = api.score(workbook, api.ScoreOptions(out=tmp_path / "out", date=date))
        assert result.ok
        files += [Path(p) for p in result.outputs if p.endswith((".xlsx", ".docx"))]
    assert len(files) == 6
    pdf = tmp_path / "pdf"
    done = _convert(files, pdf, tmp_path / "profile")
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr and "Error" not in done.stdout, done.stdout + done.stderr
    for f in files:
        target = pdf / f"{f.stem}.pdf"
        assert target.is_file(), f"{f.name} was not converted: {done.stdout} {done.stderr}"
        assert target.read_bytes().startswith(b"%PDF") and target.stat().st_size > 1000
