import json
from pathlib import Path

import pytest

pytest.importorskip("jieba")

from extraction.ingest import IngestOptions, Ingestor  # noqa: E402
from extraction.locate.rules import RuleBasedLocator  # noqa: E402
from extraction.locate.stream import stream_of  # noqa: E402
from extraction.model.labels import entities  # noqa: E402
from extraction.model.rule_labels import rule_labels  # noqa: E402
from extraction.model.words import words_of_stream  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"


def test_the_rules_rows_values_and_headings_become_word_labels(templates):
    path = SAMPLES / "00000_text_tabs.txt"
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    document = Ingestor(IngestOptions()).ingest(path)
    stream = stream_of(document)
    words = words_of_stream(document, stream)
    found = entities(rule_labels(words, RuleBasedLocator(templates).locate_stream(stream)))
    values = [e for e in found if e.kind == "VAL"]
    # Every printed value is one word here; each is labelled with its row, in the gold's row order.
    assert len(values) == sum(v is not None for v in gold["fields"].values())
    new_request_values = [words[e.first].text for e in values if e.key == "requests.new"]
    assert new_request_values == [str(gold["fields"][f"requests.new.{c}"])
                                  for c in ("natural_person", "commercial", "research", "social_org", "legal_service",
                                            "other_org", "total")]
    assert "requests.new" in {e.key for e in found if e.kind == "ROW"}
    assert [e.key for e in found if e.kind == "HEAD"] == [s["canonical"] or "none" for s in gold["sections"]]
