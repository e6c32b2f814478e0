"""The batch's progress bar (rich, on stderr): documents done of all, documents/s and pages/s over
the documents computed in this run (not those already done), and the time left at that rate.
Error records are printed above the bar as they come."""

from __future__ import annotations

import json
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from govreport.batch.worker import Outcome, Task


class BatchProgress:
    def __init__(self, total: int, console: Console | None = None):
        self.total = total
        self.computed = 0
        self.pages = 0
        self.errors = 0
        self._started = time.monotonic()
        self._progress = Progress(TextColumn("extract"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("{task.fields[rates]}"), TimeElapsedColumn(),
                                  console=console or Console(stderr=True))
        self._task = self._progress.add_task("extract", total=total, rates="")

    def __enter__(self) -> "BatchProgress":
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def skipped(self) -> None:
        """A document already in the journal, or copied from its twin's record."""
        self._progress.advance(self._task)

    def finished(self, task: Task, outcome: Outcome) -> None:
        self.computed += 1
        self.pages += outcome.pages
        record = json.loads(outcome.line)
        if record["status"] != "ok":
            self.errors += 1
            self._progress.console.print(f"{task.source.name}: error {record['error']['code']}: "
                                         f"{record['error']['message']}", markup=False, highlight=False)
        self._progress.advance(self._task)
        self._progress.update(self._task, rates=self.rates())

    def rates(self) -> str:
        elapsed = max(time.monotonic() - self._started, 1e-9)
        per_second = self.computed / elapsed
        left = self.total - self._progress.tasks[0].completed
        eta = f"{left / per_second:.0f} s" if per_second > 0 else "?"
        return f"{per_second:.2f} docs/s · {self.pages / elapsed:.2f} pages/s · ETA {eta}"
