"""Benchmark sets made on first use: the archive-scan sets cover what they promise."""

import json

import pytest

from eval.bench import load_bench


@pytest.mark.heavy
def test_real_dev_scan_prints_every_labelled_real_report_with_its_gold(tmp_path, templates, real_reports_dir):
    manifest, documents = load_bench("real-dev-scan", cache=tmp_path)
    sources = sorted(p for p in real_reports_dir.rglob("*.json") if any(p.with_suffix(s).exists() for s in (".txt", ".pdf")))
    assert len(documents) == len(sources) == 20
    for document, source in zip(sorted(documents, key=lambda d: d.doc_id), sorted(sources, key=lambda p: str(p))):
        gold = json.loads(document.gold.read_text(encoding="utf-8"))
        assert document.doc_id.endswith(source.stem) and gold == json.loads(source.read_text(encoding="utf-8"))
        broken = [i.name for i in templates[gold["template"]].identities if not i.holds(gold["fields"])]
        assert broken == gold["source_breaks"]
        assert document.made["degradation"] in ("flatbed", "photocopy", "photo") and document.path.suffix == ".pdf"


@pytest.mark.heavy
def test_synth_scan_real_covers_every_degradation_and_dpi(tmp_path):
    manifest, documents = load_bench("synth-scan-real", cache=tmp_path)
    assert len(documents) >= 40
    made = {(d.made["degradation"], d.made["dpi"]) for d in documents}
    assert {m[0] for m in made} == {"flatbed", "photocopy", "photo"} and {m[1] for m in made} == {100, 120, 150, 200}
