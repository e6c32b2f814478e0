"""The Ray engine (`--engine ray`, extra `govreport[ray]`): the same pipeline on Ray Data — the
documents to compute are read into a dataset, `map_batches` runs them on a pool of actors each
holding an extractor (built once per actor, as a local worker builds it), and the driver writes
each record to the same journal as the local engine, in the same order (`preserve_order`), so both
engines write the same files.

On an existing cluster (`--ray-address`) every node needs govreport installed and the inputs on a
path it can read (a shared file system): a task names its file, it does not carry its bytes.
A document still running after the time limit gets a `timeout` record: Ray runs an actor's calls
off its main thread, so a timer raises an exception in the thread running the document (between
Python steps: a C call in progress, one OCR pass, finishes first). A crashed actor is restarted by
Ray and its batch retried.
"""

from __future__ import annotations

import ctypes
import pickle
import threading
from collections.abc import Iterator

import numpy as np

from govreport.batch.local import BatchObserver
from govreport.batch.worker import DocumentRunner, Outcome, Task, WorkerConfig, failure

BLOCKS_PER_ACTOR = 8


class _TimeUp(BaseException):
    """Not an Exception: the pipeline's `except Exception` guards (which turn a failing stage into an
    `internal_error` record) must let it through."""


class _Deadline:
    """Raises _TimeUp in the thread running a document when its time is up, unless it finished first."""

    def __init__(self, thread_id: int):
        self.thread_id = thread_id
        self._lock = threading.Lock()
        self._finished = False

    def expire(self) -> None:
        with self._lock:
            if not self._finished:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread_id), ctypes.py_object(_TimeUp))

    def finish(self) -> None:
        with self._lock:
            self._finished = True


class ExtractActor:
    """A Ray Data actor: its runner is built once; each call extracts a batch of pickled tasks."""

    def __init__(self, config: WorkerConfig, doc_timeout: float | None):
        self.runner = DocumentRunner(config)
        self.doc_timeout = doc_timeout

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        outcomes = [self._run(pickle.loads(blob)) for blob in batch["task"]]
        return {"index": batch["index"], "line": np.array([o.line for o in outcomes], dtype=object),
                "pages": np.array([o.pages for o in outcomes], dtype=np.int64)}

    def _run(self, task: Task) -> Outcome:
        if self.doc_timeout is None:
            return self.runner.run(task.source)
        deadline = _Deadline(threading.get_ident())
        timer = threading.Timer(self.doc_timeout, deadline.expire)
        timer.start()
        try:
            try:
                return self.runner.run(task.source)
            finally:
                deadline.finish()
        except _TimeUp:
            return failure(task.source.name, task.sha256, "timeout",
                           f"no result within the time limit of {self.doc_timeout:g} s",
                           self.runner.config.fingerprint)
        finally:
            timer.cancel()


class RayEngine:
    def __init__(self, config: WorkerConfig, workers: int, doc_timeout: float | None, address: str | None):
        self.config = config
        self.workers = workers
        self.doc_timeout = doc_timeout
        self.address = address

    def run(self, tasks: Iterator[Task], observer: BatchObserver) -> Iterator[tuple[Task, Outcome]]:
        """Each task with its outcome, in task order. `observer` is not told of starts: Ray places the work."""
        import ray

        pending = list(tasks)
        if not pending:
            return
        started_here = not ray.is_initialized()
        if started_here:
            ray.init(address=self.address, include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
        try:
            context = ray.data.DataContext.get_current()
            context.execution_options.preserve_order = True
            context.enable_progress_bars = False
            items = [{"index": t.index, "task": pickle.dumps(t)} for t in pending]
            dataset = ray.data.from_items(items, override_num_blocks=min(len(items), self.workers * BLOCKS_PER_ACTOR))
            extracted = dataset.map_batches(ExtractActor, fn_constructor_args=(self.config, self.doc_timeout),
                                            batch_size=1, compute=ray.data.ActorPoolStrategy(size=self.workers),
                                            num_cpus=1)
            for row in extracted.iter_rows():
                yield pending[int(row["index"])], Outcome(str(row["line"]), int(row["pages"]))
        finally:
            if started_here:
                ray.shutdown()
