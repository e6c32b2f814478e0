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

from extraction.decode.numbers import parse_cell
from extraction.locate.rules import Located
from extraction.pipeline import ExtractOptions, Extractor
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
    """Runs every system on a document: the product pipeline once, the rule-based greedy baseline
    from the same location (so both see the same ingest and locator)."""

    def __init__(self, options: ExtractOptions, templates: dict[str, Template]):
        self.extractor = Extractor(options, templates)

    def run(self, path: Path, gold_template: Template) -> dict[str, SystemRun]:
        started = time.perf_counter()
        extraction = self.extractor.run(path)
        full_seconds = time.perf_counter() - started  # ingest and location included, as a user waits
        full = SystemRun(extraction.record, full_seconds, extraction.pages)
        if extraction.located is None:  # the file failed before or at location: both systems fail alike
            greedy = full
        else:
            record = greedy_record(str(path), extraction.record["sha256"], extraction.located)
            greedy = SystemRun(record, extraction.located_seconds, extraction.pages)
        return {"all_zero": SystemRun(all_zero_record(str(path), gold_template), 0.0, 0), "rule_greedy": greedy,
                "full": full}
