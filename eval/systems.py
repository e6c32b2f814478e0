"""The systems compared on the same documents, one output record each (the spec's format):

- `all_zero`: every field of the gold's template 0 — the floor any extractor must beat;
- `rule_greedy`: the rule-based locator, then each row's values in order into its cells, left to
  right, no identities (row-label regexes, numbers in order);
- `full`: the product pipeline (locator → constrained decoder).

The locator-with-greedy-assignment baseline needs the trained locator; while the rule-based locator
holds the locator slot it is `rule_greedy`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from extraction.decode.decoder import decode
from extraction.decode.numbers import parse_cell
from extraction.ingest import IngestError, Ingestor
from extraction.locate.rules import Located, RuleBasedLocator
from extraction.pipeline import ExtractOptions, error_record, output_record
from extraction.templates import Template

SYSTEMS = ("all_zero", "rule_greedy", "full")


@dataclass
class SystemRun:
    record: dict
    seconds: float
    pages: int


def all_zero_record(source: str, template: Template) -> dict:
    return {"source": source, "status": "ok", "error": None, "template": template.id, "agency": None, "year": None,
            "sections": [], "checks": [], "warnings": [],
            "fields": {k: {"value": 0.0 if template.fields[k].kind.value == "money" else 0, "text": None,
                           "confidence": None, "repaired": False} for k in template.field_keys()}}


def greedy_record(source: str, sha256: str, located: Located) -> dict:
    """Each located row's values, in order, into its cells; the rest null."""
    template = located.template
    fields = {k: {"value": None, "text": None, "confidence": None, "repaired": False} for k in template.field_keys()}
    for row in located.rows:
        table = template.table(row.table)
        keys = [f"{row.table}.{r}.{c.key}" for r in row.rows
                for c in table.row_columns(next(spec for spec in table.rows if spec.key == r))]
        if not row.printed:
            continue
        for key, unit in zip(keys, row.units):
            try:
                value = parse_cell(unit.text, template.fields[key].kind)
            except ValueError:
                value = None
            fields[key] = {"value": value, "text": unit.text, "confidence": None, "repaired": False}
    return {"source": source, "sha256": sha256, "status": "ok", "error": None, "template": template.id,
            "agency": located.agency, "year": located.year, "checks": [], "warnings": [], "fields": fields,
            "sections": [{"number": s.number, "title": s.title, "canonical": s.canonical} for s in located.sections]}


class SystemRunner:
    """Runs every system on a document, sharing ingest and location between them."""

    def __init__(self, options: ExtractOptions, templates: dict[str, Template]):
        self.options = options
        self.ingestor = Ingestor(options.ingest)
        self.locator = RuleBasedLocator(templates)

    def run(self, path: Path, gold_template: Template) -> dict[str, SystemRun]:
        source = str(path)
        started = time.perf_counter()
        zero = SystemRun(all_zero_record(source, gold_template), 0.0, 0)
        try:
            document = self.ingestor.ingest(path)
        except IngestError as exc:
            failed = error_record(source, None, exc.code.value, exc.message)
            seconds = time.perf_counter() - started
            return {"all_zero": zero, "rule_greedy": SystemRun(failed, seconds, 0), "full": SystemRun(failed, seconds, 0)}
        try:
            located = self.locator.locate(document)
            greedy = greedy_record(source, document.sha256, located)
            greedy_seconds = time.perf_counter() - started
            decoded = decode(located.template, located.rows, self.options.decoder)
            full = output_record(source, document.sha256, located, decoded, located.warnings + decoded.warnings)
            full_seconds = time.perf_counter() - started  # ingest and location included, as a user waits
        except Exception as exc:  # one document's failure must not stop the benchmark
            failed = error_record(source, document.sha256, "internal_error", f"{type(exc).__name__}: {exc}")
            seconds = time.perf_counter() - started
            return {"all_zero": zero, "rule_greedy": SystemRun(failed, seconds, len(document.pages)),
                    "full": SystemRun(failed, seconds, len(document.pages))}
        pages = len(document.pages)
        return {"all_zero": zero, "rule_greedy": SystemRun(greedy, greedy_seconds, pages),
                "full": SystemRun(full, full_seconds, pages)}
