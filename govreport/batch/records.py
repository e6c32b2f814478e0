"""The batch's additions to the spec's output record: the options fingerprint that, with the content
hash, says whether a document is already done; and the record as one JSONL line."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from enum import Enum
from pathlib import Path

from extraction.pipeline import ExtractOptions

FINGERPRINT_KEY = "options_fingerprint"


def options_fingerprint(options: ExtractOptions) -> str:
    """A digest of everything that changes a record: the extraction options, with the value model
    file by its content (not its path, which differs between checkouts)."""
    described = dataclasses.asdict(options)
    if options.value_model is not None:
        described["value_model"] = hashlib.sha256(options.value_model.read_bytes()).hexdigest()
    text = json.dumps(described, sort_keys=True, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _plain(value: object) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot describe {type(value).__name__} in an options fingerprint")


def record_line(record: dict, fingerprint: str) -> str:
    """The record as its JSONL line (newline included), with the options fingerprint added."""
    return json.dumps({**record, FINGERPRINT_KEY: fingerprint}, ensure_ascii=False) + "\n"
