"""The systems compared on the same documents, one output record each (the spec's format):

- `all_zero`: every field of the gold's template 0 — the floor any extractor must beat;
- `rule_greedy`: the rule-based locator, then each row's values in order into its cells, left to
  right, no identities (row-label regexes, numbers in order);
- `full`: the product pipeline (locator → constrained decoder).

With a locator model in the slot (`ExtractOptions.model`), `full` uses the model, and two more
systems show what the model and the decoder each add:
- `model_greedy`: the model's locations, values poured in order, no identities;
- `rule_full`: the rule-based locator → constrained decoder (the pipeline without the model).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from extraction.decode.numbers import parse_cell
from extraction.locate.rules import Located, RuleBasedLocator
from extraction.pipeline import ExtractOptions, Extractor
from extraction.templates import Template

SYSTEMS = ("all_zero", "rule_greedy", "full")
MODEL_SYSTEMS = ("all_zero", "rule_greedy", "model_greedy", "rule_full", "full")


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
    """Runs every system on a document: the product pipeline once, and the baselines from the same
    ingest (so all see the same tokens); with a model in the slot, the rule-based locator too."""

    def __init__(self, options: ExtractOptions, templates: dict[str, Template]):
        self.extractor = Extractor(options, templates)
        self.rules = RuleBasedLocator(templates) if options.model is not None else None
        self.systems = SYSTEMS if self.rules is None else MODEL_SYSTEMS

    def run(self, path: Path, gold_template: Template) -> dict[str, SystemRun]:
        started = time.perf_counter()
        extraction = self.extractor.run(path)
        full_seconds = time.perf_counter() - started  # ingest and location included, as a user waits
        full = SystemRun(extraction.record, full_seconds, extraction.pages)
        runs = {"all_zero": SystemRun(all_zero_record(str(path), gold_template), 0.0, 0), "full": full}
        greedy_name = "rule_greedy" if self.rules is None else "model_greedy"
        runs[greedy_name] = self._greedy(path, extraction, full)
        if self.rules is not None:
            if extraction.document is None:  # the file failed to ingest: every system fails alike
                runs["rule_greedy"] = runs["rule_full"] = full
            else:
                # The baseline reuses the ingest: its clock starts as if it had ingested too.
                started = time.perf_counter() - extraction.ingest_seconds
                rule = self.extractor.finish(str(path), extraction.document, self.rules, started)
                runs["rule_full"] = SystemRun(rule.record, time.perf_counter() - started, rule.pages)
                runs["rule_greedy"] = self._greedy(path, rule, runs["rule_full"])
        return {name: runs[name] for name in self.systems}

    @staticmethod
    def _greedy(path: Path, extraction, fallback: SystemRun) -> SystemRun:
        if extraction.located is None:  # the file failed before or at location: greedy fails alike
            return fallback
        record = greedy_record(str(path), extraction.record["sha256"], extraction.located)
        return SystemRun(record, extraction.located_seconds, extraction.pages)
