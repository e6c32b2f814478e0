"""The Ray engine (`--engine ray`, extra `govreport[ray]`): the same pipeline on Ray Data — the
documents to compute are read into a dataset, `map_batches` runs them on a pool of actors each
holding an extractor (built once per actor, in the actor's own worker process), and the driver writes
each record to the same journal as the local engine, in the same order (`preserve_order`), so both
engines write the same files.

On an existing cluster (`--ray-address`) every node needs govreport installed and the inputs on a
path it can read (a shared file system): a task names its file, it does not carry its bytes.
Each actor runs its documents in a worker process of its own (a one-worker pool of the local
engine), so the time limit and a crash cost only the document, with the same `timeout` and
`worker_crashed` records as on the local engine. An actor that dies itself is restarted by Ray,
which retries its batch.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator

import numpy as np

from govreport.batch.local import BatchObserver, IgnoreStarts, LocalEngine
from govreport.batch.worker import Outcome, Task, WorkerConfig

BLOCKS_PER_ACTOR = 8


class ExtractActor:
    """A Ray Data actor: a one-worker pool of the local engine, whose worker process builds the
    extractor once; each call extracts a batch of pickled tasks through it."""

    def __init__(self, config: WorkerConfig, doc_timeout: float | None):
        self.pool = LocalEngine(config, 1, doc_timeout)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        tasks = [pickle.loads(blob) for blob in batch["task"]]
        outcomes = [outcome for _, outcome in self.pool.run(iter(tasks), IgnoreStarts())]
        return {"position": batch["position"], "line": np.array([o.line for o in outcomes], dtype=object),
                "pages": np.array([o.pages for o in outcomes], dtype=np.int64)}


class RayEngine:
    def __init__(self, config: WorkerConfig, workers: int, doc_timeout: float | None, address: str | None):
        self.config = config
        self.workers = workers
        self.doc_timeout = doc_timeout
        self.address = address

    def __enter__(self) -> "RayEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        pass  # Ray is shut down by the run that started it

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
            items = [{"position": n, "task": pickle.dumps(t)} for n, t in enumerate(pending)]
            dataset = ray.data.from_items(items, override_num_blocks=min(len(items), self.workers * BLOCKS_PER_ACTOR))
            extracted = dataset.map_batches(ExtractActor, fn_constructor_args=(self.config, self.doc_timeout),
                                            batch_size=1, compute=ray.data.ActorPoolStrategy(size=self.workers),
                                            num_cpus=1)
            for row in extracted.iter_rows():
                yield pending[int(row["position"])], Outcome(str(row["line"]), int(row["pages"]))
        finally:
            if started_here:
                ray.shutdown()
