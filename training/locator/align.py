"""Labelled character spans of a document's stream, from the two kinds of labels we have:

- factory token annotations (`X.tokens.json`): each printed thing with its key and its place —
  an `offset` into the text (text styles) or a `page` + `bbox` (PDFs, scans; tokens whose box
  centre lies inside are its tokens; a scan's boxes through the map fitted from the factory's
  frame to the rectified page's, `page_frames`). Annotations placed only by table cell (HTML,
  DOCX) are left to the gold alignment below;
- gold JSON alone (`X.json`, the spec's gold format — what a user labels): the title from the
  gold agency and year, the headings from the gold sections, each row label found by the
  rule-based locator's label patterns, and each gold value matched in printed order to the number
  words after its row's label and before the next row's. The order keeps repeated numbers apart:
  a row's `0 0 0 1 0 0 1` goes to its cells left to right, never to another row's.

`word_labels` (extraction/model/labels.py) then turns the spans into word labels.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import cv2
import numpy as np

from extraction.decode.numbers import NONE_MARKS, parse_cell
from extraction.decode.readings import LETTER_DIGITS
from extraction.document import Document, Page, Unit as PageUnit
from extraction.locate.labels import compact, fuzzy_label_match, label_pattern
from extraction.locate.rules import _SENTENCE_MARKS, RuleBasedLocator
from extraction.locate.stream import TextStream
from extraction.model.labels import AGENCY, COL, HEAD, NO_CANONICAL, ROW, TITLE, VAL, YEAR, LabelledSpan
from extraction.model.words import Word
from extraction.templates import TableSpec, Template

_TITLE_END = re.compile(r"年\s*度?\s*政\s*府\s*信\s*息\s*公\s*开\s*工\s*作\s*年\s*度\s*报\s*告")
_BOX_MARGIN = 2.0  # page units: OCR boxes overlap their cell's edges a little
_CENTRE_SLACK = 0.4  # of a mapped box's height: how far outside it a token's centre may fall
_MIN_FRAME_POINTS = 3  # texts read once on the page and in the annotations, agreeing on one map
_FRAME_TOLERANCE = 0.01  # of the page's width: how far a text may land from where the map puts it
_SCALE_AGREEMENT = 0.02  # a page fitted on two texts: how far its scale may be from the other pages'
# Latin letters OCR prints for a digit in a small cell (`o`, `a`, `Q`, `l`): a word of them alone in
# a table is a value, as the decoder reads it. CJK look-alikes (一, 。) and marks (`|`, `!`) are
# left out: they are everyday text, sentence ends and a flattened table's separators.
_LATIN_LOOK_ALIKES = {ch: digit for ch, digit in LETTER_DIGITS.items() if ch.isascii() and ch.isalpha()}


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
    candidates = [w for w in words if (w.is_number or w.text in NONE_MARKS or _as_digits(w.text) is not None)
                  and start <= w.start < end]
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
                rest = (_as_digits(word.text) or word.text)[offset:]
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


def _as_digits(text: str) -> str | None:
    """A word of OCR look-alikes of digits as the digits it stands for; None for any other word."""
    if not text or not all(ch in _LATIN_LOOK_ALIKES for ch in text):
        return None
    return "".join(_LATIN_LOOK_ALIKES[ch] for ch in text)


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


def _centre(box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def _scale(matrix: np.ndarray) -> float:
    return float(np.hypot(matrix[0, 0], matrix[1, 0]))


def _anchor_points(page: Page, annotations: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Centres of the texts printed once on the page that OCR read whole and once: (factory, page)."""
    placed = [a for a in annotations if a.get("page") == page.number and a.get("bbox") and len(compact(a["text"])) >= 2]
    tokens = [t for t in page.tokens if t.bbox is not None and len(compact(t.text)) >= 2]
    placed_by_text = Counter(compact(a["text"]) for a in placed)
    tokens_by_text = Counter(compact(t.text) for t in tokens)
    once = {text for text, n in placed_by_text.items() if n == 1 and tokens_by_text[text] == 1}
    token_at = {compact(t.text): t.bbox for t in tokens if compact(t.text) in once}
    chosen = [a for a in placed if compact(a["text"]) in once]
    return (np.float32([_centre(a["bbox"]) for a in chosen]).reshape(-1, 2),
            np.float32([_centre(token_at[compact(a["text"])]) for a in chosen]).reshape(-1, 2))


