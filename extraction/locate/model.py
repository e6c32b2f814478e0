"""The model-based locator: the rule-based locator's findings read by a trained token classifier
with the text and layout around them (`extraction/model/`), its word labels turned into the same
`Located` the rule-based locator makes, so the constrained decoder reads either.

- template, agency and year: the rules' (their title pattern gives text, which the model's
  `AGENCY`/`YEAR` tags are scored against in training but not used for);
- sections: each numbered `HEAD.<canonical>` span, its numeral split off (the rules' sections
  where the model marks none);
- rows: each value word joins the row it was labelled with — in the table the rules put it in, or,
  for a word the rules did not take as a value, inside its table's section (between its heading
  and the next) and not opening an optional row the rules found unprinted. Where the model puts
  in a row exactly the value words the rules put there, the rules' row is kept as it is (its
  re-read cells, blanks and column hints); otherwise the row is made from the model's words, its
  located confidence the least sure of their labels. A `wide` table's values form one row.
"""

from __future__ import annotations

import re

from extraction.decode.evidence import RowEvidence
from extraction.document import Document
from extraction.locate.rules import Located, RuleBasedLocator, SectionHit, unlocated_rows_warning
from extraction.locate.stream import TextStream, stream_of
from extraction.locate.units import hints_kept_where_the_grid_fits, unit_at
from extraction.model.labels import HEAD, NO_CANONICAL, ROW, VAL, Entity, entities
from extraction.model.registry import LocatorModel
from extraction.model.rule_labels import rule_labels
from extraction.model.words import Word, words_of_stream
from extraction.templates import TableSpec, Template

_NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]{1,2})\s*[、.．]\s*")


class ModelLocator:
    def __init__(self, model: LocatorModel, templates: dict[str, Template]):
        self.model = model
        self.rules = RuleBasedLocator(templates)

    def locate(self, document: Document) -> Located:
        stream = stream_of(document)
        ruled = self.rules.locate_stream(stream)
        words = words_of_stream(document, stream)
        labels, confidences = self.model.predict(words, rule_labels(words, ruled))
        return located_from_predictions(stream, words, labels, confidences, ruled)


def merged_adjacent(found: list[Entity]) -> list[Entity]:
    """Spans of one tag that touch are one span (a model may open a heading twice); values stay
    apart, each word its own value."""
    result: list[Entity] = []
    for entity in found:
        previous = result[-1] if result else None
        if previous and previous.tag == entity.tag and previous.kind != VAL and previous.last + 1 == entity.first:
            result[-1] = Entity(entity.tag, previous.first, entity.last)
        else:
            result.append(entity)
    return result


def _sections(stream: TextStream, words: list[Word], found: list[Entity]) -> list[SectionHit]:
    sections: list[SectionHit] = []
    for entity in found:
        if entity.kind != HEAD:
            continue
        start = words[entity.first].start
        text = stream.text[start:words[entity.last].end]
        numbered = _NUMBERED.match(stream.norm[start:words[entity.last].end])
        canonical = None if entity.key == NO_CANONICAL else entity.key
        # A report's section heading is numbered (一、…) and each known section comes once: an
        # unnumbered span or a second one of a section is a sentence naming it.
        if numbered is None or (canonical is not None and any(s.canonical == canonical for s in sections)):
            continue
        span = stream.span_at(start)
        sections.append(SectionHit(numbered.group(1), text[numbered.end():].strip().rstrip("。."), canonical,
                                   span.page if span else None,
                                   start if stream.offsets_are_document_offsets else None, start))
    return sections


def _section_regions(sections: list[SectionHit], end: int) -> dict[str, tuple[int, int]]:
    """Each known section's stretch of the stream: from its heading to the next heading."""
    starts = sorted(s.position for s in sections)
    return {s.canonical: (s.position, next((p for p in starts if p > s.position), end))
            for s in sections if s.canonical}


