import json

from review.model_status import model_status


def test_training_time_from_training_json_else_the_weights_date(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"weights")
    fallback = model_status(tmp_path)
    assert fallback.trained_at is None and fallback.weights_dated
    (tmp_path / "training.json").write_text(json.dumps({"trained_at": "2026-01-02T03:04:05+00:00", "documents": 7}))
    status = model_status(tmp_path)
    assert (status.trained_at, status.weights_dated, status.documents) == ("2026-01-02T03:04:05+00:00", None, 7)
    assert model_status(tmp_path / "none").trained_at is None
