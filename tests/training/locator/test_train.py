import shutil

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from extraction.ingest import IngestOptions  # noqa: E402
from extraction.model.registry import MODELS_DIR, InferenceOptions, LocatorModel  # noqa: E402
from training.locator.options import DataOptions, TrainingOptions  # noqa: E402
from training.locator.train import train  # noqa: E402


@pytest.mark.heavy
def test_a_few_steps_on_gold_only_labels_lower_the_loss(real_reports_dir, templates, tmp_path):
    data = tmp_path / "labelled"
    data.mkdir()
    for name in ("002_b75bfde9d9e6abd9", "003_f6753a459c0262ca"):  # documents with gold JSON only
        for suffix in (".txt", ".json"):
            shutil.copy(real_reports_dir / f"{name}{suffix}", data / f"{name}{suffix}")
    init = "default" if (MODELS_DIR / "default" / "config.json").exists() else None
    # One batch holds every window (two reports), so each step's loss is over the same data.
    options = TrainingOptions(out=tmp_path / "model", init=init, max_steps=8, batch_size=64, learning_rate=3e-4,
                              warmup_ratio=0.0, logging_steps=1, window=256)
    summary = train(DataOptions(data=[data]), options, templates, IngestOptions(), log=lambda _: None)
    assert summary["windows"] <= options.batch_size
    losses = [loss for _, loss in summary["losses"]]
    assert losses[-1] < losses[0]
    model = LocatorModel.load(str(options.out), InferenceOptions())
    assert model.labels[0] == "O" and (options.out / "model.safetensors").exists()
