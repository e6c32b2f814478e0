"""Labelled character spans of a document's stream, from the two kinds of labels we have:

- factory token annotations (`X.tokens.json`): each printed thing with its key and its place —
  an `offset` into the text (text styles) or a `page` + `bbox` (PDFs, scans; tokens whose box
  centre lies inside are its tokens). Annotations placed only by table cell (HTML, DOCX) are left
  to the gold alignment below;
- gold JSON alone (`X.json`, the spec's gold format — what a user labels): the title from the
  gold agency and year, the headings from the gold sections, each row label found by the
  rule-based locator's label patterns, and each gold value matched in printed order to the number
  words after its row's label and before the next row's. The order keeps repeated numbers apart:
  a row's `0 0 0 1 0 0 1` goes to its cells left to right, never to another row's.

`word_labels` (extraction/model/labels.py) then turns the spans into word labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.decode.numbers import NONE_MARKS, parse_cell
from extraction.document import Document
from extraction.locate.labels import fuzzy_label_match, label_pattern
from extraction.locate.rules import _SENTENCE_MARKS, RuleBasedLocator
from extraction.locate.stream import TextStream
from extraction.model.labels import AGENCY, COL, HEAD, NO_CANONICAL, ROW, TITLE, VAL, YEAR, LabelledSpan
from extraction.model.words import Word
from extraction.templates import TableSpec, Template

_TITLE_END = re.compile(r"年\s*度?\s*政\s*府\s*信\s*息\s*公\s*开\s*工\s*作\s*年\s*度\s*报\s*告")
_BOX_MARGIN = 2.0  # page units: OCR boxes overlap their cell's edges a little


def _title_spans(start: int, end: int, agency: tuple[int, int] | None, year: tuple[int, int] | None) -> list[LabelledSpan]:
    """The title [start, end) as AGENCY, YEAR and TITLE for the rest."""
    inner = sorted((*span, tag) for span, tag in ((agency, AGENCY), (year, YEAR)) if span is not None)
    spans, position = [], start
    for s, e, tag in inner:
        if s > position:
            spans.append(LabelledSpan(position, s, TITLE))
        spans.append(LabelledSpan(s, e, tag))
        position = max(position, e)
    if position < end:
        spans.append(LabelledSpan(position, end, TITLE))
    return spans


def title_spans(stream: TextStream, gold: dict) -> list[LabelledSpan]:
    agency, year = gold.get("agency"), gold.get("year")
    if not agency or not year:
        return []
    pattern = "(?P<agency>" + label_pattern(agency).pattern + r")\s*(?P<year>" + str(year) + ")"
    match = re.search(pattern, stream.norm[:20000])
    if not match:
        return []
    ending = _TITLE_END.match(stream.norm, match.end())
    return _title_spans(match.start(), ending.end() if ending else match.end(), match.span("agency"), match.span("year"))


def section_spans(stream: TextStream, gold: dict) -> list[LabelledSpan]:
    spans, position = [], 0
    for section in gold.get("sections", []):
        pattern = re.escape(section["number"]) + r"\s*[、.．]\s*" + label_pattern(section["title"]).pattern
        match = re.compile(pattern).search(stream.norm, position)
        if match:
            spans.append(LabelledSpan(match.start(), match.end(), f"{HEAD}.{section['canonical'] or NO_CANONICAL}"))
            position = match.end()
    return spans


@dataclass(frozen=True)
class _Label:
    row: str
    start: int
    end: int


def _row_labels(stream: TextStream, table: TableSpec, start: int) -> list[_Label]:
    """Each row's label, searched in printed order from `start`; rows whose label is not printed
    (or not found) are left out."""
    found, position = [], start
    for n, row in enumerate(table.rows):
        hit = RuleBasedLocator._find_label(stream, row.labels, position, len(stream.norm))
        if hit is None:
            following = next((f for r in table.rows[n + 1:]
                              for f in [RuleBasedLocator._find_label(stream, r.labels, position, len(stream.norm))]
                              if f is not None), None)
            limit = following[0] if following else len(stream.norm)
            hit = next((m for label in row.labels for m in [fuzzy_label_match(stream.norm, label, position, limit)]
                        if m is not None), None)
        if hit is not None:
            found.append(_Label(row.key, hit[0], hit[1]))
            position = hit[1]
    return found


def _value_spans(words: list[Word], template: Template, table: TableSpec, labels: list[_Label], gold: dict,
                 start: int, end: int) -> list[LabelledSpan]:
    """Gold values of the table [start, end) matched in printed order to the number words after
    their row's label and before the next found label; a row whose label was not found takes its
    values before the next found one. A glued run (`21710000218`) gives each value its own span."""
    label_at = {label.row: label for label in labels}
    later_starts = {label.row: next((other.start for other in labels if other.start > label.start), end)
                    for label in labels}
    candidates = [w for w in words if (w.is_number or w.text in NONE_MARKS) and start <= w.start < end]
    spans: list[LabelledSpan] = []
    cursor, inside = 0, 0  # the next candidate word, and how far into it a glued run was consumed
    for n, row in enumerate(table.rows):
        if row.key in label_at:
            floor, bound = label_at[row.key].end, later_starts[row.key]
        else:  # a label not found: its values (if printed) lie before the next label found
            floor = None
            bound = next((label_at[r.key].start for r in table.rows[n + 1:] if r.key in label_at), end)
        for column in table.row_columns(row):
            key = f"{table.key}.{row.key}.{column.key}"
            value = gold["fields"].get(key)
            if value is None:
                continue
            kind = template.fields[key].kind
            for index in range(cursor, len(candidates)):
                word = candidates[index]
                if word.start >= bound:
                    break
                if floor is not None and word.start < floor:
                    continue
                offset = inside if index == cursor else 0
                rest = word.text[offset:]
                try:
                    whole = parse_cell(rest, kind)
                except ValueError:
                    whole = None
                if whole is not None and abs(whole - value) < 1e-6:
                    spans.append(LabelledSpan(word.start + offset, word.end, f"{VAL}.{key}"))
                    cursor, inside = index + 1, 0
                    break
                printed = str(value)
                digits = re.match(r"\d+", rest)
                if isinstance(value, int) and digits and len(digits.group()) > len(printed) and rest.startswith(printed):
                    spans.append(LabelledSpan(word.start + offset, word.start + offset + len(printed), f"{VAL}.{key}"))
                    cursor, inside = index, offset + len(printed)
                    break
    return spans


def _wide_value_start(stream: TextStream, words: list[Word], table: TableSpec, start: int) -> int | None:
    """Where a wide table's values start: the first number after a header label (a group or
    column label), unless sentence punctuation comes first (a sentence naming the table)."""
    anchors = sorted({m.end() for label in RuleBasedLocator._anchor_labels(table)
                      for m in label_pattern(label).finditer(stream.norm, start)})
    for anchor in anchors:
        first = next((w for w in words if w.start >= anchor and (w.is_number or w.text in NONE_MARKS)), None)
        if first is not None and not any(mark in stream.norm[anchor:first.start] for mark in _SENTENCE_MARKS):
            return first.start
    return None


def _column_spans(stream: TextStream, table: TableSpec, start: int, end: int) -> list[LabelledSpan]:
    spans = []
    for column in (*table.columns, *table.column_groups):
        for label in column.labels:
            for match in label_pattern(label).finditer(stream.norm, start, end):
                spans.append(LabelledSpan(match.start(), match.end(), f"{COL}.{table.key}.{column.key}"))
    return spans


def gold_spans(stream: TextStream, words: list[Word], gold: dict, template: Template) -> list[LabelledSpan]:
    """Every labelled span the gold JSON lets us find in the stream."""
    spans = title_spans(stream, gold)
    headings = section_spans(stream, gold)
    spans += headings
    heading_at = {s.tag.split(".", 1)[1]: s for s in headings}
    for table in template.tables:
        heading = heading_at.get(table.section)
        start = heading.end if heading else 0
        labels = _row_labels(stream, table, start)
        if not labels:
            continue
        later_headings = [s.start for s in headings if s.start > labels[-1].end]
        end = min(later_headings) if later_headings else len(stream.norm)
        spans += [LabelledSpan(label.start, label.end, f"{ROW}.{table.key}.{label.row}") for label in labels]
        values_from, value_labels = (heading.end if heading else labels[0].start), labels
        if table.layout == "wide":
            # One printed row of cells under the header: the values are bound by where they start,
            # not by the group labels, which are all printed before them.
            values_from = _wide_value_start(stream, words, table, labels[0].start)
            value_labels = [_Label(table.rows[0].key, values_from, values_from)] if values_from is not None else []
        if value_labels:
            spans += _value_spans(words, template, table, value_labels, gold, values_from, end)
        header_start = heading.end if heading else max(0, labels[0].start - 400)
        spans += _column_spans(stream, table, header_start, labels[0].start)
    return spans


def _annotation_tag(annotation: dict, template: Template, table_key: str | None) -> str | None:
    """The span tag of an annotation; `table_key` is the table of the next value annotation. A wide
    table prints its rows (行政复议, 未经复议直接起诉) as column headers: they keep their row keys."""
    kind, key = annotation["kind"], annotation.get("key")
    if kind == "value":
        return f"{VAL}.{key}"
    if kind == "section_heading":
        return f"{HEAD}.{key or NO_CANONICAL}"
    if kind not in ("row_label", "column_header"):
        return None  # titles go through the gold (agency and year); block headings and corners are O
    for table in template.tables:
        rows = {spec.key for spec in (*table.rows, *table.row_groups)}
        columns = {spec.key for spec in (*table.columns, *table.column_groups)}
        if kind == "column_header" and table.key == table_key and key in columns:
            return f"{COL}.{table.key}.{key}"
        if key in rows and (kind == "row_label" or table.key == table_key):
            return f"{ROW}.{table.key}.{key}"
    return None


def annotation_spans(document: Document, stream: TextStream, annotations: list[dict],
                     template: Template) -> list[LabelledSpan]:
    """The annotations that say where they are in the stream (offset, or page and box)."""
    spans = []
    for index, annotation in enumerate(annotations):
        next_value = next((a["key"] for a in annotations[index:] if a["kind"] == "value"), None)
        tag = _annotation_tag(annotation, template, next_value.split(".", 1)[0] if next_value else None)
        if tag is None:
            continue
        if annotation.get("offset") is not None and stream.offsets_are_document_offsets:
            start = annotation["offset"]
            spans.append(LabelledSpan(start, start + len(annotation["text"]), tag))
        elif annotation.get("bbox") is not None:
            x0, y0, x1, y1 = annotation["bbox"]
            inside = [s for s in stream.spans if s.page == annotation["page"] and s.token.bbox is not None
                      and x0 - _BOX_MARGIN <= (s.token.bbox[0] + s.token.bbox[2]) / 2 <= x1 + _BOX_MARGIN
                      and y0 - _BOX_MARGIN <= (s.token.bbox[1] + s.token.bbox[3]) / 2 <= y1 + _BOX_MARGIN]
            if inside:
                spans.append(LabelledSpan(min(s.start for s in inside), max(s.end for s in inside), tag))
    return spans


_TRUSTED_SHARE = 0.9  # of the placed value annotations that must read as their gold value


def _reads_as_gold(stream: TextStream, span: LabelledSpan, gold: dict, template: Template) -> bool:
    key = span.tag.split(".", 1)[1]
    try:
        value = parse_cell(stream.norm[span.start:span.end], template.fields[key].kind)
    except ValueError:
        return False
    return value is not None and abs(value - (gold["fields"].get(key) or 0)) < 1e-6


def document_spans(document: Document, stream: TextStream, words: list[Word], gold: dict, template: Template,
                   annotations: list[dict] | None) -> list[LabelledSpan]:
    """The annotations where they place the values; the gold alignment for what they leave open."""
    from_gold = gold_spans(stream, words, gold, template)
    placed = annotation_spans(document, stream, annotations, template) if annotations else []
    values = [s for s in placed if s.tag.startswith(VAL + ".")]
    gold_values = [s for s in from_gold if s.tag.startswith(VAL + ".")]
    read_right = sum(_reads_as_gold(stream, s, gold, template) for s in values)
    if not values or len(values) < _TRUSTED_SHARE * len(gold_values) or read_right < _TRUSTED_SHARE * len(values):
        return from_gold  # annotations in another frame (a scan's pixels at its own dpi): the gold places better
    covered = {s.tag.split(".", 1)[0] for s in placed}
    return placed + [s for s in from_gold if s.tag.split(".", 1)[0] not in covered]
