"""The constrained decoder: row evidence → the spec's `fields`, `checks` and `warnings`.

A misread or misaligned cell is repaired and marked; an identity the document itself breaks is
reported as such, with the values exactly as printed (confident readings are never read as other
digits, and values only ever come from printed text).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from extraction.decode.candidates import CRAWLED, GlueCosts, RowCandidate, row_candidates
from extraction.decode.evidence import RowEvidence
from extraction.decode.narrative import Statement
from extraction.decode.priors import RowPrior
from extraction.decode.readings import UNREAD
from extraction.decode.solve import RowSlot, choose
from extraction.decode.value_model import ValueModel
from extraction.templates import Template


UNLOCATED_CONFIDENCE = 0.5  # a cell of a row the locator did not find: null, but maybe printed unseen
OCR_BLANK_CONFIDENCE = 0.8  # a blank cell among OCR'd values, after the cell was read again alone
GLUED_ROW_SHARE = 0.5  # of a document's multi-cell rows that read as glued runs: then the page is crawled text


@dataclass(frozen=True)
class DecoderOptions:
    identity_penalty: float = 8.0  # cost of leaving an identity broken (nats); above any confident change
    time_limit_s: float = 2.0  # CP-SAT limit per document; the best solution found so far is kept


@dataclass(frozen=True)
class FieldResult:
    value: int | float | None
    text: str | None  # the cell as read
    confidence: float
    repaired: bool
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    offset: int | None = None


@dataclass(frozen=True)
class Check:
    identity: str
    holds: bool
    source_breaks: bool


@dataclass(frozen=True)
class Priors:
    """What the decoder weighs besides the print and the identities: the learned value model (None:
    print and identities alone) and the numbers the report's narrative states, per field key."""

    value_model: ValueModel | None = None
    stated: dict[str, Statement] = field(default_factory=dict)


@dataclass
class Decoded:
    fields: dict[str, FieldResult]
    checks: list[Check]
    warnings: list[str] = field(default_factory=list)
    optimal: bool = True
    # Rows read by splitting a glued run where the print allowed more than one split (their keys).
    ambiguous_splits: list[tuple[str, ...]] = field(default_factory=list)


def _row_keys(template: Template, table: str, row: str) -> list[str]:
    spec = template.table(table)
    row_spec = next(r for r in spec.rows if r.key == row)
    return [f"{table}.{row}.{c.key}" for c in spec.row_columns(row_spec)]


def _printed_rows(template: Template, evidence: dict[tuple[str, str], RowEvidence]) -> list[tuple[str, str]]:
    """The template's rows, plus an optional row (（六）其他处理 as one row) where the document prints it."""
    rows = []
    for table in template.tables:
        for row in table.rows:
            found = evidence.get((table.key, row.key))
            if not row.optional or (found is not None and found.printed):
                rows.append((table.key, row.key))
    return rows


def _confidences(slot: RowSlot, chosen_index: int, values: dict, identities: list, penalty: float) -> list[float]:
    """Per cell, how sure the choice is against the best candidate of this row that puts another
    value there (the other rows held fixed): a logistic of the cost margin."""
    position = {key: n for n, key in enumerate(slot.keys)}
    # Each identity touching the row as: the rest of its terms summed, and the row's (cell, sign)s.
    relevant = []
    for identity in identities:
        own = [(position[k], sign) for k, sign in identity.signed_terms if k in position]
        if own:
            rest = sum(sign * (values.get(k) or 0) for k, sign in identity.signed_terms if k not in position)
            relevant.append((rest, own))

    def total(candidate: RowCandidate) -> float:
        broken = sum(1 for rest, own in relevant
                     if abs(rest + sum(sign * (candidate.value_of(n) or 0) for n, sign in own)) > 1e-6)
        return candidate.cost + penalty * broken

    totals = [total(c) for c in slot.candidates]
    chosen = slot.candidates[chosen_index]
    confidences = []
    for n in range(len(slot.keys)):
        rivals = [t for c, t in zip(slot.candidates, totals) if c.value_of(n) != chosen.value_of(n)]
        margin = min(rivals) - totals[chosen_index] if rivals else math.inf
        confidences.append(1.0 if margin == math.inf else 1.0 / (1.0 + math.exp(-margin)))
    return confidences


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def glued_document(rows: list[tuple[RowEvidence, int]]) -> bool:
    """Whether the document glues its table cells, as a crawled page does: most rows of several cells
    print fewer runs than cells, with digits enough for every cell (`0000000` for seven)."""
    multi = [(r, cells) for r, cells in rows if r.printed and r.units and cells > 1]
    glued = [r for r, cells in multi if len(r.units) < cells and sum(_digits(u.text) for u in r.units) >= cells]
    return bool(multi) and len(glued) >= GLUED_ROW_SHARE * len(multi)


