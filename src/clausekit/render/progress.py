"""Build progress: a one-line bar on a terminal, one plain line per output otherwise
(CI logs keep every line, and carriage returns would garble them)."""

from __future__ import annotations

from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None, total: int) -> None:
        self.stream = stream
        self.total = total
        self.count = 0
        self.tty = bool(stream is not None and stream.isatty())

    def step(self, name: str, failed: bool = False) -> None:
        self.count += 1
        if self.stream is None:
            return
        status = "FAILED" if failed else "built"
        if self.tty:
            width = 24
            filled = width * self.count // max(self.total, 1)
            bar = "#" * filled + "." * (width - filled)
            self.stream.write(f"\r\x1b[K[{bar}] {self.count}/{self.total} {status} {name}")
        else:
            self.stream.write(f"[{self.count}/{self.total}] {status} {name}\n")
        self.stream.flush()

    def done(self) -> None:
        if self.stream is not None and self.tty and self.count:
            self.stream.write("\n")
            self.stream.flush()
