import json

import pytest

from extraction.pipeline import ExtractOptions
from govreport.batch.run import BatchOptions, Engine, run_batch
from govreport.cli import main
from tests.govreport.batch.conftest import documents

TABLES = ("extractions.jsonl", "fields.csv", "fields.parquet", "errors.csv", "cross_year.csv", "summary.md")


@pytest.mark.heavy
def test_local_and_ray_engines_write_identical_outputs(synth_reports, tmp_path):
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    assert main(["extract", str(synth_reports), "--out", str(local), "--workers", "2"]) == 0
    assert main(["extract", str(synth_reports), "--out", str(on_ray), "--workers", "2", "--engine", "ray"]) == 0
    for name in TABLES:
        assert (on_ray / name).read_bytes() == (local / name).read_bytes(), name
    assert (local / "extractions.jsonl").read_bytes().count(b"\n") == 20


@pytest.mark.heavy
def test_on_ray_a_document_over_the_time_limit_gets_a_timeout_record(synth_reports, slow_scan, tmp_path):
    texts = documents(synth_reports)[:2]
    run_batch([slow_scan, *texts], ExtractOptions(),
              BatchOptions(out=tmp_path, workers=1, doc_timeout=2.0, engine=Engine.RAY))
    records = [json.loads(line) for line in (tmp_path / "extractions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in records] == [str(slow_scan)] + [str(p) for p in texts]
    assert records[0]["error"]["code"] == "timeout" and [r["status"] for r in records[1:]] == ["ok", "ok"]
