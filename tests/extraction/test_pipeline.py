"""The whole pipeline on the real reports: exact, checked, and the document's own breaks reported as printed."""

import json

import pytest

from extraction.pipeline import ExtractOptions, Extractor

REAL = ["000_b878a3b9c19ecb27.txt", "001_81ace5e03e905af0.txt", "002_b75bfde9d9e6abd9.txt", "003_f6753a459c0262ca.txt",
        "004_eb5fc01c7533c9cc.txt", "hongze_2023.pdf", "hongze_2024.pdf", "huaian_2024.pdf"]


@pytest.fixture(scope="module")
def extractor(templates):
    return Extractor(ExtractOptions(), templates)


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and round(a, 3) == round(b, 3)
    return a == b


@pytest.mark.parametrize("name", REAL)
def test_real_report_extracts_as_its_gold(extractor, real_reports_dir, name):
    record = extractor.extract(real_reports_dir / name)
    gold = json.loads((real_reports_dir / name).with_suffix(".json").read_text(encoding="utf-8"))
    assert record["status"] == "ok"
    assert (record["template"], record["agency"], record["year"]) == (gold["template"], gold["agency"], gold["year"])
    assert set(record["fields"]) == set(gold["fields"])
    wrong = {k: (v, record["fields"][k]["value"]) for k, v in gold["fields"].items()
             if not _same(record["fields"][k]["value"], v)}
    assert wrong == {}
    assert [(s["number"], s["title"], s["canonical"]) for s in record["sections"]] == [
        (s["number"], s["title"], s["canonical"]) for s in gold["sections"]]
    assert sorted(c["identity"] for c in record["checks"] if c["source_breaks"]) == sorted(gold["source_breaks"])


def test_hongze_2023_is_extracted_as_printed_with_both_breaks(extractor, real_reports_dir):
    record = extractor.extract(real_reports_dir / "hongze_2023.pdf")
    review = {k.rsplit(".", 1)[1]: f["value"] for k, f in record["fields"].items() if k.startswith("review_litigation.review.")}
    assert review == {"upheld": 10, "corrected": 1, "other": 0, "pending": 0, "total": 0}  # as printed: 0, not 11
    assert not any(f["repaired"] for f in record["fields"].values())
    breaks = {c["identity"]: c for c in record["checks"] if not c["holds"]}
    assert set(breaks) == {"review_litigation.total.review", "review_litigation.total.litigation_after_review"}
    assert all(c["source_breaks"] for c in breaks.values())
    assert sum("breaks it as printed" in w for w in record["warnings"]) == 2
    total = record["fields"]["review_litigation.review.total"]
    assert total["page"] == 4 and total["bbox"] is not None and total["text"] == "0"


def test_output_record_has_the_spec_shape(extractor, real_reports_dir):
    record = extractor.extract(real_reports_dir / "001_81ace5e03e905af0.txt")
    assert set(record) == {"source", "sha256", "status", "error", "template", "agency", "year", "sections", "fields",
                           "checks", "warnings"}
    field = record["fields"]["requests.new.natural_person"]
    assert set(field) == {"value", "text", "confidence", "repaired", "page", "bbox", "offset"}
    text = (real_reports_dir / "001_81ace5e03e905af0.txt").read_text(encoding="utf-8")
    assert text[field["offset"]:field["offset"] + len(field["text"])] == field["text"]
    assert {"identity", "holds", "source_breaks"} == set(record["checks"][0])
    json.dumps(record, ensure_ascii=False)


def test_bad_and_foreign_files_get_error_records(extractor, tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    foreign = tmp_path / "notes.txt"
    foreign.write_text("shopping list: eggs, milk", encoding="utf-8")
    records = [extractor.extract(p) for p in (empty, foreign, tmp_path / "missing.pdf")]
    assert [r["status"] for r in records] == ["error"] * 3
    assert [r["error"]["code"] for r in records] == ["empty_document", "not_a_report", "not_found"]


def test_a_document_without_a_statistics_table_is_an_error_not_an_ok_of_nulls(extractor, tmp_path):
    page = tmp_path / "heading_only.txt"
    page.write_text("某某县2023年政府信息公开工作年度报告\n一、总体情况\n本年度我县认真贯彻《条例》。\n", encoding="utf-8")
    record = extractor.extract(page)
    assert record["status"] == "error" and record["error"]["code"] == "no_tables"
    assert "no statistics table located" in record["error"]["message"]
    assert "总体情况" in record["error"]["message"] and "2023" in record["error"]["message"]


def test_crawled_pages_decode_fast(extractor, real_reports_dir):
    import time

    for page in sorted((real_reports_dir / "crawled").glob("*.txt")):
        started = time.perf_counter()
        record = extractor.extract(page)
        assert record["status"] == "ok"
        assert time.perf_counter() - started < 2.0, page.name
