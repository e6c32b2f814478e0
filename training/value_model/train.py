"""Fit the decoder's value model (`extraction/decode/value_model.py`) and write its coefficients.

    python -m training.value_model.train --out models/value_model.json
        [--factory-docs 1500] [--seed 731] [--labelled ../shared/real-reports] [--exclude pt_shs_2024 ...]

Data: the factory's values (`training.synth.values.sample_values`, both templates, `--factory-docs`
documents each, seed `--seed`; no rendering needed) and every labelled report's gold values
(`X.json` beside a document `X.*` under `--labelled`, searched recursively), each real report weighted
`--real-weight` times a factory document. `--exclude` leaves reports out by name (the leave-one-out
harness, `benchmarks/crawled.py`, refits without the report it scores). Needs scikit-learn;
extraction only reads the JSON it writes.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from extraction.decode.value_model import (HIGHEST_POWER, HIGHEST_RATIO, LOWEST_POWER, LOWEST_RATIO, cell_class,
                                           cell_features, pair_features, ratio_operands, relation_class, row_pairs)
from extraction.inputs import expand_inputs
from extraction.templates import CellKind, Template, load_templates
from training.synth.values import ValueOptions, sample_values

REPO = Path(__file__).resolve().parents[2]
CELL_CLASSES = ["zero", *(f"e{p}" for p in range(LOWEST_POWER, HIGHEST_POWER + 1)),
                *(f"n{p}" for p in range(0, HIGHEST_POWER + 1))]
RELATION_CLASSES = ["both_zero", "first_zero", "second_zero", "equal", "neg",
                    *(f"r{p}" for p in range(LOWEST_RATIO, HIGHEST_RATIO + 1))]
PSEUDO_WEIGHT = 0.01  # one example of every class, features-free: no class is impossible


@dataclass(frozen=True)
class FitOptions:
    factory_docs: int = 1500
    seed: int = 731
    real_weight: float = 30.0  # a hand-checked real report counts as this many factory documents
    regularisation: float = 3.0  # scikit-learn's C


@dataclass(frozen=True)
class LabelledValues:
    name: str  # the gold file's stem, what --exclude names
    template_id: str
    fields: dict[str, int | float | None]


def labelled_reports(folder: Path) -> list[LabelledValues]:
    """Every document under `folder` with its gold `X.json` beside it."""
    reports = []
    for document in expand_inputs([folder]):
        gold = document.with_suffix(".json")
        if gold.exists():
            data = json.loads(gold.read_text(encoding="utf-8"))
            reports.append(LabelledValues(gold.stem, data["template"], data["fields"]))
    return reports


def factory_values(templates: dict[str, Template], options: FitOptions) -> list[LabelledValues]:
    rng = random.Random(f"value-model:{options.seed}")
    return [LabelledValues(f"factory{n}", tid, sample_values(rng, templates[tid], ValueOptions()).fields)
            for n in range(options.factory_docs) for tid in sorted(templates)]


def _typed(template: Template, key: str, value: int | float) -> int | float:
    return float(value) if template.fields[key].kind is CellKind.MONEY else int(value)


def examples(templates: dict[str, Template], reports: list[LabelledValues], weight: float,
             cells: Counter, relations: Counter) -> None:
    """Counts (features, class) → summed weight: identical examples fit as one weighted row."""
    for report in reports:
        template = templates[report.template_id]
        for key, value in report.fields.items():
            if value is not None and key in template.fields:
                cells[(tuple(cell_features(report.template_id, key)), cell_class(_typed(template, key, value)))] += weight
        for table in template.tables:
            for row in table.rows:
                keys = [f"{table.key}.{row.key}.{c.key}" for c in table.row_columns(row)]
                for a, b in row_pairs(keys):
                    first, second = report.fields.get(keys[a]), report.fields.get(keys[b])
                    if first is None or second is None:
                        continue
                    operands = ratio_operands(_typed(template, keys[a], first), _typed(template, keys[b], second))
                    relations[(tuple(pair_features(report.template_id, keys[a], keys[b])),
                               relation_class(*operands))] += weight


def fit_log_linear(counts: Counter, classes: list[str], regularisation: float) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = list(counts.items()) + [(((), c), PSEUDO_WEIGHT) for c in classes]
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([{f: 1.0 for f in features} for (features, _), _ in rows])
    y = [label for (_, label), _ in rows]
    model = LogisticRegression(C=regularisation, max_iter=2000)
    model.fit(x, y, sample_weight=[w for _, w in rows])
    names = list(model.classes_)
    return {"classes": names, "intercept": [round(float(v), 5) for v in model.intercept_],
            "weights": {feature: [round(float(model.coef_[c][j]), 5) for c in range(len(names))]
                        for j, feature in enumerate(vectorizer.feature_names_)}}


@dataclass(frozen=True)
class ExampleCounts:
    cells: Counter
    relations: Counter


def factory_counts(templates: dict[str, Template], options: FitOptions) -> ExampleCounts:
    """The factory's examples, counted once: a leave-one-out run refits many times on the same ones."""
    counts = ExampleCounts(Counter(), Counter())
    examples(templates, factory_values(templates, options), 1.0, counts.cells, counts.relations)
    return counts


def fit(templates: dict[str, Template], real: list[LabelledValues], options: FitOptions,
        factory: ExampleCounts | None = None) -> dict:
    """The model's JSON: both log-linear models and a note of what they were fitted on."""
    factory = factory or factory_counts(templates, options)
    cells, relations = Counter(factory.cells), Counter(factory.relations)
    examples(templates, real, options.real_weight, cells, relations)
    return {
        "trained_on": (f"factory values: {options.factory_docs} documents per template, seed {options.seed}; "
                       f"labelled reports (weight {options.real_weight:g}): {', '.join(sorted(r.name for r in real))}"),
        "cells": fit_log_linear(cells, CELL_CLASSES, options.regularisation),
        "relations": fit_log_linear(relations, RELATION_CLASSES, options.regularisation),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "models" / "value_model.json")
    parser.add_argument("--labelled", type=Path, default=REPO.parent / "shared" / "real-reports")
    parser.add_argument("--exclude", nargs="*", default=[])
    parser.add_argument("--factory-docs", type=int, default=FitOptions.factory_docs)
    parser.add_argument("--seed", type=int, default=FitOptions.seed)
    args = parser.parse_args()
    options = FitOptions(factory_docs=args.factory_docs, seed=args.seed)
    real = [r for r in labelled_reports(args.labelled) if r.name not in set(args.exclude)] if args.labelled.is_dir() else []
    model = fit(load_templates(), real, options)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {model['trained_on']}")


if __name__ == "__main__":
    main()
