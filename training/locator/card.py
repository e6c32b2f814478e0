"""The model card a training run writes beside the model (`README.md`): when it was trained, from
which model, on which documents (each with its gold label's hash), with which options, and the
loss — so a model trained on labels saved by `govreport review` says so."""

from __future__ import annotations

from pathlib import Path


def model_card(summary: dict) -> str:
    options = summary["options"]
    losses = summary["losses"]
    lines = [
        f"# Locator model trained {summary['trained_at']}",
        "",
        "Written by `govreport train`; `training.json` beside it holds the same facts as data.",
        "",
        f"- Started from: {options['init'] or 'scratch (new vocabulary)'}",
        f"- Data folders: {', '.join(f'`{d}`' for d in summary['data'])}",
        f"- {summary['documents']} labelled documents, {summary['windows']} windows; "
        f"{options['max_steps']} steps × {options['batch_size']} windows, learning rate {options['learning_rate']}, "
        f"seed {options['seed']}",
        f"- Training {summary['training_seconds']} s, labelling {summary['labelling_seconds']} s",
    ]
    if losses:
        lines.append(f"- Loss {losses[0][1]:.4f} (step {losses[0][0]}) → {losses[-1][1]:.4f} (step {losses[-1][0]})")
    lines += ["", "## Training data", "", "| document | style | gold label sha256 |", "|---|---|---|"]
    lines += [f"| `{d['path']}` | {d['style']} | `{d['gold_sha256']}` |" for d in summary["trained_on"]]
    return "\n".join(lines) + "\n"


def write_model_card(folder: Path, summary: dict) -> Path:
    path = folder / "README.md"
    path.write_text(model_card(summary), encoding="utf-8")
    return path
