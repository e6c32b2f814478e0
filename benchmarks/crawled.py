"""Crawled web text: field accuracy, source breaks, decode time and the glued splits' calibration.

    python benchmarks/crawled.py [--folder ../shared/real-reports/crawled] [--labelled ../shared/real-reports]
                                 [--bench synth-web]

For each real crawled report the value model is **refitted without that report** (leave-one-out:
the factory's values plus every other labelled report under `--labelled`), so nothing learned has
seen the report it scores. Printed: field accuracy (all / non-zero gold), documents perfect, source
breaks right per document, the decode-time distribution (decoder alone, after ingest and location),
and, over glued rows that the print allows to split more than one way, the share read right and
how their confidence (the row's least field confidence) is calibrated. `--bench` adds a synthetic
benchmark set (decoded with the shipped model: the factory's benchmark seeds are not training's).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from eval.bench import BenchDocument, documents_with_gold, load_bench
from eval.metrics import values_equal
from extraction.decode.decoder import Priors, decode
from extraction.decode.narrative import narrative_statements
from extraction.decode.value_model import DEFAULT_MODEL_PATH
from extraction.pipeline import ExtractOptions, Extractor, document_text
from extraction.templates import load_templates
from training.value_model.train import FitOptions, factory_counts, fit, labelled_reports

REPO = Path(__file__).resolve().parents[1]
CONFIDENCE_BINS = (0.0, 0.5, 0.8, 0.95, 0.99, 1.0001)


@dataclass
class Tally:
    fields: int = 0
    right: int = 0
    nonzero: int = 0
    nonzero_right: int = 0
    perfect: int = 0
    documents: int = 0
    breaks_right: int = 0
    decode_ms: list[float] = field(default_factory=list)
    splits: list[tuple[float, bool]] = field(default_factory=list)  # (row confidence, row right)
    wrong: list[str] = field(default_factory=list)


def score(document: BenchDocument, extractor: Extractor, tally: Tally) -> None:
    gold = json.loads(document.gold.read_text(encoding="utf-8"))
    extraction = extractor.run(document.path)
    record, located = extraction.record, extraction.located
    tally.documents += 1
    if located is not None and record["status"] == "ok":
        statements = narrative_statements(document_text(extractor.ingestor.ingest(document.path)), located.template)
        priors = Priors(extractor.value_model, statements)
        started = time.perf_counter()
        decoded = decode(located.template, located.rows, extractor.options.decoder, priors)
        tally.decode_ms.append(1000 * (time.perf_counter() - started))
        for keys in decoded.ambiguous_splits:
            right = all(values_equal(decoded.fields[k].value, gold["fields"].get(k)) for k in keys)
            tally.splits.append((min(decoded.fields[k].confidence for k in keys), right))
    predicted = record.get("fields", {})
    wrong = [k for k, v in gold["fields"].items() if not values_equal((predicted.get(k) or {}).get("value"), v)]
    tally.fields += len(gold["fields"])
    tally.right += len(gold["fields"]) - len(wrong)
    nonzero = [k for k, v in gold["fields"].items() if v not in (None, 0)]
    tally.nonzero += len(nonzero)
    tally.nonzero_right += sum(1 for k in nonzero if k not in wrong)
    tally.perfect += not wrong
    breaks = sorted(c["identity"] for c in record.get("checks", []) if c["source_breaks"])
    tally.breaks_right += breaks == sorted(gold["source_breaks"])
    tally.wrong += [f"{document.doc_id}: {k} gold {gold['fields'][k]!r}, read {(predicted.get(k) or {}).get('value')!r}"
                    for k in wrong]
    if breaks != sorted(gold["source_breaks"]):
        tally.wrong.append(f"{document.doc_id}: breaks {breaks}, gold {sorted(gold['source_breaks'])}")


def report(name: str, tally: Tally) -> None:
    print(f"\n== {name}: {tally.documents} documents")
    print(f"field accuracy: {100 * tally.right / tally.fields:.2f} % of {tally.fields} "
          f"(non-zero gold: {100 * tally.nonzero_right / max(tally.nonzero, 1):.2f} % of {tally.nonzero})")
    print(f"documents perfect: {tally.perfect}/{tally.documents}; source breaks right: {tally.breaks_right}/{tally.documents}")
    times = sorted(tally.decode_ms)
    if times:
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"decode time per document (ms): median {statistics.median(times):.1f}, p95 {p95:.1f}, "
              f"max {times[-1]:.1f}; all: {', '.join(f'{t:.0f}' for t in times)}")
    right = sum(ok for _, ok in tally.splits)
    print(f"glued rows with more than one possible split: {len(tally.splits)}, read right {right}"
          + (f" ({100 * right / len(tally.splits):.1f} %)" if tally.splits else ""))
    for low, high in zip(CONFIDENCE_BINS, CONFIDENCE_BINS[1:]):
        in_bin = [(c, ok) for c, ok in tally.splits if low <= c < high]
        if in_bin:
            print(f"  confidence [{low:.2f}, {min(high, 1):.2f}): {len(in_bin)} rows, mean confidence "
                  f"{statistics.mean(c for c, _ in in_bin):.3f}, right {100 * sum(ok for _, ok in in_bin) / len(in_bin):.1f} %")
    for line in tally.wrong[:20]:
        print("  wrong:", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=REPO.parent / "shared" / "real-reports" / "crawled")
    parser.add_argument("--labelled", type=Path, default=REPO.parent / "shared" / "real-reports")
    parser.add_argument("--bench", nargs="*", default=[])
    args = parser.parse_args()
    templates = load_templates()
    options = FitOptions()
    factory = factory_counts(templates, options)
    labelled = labelled_reports(args.labelled)
    tally = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        for document in documents_with_gold(args.folder):
            held_out = fit(templates, [r for r in labelled if r.name != document.doc_id], options, factory)
            model_path = Path(tmp) / f"{document.doc_id}.json"
            model_path.write_text(json.dumps(held_out), encoding="utf-8")
            score(document, Extractor(ExtractOptions(value_model=model_path), templates), tally)
    report(f"{args.folder} (value model refitted leave-one-out)", tally)
    for bench in args.bench:
        _, documents = load_bench(bench)
        extractor = Extractor(ExtractOptions(value_model=DEFAULT_MODEL_PATH), templates)
        bench_tally = Tally()
        for document in documents:
            score(document, extractor, bench_tally)
        report(f"{bench} (shipped value model)", bench_tally)


if __name__ == "__main__":
    main()
