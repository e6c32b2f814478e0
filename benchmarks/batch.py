"""Batch throughput and memory: the local engine (`govreport extract`) on synthetic archives.
Prints, each as it is measured:

- documents/s for flattened-text reports with 1 and 2 workers (wall time of the whole batch: worker
  start-up, hashing, extraction, journal, tables);
- s/page for realistic scans (the archive-scan styles of `synth-scan-real`) on 2 workers, and
  end-to-end ÷ bare OCR time on the same pages (`scan_overhead.py`'s measure, one process);
- peak RSS per worker (VmHWM) in every run;
- a synthetic archive of many documents (one zip) with the RSS of the batch process and its
  workers over time, to show memory stays flat.

    nice -n 10 python benchmarks/batch.py --text-n 200 --scan-n 30 --archive-n 1000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.scan_overhead import evenly, measure_overhead, print_overhead  # noqa: E402
from eval.bench import CACHE_DIR, SyntheticSpec, load_bench, synthetic_documents  # noqa: E402
from extraction.pipeline import ExtractOptions  # noqa: E402
from govreport.batch.run import BatchOptions, run_batch  # noqa: E402
from govreport.batch.worker import Task  # noqa: E402

TEXT_STYLES = ["text_tabs", "text_pipes", "text_cells", "text_garbled"]
ARCHIVE_STYLES = ["text_tabs", "text_pipes", "text_cells", "text_garbled", "web", "markdown", "html"]


def _memory_kb(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class MemoryWatch:
    """Records the worker pids the engine reports, samples the RSS of the batch process and its
    workers every `interval` seconds, and keeps each worker's peak (VmHWM)."""

    def __init__(self, interval: float, echo: bool):
        self.interval = interval
        self.echo = echo
        self.workers: set[int] = set()
        self.peaks: dict[int, int] = {}
        self.samples: list[tuple[float, int, int]] = []  # (seconds, batch process RSS kB, workers' RSS kB)
        self._stop = threading.Event()
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def started(self, task: Task, pid: int) -> None:
        self.workers.add(pid)

    def __enter__(self) -> "MemoryWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            rss = {pid: _memory_kb(pid, "VmRSS") for pid in list(self.workers)}
            for pid in list(self.workers):
                peak = _memory_kb(pid, "VmHWM")
                if peak is not None:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), peak)
            sample = (time.monotonic() - self._started, _memory_kb(os.getpid(), "VmRSS") or 0,
                      sum(v for v in rss.values() if v))
            self.samples.append(sample)
            if self.echo:
                print(f"    t={sample[0]:6.0f} s  batch process {sample[1] / 1024:6.0f} MB  "
                      f"workers {sample[2] / 1024:6.0f} MB ({sum(1 for v in rss.values() if v)} alive)", flush=True)

    def peak_per_worker_mb(self) -> float:
        return max(self.peaks.values(), default=0) / 1024


def _run(paths: list[Path], workers: int, out: Path, watch: MemoryWatch, options: ExtractOptions = ExtractOptions()):
    with watch:
        result = run_batch(paths, options, BatchOptions(out=out, workers=workers, force=True), watch)
    return result


def text_throughput(n: int, work: Path, options: ExtractOptions) -> None:
    documents = synthetic_documents(SyntheticSpec(seed=930001, n=n, styles=TEXT_STYLES), CACHE_DIR / f"batch-text-{n}")
    paths = [d.path for d in documents]
    for workers in (1, 2):
        watch = MemoryWatch(0.5, echo=False)
        result = _run(paths, workers, work / f"text-{workers}", watch, options)
        locator = f"model {options.model}" if options.model else "rules"
        print(f"text x{len(paths)}, {workers} worker(s), locator {locator}: {len(paths) / result.seconds:.2f} documents/s "
              f"({result.seconds:.1f} s wall, {result.ok} ok); peak RSS per worker {watch.peak_per_worker_mb():.0f} MB",
              flush=True)


def scan_speed(n: int, work: Path) -> None:
    import pypdfium2 as pdfium

    _, documents = load_bench("synth-scan-real")
    chosen = evenly(documents, n)
    pages = sum(len(pdfium.PdfDocument(str(d.path))) for d in chosen)
    watch = MemoryWatch(1.0, echo=False)
    result = _run([d.path for d in chosen], 2, work / "scans", watch)
    print(f"scans x{len(chosen)} ({pages} pages), 2 workers: {result.seconds / pages:.2f} s/page wall "
          f"({result.seconds:.0f} s, {result.ok} ok); peak RSS per worker {watch.peak_per_worker_mb():.0f} MB", flush=True)
    print("end-to-end ÷ bare OCR on the same pages (one process):", flush=True)
    print_overhead(measure_overhead(chosen, ExtractOptions()))


def archive_memory(n: int, work: Path) -> None:
    documents = synthetic_documents(SyntheticSpec(seed=930002, n=n, styles=ARCHIVE_STYLES), CACHE_DIR / f"batch-archive-{n}")
    archive = work / f"archive-{n}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for document in documents:
            zipped.write(document.path, f"reports/{document.path.name}")
    print(f"archive of {len(documents)} documents ({archive.stat().st_size / 1e6:.1f} MB zipped), 2 workers; RSS over time:",
          flush=True)
    watch = MemoryWatch(2.0, echo=True)
    result = _run([archive], 2, work / "archive", watch)
    quarter = max(1, len(watch.samples) // 4)
    first, last = watch.samples[:quarter], watch.samples[-quarter:]
    mean = lambda rows, i: sum(r[i] for r in rows) / len(rows) / 1024  # noqa: E731
    print(f"archive x{result.inputs}: {result.inputs / result.seconds:.2f} documents/s ({result.seconds:.0f} s, "
          f"{result.ok} ok); batch process RSS first quarter {mean(first, 1):.0f} MB → last quarter {mean(last, 1):.0f} MB; "
          f"workers {mean(first, 2):.0f} MB → {mean(last, 2):.0f} MB; peak per worker {watch.peak_per_worker_mb():.0f} MB",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text-n", type=int, default=200, help="flattened-text reports (0: skip)")
    parser.add_argument("--scan-n", type=int, default=30, help="archive scans, taken evenly over synth-scan-real (0: skip)")
    parser.add_argument("--archive-n", type=int, default=1000, help="documents in the synthetic archive (0: skip)")
    parser.add_argument("--model", default=None, help="text throughput with this locator model in the slot (default: rules)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govreport-batch-bench-") as work:
        if args.text_n:
            text_throughput(args.text_n, Path(work), ExtractOptions(model=args.model))
        if args.scan_n:
            scan_speed(args.scan_n, Path(work))
        if args.archive_n:
            archive_memory(args.archive_n, Path(work))


if __name__ == "__main__":
    main()
