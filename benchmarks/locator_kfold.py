"""Retraining the locator from value labels, scored k-fold: train on k−1 folds of a labelled
folder (gold JSON beside each document) starting from a model, extract the held-out fold with the
retrained model in the locator slot and with the starting model, and print both field accuracies.

    python benchmarks/locator_kfold.py --data ../shared/real-reports/crawled --init models/default --folds 4
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from eval.bench import documents_with_gold
from eval.metrics import Scored, SystemScore
from extraction.ingest import IngestOptions
from extraction.pipeline import ExtractOptions, Extractor
from extraction.templates import load_templates
from training.locator.options import DataOptions, TrainingOptions
from training.locator.train import train


@dataclass(frozen=True)
class KFoldOptions:
    data: Path
    init: str
    folds: int
    max_steps: int
    out: Path


def _field_accuracy(model: str, documents, templates) -> tuple[float, float]:
    extractor = Extractor(ExtractOptions(model=model), templates)
    score = SystemScore()
    for document in documents:
        gold = json.loads(document.gold.read_text(encoding="utf-8"))
        score.update(Scored(document.doc_id, document.style, gold, extractor.extract(document.path),
                            templates[gold["template"]]))
    overall = score.fields.summary()["overall"]["all"]
    return overall["all"]["accuracy"], overall["non_zero"]["accuracy"]


def run(options: KFoldOptions) -> None:
    templates = load_templates()
    documents = documents_with_gold(options.data)
    for fold in range(options.folds):
        held_out = documents[fold::options.folds]
        with tempfile.TemporaryDirectory() as folder:
            for document in documents:
                if document not in held_out:
                    for path in (document.path, document.gold):
                        (Path(folder) / path.name).symlink_to(path.resolve())
            started = time.monotonic()
            model_dir = options.out / f"fold{fold}"
            summary = train(DataOptions(data=[Path(folder)]),
                            TrainingOptions(out=model_dir, init=options.init, max_steps=options.max_steps,
                                            batch_size=8, learning_rate=2e-4, logging_steps=5),
                            templates, IngestOptions(), log=lambda _: None)
            seconds = time.monotonic() - started
        before = _field_accuracy(options.init, held_out, templates)
        after = _field_accuracy(str(model_dir), held_out, templates)
        print(f"fold {fold}: trained on {summary['documents']} documents in {seconds:.0f} s "
              f"(loss {summary['losses'][0][1]:.3f} → {summary['losses'][-1][1]:.3f}); held out {len(held_out)}: "
              f"field accuracy all/non-zero {before[0]:.4f}/{before[1]:.4f} with {options.init} → "
              f"{after[0]:.4f}/{after[1]:.4f} retrained", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="folder of documents with gold X.json beside them")
    parser.add_argument("--init", default="default", help="the model retraining starts from (name or folder)")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--max-steps", type=int, default=60, help="training steps per fold")
    parser.add_argument("--out", type=Path, default=Path("out/kfold"), help="where the fold models go")
    args = parser.parse_args()
    run(KFoldOptions(args.data, args.init, args.folds, args.max_steps, args.out))


if __name__ == "__main__":
    main()
