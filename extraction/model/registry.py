"""One way to load a locator model: by name (`default` → `models/default/`) or by folder.

A model folder is in Hugging Face layout: `config.json` (with `id2label`), `model.safetensors`,
the tokenizer files (`vocab.txt`, `tokenizer.json`, `tokenizer_config.json`) and `README.md`, the
model card.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extraction.model.network import make_tokenizer, windows
from extraction.model.words import Word

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
DEFAULT_MODEL = "default"


class ModelNotFound(ValueError):
    pass


def model_dir(name_or_folder: str) -> Path:
    """A folder holding `config.json`, or the name of one under `models/`."""
    for candidate in (Path(name_or_folder), MODELS_DIR / name_or_folder):
        if (candidate / "config.json").is_file():
            return candidate
    raise ModelNotFound(f"no locator model {name_or_folder!r}: neither a folder with config.json "
                        f"nor a name under {MODELS_DIR}")


@dataclass(frozen=True)
class InferenceOptions:
    threads: int = 1  # torch intra-op threads: the machine's cores are shared
    batch_size: int = 8  # windows per forward pass


class LocatorModel:
    """The network, its tokenizer and its labels, ready to label a document's words."""

    def __init__(self, network, tokenizer, options: InferenceOptions):
        self.network = network
        self.tokenizer = tokenizer
        self.options = options
        config = network.config
        self.labels = [config.id2label[n] for n in range(len(config.id2label))]
        self.window = config.max_position_embeddings

    @classmethod
    def load(cls, name_or_folder: str, options: InferenceOptions) -> "LocatorModel":
        import torch
        from transformers import LayoutLMForTokenClassification

        folder = model_dir(name_or_folder)
        torch.set_num_threads(options.threads)
        network = LayoutLMForTokenClassification.from_pretrained(folder)
        network.eval()
        return cls(network, make_tokenizer(folder / "vocab.txt"), options)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.network.save_pretrained(folder)
        self.tokenizer.save_pretrained(folder)
        # transformers 5 writes tokenizer.json only; the WordPiece vocabulary is what `load` reads.
        vocabulary = sorted(self.tokenizer.get_vocab().items(), key=lambda item: item[1])
        (folder / "vocab.txt").write_text("".join(f"{piece}\n" for piece, _ in vocabulary), encoding="utf-8")

    def predict(self, words: list[Word]) -> list[str]:
        """A label per word: logits averaged over the windows that hold the word's first piece."""
        import torch

        document_windows = windows(self.tokenizer, words, None, self.window)
        totals = torch.zeros(len(words), len(self.labels))
        seen = torch.zeros(len(words))
        with torch.inference_mode():
            for first in range(0, len(document_windows), self.options.batch_size):
                batch = document_windows[first:first + self.options.batch_size]
                width = max(len(w.input_ids) for w in batch)
                pad = self.tokenizer.pad_token_id

                def padded(rows: list[list], filler) -> torch.Tensor:
                    return torch.tensor([row + [filler] * (width - len(row)) for row in rows])

                logits = self.network(
                    input_ids=padded([w.input_ids for w in batch], pad),
                    bbox=padded([w.bbox for w in batch], [0, 0, 0, 0]),
                    token_type_ids=padded([w.token_type_ids for w in batch], 0),
                    attention_mask=padded([[1] * len(w.input_ids) for w in batch], 0),
                ).logits
                for row, window in enumerate(batch):
                    for position, word in enumerate(window.words):
                        if word >= 0:
                            totals[word] += logits[row, position]
                            seen[word] += 1
        best = totals.argmax(dim=-1).tolist()
        return [self.labels[label] if seen[n] else "O" for n, label in enumerate(best)]


