"""Live solve progress on stderr when it is a terminal: elapsed time, phase, best cost, bound.

Imports rich, `tengnuo.planner` (for the Progress type) and `cli.render` only.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from rich.console import Console, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

from tengnuo.cli.render import make_console
from tengnuo.planner import Progress, ProgressCallback

PROGRESS_DELAY_SECONDS = 1.0


class ProgressView:
    """Live solve progress on a terminal, shown once the solve has run `delay_seconds`.

    Called from the solving thread while rich's `Live` redraws from its own thread. The lock only
    guards starting and stopping the display; the redraw reads the latest report without it,
    because `Live.start` and `Live.stop` redraw synchronously and would otherwise deadlock.
    """

    def __init__(self, console: Console, delay_seconds: float = PROGRESS_DELAY_SECONDS) -> None:
        self._console = console
        self._delay_seconds = delay_seconds
        self._lock = threading.Lock()
        self._latest: Progress | None = None
        self._live: Live | None = None
        self._spinner = Spinner("dots", style="cyan")

    @property
    def showing(self) -> bool:
        return self._live is not None

    def __call__(self, progress: Progress) -> None:
        with self._lock:
            self._latest = progress
            if self._live is None and progress.elapsed_seconds >= self._delay_seconds:
                self._live = Live(
                    console=self._console, get_renderable=self._renderable, transient=True,
                    redirect_stdout=False, redirect_stderr=False,  # stdout may carry the JSON
                )
                self._live.start()

    def _renderable(self) -> RenderableType:
        self._spinner.update(text=progress_text(self._latest))  # one reference read: atomic
        return self._spinner

    def close(self) -> None:
        with self._lock:
            if self._live is not None:
                self._live.stop()
                self._live = None

    def __enter__(self) -> ProgressView:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def progress_text(progress: Progress | None) -> Text:
    """`solving 3.2 s  cp-sat: lateness  best 1,234  bound 1,100`."""
    if progress is None:
        return Text("solving")
    text = Text(f"solving {progress.elapsed_seconds:.1f} s  {progress.phase}")
    best = "-" if progress.best_cost is None else f"{progress.best_cost:,}"
    bound = "-" if progress.bound is None else f"{progress.bound:,}"
    return text.append(f"  best {best}  bound {bound}", style="dim")


@contextmanager
def solve_progress() -> Iterator[ProgressCallback | None]:
    """A progress callback drawing on stderr when it is a terminal; None when it is not."""
    if not sys.stderr.isatty():
        yield None
        return
    with ProgressView(make_console(stderr=True)) as view:
        yield view
