import pytest

from govreport.cli import main

TABLES = ("extractions.jsonl", "fields.csv", "fields.parquet", "errors.csv", "cross_year.csv", "summary.md")


@pytest.mark.heavy
def test_local_and_ray_engines_write_identical_outputs(synth_reports, tmp_path):
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    assert main(["extract", str(synth_reports), "--out", str(local), "--workers", "2"]) == 0
    assert main(["extract", str(synth_reports), "--out", str(on_ray), "--workers", "2", "--engine", "ray"]) == 0
    for name in TABLES:
        assert (on_ray / name).read_bytes() == (local / name).read_bytes(), name
    assert (local / "extractions.jsonl").read_bytes().count(b"\n") == 20