def page_frames(document: Document, annotations: list[dict]) -> dict[int, np.ndarray]:
    """Per page, the map from the factory's annotation frame to the frame of the page's tokens. A
    text layer shares the factory's frame (the identity). A scan was printed at its own dpi and
    skewed (a photo's perspective is undone by rectification before OCR): its map — rotation, one
    scale, a shift — is fitted (RANSAC) on the texts printed once on the page that OCR read whole
    (row labels, many-digit values). A page with two such texts only (a title page's headings) is
    fitted on them where its scale agrees with the document's other pages; a page with one takes
    the nearest page's rotation and scale, shifted onto it. A page whose map cannot be fitted is
    left out."""
    frames: dict[int, np.ndarray] = {}
    few: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for page in document.pages:
        if page.unit is not PageUnit.PIXEL:
            frames[page.number] = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
            continue
        source, target = _anchor_points(page, annotations)
        tolerance = _FRAME_TOLERANCE * page.width
        if len(source) >= _MIN_FRAME_POINTS:
            matrix, inliers = cv2.estimateAffinePartial2D(source, target, method=cv2.RANSAC,
                                                          ransacReprojThreshold=tolerance)
            if matrix is not None and int(inliers.sum()) >= _MIN_FRAME_POINTS:
                frames[page.number] = matrix
                continue
        if 0 < len(source) < _MIN_FRAME_POINTS:
            few[page.number] = (source, target)
    fitted = dict(frames)
    scales = [_scale(m) for m in fitted.values()]
    for number, (source, target) in few.items():
        if not fitted:
            break
        if len(source) >= 2:
            matrix, _ = cv2.estimateAffinePartial2D(source, target)
            if matrix is not None and abs(_scale(matrix) / float(np.median(scales)) - 1) <= _SCALE_AGREEMENT:
                frames[number] = matrix
        else:  # one text (a last page's heading): the nearest page's rotation and scale, shifted onto it
            matrix = fitted[min(fitted, key=lambda n: abs(n - number))].copy()
            matrix[:, 2] += target[0] - matrix[:, :2] @ source[0]
            frames[number] = matrix
    return frames


def _mapped_box(box, matrix: np.ndarray) -> tuple[float, float, float, float]:
    corners = np.array([[box[0], box[1], 1], [box[2], box[1], 1], [box[0], box[3], 1], [box[2], box[3], 1]]) @ matrix.T
    return corners[:, 0].min(), corners[:, 1].min(), corners[:, 0].max(), corners[:, 1].max()


def annotation_spans(document: Document, stream: TextStream, annotations: list[dict],
                     template: Template) -> list[LabelledSpan] | None:
    """The annotations that say where they are in the stream (offset, or page and box: a box
    through its page's frame, `page_frames`); None when a page's frame could not be fitted."""
    frames = page_frames(document, annotations) if any(a.get("bbox") for a in annotations) else {}
    if any(a.get("bbox") is not None and a.get("offset") is None and a["page"] not in frames for a in annotations):
        return None
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
            x0, y0, x1, y1 = _mapped_box(annotation["bbox"], frames[annotation["page"]])
            margin = max(_BOX_MARGIN, _CENTRE_SLACK * (y1 - y0))
            inside = [n for n, s in enumerate(stream.spans) if s.page == annotation["page"] and s.token.bbox is not None
                      and x0 - margin <= _centre(s.token.bbox)[0] <= x1 + margin
                      and y0 - margin <= _centre(s.token.bbox)[1] <= y1 + margin]
            # Runs of tokens that follow each other in the stream: a merged cell (三、本年度办理结果
            # beside twenty rows) holds its own tokens, not the rows' values read between them.
            for run in _consecutive_runs(inside):
                spans.append(LabelledSpan(stream.spans[run[0]].start, stream.spans[run[-1]].end, tag))
    return spans


def _consecutive_runs(indices: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in indices:
        if runs and runs[-1][-1] + 1 == index:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def document_spans(document: Document, stream: TextStream, words: list[Word], gold: dict, template: Template,
                   annotations: list[dict] | None) -> list[LabelledSpan]:
    """The annotations where they place things (a value OCR misread is still placed: where it is,
    not what it reads, is its label); the gold alignment for the kinds they leave open (values of
    HTML and DOCX, placed only by table cell), and for everything where a page's frame could not
    be fitted."""
    from_gold = gold_spans(stream, words, gold, template)
    placed = annotation_spans(document, stream, annotations, template) if annotations else None
    if not placed:
        return from_gold
    covered = {s.tag.split(".", 1)[0] for s in placed}
    return placed + [s for s in from_gold if s.tag.split(".", 1)[0] not in covered]