def decode(template: Template, rows: list[RowEvidence], options: DecoderOptions = DecoderOptions(),
           priors: Priors = Priors()) -> Decoded:
    evidence = {(r.table, key): r for r in rows for key in r.rows}
    printed = _printed_rows(template, evidence)
    # Sub-rows an optional row stands for where it is printed: their cells stay null.
    replaced = {k for t in template.tables for r in t.rows if r.optional and (t.key, r.key) in printed
                for k in r.replaces}
    slot_rows: list[tuple[RowEvidence, list[str]]] = []
    for table, row in printed:
        row_evidence = evidence.get((table, row)) or RowEvidence(table, row, printed=False)
        if row in replaced:  # known blank: the document prints the row that stands for it
            row_evidence = RowEvidence(table, row, printed=True)
        if row != row_evidence.row:
            continue  # a later row of a wide printed row: decoded with its first row
        slot_rows.append((row_evidence, [k for r in row_evidence.rows for k in _row_keys(template, table, r)]))
    glued = glued_document([(r, len(keys)) for r, keys in slot_rows])
    glue = CRAWLED if glued else GlueCosts()
    # The value model weighs splits where a page glues its cells; elsewhere a lone run beside blank
    # cells is one value, placed by the grid and the identities (a prior would only move it).
    value_model = priors.value_model if glued else None
    slots: list[RowSlot] = []
    slot_evidence: list[RowEvidence] = []
    for row_evidence, keys in slot_rows:
        kinds = [template.fields[k].kind for k in keys]
        in_row = [i for i in template.identities if set(i.fields) <= set(keys)]
        across = sum(1 for i in template.identities if set(i.fields) & set(keys) and not set(i.fields) <= set(keys))
        slack = options.identity_penalty * across
        stated = {n: priors.stated[k].value for n, k in enumerate(keys) if k in priors.stated}
        prior = RowPrior(template.id, keys, value_model, stated)
        slots.append(RowSlot(keys, row_candidates(row_evidence, kinds, keys, in_row, slack, glue, prior)))
        slot_evidence.append(row_evidence)
    active_keys = {k for slot in slots for k in slot.keys}
    identities = [i for i in template.identities if any(k in active_keys for k in i.fields)]
    choice = choose(slots, identities, options.identity_penalty, options.time_limit_s)

    values = {k: slot.candidates[c].value_of(n) for slot, c in zip(slots, choice.chosen) for n, k in enumerate(slot.keys)}
    read_by_ocr = any(not u.confident for r in slot_evidence for u in r.units)
    fields: dict[str, FieldResult] = {}
    warnings: list[str] = []
    for slot, chosen_index, row_evidence in zip(slots, choice.chosen, slot_evidence):
        chosen = slot.candidates[chosen_index]
        alignment = _confidences(slot, chosen_index, values, identities, options.identity_penalty)
        for n, key in enumerate(slot.keys):
            cell = chosen.cells[n]
            unit = row_evidence.units[cell.unit] if cell.unit is not None else None
            repaired = cell.read is not None and cell.read != cell.text
            if unit is not None:
                reading = unit.confidence * (0.9 if repaired else 1.0)
            elif not row_evidence.printed:  # a blank cell of a row whose label was not found: a guess
                reading = UNLOCATED_CONFIDENCE
            elif any(not u.confident for u in row_evidence.units) or (not row_evidence.units and read_by_ocr):
                reading = OCR_BLANK_CONFIDENCE  # a scan's detector may miss a glyph, or a whole row's
            else:  # a blank cell of a row found in text: sure
                reading = 1.0
            reading *= row_evidence.located_confidence
            fields[key] = FieldResult(
                value=cell.value, text=cell.read, confidence=round(reading * alignment[n], 4), repaired=repaired,
                page=unit.page if unit else None, bbox=unit.bbox if unit else None, offset=unit.offset if unit else None)
            if repaired and cell.read == UNREAD:
                warnings.append(f"{key}: printed but unreadable, taken as {cell.text!r}, the likeliest value the identities allow")
            elif repaired:
                warnings.append(f"{key}: read {cell.read!r}, chosen {cell.text!r} so that the identities hold")
        warnings += [f"{row_evidence.table}.{'+'.join(row_evidence.rows)}: {note}" for note in chosen.notes
                     if note.startswith("dropped")]
    for key, statement in priors.stated.items():
        chosen_value = values.get(key)
        if key in fields and (chosen_value is None or abs(chosen_value - statement.value) > 1e-6):
            warnings.append(f"{key}: the table says {fields[key].text or 'nothing'}, the narrative "
                            f"{statement.text!r}")
    checks = []
    broken_names = {i.name for i in choice.violated}
    for identity in identities:
        holds = identity.name not in broken_names
        checks.append(Check(identity.name, holds, not holds))
        if not holds:
            left, right = identity.sums(values)
            warnings.append(f"{identity.name}: the document breaks it as printed ({_number(left)} ≠ {_number(right)});"
                            " values kept as printed")
    if not choice.optimal:
        warnings.append("decoder: time limit reached; the best solution found is reported")
    return Decoded(fields, checks, warnings, choice.optimal, _ambiguous_splits(slots, choice.chosen))


def _ambiguous_splits(slots: list[RowSlot], chosen: list[int]) -> list[tuple[str, ...]]:
    rows = []
    for slot, index in zip(slots, chosen):
        splits = {tuple(c.value_of(n) for n in range(len(slot.keys))) for c in slot.candidates
                  if any(note.startswith("split glued") for note in c.notes)}
        if len(splits) > 1 and any(note.startswith("split glued") for note in slot.candidates[index].notes):
            rows.append(tuple(slot.keys))
    return rows


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
