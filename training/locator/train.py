"""`govreport train`: fit the locator model on labelled documents with HF `datasets` + `Trainer`.

From scratch, the vocabulary is built from the training documents and the phrase bank; with
`--init MODEL` training goes on from that model, with its vocabulary and labels (which must be
the templates' labels). Seeds are fixed (`TrainingOptions.seed`); the model, its tokenizer and
`training.json` (options, time, the documents trained on, loss curve, scores) and a model card
`README.md` listing them are written to `--out`.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from extraction.ingest import IngestOptions
from extraction.model.labels import label_names
from extraction.model.network import (IGNORED, ArchitectureOptions, build_network, make_tokenizer,
                                      write_vocabulary)
from extraction.model.registry import InferenceOptions, LocatorModel
from extraction.templates import Template
from training.locator.card import write_model_card
from training.locator.data import (LabelledDocument, document_windows, labelled_documents, vocabulary_forms,
                                   without_some_rule_rows)
from training.locator.options import DataOptions, TrainingOptions
from training.locator.score import score_documents


def _collate(rows: list[dict]):
    import torch

    width = max(len(row["input_ids"]) for row in rows)

    def padded(name: str, filler) -> torch.Tensor:
        return torch.tensor([row[name] + [filler] * (width - len(row[name])) for row in rows])

    return {"input_ids": padded("input_ids", 0), "bbox": padded("bbox", [0, 0, 0, 0]),
            "token_type_ids": padded("token_type_ids", 0), "labels": padded("labels", IGNORED),
            "rule_ids": padded("rule_ids", 0),
            "attention_mask": torch.tensor([[1] * len(r["input_ids"]) + [0] * (width - len(r["input_ids"])) for r in rows])}


def _initial_model(options: TrainingOptions, documents: list[LabelledDocument], labels: list[str],
                   templates: dict[str, Template], min_word_count: int) -> LocatorModel:
    inference = InferenceOptions(threads=options.threads)
    if options.init is not None:
        model = LocatorModel.load(options.init, inference)
        if model.labels != labels:
            raise ValueError(f"{options.init}: its labels are not the templates' labels; train from scratch")
        return model
    options.out.mkdir(parents=True, exist_ok=True)
    vocabulary = options.out / "vocab.txt"
    write_vocabulary(vocabulary_forms(documents, templates, min_word_count), vocabulary)
    tokenizer = make_tokenizer(vocabulary)
    network = build_network(len(tokenizer), labels, ArchitectureOptions(
        hidden_size=options.hidden_size, layers=options.layers, heads=max(1, options.hidden_size // 64),
        intermediate_size=4 * options.hidden_size, window=options.window), tokenizer.pad_token_id)
    return LocatorModel(network, tokenizer, inference)


def train(data: DataOptions, options: TrainingOptions, templates: dict[str, Template], ingest: IngestOptions,
          log: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> dict:
    import torch
    from datasets import Dataset
    from transformers import Trainer, TrainingArguments, set_seed

    torch.set_num_threads(options.threads)
    set_seed(options.seed)
    started = time.monotonic()
    documents = labelled_documents(data.data, templates, ingest, log)
    labelling_seconds = time.monotonic() - started
    labels = label_names(templates)
    model = _initial_model(options, documents, labels, templates, data.min_word_count)
    rng = random.Random(options.seed)
    rows = [{"input_ids": w.input_ids, "bbox": w.bbox, "token_type_ids": w.token_type_ids, "labels": w.labels,
             "rule_ids": w.rule_ids}
            for d in documents
            for w in document_windows(model, d, without_some_rule_rows(d.rule_labels, options.rule_dropout, rng))]
    log(f"{len(documents)} documents, {len(rows)} windows of ≤ {model.window} pieces, "
        f"vocabulary {len(model.tokenizer)}, {len(labels)} labels")
    arguments = TrainingArguments(
        output_dir=str(options.out / "checkpoints"), max_steps=options.max_steps,
        per_device_train_batch_size=options.batch_size, learning_rate=options.learning_rate,
        warmup_steps=round(options.warmup_ratio * options.max_steps), weight_decay=options.weight_decay,
        lr_scheduler_type="linear", logging_steps=options.logging_steps, save_strategy="no", eval_strategy="no",
        report_to=[], seed=options.seed, data_seed=options.seed, use_cpu=True, dataloader_num_workers=0,
        disable_tqdm=False)
    trainer = Trainer(model=model.network, args=arguments, train_dataset=Dataset.from_list(rows),
                      data_collator=_collate)
    fit_started = time.monotonic()
    trainer.train()
    fit_seconds = time.monotonic() - fit_started
    model.network.eval()
    shutil.rmtree(options.out / "checkpoints", ignore_errors=True)  # save_strategy="no": nothing kept there
    model.save(options.out)
    losses = [(entry["step"], entry["loss"]) for entry in trainer.state.log_history if "loss" in entry]
    summary = {"trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "data": [str(p) for p in data.data], "documents": len(documents), "windows": len(rows),
               "trained_on": [{"path": str(d.path), "style": d.style, "gold_sha256": d.gold_sha256} for d in documents],
               "options": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(options).items()},
               "labelling_seconds": round(labelling_seconds, 1), "training_seconds": round(fit_seconds, 1),
               "losses": losses}
    if data.eval_data:
        held_out = labelled_documents(data.eval_data, templates, ingest, log)
        summary["held_out"] = score_documents(model, held_out)
    (options.out / "training.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    write_model_card(options.out, summary)
    return summary
