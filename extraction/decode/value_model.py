"""A learned prior over cell values, for splits no identity decides (`2159165` in 行政规范性文件 is
21 / 59 / 165, not one cell of two million and two blanks).

Two multinomial logistic models, fitted by `training/value_model/train.py` (scikit-learn) and
shipped as coefficients in `models/value_model.json`, evaluated here in plain Python:

- the **cell model**: P(magnitude class | field) — zero, or the power of ten of the value (negative or not)
  (a count's digit length; a money cell's order in 万元);
- the **relation model**: P(relation class | pair of cells of one printed row) — equal, one zero,
  or the power of ten of their ratio (现行有效件数 vs 本年制发件数, a cell vs its row's 总计, 采购项目数量
  vs 采购总金额).

A candidate's cost is the sum of −log P over its cells and its row's pairs; all costs are ≥ 0, so
the candidate search can still prune on them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL_PATH = Path(__file__).resolve().parents[2] / "models" / "value_model.json"
LOWEST_POWER, HIGHEST_POWER = -3, 6  # magnitude classes beyond these are clipped into them
LOWEST_RATIO, HIGHEST_RATIO = -4, 8
UNSEEN_LOG_PROBABILITY = math.log(1e-4)  # a class the fit never saw: rare, not impossible
YUAN_PER_WAN = 10_000  # money cells are in 万元; a ratio to a count is taken in 元


def cell_class(value: int | float) -> str:
    """The magnitude class of a printed value: `zero`, `eN` (10**N ≤ value < 10**(N+1)) or, for a
    negative 本年增/减, `nN` (10**N ≤ −value < 10**(N+1))."""
    if value == 0:
        return "zero"
    power = min(max(math.floor(math.log10(abs(value)) + 1e-9), LOWEST_POWER), HIGHEST_POWER)
    return f"n{max(power, 0)}" if value < 0 else f"e{power}"


def relation_class(first: int | float, second: int | float) -> str:
    """How two cells of a row relate: `both_zero`, `first_zero`, `second_zero`, `equal`, `neg`
    (a negative 本年增/减), or `rN` with 10**N ≤ second / first < 10**(N+1), `N` negative for second < first."""
    if first < 0 or second < 0:
        return "neg"
    if first == 0 and second == 0:
        return "both_zero"
    if first == 0:
        return "first_zero"
    if second == 0:
        return "second_zero"
    if abs(first - second) < 1e-9:
        return "equal"
    power = math.floor(math.log10(second / first) + 1e-9)
    return f"r{min(max(power, LOWEST_RATIO), HIGHEST_RATIO)}"


def field_parts(key: str) -> tuple[str, str, str]:
    """`requests.denied.state_secret.total` → (`requests`, `denied.state_secret`, `total`)."""
    table, rest = key.split(".", 1)
    row, column = rest.rsplit(".", 1)
    return table, row, column


def cell_features(template_id: str, key: str) -> list[str]:
    """One-hot features of a field: its table, row family, row and column, alone and together, so a
    field seen rarely borrows from its row and column."""
    table, row, column = field_parts(key)
    family = row.split(".", 1)[0]
    return [f"table={table}", f"column={table}.{column}", f"family={table}.{family}", f"row={table}.{row}",
            f"field={key}", f"template_field={template_id}:{key}", f"family_column={table}.{family}.{column}"]


def row_pairs(keys: list[str]) -> list[tuple[int, int]]:
    """The pairs of cells the relation model scores: within each template row of a printed row, every
    cell against the row's 总计 where it has one, else every pair in printed order."""
    by_row: dict[str, list[int]] = {}
    for n, key in enumerate(keys):
        table, row, _ = field_parts(key)
        by_row.setdefault(f"{table}.{row}", []).append(n)
    pairs = []
    for cells in by_row.values():
        totals = [n for n in cells if keys[n].endswith(".total")]
        if totals:
            pairs += [(n, totals[0]) for n in cells if n != totals[0]]
        else:
            pairs += [(a, b) for i, a in enumerate(cells) for b in cells[i + 1:]]
    return pairs


def pair_features(template_id: str, first: str, second: str) -> list[str]:
    table, row, first_column = field_parts(first)
    _, _, second_column = field_parts(second)
    family = row.split(".", 1)[0]
    columns = f"{first_column}>{second_column}"
    return [f"table={table}", f"columns={table}:{columns}", f"family_columns={table}.{family}:{columns}",
            f"row_columns={table}.{row}:{columns}", f"template_row_columns={template_id}:{table}.{row}:{columns}"]


def ratio_operands(first: int | float, second: int | float) -> tuple[float, float]:
    """Values as the relation compares them: money in 元 beside a count (采购: items vs amount)."""
    return first, second * YUAN_PER_WAN if isinstance(second, float) and not isinstance(first, float) else second


@dataclass(frozen=True)
class LogLinear:
    """A fitted multinomial logistic model over one-hot string features."""

    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]  # feature → one weight per class

    def log_probabilities(self, features: tuple[str, ...]) -> dict[str, float]:
        scores = list(self.intercept)
        for feature in features:
            for c, w in enumerate(self.weights.get(feature, ())):
                scores[c] += w
        top = max(scores)
        norm = top + math.log(sum(math.exp(s - top) for s in scores))
        return {name: s - norm for name, s in zip(self.classes, scores)}

    @classmethod
    def from_json(cls, data: dict) -> "LogLinear":
        return cls(tuple(data["classes"]), tuple(data["intercept"]),
                   {feature: tuple(ws) for feature, ws in data["weights"].items()})


class ValueModel:
    def __init__(self, cells: LogLinear, relations: LogLinear, trained_on: str = ""):
        self.cells = cells
        self.relations = relations
        self.trained_on = trained_on  # what the fit used, as the training script recorded it
        self._cell_cache: dict[tuple[str, str], dict[str, float]] = {}
        self._pair_cache: dict[tuple[str, str, str], dict[str, float]] = {}

    @classmethod
    def from_json(cls, data: dict) -> "ValueModel":
        return cls(LogLinear.from_json(data["cells"]), LogLinear.from_json(data["relations"]), data.get("trained_on", ""))

    def cell_cost(self, template_id: str, key: str, value: int | float | None) -> float:
        """−log P(the value's magnitude class | field); a blank cell is the blank cost's business."""
        if value is None:
            return 0.0
        cached = self._cell_cache.get((template_id, key))
        if cached is None:
            cached = self.cells.log_probabilities(tuple(cell_features(template_id, key)))
            self._cell_cache[(template_id, key)] = cached
        return -cached.get(cell_class(value), UNSEEN_LOG_PROBABILITY)

    def pair_cost(self, template_id: str, first_key: str, first: int | float | None,
                  second_key: str, second: int | float | None) -> float:
        if first is None or second is None:
            return 0.0
        cached = self._pair_cache.get((template_id, first_key, second_key))
        if cached is None:
            cached = self.relations.log_probabilities(tuple(pair_features(template_id, first_key, second_key)))
            self._pair_cache[(template_id, first_key, second_key)] = cached
        return -cached.get(relation_class(*ratio_operands(first, second)), UNSEEN_LOG_PROBABILITY)


def load_value_model(path: Path = DEFAULT_MODEL_PATH) -> ValueModel:
    return ValueModel.from_json(json.loads(path.read_text(encoding="utf-8")))
