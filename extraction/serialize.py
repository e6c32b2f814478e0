"""The document model as JSON (for `govreport ingest` and debugging); empty slots left out."""

from __future__ import annotations

from dataclasses import asdict

from extraction.document import Document


def _without_nones(value):
    if isinstance(value, dict):
        return {k: _without_nones(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nones(v) for v in value]
    return value


def document_to_json(document: Document) -> dict:
    return _without_nones(asdict(document))
