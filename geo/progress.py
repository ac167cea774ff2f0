"""What a long ingest shows while it runs: a rich progress line on stderr (articles, articles/s,
place mentions and events so far, failures) and problems printed above it as they happen.

Shown only when stderr is a terminal and not quiet; otherwise problems are plain lines on stderr
and nothing else is printed, so logs and pipes stay clean.
"""
from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from geo.pipeline import IngestReport, Problem


class IngestDisplay:
    """A context manager with `problem` and `progress` callbacks for `ingest_paths`."""

    def __init__(self, quiet: bool = False, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.live = not quiet and bool(getattr(self.stream, "isatty", lambda: False)())
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> IngestDisplay:
        if self.live:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(SpinnerColumn(), TextColumn("[bold]ingest[/]"), TextColumn("{task.description}"),
                                      TimeElapsedColumn(), console=Console(file=self.stream), transient=True)
            self._progress.start()
            self._task = self._progress.add_task("starting", total=None)
        return self

    def __exit__(self, typ: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def stop(self) -> None:
        """Remove the progress line (before a final message)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def problem(self, p: Problem) -> None:
        """Print one problem line now (above the progress line when there is one)."""
        if self._progress is not None:
            self._progress.console.print(p.line(), markup=False, highlight=False, soft_wrap=True)
        else:
            self.stream.write(p.line() + "\n")
            self.stream.flush()

    def progress(self, r: IngestReport) -> None:
        if self._progress is None:
            return
        done = r.new + r.updated + r.unchanged
        failed = f" · [red]{r.failed} failed[/]" if r.failed else ""
        rate = (r.articles + r.processing) / r.seconds if r.seconds > 0 else 0.0
        self._progress.update(self._task, description=(
            f"{done:,} articles stored or unchanged (+{r.processing:,} in this batch) · {rate:,.0f} articles/s · "
            f"{r.mentions:,} places · {r.events:,} events{failed}"))
