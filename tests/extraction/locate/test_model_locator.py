import json
from pathlib import Path

import pytest

pytest.importorskip("jieba")

from extraction.decode.decoder import DecoderOptions, decode  # noqa: E402
from extraction.ingest import IngestOptions, Ingestor  # noqa: E402
from extraction.locate.model import located_from_predictions  # noqa: E402
from extraction.locate.rules import RuleBasedLocator  # noqa: E402
from extraction.locate.stream import stream_of  # noqa: E402
from extraction.model.labels import by_row, word_labels  # noqa: E402
from extraction.model.rule_labels import rule_labels  # noqa: E402
from extraction.model.words import words_of_stream  # noqa: E402
from training.locator.align import gold_spans  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"


@pytest.mark.parametrize("name", ["00000_text_tabs.txt", "00004_web.txt", "00006_html.html", "00008_pdf.pdf"])
def test_perfect_word_labels_locate_what_the_decoder_needs(templates, name):
    """Word labels as training makes them, read back by the model locator, decode to the gold."""
    path = SAMPLES / name
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    document = Ingestor(IngestOptions()).ingest(path)
    stream = stream_of(document)
    words = words_of_stream(document, stream)
    labels = word_labels(words, [by_row(s) for s in gold_spans(stream, words, gold, templates[gold["template"]])])
    ruled = RuleBasedLocator(templates).locate_stream(stream)
    located = located_from_predictions(stream, words, labels, [1.0] * len(words), ruled)
    assert (located.template.id, located.agency, located.year) == (gold["template"], gold["agency"], gold["year"])
    assert [s.canonical for s in located.sections] == [s["canonical"] for s in gold["sections"]]
    decoded = decode(located.template, located.rows, DecoderOptions())
    wrong = {k: (f.value, gold["fields"][k]) for k, f in decoded.fields.items()
             if k in gold["fields"] and f.value != gold["fields"][k]
             and not (f.value is not None and gold["fields"][k] is not None and abs(f.value - gold["fields"][k]) < 1e-3)}
    assert not wrong


def test_the_rules_labels_read_back_give_the_rules_rows(templates):
    """A model that repeats its rule input keeps the rules' rows as they are (re-read cells, hints)."""
    path = SAMPLES / "00009_scan.pdf"
    if not path.exists():
        pytest.skip("no bundled scan")
    document = Ingestor(IngestOptions()).ingest(path)
    stream = stream_of(document)
    words = words_of_stream(document, stream)
    ruled = RuleBasedLocator(templates).locate_stream(stream)
    located = located_from_predictions(stream, words, rule_labels(words, ruled), [1.0] * len(words), ruled)
    kept = sum(a is b for a, b in zip(located.rows, ruled.rows))
    assert len(located.rows) == len(ruled.rows) and kept == len(ruled.rows)


def test_a_narrative_number_the_model_calls_a_value_stays_out_of_the_table(templates):
    """`培训11次` in the overview, labelled a value of 规章 by a model, comes before the table's
    section: the rules' rows stand."""
    path = SAMPLES / "00000_text_tabs.txt"
    document = Ingestor(IngestOptions()).ingest(path)
    stream = stream_of(document)
    words = words_of_stream(document, stream)
    ruled = RuleBasedLocator(templates).locate_stream(stream)
    labels = rule_labels(words, ruled)
    narrative = next(n for n, w in enumerate(words) if w.text == "11")
    labels[narrative] = "B-VAL.proactive.rules"
    located = located_from_predictions(stream, words, labels, [1.0] * len(words), ruled)
    assert all(a is b for a, b in zip(located.rows, ruled.rows))
