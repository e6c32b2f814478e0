"""End-to-end scan extraction time against bare RapidOCR on the same pages (same process, one core's
worth of work at a time). Prints the ratio overall and per degradation style.

    python benchmarks/scan_overhead.py --bench synth-scan-real --n 12

"Bare" is what a user would run without us: each page rendered at the same dpi and read once by
RapidOCR with the models and parameters our engine uses. "End to end" is `Extractor.extract` on
the file: rendering, rectification, orientation, deskew, OCR, empty-cell re-reads, grids,
location and decoding.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.bench import load_bench  # noqa: E402
from extraction.ingest.ocr import RapidOcrEngine  # noqa: E402
from extraction.pipeline import ExtractOptions, Extractor  # noqa: E402
from extraction.templates import load_templates  # noqa: E402


def _pages(path: Path, dpi: int) -> list[np.ndarray]:
    pdf = pdfium.PdfDocument(str(path))
    return [np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB")) for page in pdf]


def measure_overhead(documents: list, options: ExtractOptions) -> dict[str, list[float]]:
    """Per style: [bare OCR seconds, end-to-end seconds, pages] over the documents (models loaded
    beforehand, not counted); one line per document on the way."""
    extractor = Extractor(options, load_templates())
    bare = RapidOcrEngine()
    extractor.extract(documents[0].path)  # loads the models: not counted
    bare.read(_pages(documents[0].path, options.ingest.dpi)[0])
    by_style: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for document in documents:
        pages = _pages(document.path, options.ingest.dpi)
        started = time.perf_counter()
        for page in pages:
            bare.read(page)
        bare_s = time.perf_counter() - started
        started = time.perf_counter()
        record = extractor.extract(document.path)
        full_s = time.perf_counter() - started
        totals = by_style[document.style]
        totals[0] += bare_s
        totals[1] += full_s
        totals[2] += len(pages)
        print(json.dumps({"document": document.doc_id, "pages": len(pages), "bare_s": round(bare_s, 2),
                          "end_to_end_s": round(full_s, 2), "ratio": round(full_s / bare_s, 3),
                          "status": record["status"]}), flush=True)
    return dict(by_style)


def print_overhead(by_style: dict[str, list[float]]) -> None:
    print(f"\n{'style':16s} {'pages':>5s} {'bare s/page':>11s} {'e2e s/page':>10s} {'ratio':>6s}")
    for style, (bare_s, full_s, pages) in sorted(by_style.items()):
        print(f"{style:16s} {pages:5d} {bare_s / pages:11.2f} {full_s / pages:10.2f} {full_s / bare_s:6.3f}")
    bare_total = sum(t[0] for t in by_style.values())
    full_total = sum(t[1] for t in by_style.values())
    pages = sum(t[2] for t in by_style.values())
    print(f"{'all':16s} {pages:5d} {bare_total / pages:11.2f} {full_total / pages:10.2f} {full_total / bare_total:6.3f}")


def evenly(documents: list, n: int) -> list:
    """n documents taken evenly over a set (every style of a set made in turn)."""
    step = max(1, len(documents) // n)
    return documents[::step][:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", default="synth-scan-real")
    parser.add_argument("--n", type=int, default=12, help="documents, taken evenly over the set")
    args = parser.parse_args()
    _, documents = load_bench(args.bench)
    print_overhead(measure_overhead(evenly(documents, args.n), ExtractOptions()))


if __name__ == "__main__":
    main()
