"""How well a model labels held-out documents' words, per style (the issue's acceptance figures),
beside the same figures for the rules' own labels (the model's second input) on the same words:

- `value_row`: value words tagged with the right row (of the words labelled as values; a value's
  column is its place in the row, which the decoder reads);
- `heading`: heading words tagged with the right canonical id;
- `row_label`: row-label words tagged with the right row;
- `token_accuracy`: every word's label; `entity_f1`: seqeval's span F1 over all labels.
"""

from __future__ import annotations

from collections import defaultdict

from extraction.model.labels import HEAD, ROW, VAL
from extraction.model.registry import LocatorModel
from training.locator.data import LabelledDocument


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _tagged(gold: list[str], predicted: list[str], kind: str) -> tuple[int, int]:
    """Words gold labels as `kind`: how many of them `predicted` labels with the same tag, of how many."""
    chosen = [(g, p) for g, p in zip(gold, predicted) if g != "O" and g[2:].startswith(kind + ".")]
    return sum(g[2:] == p[2:] for g, p in chosen), len(chosen)


def score_documents(model: LocatorModel, documents: list[LabelledDocument]) -> dict[str, dict]:
    from seqeval.metrics import f1_score
    from sklearn.metrics import accuracy_score

    by_style: dict[str, list[tuple[list[str], list[str], list[str]]]] = defaultdict(list)
    for document in documents:
        labels, _ = model.predict(document.words, document.rule_labels)
        by_style[document.style].append((document.labels, labels, document.rule_labels))
    scores = {}
    for style, triples in sorted(by_style.items()) + [("all", [t for ts in by_style.values() for t in ts])]:
        gold = [label for g, _, _ in triples for label in g]
        predicted = [label for _, p, _ in triples for label in p]
        ruled = [label for _, _, r in triples for label in r]
        scores[style] = {"documents": len(triples), "words": len(gold),
                         "token_accuracy": round(accuracy_score(gold, predicted), 4),
                         "entity_f1": round(f1_score([g for g, _, _ in triples], [p for _, p, _ in triples]), 4),
                         "value_row": _share(*_tagged(gold, predicted, VAL)), "values": _tagged(gold, predicted, VAL)[1],
                         "heading": _share(*_tagged(gold, predicted, HEAD)),
                         "row_label": _share(*_tagged(gold, predicted, ROW)),
                         "rules_value_row": _share(*_tagged(gold, ruled, VAL)),
                         "rules_heading": _share(*_tagged(gold, ruled, HEAD)),
                         "rules_row_label": _share(*_tagged(gold, ruled, ROW))}
    return scores