def _opens_optional_row(template: Template, ruled_rows: dict[tuple[str, str], RowEvidence], table: str, row: str) -> bool:
    """Whether a value would print an optional row the rules found unprinted: （六）其他处理 as one
    row stands for its sub-rows, so a stray number there would blank five cells."""
    spec = next((r for r in template.table(table).rows if r.key == row), None)
    ruled = ruled_rows.get((table, row))
    return spec is not None and spec.optional and (ruled is None or not ruled.printed)


def _row(stream: TextStream, words: list[Word], starts: set[int], confidences: list[float], table: TableSpec,
         key: str, also: tuple[str, ...], chosen: list[int], ruled: RowEvidence | None, labelled: bool) -> RowEvidence:
    """A row from the words the model put in it, or the rules' row where they put the same words
    (`starts`: where the words start)."""
    if ruled is not None and {u.position for u in ruled.units if u.position in starts} == {words[i].start for i in chosen}:
        return ruled
    specs = {spec.key: spec for spec in table.rows}
    cells = sum(len(table.row_columns(specs[k])) for k in (key, *also))
    units = hints_kept_where_the_grid_fits([unit_at(stream, words[i].start, words[i].text, table, cells)
                                            for i in chosen], cells)
    printed = bool(units) or (labelled and not specs[key].optional)
    return RowEvidence(table.key, key, units, printed=printed, also=also,
                       located_confidence=min((confidences[i] for i in chosen), default=1.0))


def located_from_predictions(stream: TextStream, words: list[Word], labels: list[str], confidences: list[float],
                             ruled: Located) -> Located:
    """`labels` and `confidences`: per word, the model's label and its probability."""
    found = merged_adjacent(entities(labels))
    template = ruled.template
    sections = _sections(stream, words, found) or ruled.sections
    # A table's values lie in its section, between its heading and the next: a number before it is
    # the narrative's (a crawled page runs `…阅读次数269.2万。二、主动公开…` together), one after the
    # next heading another table's. A value the rules put in one table stays in it: tables are
    # apart, their headers between.
    regions = _section_regions(sections, len(stream.norm))
    ruled_tables = {u.position: r.table for r in ruled.rows for u in r.units}
    ruled_rows = {(r.table, r.row): r for r in ruled.rows}
    chosen: dict[tuple[str, str], list[int]] = {}
    for entity in found:
        if entity.kind == VAL:
            table, row = entity.key.split(".", 1)
            start = words[entity.first].start
            first, last = regions.get(template.table(table).section, (0, len(stream.norm)))
            if ruled_tables.get(start, table) != table:
                continue
            inside = first <= start < last and not _opens_optional_row(template, ruled_rows, table, row)
            if start in ruled_tables or inside:
                chosen.setdefault((table, row), []).append(entity.first)
    labelled = {e.key for e in found if e.kind == ROW}
    starts = {w.start for w in words}
    rows: list[RowEvidence] = []
    warnings: list[str] = []
    for table in template.tables:
        if table.layout == "wide":
            also = tuple(r.key for r in table.rows[1:])
            words_in = sorted(i for r in table.rows for i in chosen.get((table.key, r.key), []))
            table_rows = [_row(stream, words, starts, confidences, table, table.rows[0].key, also, words_in,
                               ruled_rows.get((table.key, table.rows[0].key)), False)]
        else:
            table_rows = [_row(stream, words, starts, confidences, table, r.key, (),
                               sorted(chosen.get((table.key, r.key), [])), ruled_rows.get((table.key, r.key)),
                               f"{table.key}.{r.key}" in labelled)
                          for r in table.rows]
        if not any(r.printed and r.units for r in table_rows):
            warnings.append(f"table {table.key}: no values found")
        else:
            warnings += unlocated_rows_warning(table, table_rows)
        rows += table_rows
    return Located(template, ruled.agency, ruled.year, sections, rows, warnings)
