import json

import pytest

pytest.importorskip("jieba")

from extraction.ingest import IngestOptions, Ingestor  # noqa: E402
from extraction.model.labels import word_labels  # noqa: E402
from extraction.model.words import words_of  # noqa: E402
from training.locator.align import gold_spans  # noqa: E402


def _gold_only_values(path, templates):
    document = Ingestor(IngestOptions()).ingest(path)
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    stream, words = words_of(document)
    spans = gold_spans(stream, words, gold, templates[gold["template"]])
    return gold, stream, words, spans


@pytest.mark.parametrize("name", ["002_b75bfde9d9e6abd9.txt", "huaian_2024.pdf", "crawled/pt_czj_2019.txt"])
def test_gold_only_alignment_finds_every_non_zero_value(real_reports_dir, templates, name):
    path = real_reports_dir / name
    gold, stream, words, spans = _gold_only_values(path, templates)
    placed = {s.tag[len("VAL."):]: s for s in spans if s.tag.startswith("VAL.")}
    non_zero = {k for k, v in gold["fields"].items() if v not in (None, 0)}
    assert non_zero and non_zero <= set(placed)
    for key in non_zero:  # each span reads as its value (a glued run's piece as its own digits)
        text = stream.norm[placed[key].start:placed[key].end].replace(",", "")
        assert text.rstrip("万元") in (str(gold["fields"][key]), f"{gold['fields'][key]:g}") or text.endswith("元")
    labels = word_labels(words, spans)
    assert any(label == "B-AGENCY" for label in labels) and any(label.startswith("B-HEAD.") for label in labels)
