"""Progress of a gazetteer build: a rich bar that says what it is doing, and one line when done.

The bar is drawn only when standard error is a terminal (a build inside a pipeline or a test
stays quiet); the closing line ("gazetteer: 301,234 places, 912,345 names built in 41 s -> PATH")
is printed unless the caller asked for quiet, so a first run never sits silent for a minute.
"""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Iterator


class Progress:
    """Weighted steps of one build. ``with p.step("reading GeoNames cities", 8): ...``."""

    def __init__(self, total: float = 100.0, quiet: bool = False, title: str = "building the gazetteer") -> None:
        self.quiet = quiet
        self.title = title
        self._total = total
        self._bar = None
        self._task = None
        self._t0 = time.perf_counter()
        self.done_steps: list[tuple[str, float]] = []

    def __enter__(self) -> "Progress":
        if not self.quiet and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (BarColumn, Progress as Bar, SpinnerColumn, TextColumn,
                                       TimeElapsedColumn)

            self._bar = Bar(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                            TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                            console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self.title, total=self._total)
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    @contextmanager
    def step(self, what: str, weight: float = 1.0) -> Iterator[None]:
        """Show `what` while the block runs, then advance the bar by `weight`."""
        t0 = time.perf_counter()
        if self._bar is not None:
            self._bar.update(self._task, description=f"{self.title}: {what}")
        yield
        self.done_steps.append((what, time.perf_counter() - t0))
        if self._bar is not None:
            self._bar.advance(self._task, weight)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self._t0

    def finish(self, message: str) -> None:
        """The one closing line (to standard error)."""
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)


class Silent(Progress):
    """A Progress that never draws or prints (library calls that build as a side effect of tests)."""

    def __init__(self) -> None:
        super().__init__(quiet=True)
