"""Standard output read by another program that stops early (``kxassess … | head``).

When the reader closes the pipe, a write fails with ``BrokenPipeError``; Click and rich
then end the run with exit code 1 and no message. A command line tool is expected to
stop printing quietly instead. kxassess goes one step further: the run itself goes on
(a second workbook is still scored, the registry and the outputs are complete, since all
of them were written before anything is printed about them), nothing more is printed on
the closed stream, and the exit code is the run's own: 0 when it scored, 1 when input
errors blocked it. A cron job therefore sees the same code with or without ``| head``."""

from __future__ import annotations

import os
import sys
from typing import Any


class _Reader:
    """Whether the reader of one stream has gone; shared by a text stream and its buffer."""

    gone = False


class PipeGuard:
    """A standard stream that writes until its reader has gone, then drops what follows.

    Every other attribute is the wrapped stream's, so rich and Click see the same
    encoding, ``isatty()`` and ``fileno()``. ``buffer`` (for bytes) is guarded too."""

    def __init__(self, stream: Any, reader: _Reader | None = None) -> None:
        self._stream = stream
        self._reader = reader or _Reader()

    @property
    def reader_gone(self) -> bool:
        return self._reader.gone

    def write(self, data: Any) -> int:
        try:
            if self._reader.gone:
                # nothing more is written, but text and bytes are told apart as before
                # (Click probes a stream with ``write(b"")``)
                self._stream.write(data[:0])
                return len(data)
            return int(self._stream.write(data))
        except BrokenPipeError:
            self._reader_left()
            return len(data)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._reader.gone:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._reader_left()

    @property
    def buffer(self) -> PipeGuard:
        return PipeGuard(self._stream.buffer, self._reader)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def _reader_left(self) -> None:
        """Point the stream's file descriptor at the null device, so that what is still
        buffered (flushed at exit) goes nowhere instead of failing again."""
        if self._reader.gone:
            return
        self._reader.gone = True
        try:
            fd = self._stream.fileno()
        except (AttributeError, OSError, ValueError):
            return  # not a file (a test's capture): nothing is buffered below it
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, fd)
        finally:
            os.close(devnull)


def guard_standard_streams() -> None:
    """Guard ``sys.stdout`` and ``sys.stderr`` (once; calling again changes nothing)."""
    if not isinstance(sys.stdout, PipeGuard) and sys.stdout is not None:
        sys.stdout = PipeGuard(sys.stdout)
    if not isinstance(sys.stderr, PipeGuard) and sys.stderr is not None:
        sys.stderr = PipeGuard(sys.stderr)
