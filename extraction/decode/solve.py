"""Choose one candidate per row so that reading costs plus identity violations are least.

Identities are soft with a large price: a violation is what remains when satisfying the identity
would need readings the evidence does not allow (a confident print is never read otherwise), and
the decoder then reports it as the document's own break. When every row's cheapest candidate
already satisfies every identity, that choice is optimal and no solver runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from extraction.decode.candidates import RowCandidate
from extraction.templates import Identity

SCALE = 1000  # CP-SAT works on integers: costs in thousandths of a nat
MONEY_SCALE = 1_000_000  # identities over decimals compare to the sixth decimal


@dataclass
class RowSlot:
    keys: list[str]  # the row's field keys, in cell order
    candidates: list[RowCandidate]


@dataclass
class Choice:
    chosen: list[int]  # candidate index per row
    violated: list[Identity]
    optimal: bool


def _values(slots: list[RowSlot], chosen: list[int]) -> dict[str, int | float | None]:
    values: dict[str, int | float | None] = {}
    for slot, index in zip(slots, chosen):
        candidate = slot.candidates[index]
        values.update({key: candidate.value_of(n) for n, key in enumerate(slot.keys)})
    return values


def choose(slots: list[RowSlot], identities: list[Identity], penalty: float, time_limit_s: float) -> Choice:
    cheapest = [min(range(len(s.candidates)), key=lambda k: s.candidates[k].cost) for s in slots]
    values = _values(slots, cheapest)
    violated = [i for i in identities if not i.holds(values)]
    if not violated:
        return Choice(cheapest, [], True)
    return _solve(slots, identities, penalty, time_limit_s)


def _solve(slots: list[RowSlot], identities: list[Identity], penalty: float, time_limit_s: float) -> Choice:
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    picks = []
    location: dict[str, tuple[int, int]] = {}
    for r, slot in enumerate(slots):
        row_picks = [model.NewBoolVar(f"r{r}c{k}") for k in range(len(slot.candidates))]
        model.AddExactlyOne(row_picks)
        picks.append(row_picks)
        for n, key in enumerate(slot.keys):
            location[key] = (r, n)
    broken_flags = []
    for identity in identities:
        terms = []
        for sign, keys in ((1, identity.left), (-1, identity.right)):
            for key in keys:
                if key not in location:
                    continue
                r, n = location[key]
                for k, candidate in enumerate(slots[r].candidates):
                    value = candidate.value_of(n) or 0
                    scaled = round(value * (MONEY_SCALE if isinstance(value, float) else 1))
                    if scaled:
                        terms.append(sign * scaled * picks[r][k])
        broken = model.NewBoolVar(f"broken:{identity.name}")
        model.Add(sum(terms) == 0).OnlyEnforceIf(broken.Not())
        broken_flags.append(broken)
    model.Minimize(
        sum(round(c.cost * SCALE) * picks[r][k] for r, slot in enumerate(slots) for k, c in enumerate(slot.candidates))
        + round(penalty * SCALE) * sum(broken_flags)
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1  # deterministic, and the batch runs documents in parallel
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        cheapest = [min(range(len(s.candidates)), key=lambda k: s.candidates[k].cost) for s in slots]
        values = _values(slots, cheapest)
        return Choice(cheapest, [i for i in identities if not i.holds(values)], False)
    chosen = [next(k for k, var in enumerate(row) if solver.Value(var)) for row in picks]
    values = _values(slots, chosen)
    return Choice(chosen, [i for i in identities if not i.holds(values)], status == cp_model.OPTIMAL)
