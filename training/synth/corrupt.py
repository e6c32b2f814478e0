"""Decoder evidence made from known values, and the corruptions flattening and OCR cause.

- `evidence_from_fields`: each row's printed values as units, in order, blank cells omitted (as a
  flattened text loses them);
- `as_ocr`: every unit an OCR reading, confident characters (0.97–1.0);
- `misread_cells`: a digit swapped for a look-alike, dropped or doubled, at low confidence;
- `glue_row`: a row's values run together with no separator (`21710000218`);
- `shift_row`: the grid puts a row's values one cell off.

Corruptions return what they changed so that a test can check the decoder undoes exactly that.
"""

from __future__ import annotations

import random
from dataclasses import replace

from extraction.decode.evidence import RowEvidence, Unit
from extraction.decode.readings import CONFUSIONS
from extraction.templates import CellKind, Template
from training.synth.tables import format_count, format_money


def evidence_from_fields(template: Template, fields: dict, rng: random.Random,
                         with_column_hints: bool = False) -> list[RowEvidence]:
    rows = []
    for table in template.tables:
        for row in table.rows:
            keys = [f"{table.key}.{row.key}.{c.key}" for c in table.row_columns(row)]
            if row.optional and keys[0] not in fields:
                continue
            units = []
            for n, key in enumerate(keys):
                value = fields.get(key)
                if value is None:
                    continue
                kind = template.fields[key].kind
                text = format_money(value, "") if kind is CellKind.MONEY else format_count(value, kind, rng)
                units.append(Unit(text, column_hint=n if with_column_hints else None))
            rows.append(RowEvidence(table.key, row.key, units, printed=not (row.optional and not units)))
    return rows


def as_ocr(rows: list[RowEvidence], rng: random.Random) -> None:
    for row in rows:
        row.units = [replace(u, confident=False, confidence=round(rng.uniform(0.97, 1.0), 4),
                             char_confidences=tuple(round(rng.uniform(0.97, 1.0), 4) for _ in u.text))
                     for u in row.units]


def misread_cells(rows: list[RowEvidence], rng: random.Random, count: int,
                  tables: tuple[str, ...] = ("requests", "review_litigation")) -> list[tuple[str, str, str]]:
    """Corrupt `count` distinct digit units; returns (table.row, printed, read) for each."""
    slots = [(row, i) for row in rows if row.table in tables for i, u in enumerate(row.units) if u.text.isdigit()]
    changed = []
    for row, i in rng.sample(slots, k=min(count, len(slots))):
        unit = row.units[i]
        text, scores = unit.text, list(unit.char_confidences or [0.99] * len(unit.text))
        kind = rng.choice(["swap", "swap", "swap", "drop", "double"]) if len(text) > 1 else rng.choice(["swap", "double"])
        position = rng.randrange(len(text))
        if kind == "swap" and text[position] in CONFUSIONS:
            new = text[:position] + rng.choice(CONFUSIONS[text[position]]) + text[position + 1:]
            scores[position] = round(rng.uniform(0.3, 0.9), 4)
        elif kind == "drop" and len(text) > 1:
            new = text[:position] + text[position + 1:]
            del scores[position]
        else:
            new = text[:position + 1] + text[position] + text[position + 1:]
            scores.insert(position, round(rng.uniform(0.4, 0.9), 4))
        if new == text or (len(new) > 1 and new[0] == "0"):
            continue
        # The engine is unsure of a token it misread (its score is low even where no single
        # character shows it, as after a lost digit).
        token_confidence = round(min(min(scores), rng.uniform(0.5, 0.9)), 4)
        row.units[i] = replace(unit, text=new, confident=False, confidence=token_confidence,
                               char_confidences=tuple(scores))
        changed.append((f"{row.table}.{row.row}", text, new))
    return changed


def glue_row(row: RowEvidence) -> str:
    """Run the row's values together into one unit; returns the glued text."""
    text = "".join(u.text for u in row.units)
    first = row.units[0]
    row.units = [replace(first, text=text, column_hint=None)]
    return text


def shift_row(row: RowEvidence, by: int = 1) -> None:
    row.units = [replace(u, column_hint=(u.column_hint or 0) + by) for u in row.units]
