"""`govreport train`'s options, read once from the command line and passed down. Kept apart from
the training code so the command line builds without importing the model stack."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class DataOptions:
    data: list[Path] = field(default_factory=list, metadata={
        "help": "folders of documents with gold X.json beside each (and X.tokens.json from `govreport synth`)"})
    eval_data: list[Path] = field(default_factory=list, metadata={
        "help": "held-out folders scored per style after training (never trained on)"})
    min_word_count: int = field(default=2, metadata={
        "help": "from scratch: a word joins the vocabulary when seen this often (else it reads as characters)"})


@dataclass(frozen=True)
class TrainingOptions:
    out: Path = field(default=Path("out/model"), metadata={"help": "folder for the trained model"})
    init: str | None = field(default=None, metadata={"help": "continue from this model (name or folder)"})
    max_steps: int = field(default=300, metadata={"help": "optimiser steps (batches)"})
    batch_size: int = field(default=8, metadata={"help": "windows per step"})
    learning_rate: float = field(default=5e-4, metadata={"help": "peak learning rate (AdamW, linear decay)"})
    warmup_ratio: float = field(default=0.06, metadata={"help": "share of steps warming the learning rate up"})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay"})
    seed: int = field(default=20261123, metadata={"help": "seed for weights, shuffling and dropout"})
    threads: int = field(default=1, metadata={"help": "torch CPU threads (the machine's cores are shared)"})
    logging_steps: int = field(default=10, metadata={"help": "log the loss every this many steps"})
    rule_dropout: float = field(default=0.2, metadata={
        "help": "share of the rules' rows and headings hidden from the model per document, so it learns to "
                "place a row the rules missed"})
    layers: int = field(default=3, metadata={"help": "from scratch: transformer layers"})
    hidden_size: int = field(default=128, metadata={
        "help": "from scratch: hidden width (heads: width / 64; feed-forward: 4 × width)"})
    window: int = field(default=256, metadata={"help": "from scratch: pieces per window (with [CLS]/[SEP])"})
