import json

import pytest

pytest.importorskip("jieba")

from extraction.ingest import IngestOptions, Ingestor  # noqa: E402
from extraction.model.labels import word_labels  # noqa: E402
from extraction.locate.stream import stream_of  # noqa: E402
from extraction.model.words import words_of_stream  # noqa: E402
from training.locator.align import gold_spans  # noqa: E402


def _gold_only_values(path, templates):
    document = Ingestor(IngestOptions()).ingest(path)
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    stream = stream_of(document)
    words = words_of_stream(document, stream)
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


def test_hiding_rule_rows_hides_a_row_whole_and_keeps_the_others():
    import random

    from training.locator.data import without_some_rule_rows

    labels = ["O", "B-ROW.requests.new", "I-ROW.requests.new", "B-VAL.requests.new", "B-VAL.requests.new",
              "B-ROW.requests.carried", "B-VAL.requests.carried", "B-HEAD.overview"]
    assert without_some_rule_rows(labels, 0.0, random.Random(1)) == labels
    assert set(without_some_rule_rows(labels, 1.0, random.Random(1))) == {"O"}
    for seed in range(20):
        hidden = without_some_rule_rows(labels, 0.5, random.Random(seed))
        rows = {label[2:].split(".", 1)[1] for label in labels if label != "O"}
        for row in rows:
            kept = [h == l for h, l in zip(hidden, labels) if l != "O" and l[2:].split(".", 1)[1] == row]
            assert all(kept) or not any(kept)  # a row is hidden whole or not at all


def _scanned(annotations, angle_degrees, scale, shift):
    """A one-page scan whose OCR tokens are the annotations' texts printed at `scale`, turned by
    `angle_degrees` and shifted: what printing at another dpi and skewing do."""
    import math

    from extraction.document import Document, Line, Page, Token, Unit

    a = math.radians(angle_degrees)
    rotation = [[scale * math.cos(a), -scale * math.sin(a)], [scale * math.sin(a), scale * math.cos(a)]]

    def moved(box):
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        x = rotation[0][0] * cx + rotation[0][1] * cy + shift[0]
        y = rotation[1][0] * cx + rotation[1][1] * cy + shift[1]
        half_w, half_h = scale * (box[2] - box[0]) / 2, scale * (box[3] - box[1]) / 2
        return (x - half_w, y - half_h, x + half_w, y + half_h)

    lines = [Line([Token(a["text"], moved(a["bbox"]), 0.9)]) for a in annotations]
    return Document("scan.pdf", "", "pdf", pages=[Page(1, 1240, 1754, Unit.PIXEL, 150, lines)]), moved


def test_a_scans_frame_is_fitted_from_texts_read_once_and_places_every_annotation():
    from training.locator.align import page_frames

    annotations = [{"kind": "row_label", "text": text, "page": 1, "bbox": [100, 100 + 30 * n, 200, 112 + 30 * n]}
                   for n, text in enumerate(["规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制"])]
    annotations += [{"kind": "value", "text": "0", "page": 1, "bbox": [400 + 60 * n, 130, 407 + 60 * n, 142]}
                    for n in range(3)]  # printed many times: no help in fitting, placed all the same
    document, moved = _scanned(annotations, 1.5, 1.5, (12.0, -7.0))
    matrix = page_frames(document, annotations)[1]
    for annotation in annotations:
        x0, y0, x1, y1 = annotation["bbox"]
        fitted = matrix @ [(x0 + x1) / 2, (y0 + y1) / 2, 1]
        expected = moved(annotation["bbox"])
        assert abs(fitted[0] - (expected[0] + expected[2]) / 2) < 1 and abs(fitted[1] - (expected[1] + expected[3]) / 2) < 1
