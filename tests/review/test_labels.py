import json

import pytest

from review.labels import LabelEdit, LabelError, LabelStore, gold_from_edit, label_names, safe_stem
from review.results import ReviewItem, Source


def zeros(template):
    return {key: 0 for key in template.field_keys()}


def test_null_and_zero_stay_distinct_and_broken_identities_are_source_breaks(templates):
    template = templates["2021"]
    fields = zeros(template) | {"requests.new.natural_person": None, "requests.new.total": 3}
    gold = gold_from_edit(LabelEdit("2021", "甲乡", 2023, fields), template, template.field_keys(),
                          [{"number": "一", "title": "总体情况", "canonical": "overview", "page": 1, "offset": None}])
    assert gold["fields"]["requests.new.natural_person"] is None and gold["fields"]["requests.new.commercial"] == 0
    assert gold["source_breaks"] == ["requests.row_total.new", "requests.balance.total"]
    assert gold["sections"] == [{"number": "一", "title": "总体情况", "canonical": "overview"}]
    assert isinstance(gold["fields"]["requests.new.total"], int)


@pytest.mark.parametrize("key, value, problem", [
    ("requests.new.total", 2.5, "whole number"), ("requests.new.total", -1, "negative"),
    ("proactive.fees.amount", -0.5, "negative"), ("requests.new.total", "7", "not a number"),
    ("requests.new.total", True, "not a number"),
])
def test_values_must_fit_their_cell(templates, key, value, problem):
    template = templates["2021"]
    with pytest.raises(LabelError, match=problem):
        gold_from_edit(LabelEdit("2021", None, None, zeros(template) | {key: value}), template, template.field_keys(), [])


def test_signed_counts_and_money(templates):
    template = templates["2019"]
    fields = zeros(template) | {"proactive.fees.change": -4, "proactive.procurement.amount": 7539.443252}
    gold = gold_from_edit(LabelEdit("2019", None, None, fields), template, template.field_keys(), [])
    assert gold["fields"]["proactive.fees.change"] == -4 and gold["fields"]["proactive.procurement.amount"] == 7539.443252


def test_the_edit_must_hold_exactly_the_forms_fields(templates):
    template = templates["2021"]
    with pytest.raises(LabelError, match="missing"):
        gold_from_edit(LabelEdit("2021", None, None, {}), template, template.field_keys(), [])


@pytest.mark.parametrize("source, stem", [
    ("archive/2023/炭山乡.pdf", "炭山乡"), ("../../etc/passwd", "passwd"), ("..\\..\\x.pdf", "x"),
    (".hidden.pdf", "hidden"), ("a:b*c?.pdf", "a_b_c_"), ("", "document-1"), ("/", "document-1"),
])
def test_names_never_carry_folders(source, stem):
    assert safe_stem(source, "document-1") == stem


def test_names_stay_apart_for_same_stems_and_other_documents_in_the_folder(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"another document")
    items = [ReviewItem(1, {"source": "a/report.pdf", "sha256": "ab" * 32}),
             ReviewItem(2, {"source": "b/report.pdf", "sha256": "cd" * 32}),
             ReviewItem(3, {"source": "c/plan.txt", "sha256": "ef" * 32})]
    assert label_names(items, tmp_path) == {1: "report-1", 2: "report-2", 3: "plan"}
    items = [ReviewItem(1, {"source": "a/report.pdf", "sha256": "ab" * 32})]
    assert label_names(items, tmp_path) == {1: "report-abababab"}


def test_saving_writes_gold_beside_its_document_and_leaves_no_temporary_files(tmp_path):
    store = LabelStore(tmp_path / "labels")
    store.save("report", {"template": "2021", "fields": {}}, Source("report.pdf", b"%PDF-1.4"))
    store.save("report", {"template": "2021", "fields": {"x": 1}}, Source("report.pdf", b"%PDF-1.4"))
    assert sorted(p.name for p in (tmp_path / "labels").iterdir()) == ["report.json", "report.pdf"]
    assert json.loads((tmp_path / "labels" / "report.json").read_text())["fields"] == {"x": 1}
    assert store.read("report")["template"] == "2021" and store.count() == 1
    store.save("orphan", {"template": "2021"}, None)  # a label whose source was not found: not trainable
    assert store.count() == 1
    with pytest.raises(LabelError):
        store.read("../outside")
