"""Progress of long work, reported to the caller: the library never prints.

A long task (loading a big graph, generating one, exporting or validating one) takes an
optional ``progress`` callback and calls it as ``progress(done, total)`` in the task's
own unit (bytes parsed, triples written, lines serialised, checks run), ``done`` never
decreasing and ``total`` fixed for the task. The command line turns the calls into a
progress bar on stderr when stderr is a terminal (see ``kgraph.cli``).
"""

from __future__ import annotations

import io
from collections.abc import Callable

#: ``progress(done, total)``: how far a task is, in its own unit.
Progress = Callable[[int, int], None]


class ReportingReader(io.RawIOBase):
    """``data`` as a binary stream that reports how much of it has been read: a parser
    that reads a file in blocks (pyoxigraph's) then drives a progress bar.

    ``offset`` and ``total`` place this stream in a larger task (several files):
    reports are ``progress(offset + read, total)``, at most about every 1 % of the
    total, so a bar costs nothing measurable."""

    def __init__(self, data: bytes, progress: Progress, *, offset: int = 0,
                 total: int | None = None) -> None:
        super().__init__()
        self._data = memoryview(data)
        self._position = 0
        self._progress = progress
        self._offset = offset
        self._total = total if total is not None else len(data)
        self._step = max(self._total // 100, 1 << 16)
        self._reported = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data[self._position:self._position + len(buffer)]
        size = len(chunk)
        buffer[:size] = chunk
        self._position += size
        if self._position - self._reported >= self._step or \
                (size == 0 and self._reported < self._position) or \
                self._position == len(self._data):
            self._reported = self._position
            self._progress(self._offset + self._position, self._total)
        return size


def report_every(progress: Progress | None, total: int, steps: int = 100):
    """A ``tick(done)`` that calls ``progress(done, total)`` about ``steps`` times over
    the task (and at its end), or does nothing when there is no ``progress``."""
    if progress is None:
        return lambda done: None
    step = max(total // steps, 1)
    last = [-step]

    def tick(done: int) -> None:
        if done - last[0] >= step or done >= total:
            last[0] = done
            progress(min(done, total), total)

    return tick
