"""One batch: plan the inputs, skip what the journal already holds, extract the rest on an engine,
append each record to the journal as it comes, then rebuild the tables from the journal.

    result = run_batch([Path("archive.zip")], ExtractOptions(), BatchOptions(out=Path("out")))
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from extraction.pipeline import ExtractOptions
from extraction.templates import load_templates
from govreport.batch.archives import ArchiveLimits
from govreport.batch.journal import Journal
from govreport.batch.local import BatchObserver, IgnoreStarts, LocalEngine
from govreport.batch.progress import BatchProgress
from govreport.batch.records import options_fingerprint, record_line
from govreport.batch.sources import Source, content_sha256, plan_sources
from govreport.batch.tables import JOURNAL_NAME, export_tables
from govreport.batch.worker import Task, WorkerConfig


class Engine(str, Enum):
    LOCAL = "local"  # worker processes on this machine
    RAY = "ray"  # Ray Data: an actor pool on a local Ray instance or an existing cluster


@dataclass(frozen=True)
class BatchOptions:
    out: Path
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    doc_timeout: float | None = 600.0  # seconds per document; None: no limit
    force: bool = False  # redo every document, starting a new journal
    engine: Engine = Engine.LOCAL
    ray_address: str | None = None  # an existing Ray cluster; None: a local Ray instance
    archive: ArchiveLimits = ArchiveLimits()


@dataclass(frozen=True)
class BatchResult:
    inputs: int
    ok: int
    computed: int  # extracted in this run
    reused: int  # already in the journal (or copied from a record of the same bytes)
    seconds: float
    dropped_tail: int  # bytes of a torn last line (a killed run) dropped from the journal


def run_batch(paths: list[Path], extract: ExtractOptions, options: BatchOptions,
              observer: BatchObserver = IgnoreStarts()) -> BatchResult:
    started = time.monotonic()
    sources = plan_sources(paths, options.archive)
    config = WorkerConfig(extract, options.archive, options_fingerprint(extract))
    options.out.mkdir(parents=True, exist_ok=True)
    statuses: dict[str, str] = {}
    computed = 0
    with (Journal(options.out / JOURNAL_NAME, fresh=options.force) as journal, BatchProgress(len(sources)) as progress,
          _engine(config, options) as engine):
        tasks = _tasks_to_compute(sources, journal, config, statuses, progress)
        for task, outcome in engine.run(tasks, observer):
            statuses[task.source.name] = journal.append(outcome.line).status
            progress.finished(task, outcome)
            computed += 1
        dropped_tail = journal.dropped_tail
    export_tables(options.out / JOURNAL_NAME, options.out, load_templates())
    ok = sum(1 for s in statuses.values() if s == "ok")
    return BatchResult(len(sources), ok, computed, len(sources) - computed, time.monotonic() - started, dropped_tail)


def _engine(config: WorkerConfig, options: BatchOptions):
    if options.engine is Engine.RAY:
        from govreport.batch.ray_engine import RayEngine

        return RayEngine(config, options.workers, options.doc_timeout, options.ray_address)
    return LocalEngine(config, options.workers, options.doc_timeout)


def _tasks_to_compute(sources: list[Source], journal: Journal, config: WorkerConfig, statuses: dict[str, str],
                      progress: BatchProgress) -> Iterator[Task]:
    """The sources still to extract; on the way, a source already done is passed over and
    one whose bytes and options match another source's record gets a copy of it under its own name."""
    for source in sources:
        sha256 = content_sha256(source, config.archive)
        done = journal.done(source.name, sha256, config.fingerprint)
        twin = None if done else journal.same_content(sha256, config.fingerprint)
        if done is None and twin is not None:
            done = journal.append(record_line({**twin, "source": source.name}, config.fingerprint))
        if done is not None:
            statuses[source.name] = done.status
            progress.skipped()
            continue
        yield Task(source, sha256)
