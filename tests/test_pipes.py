"""A reader that closes the pipe early (``kxassess score … | head -1``): the printing stops
quietly, the run goes on to the end and exits with its own code, the outputs are whole."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kxassess.cli import app
from kxassess.cli.pipes import PipeGuard

from .conftest import CASES, OUTPUT_KINDS, ROOT

JS = ROOT / "sample_data" / "2024.xlsx"  # 44 units, js-2024-society 2024
LYG = CASES / "lyg-county" / "input.xlsx"  # lyg-2018-county 2018


def _sets(out: Path) -> dict[str, list[str]]:
    """Per output prefix, what it published (hidden staging and lock files left out)."""
    found: dict[str, list[str]] = {}
    for prefix in ("js-2024-society-2024-", "lyg-2018-county-2018-"):
        found[prefix] = sorted(
            p.name[len(prefix) :] for p in out.iterdir() if p.name.startswith(prefix)
        )
    return found


def _no_leftovers(parent: Path) -> None:
    """No staging or replaced folder and no temporary file is left behind."""
    left = [
        p.name
        for p in parent.rglob(".*")
        if "kxassess-staging" in p.name or "kxassess-old" in p.name or p.name.endswith(".tmp")
    ]
    assert left == [], left


def _whole(out: Path) -> None:
    assert _sets(out) == {
        "js-2024-society-2024-": sorted(OUTPUT_KINDS),
        "lyg-2018-county-2018-": sorted(OUTPUT_KINDS),
    }
    letters = list((out / "js-2024-society-2024-反馈").iterdir())
    assert len(letters) == 2 * 44 + 1  # .md and .docx per unit, and all letters in one


def _runs(registry: Path) -> list[tuple[str, int]]:
    proc = subprocess.run(
        [sys.executable, "-m", "kxassess.cli", "runs", "--json", "--registry", str(registry)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [(r["scheme"], r["exit_code"]) for r in json.loads(proc.stdout)["runs"]]


def _score_args(tmp_path: Path, *workbooks: Path) -> list[str]:
    return [
        "score",
        *map(str, workbooks),
        "--out",
        str(tmp_path / "out"),
        "--registry",
        str(tmp_path / "kx.db"),
        "--date",
        "2024-12-16",
    ]


def test_head_1_takes_the_first_line_and_the_run_completes(tmp_path: Path) -> None:
    """The shell pipeline a member of staff types; with ``pipefail`` the status is ours."""
    args = " ".join(f"'{a}'" for a in _score_args(tmp_path, JS, LYG))
    proc = subprocess.run(
        ["bash", "-c", f"set -o pipefail; '{sys.executable}' -m kxassess.cli {args} | head -1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "组别\t排名\t单位编码\t单位名称\t总分\t等级\t升降\t荣誉\n"
    assert "Traceback" not in proc.stderr and "Broken pipe" not in proc.stderr
    # both workbooks scored and published, both runs recorded as successful
    assert "已写出 结果工作簿、结果通报、公示、问题清单 及 6 份反馈" in proc.stderr
    _whole(tmp_path / "out")
    _no_leftovers(tmp_path)
    assert _runs(tmp_path / "kx.db") == [("js-2024-society", 0), ("lyg-2018-county", 0)]


def test_reader_gone_before_any_output(tmp_path: Path) -> None:
    """Every write to stdout fails (``| true``): still exit 0, no message, whole outputs."""
    with (tmp_path / "stderr.txt").open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kxassess.cli", *_score_args(tmp_path, JS, LYG)],
            stdout=subprocess.PIPE,
            stderr=err,
        )
        assert proc.stdout is not None
        proc.stdout.close()  # the reader has gone before kxassess prints anything
        assert proc.wait(timeout=300) == 0
    stderr = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert "Traceback" not in stderr and "Broken pipe" not in stderr and "错误" not in stderr
    _whole(tmp_path / "out")
    _no_leftovers(tmp_path)


def test_a_blocked_run_keeps_exit_code_1(tmp_path: Path) -> None:
    """Input errors still exit 1 when nobody reads stdout: the code is the run's."""
    bad = tmp_path / "bad.xlsx"
    bad.write_text("单位编码,得分\n", encoding="utf-8")
    args = " ".join(f"'{a}'" for a in _score_args(tmp_path, JS, bad))
    proc = subprocess.run(
        ["bash", "-c", f"set -o pipefail; '{sys.executable}' -m kxassess.cli {args} | true"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "bad.xlsx" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "command", [["--help"], ["--version"], ["schemes"], ["scheme", "show", "js-2024-society"]]
)
def test_other_commands_stop_quietly(command: list[str]) -> None:
    proc = subprocess.run(
        [
            "bash",
            "-c",
            f"'{sys.executable}' -m kxassess.cli {' '.join(command)} | true; "
            'echo "${PIPESTATUS[0]}" >&2',
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stderr == "0\n"


class _ClosesAfterOneLine(io.TextIOBase):
    """A reader like ``head -1``: the first line goes through, every later write fails."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.lines = 0

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("text only")
        if self.lines >= 1 and text:
            raise BrokenPipeError(32, "Broken pipe")
        self.lines += text.count("\n")
        return int(self.stream.write(text))

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"


class _HeadRunner(CliRunner):
    @contextmanager
    def isolation(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        with super().isolation(*args, **kwargs) as streams:
            sys.stdout = _ClosesAfterOneLine(sys.stdout)
            yield streams


def test_cli_runner_head_1(tmp_path: Path) -> None:
    result = _HeadRunner().invoke(app, _score_args(tmp_path, JS, LYG))
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert result.stdout == "组别\t排名\t单位编码\t单位名称\t总分\t等级\t升降\t荣誉\n"
    assert "及 6 份反馈" in result.stderr  # the second workbook was scored after the break
    _whole(tmp_path / "out")


def test_guard_tells_text_from_bytes_after_the_break() -> None:
    """Click probes a stream with ``write(b"")`` to learn whether it takes bytes: the answer
    must stay the same once the reader has gone."""
    guard = PipeGuard(_ClosesAfterOneLine(io.StringIO()))
    with pytest.raises(TypeError):
        guard.write(b"")
    assert guard.write("一\n") == 2 and guard.write("二\n") == 2
    assert guard.reader_gone
    with pytest.raises(TypeError):
        guard.write(b"")
    guard.flush()
