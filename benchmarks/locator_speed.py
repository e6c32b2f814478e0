"""How long the model locator takes beside what it sits on: per flattened-text report, the rules
(its input) and the model (words, windows, network) in seconds; per scanned page, the model's time
as a share of the page's OCR time. Documents are ingested first and not counted.

    python benchmarks/locator_speed.py --model default --text-bench real-dev --scan-bench synth-scan-real --scan-n 6

Issue 9's targets: model ≤ 0.1 s per text report, ≤ 10 % of OCR time on a scanned page.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.bench import load_bench  # noqa: E402
from extraction.ingest import IngestError, IngestOptions, Ingestor  # noqa: E402
from extraction.locate.rules import RuleBasedLocator  # noqa: E402
from extraction.locate.stream import stream_of  # noqa: E402
from extraction.model.registry import InferenceOptions, LocatorModel  # noqa: E402
from extraction.model.rule_labels import rule_labels  # noqa: E402
from extraction.model.words import words_of_stream  # noqa: E402
from extraction.templates import load_templates  # noqa: E402


def _located_seconds(rules: RuleBasedLocator, model: LocatorModel, document) -> tuple[float, float, int]:
    """(rules s, model s, words) for one ingested document, as the model locator runs them."""
    started = time.perf_counter()
    stream = stream_of(document)
    ruled = rules.locate_stream(stream)
    ruled_s = time.perf_counter() - started
    started = time.perf_counter()
    words = words_of_stream(document, stream)
    model.predict(words, rule_labels(words, ruled))
    return ruled_s, time.perf_counter() - started, len(words)


def _quantiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"mean {statistics.mean(values):.3f} s, median {statistics.median(values):.3f} s, p95 {p95:.3f} s, max {ordered[-1]:.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default", help="locator model (name or folder)")
    parser.add_argument("--text-bench", default="real-dev", help="a set of text-layer documents ('' to skip)")
    parser.add_argument("--scan-bench", default="synth-scan-real", help="a set of scans ('' to skip)")
    parser.add_argument("--scan-n", type=int, default=6, help="scans taken evenly over the scan set")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    args = parser.parse_args()
    model = LocatorModel.load(args.model, InferenceOptions(threads=args.threads))
    rules = RuleBasedLocator(load_templates())
    ingestor = Ingestor(IngestOptions())
    if args.text_bench:
        _, documents = load_bench(args.text_bench)
        ingested = []
        for item in documents:
            try:
                ingested.append(ingestor.ingest(item.path))
            except IngestError:
                continue
        _located_seconds(rules, model, ingested[0])  # warm-up: not counted
        timings = [_located_seconds(rules, model, d) for d in ingested]
        print(f"{args.text_bench}: {len(timings)} documents, {statistics.mean(t[2] for t in timings):.0f} words each")
        print(f"  rules (the model's input): {_quantiles([t[0] for t in timings])}")
        print(f"  model (words + network):   {_quantiles([t[1] for t in timings])}")
    if args.scan_bench:
        _, documents = load_bench(args.scan_bench)
        chosen = documents[::max(1, len(documents) // args.scan_n)][:args.scan_n]
        ocr_s = model_s = 0.0
        pages = 0
        for item in chosen:
            started = time.perf_counter()
            document = ingestor.ingest(item.path)
            ocr_s += time.perf_counter() - started
            model_s += _located_seconds(rules, model, document)[1]
            pages += len(document.pages)
        print(f"{args.scan_bench}: {len(chosen)} scans, {pages} pages: ingest (render + OCR) {ocr_s / pages:.2f} s/page, "
              f"model {model_s / pages:.3f} s/page = {100 * model_s / ocr_s:.1f} % of ingest")


if __name__ == "__main__":
    main()
