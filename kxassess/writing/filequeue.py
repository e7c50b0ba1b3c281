"""Many small files written by a second thread while the caller makes the next ones.

A national year writes two files per unit. Creating a file is work for the operating
system (up to a millisecond each on a busy disk), and Python lets another thread run
while a thread waits in such a call: so the letters are rendered on one core while
their files are created and written on the other. The queue is short, so memory does not
grow with the number of files, and the first error (a full disk, a folder made
read-only) stops the writing and is raised in the caller's thread, as if the caller had
written the file itself.
"""

from __future__ import annotations

import os
import queue
import threading
from contextlib import suppress
from pathlib import Path
from types import TracebackType

DEPTH = 64  # files waiting to be written, at most

_Item = tuple[Path, bytes] | None


class FileQueue:
    """``with FileQueue() as files: files.write(path, data)``: every file is written when
    the block ends without an error; on an error the writing stops and the error is
    raised (the caller's own error first)."""

    def __init__(self) -> None:
        self._items: queue.Queue[_Item] = queue.Queue(DEPTH)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kxassess-files", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._items.get()) is not None:
            if self._error is not None:
                continue  # drain: the caller learns of the error at its next write
            path, data = item
            try:
                path.write_bytes(data)
            except BaseException as exc:  # handed to the caller's thread
                self._error = exc

    def write(self, path: Path, data: bytes) -> None:
        self._raise()
        self._items.put((path, data))

    def write_text(self, path: Path, text: str) -> None:
        """As ``path.write_text(text, encoding="utf-8")`` writes it (the platform's line
        ends)."""
        if os.linesep != "\n":
            text = text.replace("\n", os.linesep)
        self.write(path, text.encode("utf-8"))

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def close(self) -> None:
        """Wait for every file; raise the first error met."""
        if self._thread.is_alive():
            self._items.put(None)
            self._thread.join()
        self._raise()

    def __enter__(self) -> FileQueue:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
            return
        with suppress(BaseException):  # the caller's error wins; the thread stops first
            self.close()
