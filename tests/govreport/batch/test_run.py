import json
import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

from extraction.pipeline import ExtractOptions
from govreport.batch.run import BatchOptions, run_batch
from govreport.cli import main
from tests.govreport.batch.conftest import documents, zip_of


def _records(out):
    return [json.loads(line) for line in (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def local_batch(synth_reports, tmp_path_factory):
    """The 20 synthetic reports, two of them (text, DOCX) again inside a zip, and a broken file, on two local workers."""
    inputs = tmp_path_factory.mktemp("inputs")
    chosen = [documents(synth_reports)[0], next(p for p in documents(synth_reports) if p.suffix == ".docx")]
    zip_of(inputs / "archive.zip", {f"2023/{p.name}": p.read_bytes() for p in chosen})
    (inputs / "broken.pdf").write_bytes(b"%PDF-1.7 broken")
    out = tmp_path_factory.mktemp("local-out")
    assert main(["extract", str(synth_reports), str(inputs), "--out", str(out), "--workers", "2"]) == 0
    return out


def test_every_input_gets_one_record_and_the_tables_open_in_pandas_and_pyarrow(local_batch, synth_reports):
    records = _records(local_batch)
    expected = [str(p) for p in documents(synth_reports)]
    zipped = [r for r in records if "archive.zip!/2023/" in r["source"]]  # copies of records of the same bytes
    assert [r["source"] for r in records if r not in zipped][:20] == expected  # computed records in input order
    assert len(records) == 23 and len(zipped) == 2
    assert {r["status"] for r in zipped} == {"ok"} and zipped[0]["sha256"] == records[0]["sha256"]
    wide = pd.read_csv(local_batch / "fields.csv")
    assert len(wide) == 23 and wide["source"].tolist() == [r["source"] for r in records]
    assert wide["source"].dtype == object or str(wide["source"].dtype) == "str"
    assert wide["requests.new.total"].dtype in ("int64", "float64")
    assert wide["proactive.fees.amount"].dtype == "float64" and wide["year"].dtype == "float64"  # a broken file: NaN
    ok = wide[wide["status"] == "ok"]
    assert len(ok) == 22 and ok["year"].between(2019, 2025).all() and ok["agency"].notna().all()
    long = pq.read_table(local_batch / "fields.parquet")
    assert long.schema.names == ["document", "key", "value", "text", "confidence", "repaired", "page"]
    assert long.num_rows == sum(len(r["fields"]) for r in records)
    assert pd.read_csv(local_batch / "errors.csv")["code"].tolist() == ["pdf_corrupt"]


def test_a_second_run_skips_what_is_done_copies_same_bytes_and_force_redoes(synth_reports, tmp_path):
    first, twin = documents(synth_reports)[:2]
    shutil.copy(first, tmp_path / "copy.txt")
    inputs = [first, twin]
    out = tmp_path / "out"
    result = run_batch(inputs, ExtractOptions(), BatchOptions(out=out, workers=1))
    assert (result.computed, result.reused) == (2, 0)
    before = (out / "extractions.jsonl").read_bytes()
    result = run_batch(inputs + [tmp_path / "copy.txt"], ExtractOptions(), BatchOptions(out=out, workers=1))
    assert (result.computed, result.reused, result.ok) == (0, 3, 3)
    after = (out / "extractions.jsonl").read_bytes()
    assert after.startswith(before)
    copied = json.loads(after[len(before):])
    assert copied["source"] == str(tmp_path / "copy.txt") and copied["fields"] == _records(out)[0]["fields"]
    result = run_batch(inputs, ExtractOptions(), BatchOptions(out=out, workers=1, force=True))
    assert (result.computed, result.reused) == (2, 0) and len(_records(out)) == 2


def test_unsafe_zip_members_and_a_bomb_become_error_records_and_nothing_is_written_outside_out(tmp_path, synth_reports):
    work = tmp_path / "work"
    work.mkdir()
    report = documents(synth_reports)[0]
    archive = zip_of(work / "hostile.zip", {"../../escaped.txt": report.read_bytes(), "/abs/escaped.txt": b"x",
                                            "bomb.txt": b"\0" * 20_000_000, "fine/report.txt": report.read_bytes()})
    before = sorted(p for p in tmp_path.rglob("*"))
    out = work / "out"
    assert main(["extract", str(archive), "--out", str(out), "--workers", "1"]) == 0
    codes = {r["source"].split("!/", 1)[1]: (r["error"] or {}).get("code") for r in _records(out)}
    assert codes == {"../../escaped.txt": "unsafe_path", "/abs/escaped.txt": "unsafe_path", "bomb.txt": "too_large",
                     "fine/report.txt": None}
    created = sorted(set(tmp_path.rglob("*")) - set(before))
    assert created and all(out in p.parents or p == out for p in created)
    assert not (tmp_path / "escaped.txt").exists() and not (work.parent.parent / "escaped.txt").exists()


def test_export_rebuilds_the_tables_from_a_journal(local_batch, tmp_path, capsys):
    assert main(["export", str(local_batch / "extractions.jsonl"), "--out", str(tmp_path)]) == 0
    for name in ("fields.csv", "fields.parquet", "errors.csv", "cross_year.csv", "summary.md"):
        assert (tmp_path / name).read_bytes() == (local_batch / name).read_bytes(), name
    assert main(["export", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path)]) == 2
