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
    # A word keeps the rule-based locator's label unless the model gives another this surely: the
    # rules are exact where labels print cleanly, and a model trained on synthetic reports reads an
    # unseen report's narrative numbers as values now and then, with middling confidence.
    overrule_at: float = 0.95


class LocatorModel:
    """The network, its tokenizer and its labels, ready to label a document's words."""

    def __init__(self, network, tokenizer, options: InferenceOptions):
        self.network = network
        self.tokenizer = tokenizer
        self.options = options
        config = network.config
        self.labels = [config.id2label[n] for n in range(len(config.id2label))]
        self.label_ids = {label: n for n, label in enumerate(self.labels)}
        self.window = config.max_position_embeddings

    @classmethod
    def load(cls, name_or_folder: str, options: InferenceOptions) -> "LocatorModel":
        import torch

        from extraction.model.layoutlm import RuleInformedLayoutLM

        folder = model_dir(name_or_folder)
        torch.set_num_threads(options.threads)
        network = RuleInformedLayoutLM.from_pretrained(folder)
        network.eval()
        return cls(network, make_tokenizer(folder / "vocab.txt"), options)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.network.save_pretrained(folder)
        self.tokenizer.save_pretrained(folder)
        # transformers 5 writes tokenizer.json only; the WordPiece vocabulary is what `load` reads.
        vocabulary = sorted(self.tokenizer.get_vocab().items(), key=lambda item: item[1])
        (folder / "vocab.txt").write_text("".join(f"{piece}\n" for piece, _ in vocabulary), encoding="utf-8")

    def rule_ids(self, rule_labels: list[str]) -> list[int]:
        """The rules' word labels as the network's second input (a label it lacks reads as `O`)."""
        return [self.label_ids.get(label, 0) for label in rule_labels]

    def predict(self, words: list[Word], rule_labels: list[str]) -> tuple[list[str], list[float]]:
        """A label per word and its probability: logits averaged over the windows that hold the
        word's first piece; the rules' label where the model is less sure of another than
        `options.overrule_at`. `rule_labels`: per word, as `rule_labels.rule_labels` gives them."""
        import torch

        rule_ids = self.rule_ids(rule_labels)
        document_windows = windows(self.tokenizer, words, None, rule_ids, self.window)
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
                    rule_ids=padded([w.rule_ids for w in batch], 0),
                    bbox=padded([w.bbox for w in batch], [0, 0, 0, 0]),
                    token_type_ids=padded([w.token_type_ids for w in batch], 0),
                    attention_mask=padded([[1] * len(w.input_ids) for w in batch], 0),
                ).logits
                owners = padded([w.words for w in batch], -1)
                first_pieces = owners >= 0
                totals.index_add_(0, owners[first_pieces], logits[first_pieces])
                seen.index_add_(0, owners[first_pieces], torch.ones(int(first_pieces.sum())))
        probabilities = torch.softmax(totals / seen.clamp(min=1).unsqueeze(-1), dim=-1)
        confidence, best = probabilities.max(dim=-1)
        keep_rule = (confidence < self.options.overrule_at) | (seen == 0)
        chosen = torch.where(keep_rule, torch.tensor(rule_ids, dtype=torch.long), best)
        chosen_probability = probabilities.gather(1, chosen.unsqueeze(1)).squeeze(1)
        return [self.labels[label] for label in chosen.tolist()], [round(p, 4) for p in chosen_probability.tolist()]


