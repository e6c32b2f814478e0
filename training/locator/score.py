"""How well a model labels held-out documents' words, per style (the issue's acceptance figures):

- `value_field`: value words tagged with the right field (of the words labelled as values);
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


def score_documents(model: LocatorModel, documents: list[LabelledDocument]) -> dict[str, dict]:
    from seqeval.metrics import f1_score
    from sklearn.metrics import accuracy_score

    by_style: dict[str, list[tuple[list[str], list[str]]]] = defaultdict(list)
    for document in documents:
        by_style[document.style].append((document.labels, model.predict(document.words)))
    scores = {}
    for style, pairs in sorted(by_style.items()) + [("all", [p for ps in by_style.values() for p in ps])]:
        gold = [label for g, _ in pairs for label in g]
        predicted = [label for _, p in pairs for label in p]

        def tagged(kind: str) -> tuple[int, int]:
            chosen = [(g, p) for g, p in zip(gold, predicted) if g != "O" and g[2:].startswith(kind + ".")]
            return sum(g[2:] == p[2:] for g, p in chosen), len(chosen)

        scores[style] = {"documents": len(pairs), "words": len(gold),
                         "token_accuracy": round(accuracy_score(gold, predicted), 4),
                         "entity_f1": round(f1_score([g for g, _ in pairs], [p for _, p in pairs]), 4),
                         "value_field": _share(*tagged(VAL)), "values": tagged(VAL)[1],
                         "heading": _share(*tagged(HEAD)), "row_label": _share(*tagged(ROW))}
    return scores
