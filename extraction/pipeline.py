"""The extraction pipeline: ingest → locate → decode → one output record (the spec's JSONL line).

    extractor = Extractor(ExtractOptions(), load_templates())
    record = extractor.extract(Path("report.pdf"))

Every input gets a record: a file that cannot be read becomes `status: "error"` with the ingest
error's code; an unexpected failure inside a stage becomes `internal_error` with its message, and
the batch goes on.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from extraction.decode.decoder import Decoded, DecoderOptions, Priors, decode
from extraction.decode.narrative import narrative_statements
from extraction.decode.value_model import DEFAULT_MODEL_PATH, load_value_model
from extraction.document import Document
from extraction.ingest import IngestError, IngestOptions, Ingestor
from extraction.locate.rules import Located, RuleBasedLocator
from extraction.model.registry import InferenceOptions
from extraction.templates import Template


@dataclass(frozen=True)
class ExtractOptions:
    ingest: IngestOptions = field(default_factory=IngestOptions)
    decoder: DecoderOptions = field(default_factory=DecoderOptions)
    value_model: Path | None = DEFAULT_MODEL_PATH  # the decoder's learned value prior; None: without one
    model: str | None = None  # a locator model (name or folder) for the locator slot; None: the rules
    inference: InferenceOptions = field(default_factory=InferenceOptions)


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def error_record(source: str, sha256: str | None, code: str, message: str) -> dict:
    return {"source": source, "sha256": sha256, "status": "error", "error": {"code": code, "message": message},
            "template": None, "agency": None, "year": None, "sections": [], "fields": {}, "checks": [], "warnings": []}


def output_record(source: str, sha256: str, located: Located, decoded: Decoded, warnings: list[str]) -> dict:
    return {
        "source": source,
        "sha256": sha256,
        "status": "ok",
        "error": None,
        "template": located.template.id,
        "agency": located.agency,
        "year": located.year,
        "sections": [{"number": s.number, "title": s.title, "canonical": s.canonical, "page": s.page, "offset": s.offset}
                     for s in located.sections],
        "fields": {key: {"value": f.value, "text": f.text, "confidence": f.confidence, "repaired": f.repaired,
                         "page": f.page, "bbox": list(f.bbox) if f.bbox else None, "offset": f.offset}
                   for key, f in decoded.fields.items()},
        "checks": [{"identity": c.identity, "holds": c.holds, "source_breaks": c.source_breaks} for c in decoded.checks],
        "warnings": warnings,
    }


class Locator(Protocol):
    """The locator slot: the rule-based locator or the model-based one."""

    def locate(self, document: Document) -> Located: ...


@dataclass
class Extraction:
    """One input's way through the pipeline: its output record, and what the stages made on the way
    (None past the stage that failed) — the evaluation's baselines reuse them."""

    record: dict
    pages: int = 0
    located: Located | None = None
    located_seconds: float = 0.0  # ingest and location, before decoding
    document: Document | None = None
    ingest_seconds: float = 0.0


def document_text(document: Document) -> str:
    """The whole text, narrative included: as decoded for text inputs, else the tokens line by line."""
    if document.text is not None:
        return document.text
    return "\n".join(line.text for page in document.pages for line in page.lines)


def no_tables_message(located: Located) -> str:
    found = []
    if located.agency or located.year:
        found.append(f"a title ({located.agency or '?'}, {located.year or '?'})")
    if located.sections:
        found.append(f"{len(located.sections)} section heading(s): " + ", ".join(s.number + "、" + s.title for s in located.sections))
    labels = sum(1 for r in located.rows if r.printed)
    if labels:
        found.append(f"{labels} table row label(s) without values")
    return "no statistics table located; found " + ("; ".join(found) or "nothing else")


class Extractor:
    """The product pipeline. Its locator slot holds the rule-based locator unless a trained locator
    model is given (`ExtractOptions.model`)."""

    def __init__(self, options: ExtractOptions, templates: dict[str, Template]):
        self.options = options
        self.ingestor = Ingestor(options.ingest)
        self.value_model = load_value_model(options.value_model) if options.value_model is not None else None
        if options.model is None:
            self.locator = RuleBasedLocator(templates)
        else:
            from extraction.locate.model import ModelLocator
            from extraction.model.registry import LocatorModel

            self.locator = ModelLocator(LocatorModel.load(options.model, options.inference), templates)

    def extract(self, path: Path) -> dict:
        return self.run(path).record

    def run(self, path: Path) -> Extraction:
        source = str(path)
        started = time.perf_counter()
        try:
            document = self.ingestor.ingest(path)
        except IngestError as exc:
            return Extraction(error_record(source, _sha256(path), exc.code.value, exc.message))
        return self._finish_ingested(source, document, started)

    def run_data(self, source: str, data: bytes) -> Extraction:
        """A document held in memory (an archive's member), named `source` in its record."""
        started = time.perf_counter()
        try:
            document = self.ingestor.ingest_data(source, data)
        except IngestError as exc:
            return Extraction(error_record(source, hashlib.sha256(data).hexdigest(), exc.code.value, exc.message))
        return self._finish_ingested(source, document, started)

    def _finish_ingested(self, source: str, document: Document, started: float) -> Extraction:
        ingest_seconds = time.perf_counter() - started
        extraction = self.finish(source, document, self.locator, started)
        extraction.ingest_seconds = ingest_seconds
        return extraction

    def finish(self, source: str, document: Document, locator: Locator, started: float) -> Extraction:
        """Locate (with the given locator: the evaluation also runs the baseline's) and decode an
        ingested document."""
        pages = len(document.pages)
        try:
            located = locator.locate(document)
            if not located.looks_like_a_report:
                return Extraction(error_record(source, document.sha256, "not_a_report",
                                               "no report title, section heading or statistics table found"), pages,
                                  document=document)
            if not any(r.printed and r.units for r in located.rows):
                return Extraction(error_record(source, document.sha256, "no_tables", no_tables_message(located)),
                                  pages, located, document=document)
            located_seconds = time.perf_counter() - started
            priors = Priors(self.value_model, narrative_statements(document_text(document), located.template))
            decoded = decode(located.template, located.rows, self.options.decoder, priors)
        except Exception as exc:  # a stage's bug must not lose the rest of the batch
            return Extraction(error_record(source, document.sha256, "internal_error", f"{type(exc).__name__}: {exc}"),
                              pages, document=document)
        page_errors = [f"page {e.page}: {e.code}: {e.message}" if e.page else f"{e.code}: {e.message}"
                       for e in document.errors]
        record = output_record(source, document.sha256, located, decoded,
                               page_errors + located.warnings + decoded.warnings)
        return Extraction(record, pages, located, located_seconds, document)
