import pandas as pd
import pyarrow.parquet as pq

from govreport.batch.cross_year import cross_year_rows
from govreport.batch.journal import Journal
from govreport.batch.records import record_line
from govreport.batch.tables import export_tables


def _field(value, repaired=False):
    return {"value": value, "text": None if value is None else str(value), "confidence": 0.9, "repaired": repaired,
            "page": 1, "bbox": None, "offset": None}


def _record(source, year, fields, template="2021", agency="炭山乡"):
    return {"source": source, "sha256": source * 2, "status": "ok", "error": None, "template": template,
            "agency": agency, "year": year, "sections": [], "checks": [],
            "fields": {k: _field(v) for k, v in fields.items()}, "warnings": []}


def _error(source):
    return {"source": source, "sha256": None, "status": "error", "error": {"code": "not_found", "message": "gone"},
            "template": None, "agency": None, "year": None, "sections": [], "fields": {}, "checks": [], "warnings": []}


def test_cross_year_pairs_carried_requests_and_documents_in_force(templates):
    y1 = _record("a", 2022, {"requests.carried_forward.total": 3, "requests.carried_forward.natural_person": 2,
                             "proactive.rules.in_force": 10})
    y2 = _record("b", 2023, {"requests.carried_over.total": 3, "requests.carried_over.natural_person": None,
                             "proactive.rules.in_force": 11, "proactive.rules.issued": 2, "proactive.rules.repealed": 1})
    other = _record("c", 2023, {"requests.carried_over.total": 9}, agency="别处")
    rows = {(r["check"], r["item"]): (r["expected"], r["found"], r["result"]) for r in cross_year_rows([y1, y2, other], templates)}
    assert rows == {("requests.carried_forward_to_carried_over", "total"): (3, 3, "agrees"),
                    ("requests.carried_forward_to_carried_over", "natural_person"): (2, None, "differs"),
                    ("proactive.in_force_continuity", "rules"): (11, 11, "agrees")}


def test_tables_are_rebuilt_from_the_journal_last_record_of_a_source_winning(tmp_path, templates):
    journal = tmp_path / "extractions.jsonl"
    with Journal(journal) as writer:
        for record in (_record("a.pdf", 2022, {"requests.new.total": 5}), _error("gone.pdf"),
                       _record("a.pdf", 2022, {"requests.new.total": 7, "proactive.fees.amount": 1.25}),
                       _record("b.pdf", 2023, {"requests.new.total": None}, template="2019")):
            writer.append(record_line(record, "fp"))
    export_tables(journal, tmp_path, templates)
    wide = pd.read_csv(tmp_path / "fields.csv")
    assert list(wide["source"]) == ["a.pdf", "gone.pdf", "b.pdf"]
    assert list(wide.columns[:7]) == ["source", "status", "error_code", "agency", "year", "template", "sha256"]
    assert wide["requests.new.total"].tolist()[0] == 7 and wide["proactive.fees.amount"].dtype == "float64"
    assert "proactive.procurement.amount" in wide.columns  # 2019 keys beside 2021's
    nullable = pd.read_csv(tmp_path / "fields.csv", dtype_backend="numpy_nullable")
    assert str(nullable["year"].dtype) == "Int64" and nullable["year"].tolist()[1] is pd.NA
    long = pq.read_table(tmp_path / "fields.parquet").to_pylist()
    assert [(r["document"], r["key"], r["value"]) for r in long] == [
        ("a.pdf", "requests.new.total", 7.0), ("a.pdf", "proactive.fees.amount", 1.25),
        ("b.pdf", "requests.new.total", None)]
    errors = pd.read_csv(tmp_path / "errors.csv")
    assert errors[["source", "code", "message"]].values.tolist() == [["gone.pdf", "not_found", "gone"]]
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "3 — 2 extracted, 1 error records" in summary and "| `not_found` | 1 |" in summary
    assert not list(tmp_path.glob(".*.tmp"))
