"""What every worker holds — local process or Ray actor: the extractor, built once (templates,
value model, locator model; the OCR engine on first need), turning sources into record lines."""

from __future__ import annotations

from dataclasses import dataclass

from extraction.pipeline import ExtractOptions, Extractor, error_record
from extraction.templates import load_templates
from govreport.batch.archives import ArchiveLimits
from govreport.batch.records import record_line
from govreport.batch.sources import Source, extract_source


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs to build its extractor; sent to each worker once."""

    extract: ExtractOptions
    archive: ArchiveLimits
    fingerprint: str


@dataclass(frozen=True)
class Task:
    """A document to extract, with its content hash (for the record of a crash or a time limit)."""

    source: Source
    sha256: str | None


@dataclass(frozen=True)
class Outcome:
    """A document's result: its record as a JSONL line, and its pages (for the progress rates)."""

    line: str
    pages: int


class DocumentRunner:
    def __init__(self, config: WorkerConfig):
        self.config = config
        self.extractor = Extractor(config.extract, load_templates())

    def run(self, source: Source) -> Outcome:
        try:
            extraction = extract_source(self.extractor, source, self.config.archive)
        except Exception as exc:  # reading the source failed unexpectedly: the batch goes on
            return failure(source.name, None, "internal_error", f"{type(exc).__name__}: {exc}", self.config.fingerprint)
        return Outcome(record_line(extraction.record, self.config.fingerprint), extraction.pages)


def failure(source: str, sha256: str | None, code: str, message: str, fingerprint: str) -> Outcome:
    """The outcome of a document whose extraction ended without a record (crash, time limit)."""
    return Outcome(record_line(error_record(source, sha256, code, message), fingerprint), 0)
