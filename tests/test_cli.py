import json

from govreport.cli import main


def test_synth_command_writes_documents(tmp_path, capsys):
    assert main(["synth", "--n", "3", "--seed", "5", "--styles", "text_tabs,markdown", "--out", str(tmp_path)]) == 0
    manifest = [json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [m["style"] for m in manifest] == ["text_tabs", "markdown", "text_tabs"]
    assert "wrote 3 documents" in capsys.readouterr().out


def test_synth_command_rejects_unknown_style(tmp_path, capsys):
    assert main(["synth", "--n", "1", "--styles", "fax", "--out", str(tmp_path)]) == 2
    assert "unknown style" in capsys.readouterr().err
