"""Labels saved by the review page are a training folder: `govreport train` runs on them, and the
trained model's card lists them."""

import json

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("torch")
pytest.importorskip("transformers")

from fastapi.testclient import TestClient  # noqa: E402

from extraction.model.registry import MODELS_DIR  # noqa: E402
from govreport.cli import main  # noqa: E402
from review.app import create_app  # noqa: E402
from tests.review.conftest import review_config  # noqa: E402
from tests.review.test_app import document_numbers, every_value, local_client  # noqa: E402


@pytest.mark.heavy
def test_govreport_train_runs_on_labels_saved_by_the_page(workspace, templates, tmp_path, capsys):
    client = local_client(workspace, templates)
    numbers = document_numbers(client)
    for name, template in (("00000_text_tabs.txt", "2021"), ("00008_pdf.pdf", "2019")):
        fields = every_value(client, numbers[name], template, {})
        assert client.post(f"/doc/{numbers[name]}/label", json={"template": template, "fields": fields}).status_code == 200
    labels, out = workspace["labels"], tmp_path / "retrained"
    init = ["--init", "default"] if (MODELS_DIR / "default" / "config.json").exists() else []
    assert main(["train", "--data", str(labels), *init, "--out", str(out), "--max-steps", "2", "--batch-size", "64",
                 "--window", "256", "--logging-steps", "1"]) == 0
    assert "trained on 2 documents" in capsys.readouterr().out
    summary = json.loads((out / "training.json").read_text(encoding="utf-8"))
    trained_on = sorted(d["path"] for d in summary["trained_on"])
    assert trained_on == [str(labels / "00000_text_tabs.txt"), str(labels / "00008_pdf.pdf")]
    assert summary["trained_at"] and summary["options"]["init"] == (init[1] if init else None)
    card = (out / "README.md").read_text(encoding="utf-8")
    for document in summary["trained_on"]:
        assert document["path"] in card and document["gold_sha256"] in card
    assert f"Data folders: `{labels}`" in card

    # the review page now says when the model was last trained, from its training.json
    page = TestClient(create_app(review_config(workspace, model=out), templates), base_url="http://127.0.0.1").get("/").text
    assert summary["trained_at"] in page and "on 2 documents" in page
