"""Evidence on a row's values beyond its print, as costs on its candidates (negative log-likelihoods,
all ≥ 0): the learned value model (`value_model.py`) and the numbers the report's own narrative
states about the same quantities (`narrative.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from extraction.decode.value_model import ValueModel, row_pairs

# A narrative number that disagrees with a cell: strong evidence (the text restates the table), not
# proof (a report may count differently in its text), so below the price of a broken identity.
NARRATIVE_MISMATCH_COST = 3.0


@dataclass
class RowPrior:
    template_id: str
    keys: list[str]
    model: ValueModel | None
    stated: dict[int, float] = field(default_factory=dict)  # cell index → the value the narrative states

    def __post_init__(self) -> None:
        self._pairs = row_pairs(self.keys) if self.model is not None else []

    def narrative_only(self) -> "RowPrior | None":
        """This prior without the value model (a row with no split to weigh), None if nothing is left."""
        return RowPrior(self.template_id, self.keys, None, self.stated) if self.stated else None

    def cell_cost(self, index: int, value: int | float | None) -> float:
        if self.model is None:
            return 0.0
        return self.model.cell_cost(self.template_id, self.keys[index], value)

    def row_cost(self, values: list[int | float | None]) -> float:
        """The relation model over the row's cell pairs, and the narrative's disagreements."""
        cost = 0.0
        if self.model is not None:
            cost += sum(self.model.pair_cost(self.template_id, self.keys[a], values[a], self.keys[b], values[b])
                        for a, b in self._pairs)
        cost += sum(NARRATIVE_MISMATCH_COST for n, stated in self.stated.items()
                    if values[n] is None or abs(values[n] - stated) > 1e-6)
        return cost
