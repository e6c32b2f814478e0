from review.explain import cell_notes, source_break_identities


def test_warnings_reach_the_cells_they_are_about(templates):
    template = templates["2021"]
    record = {"warnings": [
        "requests.new.total: read '21', chosen '27' so that the identities hold",
        "requests.denied.third_party+denied.internal_affairs: a glued run split in two",
        "review_litigation.total.review: the document breaks it as printed (3 ≠ 4); values kept as printed",
        "page 2: ocr_failed: unreadable",
    ], "checks": [{"identity": "review_litigation.total.review", "holds": False, "source_breaks": True}]}
    notes = cell_notes(record, template)
    assert notes["requests.new.total"] == [record["warnings"][0]]
    assert notes["requests.denied.internal_affairs.research"] == [record["warnings"][1]]
    assert notes["review_litigation.review.pending"] == [record["warnings"][2]]
    assert "requests.new.natural_person" not in notes and not any(record["warnings"][3] in n for n in notes.values())
    breaks = source_break_identities(record, template)
    assert breaks["review_litigation.review.total"] == ["review_litigation.total.review"]
    assert "review_litigation.litigation_direct.total" not in breaks
