"""Labelled documents → word labels → windows, for training and for scoring a model.

A data folder holds documents with their gold `X.json` beside them (as `../shared/real-reports/`
does); factory folders also hold `X.tokens.json` and a `manifest.jsonl` naming each document's
style. Every form the ingest reads can be used.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from eval.bench import documents_with_gold
from extraction.ingest import IngestError, IngestOptions, Ingestor
from extraction.locate.rules import RuleBasedLocator
from extraction.locate.stream import stream_of
from extraction.model.labels import OUTSIDE, by_row, word_labels
from extraction.model.network import Window, windows
from extraction.model.rule_labels import rule_labels
from extraction.model.words import Word, vocabulary_form, words_of_stream, words_of_text
from extraction.templates import Template
from training.locator.align import document_spans

PHRASE_BANK = Path(__file__).resolve().parents[2] / "data" / "synth" / "phrases.yaml"


@dataclass
class LabelledDocument:
    doc_id: str
    style: str
    words: list[Word]
    labels: list[str]
    rule_labels: list[str]  # the rule-based locator's findings: the model's second input
    path: Path | None = None  # the document file; its gold is `gold_sha256` (the model card lists both)
    gold_sha256: str | None = None


def _styles(folder: Path) -> dict[str, str]:
    """Styles named by a factory manifest, by document id; other folders use the folder's name."""
    manifest = folder / "manifest.jsonl"
    if not manifest.exists():
        return {}
    entries = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {entry["id"]: entry["style"] for entry in entries}


def labelled_documents(folders: list[Path], templates: dict[str, Template], ingest: IngestOptions,
                       log: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> list[LabelledDocument]:
    ingestor = Ingestor(ingest)
    rules = RuleBasedLocator(templates)
    documents: list[LabelledDocument] = []
    for folder in folders:
        styles = _styles(folder)
        found = documents_with_gold(folder)
        started = time.monotonic()
        for number, item in enumerate(found, start=1):
            try:
                document = ingestor.ingest(item.path)
            except IngestError as exc:
                log(f"skipped {item.path}: {exc.code.value}: {exc.message}")
                continue
            gold_bytes = item.gold.read_bytes()
            gold = json.loads(gold_bytes.decode("utf-8"))
            tokens_file = item.path.with_name(f"{item.path.stem}.tokens.json")
            annotations = json.loads(tokens_file.read_text(encoding="utf-8")) if tokens_file.exists() else None
            stream = stream_of(document)
            words = words_of_stream(document, stream)
            spans = document_spans(document, stream, words, gold, templates[gold["template"]], annotations)
            documents.append(LabelledDocument(item.doc_id, styles.get(item.doc_id, folder.name), words,
                                              word_labels(words, [by_row(s) for s in spans]),
                                              rule_labels(words, rules.locate_stream(stream)), item.path,
                                              hashlib.sha256(gold_bytes).hexdigest()))
            if number % 25 == 0 or number == len(found):
                log(f"labelled {number}/{len(found)} documents of {folder} ({time.monotonic() - started:.0f} s)")
    return documents


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def vocabulary_forms(documents: list[LabelledDocument], templates: dict[str, Template], min_count: int) -> list[str]:
    """Word forms for the vocabulary: those seen `min_count` times in the training documents, and
    every word of the phrase bank and of the templates' printed labels."""
    counts = Counter(vocabulary_form(w) for d in documents for w in d.words)
    forms = [form for form, count in counts.most_common() if count >= min_count]
    texts = _strings(yaml.safe_load(PHRASE_BANK.read_text(encoding="utf-8")))
    texts += [label for t in templates.values() for table in t.tables
              for spec in (*table.rows, *table.columns, *table.row_groups, *table.column_groups) for label in spec.labels]
    texts += [title for t in templates.values() for section in t.sections for title in section.titles]
    forms += [vocabulary_form(w) for text in texts for w in words_of_text(text)]
    return list(dict.fromkeys(forms))


def without_some_rule_rows(labels: list[str], share: float, rng: random.Random) -> list[str]:
    """The rules' word labels with `share` of their rows (a row's label and values) and headings
    left out, as if the rules had missed them: so the model learns to place a row from its context."""
    keys = sorted({label[2:].split(".", 1)[1] for label in labels if label != OUTSIDE and "." in label})
    dropped = {key for key in keys if rng.random() < share}
    return [OUTSIDE if label != OUTSIDE and "." in label and label[2:].split(".", 1)[1] in dropped else label
            for label in labels]


def document_windows(model, document: LabelledDocument, rule_labels: list[str]) -> list[Window]:
    """`model`: a `LocatorModel` (its tokenizer, labels and window)."""
    return windows(model.tokenizer, document.words, [model.label_ids[label] for label in document.labels],
                   model.rule_ids(rule_labels), model.window)
