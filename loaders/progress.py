"""A progress bar for long loads, drawn only on a terminal."""

from __future__ import annotations

import sys
from typing import TextIO


class ProgressBar:
    """Call as progress(collection, done, total); draws on `stream` if it is a terminal."""

    width = 30

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.enabled = stream.isatty()

    def __call__(self, collection: str, done: int, total: int) -> None:
        if not self.enabled or not total:
            return
        filled = self.width * done // total
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if done >= total else ""
        self.stream.write(f"\r{collection:<10} [{bar}] {done}/{total}{end}")
        self.stream.flush()
