"""Files written by a second thread (kxassess/writing/filequeue.py): every file, the same
bytes as a plain write, and an error raised in the caller's thread, never lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kxassess.writing import filequeue
from kxassess.writing.filequeue import FileQueue


def test_every_file_written_with_its_bytes(tmp_path: Path) -> None:
    with FileQueue() as files:
        for n in range(500):  # more than the queue holds
            files.write(tmp_path / f"{n}.bin", bytes([n % 256]) * n)
        files.write_text(tmp_path / "信.md", "第一行\n第二行\n")
    assert len(list(tmp_path.iterdir())) == 501
    assert (tmp_path / "300.bin").read_bytes() == bytes([44]) * 300
    expected = "第一行\n第二行\n".replace("\n", os.linesep).encode("utf-8")
    assert (tmp_path / "信.md").read_bytes() == expected


def test_an_error_of_the_thread_reaches_the_caller(tmp_path: Path) -> None:
    missing = tmp_path / "不存在的文件夹" / "a.md"
    with pytest.raises(FileNotFoundError), FileQueue() as files:
        files.write(missing, b"x")
        for n in range(200):  # the error is raised at a later write or at the end
            files.write(tmp_path / f"{n}.bin", b"y")


def test_the_callers_error_wins_and_the_thread_stops(tmp_path: Path) -> None:
    queue = FileQueue()
    with pytest.raises(ValueError, match="渲染出错"), queue:
        queue.write(tmp_path / "不存在" / "a.md", b"x")
        raise ValueError("渲染出错")
    assert not queue._thread.is_alive()


def test_a_full_queue_waits_rather_than_growing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(filequeue, "DEPTH", 2)
    with FileQueue() as files:
        assert files._items.maxsize == 2
        for n in range(50):
            files.write(tmp_path / f"{n}.bin", b"z")
    assert len(list(tmp_path.iterdir())) == 50
