"""Progress for long runs: a rich bar on a terminal, nothing otherwise.

A ``Bar`` is a callable ``bar(n)`` that stages call as work finishes. Stages that know their
total call ``bar.start(total, label)`` first (the analysis after reading, the writers once
briefs are built), which opens a fresh bar for that stage. The bar stays silent with
``--quiet``, when stderr is not a terminal, or for short stages (fewer than ``min_total``).
"""
from __future__ import annotations

import sys


class Bar:
    def __init__(self, quiet: bool = False, min_total: int = 20, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = not quiet and _isatty(self.stream)
        self.min_total = min_total
        self._progress = None
        self._task = None
        self.done = 0

    def start(self, total: int, label: str = "") -> None:
        self.stop()
        self.done = 0
        if not self.enabled or total < self.min_total:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(file=self.stream), transient=True,
        )
        self._task = self._progress.add_task(label or "Working", total=total)
        self._progress.start()

    def __call__(self, n: int = 1) -> None:
        self.done += n
        if self._progress is not None:
            self._progress.advance(self._task, n)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
            self._task = None

    def __enter__(self) -> "Bar":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
