"""When the locator model was last trained, for the review page: `trained_at` as the trainer
records it in the model's `training.json`; a model trained before the trainer recorded it shows
the date of its weights file instead (a checkout's date, not the training's), said as such."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


@dataclass(frozen=True)
class ModelStatus:
    folder: Path
    trained_at: str | None  # ISO time, UTC, as training.json records it
    weights_dated: str | None  # the weights file's date, where training.json records no time
    documents: int | None  # how many labelled documents it was trained on


def model_status(folder: Path) -> ModelStatus:
    summary: dict = {}
    try:
        loaded = json.loads((folder / "training.json").read_text(encoding="utf-8"))
        summary = loaded if isinstance(loaded, dict) else {}
    except (OSError, json.JSONDecodeError):
        pass
    documents = summary.get("documents") if isinstance(summary.get("documents"), int) else None
    if isinstance(summary.get("trained_at"), str):
        return ModelStatus(folder, summary["trained_at"], None, documents)
    weights = folder / "model.safetensors"
    if weights.is_file():
        stamp = datetime.fromtimestamp(weights.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")
        return ModelStatus(folder, None, stamp, documents)
    return ModelStatus(folder, None, None, None)
