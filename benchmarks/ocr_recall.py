"""OCR recall of numeric cells on synthetic scans, and seconds per page.

For each synthetic scan (rendered at a fixed dpi, degraded as `govreport synth` does), every
printed value cell counts as found when a token whose text equals the printed digits lies at that
cell (its centre inside the cell text's box, a few pixels of slack). Seeds are the benchmark's own
(`ocr-bench:…`), never used by training.

    python benchmarks/ocr_recall.py --n 30 --dpi 150
    python benchmarks/ocr_recall.py --n 30 --dpi 120 150 200
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from extraction.ingest import IngestOptions, Ingestor
from extraction.ingest.text import normalise_token
from extraction.templates import load_templates
from training.synth.report import compose_report
from training.synth.styles.pdf import ScanOptions, render_scan
from training.synth.values import ValueOptions


def _at_cell(token, bbox, slack: float = 4.0) -> bool:
    x0, y0, x1, y1 = bbox
    cx, cy = (token.bbox[0] + token.bbox[2]) / 2, (token.bbox[1] + token.bbox[3]) / 2
    return x0 - slack <= cx <= x1 + slack and y0 - slack <= cy <= y1 + slack


def run(n: int, dpi: int, seed: int, workdir: Path) -> dict:
    templates = load_templates()
    ingestor = Ingestor(IngestOptions(dpi=dpi))
    found = total = pages = 0
    seconds: list[float] = []
    misses: list[str] = []
    for index in range(n):
        rng = random.Random(f"ocr-bench:{seed}:{dpi}:{index}")
        report = compose_report(rng, templates, ValueOptions())
        rendered = render_scan(report, rng, ScanOptions(dpi_range=(dpi, dpi)))
        path = workdir / f"scan_{dpi}_{index}.pdf"
        path.write_bytes(rendered.files[".pdf"])
        started = time.perf_counter()
        document = ingestor.ingest(path)
        elapsed = time.perf_counter() - started
        seconds.append(elapsed / max(1, len(document.pages)))
        pages += len(document.pages)
        by_page = {p.number: p.tokens for p in document.pages}
        for a in rendered.annotations:
            if a.kind != "value" or not a.text:
                continue
            total += 1
            printed = normalise_token(a.text)  # tokens carry normalised text: full-width digits and minus
            if any(t.text == printed and _at_cell(t, a.bbox) for t in by_page.get(a.page, [])):
                found += 1
            else:
                near = [t.text for t in by_page.get(a.page, []) if _at_cell(t, a.bbox)]
                misses.append(f"{index}:{a.key} printed {a.text!r}, read {near}")
        print(f"  dpi {dpi} doc {index + 1}/{n}: {len(document.pages)} pages, {elapsed:.1f} s", flush=True)
    return {"dpi": dpi, "docs": n, "pages": pages, "cells": total, "found": found,
            "recall": found / total if total else 0.0,
            "s_per_page_median": statistics.median(seconds), "s_per_page_mean": statistics.mean(seconds),
            "misses": misses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=30, help="scans per dpi")
    parser.add_argument("--dpi", type=int, nargs="+", default=[150])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show-misses", type=int, default=10, help="print this many missed cells per dpi")
    parser.add_argument("--dump-misses", type=Path, help="write every missed cell to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = [run(args.n, dpi, args.seed, Path(tmp)) for dpi in args.dpi]
    print(f"\n{'dpi':>5} {'docs':>5} {'pages':>6} {'cells':>7} {'found':>7} {'recall':>8} {'s/page (median)':>16} {'s/page (mean)':>14}")
    for r in results:
        print(f"{r['dpi']:>5} {r['docs']:>5} {r['pages']:>6} {r['cells']:>7} {r['found']:>7} {r['recall']:>8.2%} "
              f"{r['s_per_page_median']:>16.2f} {r['s_per_page_mean']:>14.2f}")
    for r in results:
        for miss in r["misses"][: args.show_misses]:
            print(f"  miss @{r['dpi']} dpi: {miss}")
    if args.dump_misses:
        args.dump_misses.write_text("\n".join(f"{r['dpi']}\t{m}" for r in results for m in r["misses"]), encoding="utf-8")


if __name__ == "__main__":
    main()
