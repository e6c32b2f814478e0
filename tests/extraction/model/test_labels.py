import pytest

pytest.importorskip("jieba")

from extraction.model.labels import LabelledSpan, by_row, entities, label_names, word_labels  # noqa: E402
from extraction.model.words import words_of_text  # noqa: E402

TEXT = "淮安市人民政府2024年政府信息公开工作年度报告\n一、本年新收政府信息公开申请数量\t21710000218\t697.449万元 减4"


def test_numbers_stay_whole_and_keep_sign_and_unit():
    numbers = [w.text for w in words_of_text(TEXT) if w.is_number]
    assert numbers == ["2024", "21710000218", "697.449万元", "减4"]


def test_a_run_glued_to_the_next_labels_numbering_ends_before_it():
    assert [w.text for w in words_of_text("秘密0000000 2.其他") if w.is_number][:1] == ["0000000"]
    assert [w.text for w in words_of_text("秘密00000002.其他") if w.is_number] == ["0000000", "2"]


def test_spans_round_trip_through_word_labels():
    words = words_of_text(TEXT)
    row_start = TEXT.index("一、")
    row_end = TEXT.index("\t")
    value = TEXT.index("21710000218")
    spans = [LabelledSpan(0, 3, "AGENCY"), LabelledSpan(7, 11, "YEAR"),
             LabelledSpan(row_start, row_end, "ROW.requests.new"),
             LabelledSpan(value, value + 2, "VAL.requests.new.natural_person"),  # a glued run: its first value
             LabelledSpan(value + 2, value + 3, "VAL.requests.new.commercial")]
    labels = word_labels(words, [by_row(s) for s in spans])
    found = {(e.tag, words[e.first].start, words[e.last].end) for e in entities(labels)}
    assert ("ROW.requests.new", row_start, row_end) in found
    assert ("VAL.requests.new", value, value + 11) in found  # a value is labelled with its row; the run is one word
    assert ("YEAR", 7, 11) in found
    assert sum(tag.startswith("VAL.") for tag, _, _ in found) == 1


def test_every_label_is_known_to_the_classifier(templates):
    names = label_names(templates)
    assert len(names) == len(set(names))
    assert "B-VAL.requests.new" in names and "I-VAL.requests.new" not in names
    assert "B-VAL.requests.denied.state_secret" in names and "B-VAL.requests.new.natural_person" not in names
    assert "B-HEAD.review_litigation" in names and "I-ROW.requests.denied.state_secret" in names
