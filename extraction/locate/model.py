"""The model-based locator: a trained token classifier's word labels turned into the same
`Located` the rule-based locator makes, so the constrained decoder reads either.

- agency and year: the first words labelled `AGENCY` and `YEAR`;
- template: the fields and column headers it finds that only one template has, else by year;
- sections: each `HEAD.<canonical>` span, its numeral split off;
- rows: each value word joins the row of the field it was labelled with, in stream order; a row
  is printed where its label or a value of it was found. A `wide` table's values form one row.
"""

from __future__ import annotations

import re
from collections import Counter

from extraction.decode.evidence import RowEvidence
from extraction.document import Document
from extraction.locate.rules import Located, SectionHit, unit_at
from extraction.locate.stream import TextStream
from extraction.model.labels import AGENCY, COL, HEAD, NO_CANONICAL, ROW, VAL, YEAR, Entity, entities
from extraction.model.registry import LocatorModel
from extraction.model.words import Word, words_of
from extraction.templates import Template, template_for_year

_NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]{1,2})\s*[、.．]\s*")


def split_field_key(key: str) -> tuple[str, str, str]:
    """`table.row.column` with a dotted row (`requests.denied.state_secret.total`)."""
    table, rest = key.split(".", 1)
    row, column = rest.rsplit(".", 1)
    return table, row, column


class ModelLocator:
    def __init__(self, model: LocatorModel, templates: dict[str, Template]):
        self.model = model
        self.templates = templates

    def locate(self, document: Document) -> Located:
        stream, words = words_of(document)
        found = merged_adjacent(entities(self.model.predict(words)))
        return located_from_entities(stream, words, found, self.templates)


def merged_adjacent(found: list[Entity]) -> list[Entity]:
    """Spans of one tag that touch are one span (a model may open a heading or an agency twice);
    values stay apart, each word its own value."""
    result: list[Entity] = []
    for entity in found:
        previous = result[-1] if result else None
        if previous and previous.tag == entity.tag and previous.kind != VAL and previous.last + 1 == entity.first:
            result[-1] = Entity(entity.tag, previous.first, entity.last)
        else:
            result.append(entity)
    return result


def _text(stream: TextStream, words: list[Word], entity: Entity) -> str:
    return stream.text[words[entity.first].start:words[entity.last].end]


def _template(found: list[Entity], year: int | None, templates: dict[str, Template]) -> Template:
    votes: Counter[str] = Counter()
    for entity in found:
        if entity.kind not in (VAL, COL):
            continue
        owners = [tid for tid, t in templates.items()
                  if (entity.key in t.fields if entity.kind == VAL
                      else any(f"{table.key}.{c.key}" == entity.key for table in t.tables for c in table.columns))]
        if len(owners) == 1:
            votes[owners[0]] += 1
    if votes:
        return templates[votes.most_common(1)[0][0]]
    if year is not None:
        try:
            return template_for_year(templates, year)
        except KeyError:
            pass
    return templates["2021"]


def _values_by_row(found: list[Entity], template: Template) -> dict[tuple[str, str], list[int]]:
    """Value words by (table, row). A value belongs to the row whose label the model found last
    before it in the value's table — row labels are found more reliably than a value's exact field
    — and, before any such label, to the row of the field it was labelled with."""
    table_rows = {(table.key, row.key) for table in template.tables for row in table.rows}
    latest: dict[str, str] = {}  # table → the row whose label came last
    values: dict[tuple[str, str], list[int]] = {}
    for entity in found:
        if entity.kind == ROW:
            table, row = entity.key.split(".", 1)
            if (table, row) in table_rows:
                latest[table] = row
        elif entity.kind == VAL:
            table, row, _ = split_field_key(entity.key)
            values.setdefault((table, latest.get(table, row)), []).append(entity.first)
    return values


def located_from_entities(stream: TextStream, words: list[Word], found: list[Entity],
                          templates: dict[str, Template]) -> Located:
    agency = next((_text(stream, words, e).strip() for e in found if e.kind == AGENCY), None)
    year = None
    for entity in found:
        digits = re.sub(r"\D", "", _text(stream, words, entity)) if entity.kind == YEAR else ""
        if len(digits) == 4 and 2000 <= int(digits) <= 2099:
            year = int(digits)
            break
    template = _template(found, year, templates)
    sections: list[SectionHit] = []
    for entity in found:
        if entity.kind != HEAD:
            continue
        start = words[entity.first].start
        text = _text(stream, words, entity)
        numbered = _NUMBERED.match(stream.norm[start:words[entity.last].end])
        canonical = None if entity.key == NO_CANONICAL else entity.key
        # A report's section heading is numbered (一、…) and each known section comes once: an
        # unnumbered span or a second one of a section is a sentence naming it.
        if numbered is None or (canonical is not None and any(s.canonical == canonical for s in sections)):
            continue
        title = text[numbered.end():]
        span = stream.span_at(start)
        sections.append(SectionHit(numbered.group(1), title.strip().rstrip("。."), canonical,
                                   span.page if span else None,
                                   start if stream.offsets_are_document_offsets else None, start))
    row_labels = {e.key for e in found if e.kind == ROW}
    values = _values_by_row(found, template)
    rows: list[RowEvidence] = []
    warnings: list[str] = []
    for table in template.tables:
        if table.layout == "wide":
            cells = sum(len(table.row_columns(r)) for r in table.rows)
            positions = sorted(p for r in table.rows for p in values.get((table.key, r.key), []))
            units = [unit_at(stream, words[p].start, words[p].text, table, cells) for p in positions]
            rows.append(RowEvidence(table.key, table.rows[0].key, units, printed=bool(units),
                                    also=tuple(r.key for r in table.rows[1:])))
        else:
            for row in table.rows:
                cells = len(table.row_columns(row))
                positions = sorted(values.get((table.key, row.key), []))
                units = [unit_at(stream, words[p].start, words[p].text, table, cells) for p in positions]
                labelled = f"{table.key}.{row.key}" in row_labels
                printed = bool(units) or (labelled and not row.optional)
                rows.append(RowEvidence(table.key, row.key, units, printed=printed))
        if not any(r.units for r in rows if r.table == table.key):
            warnings.append(f"table {table.key}: no values found")
    return Located(template, agency, year, sections, rows, warnings)
