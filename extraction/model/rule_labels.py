"""The rule-based locator's findings as word labels in the model's label set: the model's second
input (`layoutlm.RuleInformedLayoutLM`), made the same way for training and for inference.

- a row label the rules found → `ROW.<table>.<row>` over its characters;
- each value unit of a located row → `VAL.<table>.<row>` (a wide table's units go to its rows by
  the cell the grid or the separators put them in, else in order, by the rows' cell counts);
- a section heading → `HEAD.<canonical>` over its numeral and title.
Titles are not marked: the rules' title pattern gives the agency and year as text, not a place.
"""

from __future__ import annotations

from extraction.locate.rules import Located
from extraction.model.labels import HEAD, NO_CANONICAL, ROW, VAL, LabelledSpan, word_labels
from extraction.model.words import Word


def rule_spans(located: Located) -> list[LabelledSpan]:
    spans = [LabelledSpan(s.position, s.position + len(s.number) + 1 + len(s.title),
                          f"{HEAD}.{s.canonical or NO_CANONICAL}") for s in located.sections]
    for row in located.rows:
        if row.label is not None:
            spans.append(LabelledSpan(*row.label, f"{ROW}.{row.table}.{row.row}"))
        table = located.template.table(row.table)
        specs = {spec.key: spec for spec in table.rows}
        cell_rows = [key for key in row.rows for _ in table.row_columns(specs[key])]
        for n, unit in enumerate(row.units):
            if unit.position is None:
                continue
            # A wide table's unit by the cell the grid or separators put it in, else by its place.
            cell = unit.column_hint if unit.column_hint is not None else n
            key = cell_rows[min(max(cell, 0), len(cell_rows) - 1)] if cell_rows else row.row
            spans.append(LabelledSpan(unit.position, unit.position + max(1, len(unit.text)), f"{VAL}.{row.table}.{key}"))
    return spans


def rule_labels(words: list[Word], located: Located) -> list[str]:
    return word_labels(words, rule_spans(located))
