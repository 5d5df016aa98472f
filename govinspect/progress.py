"""Progress of long operations: a live rich bar on a terminal, plain log lines when stderr is a file or a pipe."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

log = logging.getLogger("govinspect.progress")


def every_seconds() -> float:
    """Seconds between two plain progress lines (GOVINSPECT_PROGRESS_SECONDS, default 10)."""
    return float(os.environ.get("GOVINSPECT_PROGRESS_SECONDS", "10"))


def on_terminal() -> bool:
    """A person watching: stderr is a terminal that can redraw a line."""
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


class Heartbeat:
    """Off a terminal, a log line of `describe()` every few seconds while it runs, whether the work advances or
    not: a page that takes a minute, a check that reads 8,000 pages, still show that the program is alive."""

    def __init__(self, describe: Callable[[], str]):
        self.describe = describe
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "Heartbeat":
        if not on_terminal() and self._thread is None:
            self._thread = threading.Thread(target=self._beat, args=(every_seconds(),), name="progress", daemon=True)
            self._thread.start()
        return self

    def _beat(self, every: float) -> None:
        while not self._stopped.wait(every):
            log.info("%s", self.describe())

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> "Heartbeat":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def progress(label: str, total: int | None = None, *, unit: str = "", quiet: bool = False
             ) -> Iterator[Callable[[int], None]]:
    """Yields `advance(n=1)`. On a terminal a bar (a counter when `total` is unknown); otherwise a log line
    every few seconds (see `Heartbeat`) and one at the end. `quiet`: no plain lines, for work that logs its own."""
    if on_terminal():
        with _rich(label, total, unit) as advance:
            yield advance
        return
    done, started = 0, time.monotonic()

    def advance(n: int = 1) -> None:
        nonlocal done
        done += n

    def line() -> str:
        return (f"{label}: {done}{f'/{total}' if total else ''}{f' {unit}' if unit else ''}, "
                f"{time.monotonic() - started:.0f} s")

    if quiet:
        yield advance
        return
    with Heartbeat(line):
        yield advance
    log.info("%s: %d%s in %.1f s", label, done, f" {unit}" if unit else "", time.monotonic() - started)


@contextmanager
def _rich(label: str, total: int | None, unit: str) -> Iterator[Callable[[int], None]]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [SpinnerColumn(), TextColumn("{task.description}")]
    columns += [BarColumn(), MofNCompleteColumn()] if total else [TextColumn("{task.completed} " + unit)]
    bar = Progress(*columns, TimeElapsedColumn(), console=Console(stderr=True), transient=False)
    original = sys.stderr
    with bar:
        # Log handlers hold the stderr they were made with, and Progress replaced sys.stderr by a proxy that
        # prints above the bar: point the handlers at it, or each log line would break the bar.
        handlers = [h for h in logging.getLogger().handlers
                    if isinstance(h, logging.StreamHandler) and h.stream in (sys.__stderr__, original)]
        previous = [h.stream for h in handlers]
        for handler in handlers:
            handler.setStream(sys.stderr)
        task = bar.add_task(label, total=total)
        try:
            yield lambda n=1: bar.advance(task, n)
        finally:
            for handler, stream in zip(handlers, previous):
                handler.setStream(stream)
