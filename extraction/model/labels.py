"""The locator's label set, and the one alignment between character spans and words that training
and inference share.

Per word, one label (BIO over spans, as seqeval reads them):
- `TITLE`, `AGENCY`, `YEAR`: the report title, the agency and year printed in it;
- `HEAD.<canonical>`: a section heading (`HEAD.none` for a heading that is none of the six);
- `ROW.<table>.<row>`: a table row label; `COL.<table>.<column>`: a column header (a group of
  rows or columns — （三）不予公开, 申请人情况 — by its group key);
- `VAL.<table>.<row>`: a value, with the row it fills (one word, so only `B-`); the union of the
  templates' rows, so the template need not be known first. Its column is its place among the
  row's values, which the decoder reads with the grid's hints and the identities — a value's row
  is what a locator must find, and a label per field (300 of them) was more than a small model
  could learn from the text alone;
- `O`: narrative and everything else.
Training turns labelled character spans into word labels (`word_labels`, after `by_row` for
spans labelled with a field); inference turns word predictions back into spans (`entities`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterable, Mapping

from extraction.model.words import Word
from extraction.templates import Template

OUTSIDE = "O"
TITLE, AGENCY, YEAR, HEAD, ROW, COL, VAL = "TITLE", "AGENCY", "YEAR", "HEAD", "ROW", "COL", "VAL"
NO_CANONICAL = "none"


@dataclass(frozen=True)
class LabelledSpan:
    """Characters [start, end) of the stream that are one thing: `tag` is a label without B-/I-."""

    start: int
    end: int
    tag: str


@dataclass(frozen=True)
class Entity:
    tag: str
    first: int  # word indices, inclusive
    last: int

    @property
    def kind(self) -> str:
        return self.tag.split(".", 1)[0]

    @property
    def key(self) -> str:
        return self.tag.split(".", 1)[1] if "." in self.tag else ""


def tag_names(templates: Mapping[str, Template]) -> list[str]:
    """Every span tag the templates allow, in a fixed order (template ids sorted)."""
    spans: list[str] = [TITLE, AGENCY, YEAR]
    values: list[str] = []
    for template_id in sorted(templates):
        template = templates[template_id]
        for spec in template.sections:
            spans.append(f"{HEAD}.{spec.canonical}")
        for table in template.tables:
            spans += [f"{ROW}.{table.key}.{row.key}" for row in (*table.rows, *table.row_groups)]
            spans += [f"{COL}.{table.key}.{column.key}" for column in (*table.columns, *table.column_groups)]
        values += [f"{VAL}.{table.key}.{row.key}" for table in template.tables for row in table.rows]
    spans.append(f"{HEAD}.{NO_CANONICAL}")
    return list(dict.fromkeys(spans)) + list(dict.fromkeys(values))


def by_row(span: LabelledSpan) -> LabelledSpan:
    """A value span labelled with its field (`VAL.requests.new.commercial`, as the factory and the
    gold name it) labelled with its row (`VAL.requests.new`); other spans as they are."""
    if not span.tag.startswith(VAL + "."):
        return span
    return LabelledSpan(span.start, span.end, span.tag.rsplit(".", 1)[0])


def label_names(templates: Mapping[str, Template]) -> list[str]:
    """The classifier's labels: `O`, B-/I- for every span tag, B- alone for values."""
    names = [OUTSIDE]
    for tag in tag_names(templates):
        names.append(f"B-{tag}")
        if not tag.startswith(VAL + "."):
            names.append(f"I-{tag}")
    return names


def word_labels(words: list[Word], spans: Iterable[LabelledSpan]) -> list[str]:
    """Each word's label from the labelled spans it overlaps. The first span to claim a word wins
    (a glued run of several values takes its first value's field); a value labels its first word."""
    labels = [OUTSIDE] * len(words)
    starts = [w.start for w in words]
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        first = max(0, bisect.bisect_right(starts, span.start) - 1)
        if words and words[first].end <= span.start:
            first += 1
        inside = False
        for index in range(first, len(words)):
            word = words[index]
            if word.start >= span.end:
                break
            if labels[index] != OUTSIDE:
                inside = True  # claimed by an earlier span; the rest of this one continues after it
                continue
            if span.tag.startswith(VAL + "."):
                if not inside:
                    labels[index] = f"B-{span.tag}"
                break
            labels[index] = f"{'I' if inside else 'B'}-{span.tag}"
            inside = True
    return labels


def entities(labels: list[str]) -> list[Entity]:
    """Word labels back into spans: a B- opens one, I- of the same tag continues it (a stray I-
    opens one too, as seqeval reads it)."""
    found: list[Entity] = []
    for index, label in enumerate(labels):
        if label == OUTSIDE:
            continue
        prefix, tag = label.split("-", 1)
        if prefix == "I" and found and found[-1].tag == tag and found[-1].last == index - 1:
            found[-1] = Entity(tag, found[-1].first, index)
        else:
            found.append(Entity(tag, index, index))
    return found
