"""The harness end to end on small data: score a JSONL, run a bench, write the report."""

import json
import shutil

from eval.harness import score_predictions
from eval.report import write_report
from eval.systems import SystemRunner, greedy_record
from extraction.locate.rules import RuleBasedLocator
from extraction.ingest.text import ingest_text
from extraction.pipeline import ExtractOptions


def test_score_predictions_counts_missing_documents_wrong(tmp_path, templates, real_reports_dir):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for name in ("000_b878a3b9c19ecb27", "001_81ace5e03e905af0"):
        shutil.copy(real_reports_dir / f"{name}.txt", gold_dir)
        shutil.copy(real_reports_dir / f"{name}.json", gold_dir)
    gold = json.loads((gold_dir / "000_b878a3b9c19ecb27.json").read_text(encoding="utf-8"))
    record = {"source": "x/000_b878a3b9c19ecb27.txt", "status": "ok", "template": "2021", "agency": gold["agency"],
              "year": gold["year"], "sections": [], "checks": [],
              "fields": {k: {"value": v, "confidence": 1.0} for k, v in gold["fields"].items()}}
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    scores, golds = score_predictions(predictions, gold_dir, templates)
    summary = scores["predictions"].summary()
    assert set(golds) == {"000_b878a3b9c19ecb27", "001_81ace5e03e905af0"}
    assert summary["fields"]["overall"]["all"]["all"] == {"right": 200, "total": 400, "accuracy": 0.5}
    assert summary["documents"]["not_extracted"] == {"missing": 1}


def test_systems_side_by_side_and_the_report_files(tmp_path, templates, real_reports_dir):
    runner = SystemRunner(ExtractOptions(), templates)
    from eval.metrics import Scored, SystemScore

    scores = {s: SystemScore() for s in ("all_zero", "rule_greedy", "full")}
    for name in ("003_f6753a459c0262ca.txt", "hongze_2023.pdf"):
        gold = json.loads((real_reports_dir / name).with_suffix(".json").read_text(encoding="utf-8"))
        runs = runner.run(real_reports_dir / name, templates[gold["template"]])
        for system, run in runs.items():
            scores[system].update(Scored(name, name.rsplit(".", 1)[1], gold, run.record, templates[gold["template"]]))
    summaries = {s: score.summary() for s, score in scores.items()}
    assert summaries["full"]["fields"]["overall"]["all"]["all"]["accuracy"] == 1.0
    assert summaries["full"]["identities"]["source_break_recall"] == 1.0
    assert summaries["all_zero"]["fields"]["overall"]["all"]["non_zero"]["accuracy"] == 0.0
    files = write_report(tmp_path / "report", "two reports", "a test", scores)
    for path in files.values():
        assert path.exists() and path.stat().st_size > 0
    markdown = files["markdown"].read_text(encoding="utf-8")
    assert "| fields, all | " in markdown and "accuracy_by_table.png" in markdown
    metrics = json.loads(files["metrics"].read_text(encoding="utf-8"))
    assert set(metrics["systems"]) == {"all_zero", "rule_greedy", "full"}


def test_greedy_baseline_fills_cells_in_order_without_identities(templates):
    text = "某县2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t24\t1\t25\n"
    located = RuleBasedLocator(templates).locate(ingest_text("t.txt", "0", text.encode("utf-8")))
    record = greedy_record("t.txt", "0", located)
    values = [record["fields"][f"requests.new.{c}"]["value"] for c in
              ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")]
    assert values == [24, 1, 25, None, None, None, None]  # numbers in order, blanks at the end


def test_breakdown_by_how_the_scan_was_made_reaches_every_output(tmp_path, templates, real_reports_dir):
    from eval.metrics import Scored, SystemScore
    from eval.report import breakdown_rows

    gold = json.loads((real_reports_dir / "hongze_2023.json").read_text(encoding="utf-8"))
    template = templates[gold["template"]]
    right = {"status": "ok", "fields": {k: {"value": v, "confidence": 1.0} for k, v in gold["fields"].items()}}
    wrong = {"status": "ok", "fields": {k: {"value": 0, "confidence": 0.995} for k in gold["fields"]}}
    score = SystemScore()
    score.update(Scored("a", "scan_photo", gold, right, template, {"degradation": "photo", "dpi": 100, "face": "ARPLUKaiCN"}))
    score.update(Scored("b", "scan_photocopy", gold, wrong, template, {"degradation": "photocopy", "dpi": 100, "face": "ARPLUKaiCN"}))
    breakdown = score.summary()["breakdown"]
    assert set(breakdown) == {"degradation", "dpi", "face"}
    assert breakdown["degradation"]["photo"]["fields"]["all"]["accuracy"] == 1.0
    assert breakdown["degradation"]["photo"]["document_perfect"] == {"right": 1, "total": 1, "accuracy": 1.0}
    photocopy = breakdown["degradation"]["photocopy"]
    assert photocopy["fields"]["non_zero"]["accuracy"] == 0.0 and photocopy["confident"]["kept"] == 1.0
    assert breakdown["dpi"]["100"]["documents"] == 2 and breakdown["dpi"]["100"]["document_perfect"]["right"] == 1
    assert [name for name, _ in breakdown_rows({"full": score.summary()})] == [
        "degradation photo", "degradation photocopy", "dpi 100", "face ARPLUKaiCN"]
    files = write_report(tmp_path / "report", "scans", "a test", {"full": score})
    assert "| dpi 100 | " in files["markdown"].read_text(encoding="utf-8")
    assert "degradation photocopy" in files["html"].read_text(encoding="utf-8")
    metrics = json.loads(files["metrics"].read_text(encoding="utf-8"))
    assert metrics["systems"]["full"]["breakdown"]["face"]["ARPLUKaiCN"]["documents"] == 2


def test_a_generated_set_made_by_another_factory_is_made_again(tmp_path):
    import json

    from eval.bench import _generated, factory_fingerprint

    made = []

    def make():
        made.append(1)
        (tmp_path / "manifest.jsonl").write_text("", encoding="utf-8")

    _generated(tmp_path, {"seed": 1}, make)
    _generated(tmp_path, {"seed": 1}, make)
    assert len(made) == 1  # the stamp matches: kept
    stamp = json.loads((tmp_path / "bench-spec.json").read_text())
    assert stamp["factory"] == factory_fingerprint()
    (tmp_path / "bench-spec.json").write_text(json.dumps({**stamp, "factory": "an older factory"}))
    _generated(tmp_path, {"seed": 1}, make)
    assert len(made) == 2
