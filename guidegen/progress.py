"""Progress on long builds (rich), quiet when not on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


class Progress:
    """A progress bar per stage on a terminal; nothing at all otherwise."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar = None
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                transient=True,
            )

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()

    def start(self, total: int, label: str) -> Callable[[], None]:
        """Begin a stage of total steps; return the function that advances it by one."""
        if self._bar is None or not total:
            return lambda: None
        bar = self._bar
        task = bar.add_task(label, total=total)
        return lambda: bar.advance(task)

    def track(self, items: Iterable[T], label: str) -> Iterator[T]:
        """Iterate over items, advancing a stage."""
        items = list(items)
        advance = self.start(len(items), label)
        for item in items:
            yield item
            advance()
