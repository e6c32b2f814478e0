import json
from pathlib import Path

import pytest

pytest.importorskip("jieba")

from extraction.decode.decoder import DecoderOptions, decode  # noqa: E402
from extraction.ingest import IngestOptions, Ingestor  # noqa: E402
from extraction.locate.model import located_from_entities, merged_adjacent  # noqa: E402
from extraction.model.labels import entities, word_labels  # noqa: E402
from extraction.model.words import words_of  # noqa: E402
from training.locator.align import gold_spans  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"


@pytest.mark.parametrize("name", ["00000_text_tabs.txt", "00004_web.txt", "00006_html.html", "00008_pdf.pdf"])
def test_perfect_word_labels_locate_what_the_decoder_needs(templates, name):
    """Word labels as training makes them, read back by the model locator, decode to the gold."""
    path = SAMPLES / name
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    document = Ingestor(IngestOptions()).ingest(path)
    stream, words = words_of(document)
    labels = word_labels(words, gold_spans(stream, words, gold, templates[gold["template"]]))
    located = located_from_entities(stream, words, merged_adjacent(entities(labels)), templates)
    assert (located.template.id, located.agency, located.year) == (gold["template"], gold["agency"], gold["year"])
    assert [s.canonical for s in located.sections] == [s["canonical"] for s in gold["sections"]]
    decoded = decode(located.template, located.rows, DecoderOptions())
    wrong = {k: (f.value, gold["fields"][k]) for k, f in decoded.fields.items()
             if k in gold["fields"] and f.value != gold["fields"][k]
             and not (f.value is not None and gold["fields"][k] is not None and abs(f.value - gold["fields"][k]) < 1e-3)}
    assert not wrong
