"""Score systems on benchmark documents: `score_predictions` for a JSONL someone else made,
`run_bench` to run our systems on a named set. Both give `{system: SystemScore}`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable

from eval.bench import BenchDocument, documents_with_gold, load_bench
from eval.metrics import Scored, SystemScore
from eval.systems import SystemRunner
from extraction.pipeline import ExtractOptions
from extraction.templates import Template


def _gold(document: BenchDocument) -> dict:
    return json.loads(document.gold.read_text(encoding="utf-8"))


def score_predictions(predictions: Path, gold_dir: Path, templates: dict[str, Template],
                      system: str = "predictions") -> tuple[dict[str, SystemScore], dict[str, dict]]:
    """Score a JSONL of output records against the gold labels of a folder. A gold document with
    no record counts every field wrong."""
    records = {}
    for line in predictions.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            records[Path(record["source"]).stem] = record
    score = SystemScore()
    golds = {}
    for document in documents_with_gold(gold_dir):
        gold = _gold(document)
        golds[document.doc_id] = gold
        score.update(Scored(document.doc_id, document.style, gold, records.get(document.doc_id), templates[gold["template"]]))
    return {system: score}, golds


def run_bench(name: str, templates: dict[str, Template], options: ExtractOptions, out: Path,
              log: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> tuple[dict[str, SystemScore], dict]:
    """Run every system on a benchmark set, write each system's records to OUT/NAME.SYSTEM.jsonl."""
    manifest, documents = load_bench(name)
    runner = SystemRunner(options, templates)
    scores = {system: SystemScore() for system in runner.systems}
    out.mkdir(parents=True, exist_ok=True)
    files = {system: (out / f"{name}.{system}.jsonl").open("w", encoding="utf-8") for system in runner.systems}
    golds = {}
    try:
        for number, document in enumerate(documents, start=1):
            gold = _gold(document)
            golds[document.doc_id] = gold
            template = templates[gold["template"]]
            runs = runner.run(document.path, template)
            for system, run in runs.items():
                scores[system].update(Scored(document.doc_id, document.style, gold, run.record, template, document.made))
                scores[system].speed.seconds += run.seconds
                scores[system].speed.pages += run.pages
                scores[system].speed.documents += 1
                files[system].write(json.dumps(run.record, ensure_ascii=False) + "\n")
            log(f"[{number}/{len(documents)}] {document.path.name}: {runs['full'].seconds:.1f} s")
    finally:
        for handle in files.values():
            handle.close()
    return scores, {"name": manifest.name, "description": manifest.description, "golds": golds}
