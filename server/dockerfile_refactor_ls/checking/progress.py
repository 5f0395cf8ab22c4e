"""A progress bar on standard error, for runs long enough to wonder about."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    """Shows ``[#####     ] 412/798 files`` once a run has taken ``delay`` seconds, only when the
    stream is a terminal, and erases itself at the end."""

    def __init__(self, total: int, stream: TextIO, enabled: bool, delay: float = 2.0) -> None:
        self.total = total
        self.stream = stream
        self.enabled = enabled and total > 1 and _isatty(stream)
        self.start = time.monotonic()
        self.delay = delay
        self.done = 0
        self._shown = False
        self._last = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < self.delay or now - self._last < 0.1:
            return
        self._last = now
        width = 30
        filled = int(width * self.done / max(1, self.total))
        rate = self.done / max(1e-9, now - self.start)
        self.stream.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {self.done:,}/{self.total:,} files, {rate:,.0f}/s")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._shown = False


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
