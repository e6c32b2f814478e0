import json

import pytest

from govreport.cli import main


def test_synth_command_writes_documents(tmp_path, capsys):
    assert main(["synth", "--n", "3", "--seed", "5", "--styles", "text_tabs,markdown", "--out", str(tmp_path)]) == 0
    manifest = [json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [m["style"] for m in manifest] == ["text_tabs", "markdown", "text_tabs"]
    assert "wrote 3 documents" in capsys.readouterr().out


def test_synth_command_rejects_unknown_style(tmp_path, capsys):
    assert main(["synth", "--n", "1", "--styles", "fax", "--out", str(tmp_path)]) == 2
    assert "unknown style" in capsys.readouterr().err


def test_ingest_command_writes_one_record_per_input_errors_included(tmp_path, capsys):
    good = tmp_path / "report.txt"
    good.write_text("一、总体情况\n规章\t0\t2\n", encoding="utf-8")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    assert main(["ingest", str(good), str(empty), str(tmp_path / "missing.docx"), "--out", str(out)]) == 0
    records = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in records] == ["ok", "error", "error"]
    assert [r["error"]["code"] for r in records[1:]] == ["empty_document", "not_found"]
    tokens = [t["text"] for line in records[0]["document"]["pages"][0]["lines"] for t in line["tokens"]]
    assert tokens == ["一、总体情况", "规章", "0", "2"]
    assert "ingested 1 of 3 inputs" in capsys.readouterr().out


def test_extract_command_writes_the_spec_jsonl(tmp_path, capsys, real_reports_dir):
    out = tmp_path / "out"
    empty = tmp_path / "broken.pdf"
    empty.write_bytes(b"")
    assert main(["extract", str(real_reports_dir / "000_b878a3b9c19ecb27.txt"), str(empty), "--out", str(out)]) == 0
    records = [json.loads(line) for line in (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in records] == ["ok", "error"]
    assert records[0]["agency"] == "枣村乡" and len(records[0]["fields"]) == 200
    assert records[1]["error"]["code"] == "empty_document"
    assert "extracted 1 of 2 inputs" in capsys.readouterr().out


def test_eval_command_scores_predictions_and_writes_the_report(tmp_path, capsys, real_reports_dir):
    import shutil

    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for suffix in (".txt", ".json"):
        shutil.copy(real_reports_dir / f"002_b75bfde9d9e6abd9{suffix}", gold_dir)
    assert main(["extract", str(gold_dir), "--out", str(tmp_path / "pred")]) == 0
    out = tmp_path / "report"
    assert main(["eval", "--pred", str(tmp_path / "pred" / "extractions.jsonl"), "--gold", str(gold_dir),
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "fields, all" in printed and "100.00%" in printed
    assert (out / "report.html").exists() and (out / "coverage.png").exists()


def test_eval_command_refuses_unknown_bench_and_missing_arguments(capsys):
    assert main(["eval", "--bench", "no-such-set"]) == 2
    assert "known:" in capsys.readouterr().err
    assert main(["eval"]) == 2


def test_review_command_serves_loopback_only(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["review", str(tmp_path), "--host", "0.0.0.0"])
    assert "not a loopback address" in capsys.readouterr().err


def test_review_command_refuses_a_folder_without_results(tmp_path, capsys):
    pytest.importorskip("fastapi")
    assert main(["review", str(tmp_path)]) == 2
    assert "no extractions.jsonl" in capsys.readouterr().err
