"""The local engine: N worker processes, each building its extractor once and taking one document
at a time over its own pipe, so the parent always knows which document a worker holds.

A worker that dies (a segfault, the kernel's OOM killer, `kill -9`) costs only its document: the
document gets a `worker_crashed` record naming the signal, a new worker takes the dead one's place
and the batch goes on. A document still running after the time limit gets a `timeout` record; its
worker is killed and replaced. Results come back in the order of the tasks (a worker runs ahead of
the oldest unfinished document by at most a window of tasks, so memory stays bounded). The Ray
engine's actors run their documents through a one-worker pool of this engine, for the same time
limit and crash isolation.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Protocol

from govreport.batch.worker import DocumentRunner, Outcome, Task, WorkerConfig, failure

TASKS_AHEAD_PER_WORKER = 32
POLL_SECONDS = 1.0


class BatchObserver(Protocol):
    def started(self, task: Task, pid: int) -> None:
        """A worker process (`pid`) has been handed the task."""


class IgnoreStarts:
    """The observer of a batch nobody watches worker by worker."""

    def started(self, task: Task, pid: int) -> None:
        pass


@dataclass
class _Slot:
    process: BaseProcess
    conn: Connection
    ready: bool = False  # the worker has built its extractor: the time limit counts from here
    task: Task | None = None
    position: int = 0  # the task's place in the run that handed it out
    deadline: float = float("inf")


def _worker_main(conn: Connection, config: WorkerConfig) -> None:
    runner = DocumentRunner(config)
    conn.send(None)  # ready
    while True:
        try:
            task = conn.recv()
        except EOFError:  # the batch is over, or its process died: nothing more to do
            return
        conn.send(runner.run(task.source))


class LocalEngine:
    """A pool of worker processes, started on the first document and kept for every later `run`
    until `close` (a Ray actor keeps one worker for all its batches)."""

    def __init__(self, config: WorkerConfig, workers: int, doc_timeout: float | None):
        self.config = config
        self.workers = workers
        self.doc_timeout = doc_timeout
        self._context = multiprocessing.get_context("spawn")  # no inherited threads or models
        self._slots: list[_Slot] = []

    def __enter__(self) -> "LocalEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for slot in self._slots:
            self._stop(slot)
        self._slots = []

    def run(self, tasks: Iterator[Task], observer: BatchObserver) -> Iterator[tuple[Task, Outcome]]:
        """Each task with its outcome, in the order the tasks come."""
        numbered = enumerate(tasks)
        upcoming = next(numbered, None)
        if upcoming is not None and not self._slots:
            self._slots = [self._spawn() for _ in range(self.workers)]
        slots = self._slots
        finished: dict[int, tuple[Task, Outcome]] = {}
        next_position = 0
        while upcoming is not None or any(s.task for s in slots):
            upcoming = self._assign_idle(slots, upcoming, numbered, next_position, observer)
            busy = [s for s in slots if s.task is not None or not s.ready]
            nearest = min(s.deadline for s in busy) - time.monotonic()
            wait([s.conn for s in busy] + [s.process.sentinel for s in busy], max(0.0, min(POLL_SECONDS, nearest)))
            for slot in busy:
                if not slot.ready:
                    slot.ready = _started(slot)
                    continue
                task, position = slot.task, slot.position
                outcome = self._collect(slot, slots)
                if outcome is not None:
                    finished[position] = (task, outcome)
                    slot.task = None
            # Idle workers get their next document before the caller writes the records.
            upcoming = self._assign_idle(slots, upcoming, numbered, next_position, observer)
            while next_position in finished:
                yield finished.pop(next_position)
                next_position += 1

    def _assign_idle(self, slots: list[_Slot], upcoming: tuple[int, Task] | None, numbered: Iterator[tuple[int, Task]],
                     next_position: int, observer: BatchObserver) -> tuple[int, Task] | None:
        """Hands the next tasks to idle workers (not past the window ahead of the oldest unfinished
        one); returns the (position, task) still to hand out."""
        for slot in slots:
            if (slot.ready and slot.task is None and upcoming is not None
                    and upcoming[0] < next_position + TASKS_AHEAD_PER_WORKER * self.workers):
                slot.position, task = upcoming
                self._assign(slot, task, observer)
                upcoming = next(numbered, None)
        return upcoming

    def _spawn(self) -> _Slot:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child_end, self.config), daemon=True,
                                        name="govreport-batch-worker")
        process.start()
        child_end.close()
        return _Slot(process, parent_end)

    def _assign(self, slot: _Slot, task: Task, observer: BatchObserver) -> None:
        slot.task = task
        slot.deadline = time.monotonic() + self.doc_timeout if self.doc_timeout else float("inf")
        try:
            slot.conn.send(task)
        except OSError:  # the worker is already dead; _collect records it on this document
            return
        observer.started(task, slot.process.pid)

    def _collect(self, slot: _Slot, slots: list[_Slot]) -> Outcome | None:
        """The outcome of the slot's document if there is one now: its result, or the record of its
        worker's death or its time limit (the worker then replaced)."""
        task = slot.task
        if slot.conn.poll():
            try:
                return slot.conn.recv()
            except (EOFError, OSError):
                pass  # the worker died; its exit code says how
        if slot.process.is_alive() and time.monotonic() < slot.deadline:
            return None
        if slot.process.is_alive():
            code, message = "timeout", f"no result within the time limit of {self.doc_timeout:g} s; the worker was stopped"
        else:
            code, message = "worker_crashed", f"the worker process died while extracting this document ({_death(slot.process.exitcode)})"
        self._stop(slot)
        slots[slots.index(slot)] = self._spawn()
        return failure(task.source.name, task.sha256, code, message, self.config.fingerprint)

    @staticmethod
    def _stop(slot: _Slot) -> None:
        slot.conn.close()
        slot.process.join(timeout=0.5 if slot.task is None else 0)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join()


def _started(slot: _Slot) -> bool:
    """Whether the slot's new worker has said it is ready; a worker that dies before is a broken
    installation, not a bad document, and stops the batch."""
    if slot.conn.poll():
        try:
            return slot.conn.recv() is None
        except (EOFError, OSError):
            pass
    if not slot.process.is_alive():
        slot.process.join()
        raise RuntimeError(f"a worker process could not start ({_death(slot.process.exitcode)})")
    return False


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        return f"killed by {name}" + (" — out of memory, or killed by hand" if name == "SIGKILL" else "")
    return f"exit code {exitcode}"
