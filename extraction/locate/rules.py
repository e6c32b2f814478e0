"""The rule-based locator: the baseline that finds sections, tables, row labels and the values that
follow them with label patterns from the templates. It fills the locator slot until the trained
locator exists, and stays as the evaluation harness's rule-based baseline.

- title: `AGENCY YEAR年(度)政府信息公开工作年度报告` gives agency and year;
- template: the 2021 or 2019 column labels found (本年制发件数 / 本年新制作数量 …), else the year's;
- sections: numbered headings (一、…) in sequence that are not table row labels;
- rows: each template row's label searched in order within its table; the number-like runs that
  follow it (up to the first other text) are its values, with grid columns as hints where known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extraction.decode.evidence import RowEvidence, Unit
from extraction.decode.readings import SPECK_MARKS
from extraction.document import Document
from extraction.locate.align import MissingRow, ValueLine, align_rows, label_similarity, row_likeness
from extraction.locate.labels import caption_positions, compact, fuzzy_label_match, label_pattern
from extraction.locate.stream import TextStream, half_width, stream_of
from extraction.locate.units import hints_kept_where_the_grid_fits, unit_at
from extraction.locate.values import (VALUE_RUN, is_short_mark_in, is_speck, is_speck_beside, is_value_piece,
                                      value_run)
from extraction.templates import TableSpec, Template, template_for_year

NUMERALS = "一二三四五六七八九十"
# Crawled text glues the next label's numbering to a row's values (`…秘密0000000` + `2.其他…`).
_RUN_BEFORE_NUMBERING = re.compile(r"\d+(?=\d[.、．][^\d\s])")
# … and a caption's year to a table's last values (`…00` + `2020年收到和处理…表`).
_RUN_BEFORE_YEAR = re.compile(r"\d+(?:\.\d+?)?(?=20\d\d年)")
# Navigation glued before a crawled page's title (`…> 年度报告洛阳市…2022年…`): the agency starts after it.
_NAVIGATION = re.compile(r"^.*(?:年度报告|年报|首页|当前位置|您的位置|信息公开|政务公开|打印|关闭)")
# A page number on a line of its own (`- 2 -`): never a value, wherever a table breaks across pages.
_PAGE_NUMBER = re.compile(r"(?<![^\n])[ \t]*-[ \t]*\d{1,3}[ \t]*-[ \t]*(?=\n|$)")
# The day of a date (the signature's `2020年2月22日`, its 日 maybe hidden by the seal): not a value.
_DATE_DAY = re.compile(r"月\d{1,2}")
# A label's numbering OCR read without its dot, on the label's own token (`2 其他法律…`).
_CJK_AFTER_SPACE = re.compile(r"\s*[\u4e00-\u9fff]{2}")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.)")
_SEPARATORS = " \t\n\r|"
_STRAY_MARKS = re.compile(rf"^[{re.escape(SPECK_MARKS)}=]+$")
_PIECE = re.compile(r"[^\s|]+")  # a line's pieces between separators
# Punctuation of sentences, never of a table header (whose labels hold at most 、): in the
# half-width text, so （，： are ( , :.
_SENTENCE_MARKS = "。；;,(〔【:"
_TITLE = re.compile(r"([^\s，。、《》：:>|]{2,40}?)\s*(20\d\d)\s*年\s*度?\s*政\s*府\s*信\s*息\s*公\s*开\s*工\s*作\s*年\s*度\s*报\s*告")
_HEADING = re.compile(r"(?:^|\n)[ \t]*([一二三四五六七八九十]{1,2})\s*[、.]\s*([^\n]{2,40}?)[ \t]*(?=\n|$)")
TEMPLATE_MARKERS = {"2021": ("本年制发件数", "本年废止件数", "现行有效件数"),
                    "2019": ("本年新制作数量", "对外公开总数量", "上一年项目数量")}


@dataclass(frozen=True)
class SectionHit:
    number: str
    title: str
    canonical: str | None
    page: int | None
    offset: int | None
    position: int  # in the stream


@dataclass
class Located:
    template: Template
    agency: str | None
    year: int | None
    sections: list[SectionHit]
    rows: list[RowEvidence]
    warnings: list[str] = field(default_factory=list)

    @property
    def looks_like_a_report(self) -> bool:
        """A title, a known section heading or a table row label was found."""
        return (self.year is not None or any(s.canonical for s in self.sections)
                or any(r.printed for r in self.rows))


ORDER_ONLY_CONFIDENCE = 0.6  # a row paired with its line by order alone; its label's likeness adds to it
MAX_GROUP_LABEL = 16  # characters of a group label printed between a row's label and its values
MAX_WIDE_RUNS = 4  # number runs after a wide table's header tried for its values (header noise first)
ROW_LABEL_LIKENESS = 0.7  # of a row label's characters a numbered line shows to be that row, not a heading


def _full_line_then_another(stream: TextStream, units: list[Unit], cells: int) -> bool:
    """Whether a row's values fill its cells on its label's line and a further line of about as many
    follows before the next label: that line is the next row's, whose label OCR merged with the one
    after it (`6. 属于四类过程性信息 7. 属于行政执法案卷` on one line, row 6's values on a line above)."""
    if cells < 2 or len(units) < 2 * cells - 1 or units[cells - 1].position is None or units[cells].position is None:
        return False
    return "\n" in stream.norm[units[cells - 1].position:units[cells].position]


def _alone_in_a_grid_cell(stream: TextStream, position: int) -> bool:
    """Whether the character at `position` is an OCR token of its own in a table's grid."""
    span = stream.span_at(position)
    return span is not None and span.ocr and span.token.grid is not None and span.end - span.start == 1


def unlocated_rows_warning(table: TableSpec, rows: list[RowEvidence]) -> list[str]:
    """A table read in part: the rows whose place was not found, named, so that their null cells
    (low confidence in the output) are not taken for blanks the document printed."""
    specs = {r.key: r for r in table.rows}
    optional = {r.row for r in rows if specs[r.row].optional}
    printed_optional = {r.row for r in rows if r.row in optional and r.printed}
    stood_for = {k for key in printed_optional for k in specs[key].replaces}
    missing = [r.row for r in rows if not r.printed and r.row not in optional and r.row not in stood_for]
    if not missing:
        return []
    return [f"table {table.key}: rows not located, their cells left null: {', '.join(missing)}"]


def _spanned_optional_rows(table: TableSpec, rows: list[RowEvidence], printed_blank: set[str]) -> list[RowEvidence]:
    """A row whose value cells span its sub-rows (（六）其他处理 with `rowspan=3`) prints one row of
    values, after the first sub-row's label, and none after the others: that is the optional row
    printed as one (the spec's rule), its sub-rows blank. An optional row in `printed_blank` (its
    label printed, no values after it) whose sub-rows are nowhere is the row printed as one, blank."""
    by_key = {r.row: r for r in rows}
    for row in table.rows:
        own = by_key.get(row.key)
        subs = [by_key.get(key) for key in row.replaces]
        if row.key in printed_blank and subs and all(s is not None and not s.printed for s in subs):
            by_key[row.key] = RowEvidence(table.key, row.key, [])
            continue
        if not row.optional or (own is not None and own.printed) or not subs or any(s is None or not s.printed for s in subs):
            continue
        if subs[0].units and not any(s.units for s in subs[1:]):
            by_key[row.key] = RowEvidence(table.key, row.key, subs[0].units)
            for key in row.replaces:
                by_key[key] = RowEvidence(table.key, key, printed=False)
    return [by_key[r.row] for r in rows]


class RuleBasedLocator:
    def __init__(self, templates: dict[str, Template]):
        self.templates = templates

    def locate(self, document: Document) -> Located:
        return self.locate_stream(stream_of(document))

    def locate_stream(self, stream: TextStream) -> Located:
        agency, year = self._title(stream)
        template = self._template(stream, year)
        sections = self._sections(stream, template)
        rows: list[RowEvidence] = []
        warnings: list[str] = []
        for table in template.tables:
            found = None
            for start, end in self._table_regions(stream, table, sections):
                found = self._rows(stream, template, table, start, end)
                if any(r.printed and r.units for r in found):
                    break
            if found is None or not any(r.printed and r.units for r in found):
                warnings.append(f"table {table.key}: no values found")
            else:
                warnings += unlocated_rows_warning(table, found)
            rows += found or []
        return Located(template, agency, year, sections, rows, warnings)

    def _title(self, stream: TextStream) -> tuple[str | None, int | None]:
        match = _TITLE.search(stream.norm[:20000])
        if not match:
            return None, None
        agency = stream.text[match.start(1):match.end(1)]
        navigation = _NAVIGATION.match(half_width(agency))
        if navigation and navigation.end() < len(agency) - 1:
            agency = agency[navigation.end():]
        return agency, int(match.group(2))

    def _template(self, stream: TextStream, year: int | None) -> Template:
        text = compact(stream.norm)
        hits = {tid: sum(marker in text for marker in markers) for tid, markers in TEMPLATE_MARKERS.items()}
        best = max(hits, key=hits.get)
        if hits[best] > 0 and best in self.templates:
            return self.templates[best]
        return template_for_year(self.templates, year) if year else self.templates["2021"]

    def _row_label_cores(self, template: Template) -> list[str]:
        """Row labels without their numbering (一、 (三) 2.), as a heading's title would read."""
        return [_NUMBERING.sub("", compact(label)) for t in template.tables for r in t.rows for label in r.labels]

    def _sections(self, stream: TextStream, template: Template) -> list[SectionHit]:
        row_labels = self._row_label_cores(template)
        titles = [(spec.canonical, compact(title)) for spec in template.sections for title in spec.titles]
        candidates: list[tuple[int, str, str]] = []
        for match in _HEADING.finditer(stream.norm):
            candidates.append((match.start(1), match.group(1), stream.text[match.start(2):match.end(2)].strip()))
        # Crawled pages run headings into the text: a numbered known title anywhere counts too.
        for spec in template.sections:
            for title in spec.titles:
                # At a line's start the numeral may be any one character: OCR prints 三 as 主.
                heading = (r"(?:([一二三四五六七八九十]{1,2})|(?<![^\n])[ \t]*([^\s\d、.]))\s*[、.]\s*(?P<title>"
                           + label_pattern(title).pattern + ")")
                for match in re.finditer(heading, stream.norm):
                    numeral = 1 if match.group(1) else 2
                    candidates.append((match.start(numeral), match.group(numeral),
                                       stream.text[match.start("title"):match.end("title")]))
        sections: list[SectionHit] = []
        seen_positions: set[int] = set()
        for position, number, title in sorted(candidates):
            if position in seen_positions:
                continue
            if re.search(r"\t.*\d", title):
                continue  # cells with values after it: a table row, whatever OCR made of its label
            printed = compact(title)
            if any(printed.startswith(label) or label.startswith(printed)
                   or (len(printed) <= len(label) + 2 and label_similarity(label, printed) >= ROW_LABEL_LIKENESS)
                   for label in row_labels if len(label) > 3):
                continue  # a table row label (一、本年新收…, OCR's 四、馆转下年度组续办理), not a heading
            canonical = next((c for c, t in titles if printed.startswith(t) or t in printed[: len(t) + 4]), None)
            expected = NUMERALS[len(sections)] if len(sections) < len(NUMERALS) else None
            # Headings come in sequence; a known title may open it at a later numeral (a crawled
            # page's custom headings run into the text and cannot be told from sentences).
            if canonical is not None and number not in NUMERALS and expected is not None:
                number = expected  # a known title after a garbled numeral: the sequence says which
            if number != expected and not (not sections and canonical is not None):
                continue
            if canonical is None and len(printed) > 30:
                continue  # a long numbered sentence, not a heading
            span = stream.span_at(position)
            offset = position if stream.offsets_are_document_offsets else None
            title_text = title if canonical is None else title.rstrip("。.")
            sections.append(SectionHit(number, title_text, canonical, span.page if span else None, offset, position))
            seen_positions.add(position)
        return sections

    def _table_regions(self, stream: TextStream, table: TableSpec, sections: list[SectionHit]) -> list[tuple[int, int]]:
        """Where the table may be, likeliest first: its section; then — under custom headings, or
        tables appended at the end under captions (`2021年收到和处理政府信息公开申请情况表`) while their
        sections stay empty — after each place one of its anchor labels or its section's title is
        printed (a sentence may name it first: each place is tried in turn), or a caption shows most
        of that title (OCR's `2021年动公开政府信息情况表`)."""
        section = next((s for s in sections if s.canonical == table.section), None)
        starts = [section.position] if section is not None else []
        titles = self._section_titles(table)
        anchors = sorted({m.start() for label in self._anchor_labels(table) + titles
                          for m in label_pattern(label).finditer(stream.norm)})
        if not anchors:  # an OCR'd anchor may be garbled (`本年新收…中请数量`): its damaged print
            anchors = sorted({found[0] for label in self._anchor_labels(table)
                              for found in [fuzzy_label_match(stream.norm, label, 0, len(stream.norm))] if found})
        anchors += [p for p in caption_positions(stream.norm, titles) if p not in anchors]
        starts += [a for a in anchors if a not in starts]
        regions = []
        for start in starts:
            later = [s.position for s in sections if s.position > start]
            regions.append((start, min(later) if later else len(stream.norm)))
        return regions

    def _section_titles(self, table: TableSpec) -> list[str]:
        return [title for template in self.templates.values() for spec in template.sections
                if spec.canonical == table.section for title in spec.titles]

    @staticmethod
    def _anchor_labels(table: TableSpec) -> list[str]:
        """Labels that open a table: its first block heading, its first row's label, or — for a wide
        table, whose values follow its header — any of its header labels (a copy may lose some)."""
        if table.layout == "blocks":
            return [table.rows[0].block]
        if table.layout == "wide":
            return [label for spec in (*table.rows, *table.row_groups, *table.column_groups) for label in spec.labels]
        return list(table.rows[0].labels)

    def _units_after(self, stream: TextStream, position: int, end: int, table: TableSpec,
                     cells: int) -> tuple[list[Unit], int]:
        """The number-like runs from `position` up to the first other text (or `end`)."""
        units: list[Unit] = []
        norm = stream.norm
        in_grid: bool | None = None  # whether the row's values sit in a table grid
        last_grid = None  # the grid cell of the last value taken
        before = stream.span_at(position - 1) if position > 0 else None
        label_grid = before.token.grid if before is not None and before.ocr else None  # the label's cell
        while position < end:
            if norm[position] in _SEPARATORS:
                position += 1
                continue
            page_number = _PAGE_NUMBER.match(norm, position)
            if page_number:
                position = page_number.end()
                continue
            span = stream.span_at(position)
            if span is not None and span.ocr and _STRAY_MARKS.match(span.token.text):
                position = span.end  # a speck or a rule's stub read as a mark between two values
                continue
            gridded = span is not None and span.token.grid is not None
            if in_grid is None:
                in_grid = gridded
            elif in_grid and not gridded:
                break  # out of the table: a page number (`- 1 -`) or the narrative after it
            match = value_run(stream, position, len(norm))
            if not match and is_speck_beside(span, last_grid):
                position = span.end  # a speck read beside the value of its grid cell (`0 i-`)
                continue
            if not match and not units and is_short_mark_in(span, label_grid):
                position = span.end  # noise in the label's own cell (`行政事业性收费 三1`): no value there
                continue
            if match and span is not None and span.ocr and match.start() == span.start \
                    and _CJK_AFTER_SPACE.match(norm, match.end(), span.end):
                break  # a label's numbering without its dot, on the label's token (`2 其他法律…`)
            if not match or match.end() > end:
                glued = _RUN_BEFORE_NUMBERING.match(norm, position) or _RUN_BEFORE_YEAR.match(norm, position)
                if glued and glued.end() <= end:
                    units.append(unit_at(stream, glued.start(), glued.group(), table, cells))
                    position = glued.end()
                break
            units.append(unit_at(stream, match.start(), match.group(), table, cells))
            last_grid = span.token.grid if span is not None else None
            position = match.end()
        return hints_kept_where_the_grid_fits(units, cells), position

    @staticmethod
    def _next_run(stream: TextStream, position: int, end: int) -> int:
        """Where the next number-like run starts from `position` (`end` if a sentence comes first:
        a sentence naming the table, not its header), past page numbers and a date's day. A scan's
        mark alone in a table's grid cell (a speck read `。`) ends no sentence."""
        while position < end and not VALUE_RUN.match(stream.norm, position):
            if stream.norm[position] in _SENTENCE_MARKS and not _alone_in_a_grid_cell(stream, position):
                return end
            skipped = _PAGE_NUMBER.match(stream.norm, position) or _DATE_DAY.match(stream.norm, position)
            position = skipped.end() if skipped else position + 1
        return position

    def _wide_units(self, stream: TextStream, position: int, end: int, table: TableSpec, cells: int) -> list[Unit]:
        """A wide table's values: the longest of the first few number runs after its header's first
        label. Its header's other labels come first, and OCR may read one as a number (尚未审结 as
        `A米 21 审结`): the cells are the run that fills the row, not the first one."""
        best: list[Unit] = []
        for _ in range(MAX_WIDE_RUNS):
            position = self._next_run(stream, position, end)
            if position >= end:
                break
            units, after = self._units_after(stream, position, end, table, cells)
            if len(units) > len(best):
                best = units
            if len(best) >= cells:
                break
            position = max(after, position + 1)
        return best

    @staticmethod
    def _find_label(stream: TextStream, labels: list[str], start: int, end: int) -> tuple[int, int] | None:
        """The earliest exact print of any of the labels in [start, end)."""
        matches = [m for label in labels for m in [label_pattern(label).search(stream.norm, start, end)] if m]
        if not matches:
            return None
        first = min(matches, key=lambda m: m.start())
        return first.start(), first.end()

    def _rows(self, stream: TextStream, template: Template, table: TableSpec, start: int, end: int) -> list[RowEvidence]:
        if table.layout == "wide":
            anchors = [m for label in self._anchor_labels(table) for m in [label_pattern(label).search(stream.norm, start, end)]
                       if m]
            position = min(m.end() for m in anchors) if anchors else start
            cells = sum(len(table.row_columns(r)) for r in table.rows)
            units = self._wide_units(stream, position, end, table, cells)
            return [RowEvidence(table.key, table.rows[0].key, units, printed=bool(units),
                                also=tuple(r.key for r in table.rows[1:]))]
        rows: list[RowEvidence] = []
        spans: list[tuple[int, int] | None] = []  # per row: where its label starts and its values end
        label_ends: dict[str, int] = {}  # optional rows whose label is printed without values
        position = start
        overflow: tuple[int, list[Unit]] | None = None  # (row index, units) a full row's next line of values
        for n, row in enumerate(table.rows):
            found = self._find_label(stream, row.labels, position, end)
            if found is None:
                # A damaged print of the label, before the next row's label.
                following = next((f for r in table.rows[n + 1:] for f in [self._find_label(stream, r.labels, position, end)]
                                  if f is not None), None)
                limit = following[0] if following else end
                found = next((m for label in row.labels for m in [fuzzy_label_match(stream.norm, label, position, limit)]
                              if m is not None), None)
            if found is None:
                rows.append(RowEvidence(table.key, row.key, printed=False))
                spans.append(None)
                continue
            units, after = self._units_after(stream, found[1], end, table, len(table.row_columns(row)))
            if not units and not row.optional:
                # Other label text between the label and its values on the line: a group label
                # (（四）无法提供) printed in the cell beside it.
                line_end = stream.norm.find("\n", found[1], end)
                line = self._value_lines(stream, found[1], end if line_end < 0 else line_end)
                between = stream.norm[found[1]:line[0].values_start] if line else ""
                if line and len(between.strip()) <= MAX_GROUP_LABEL and not re.search(r"\d", between):
                    units, after = self._units_after(stream, line[0].values_start, line[0].end, table,
                                                     len(table.row_columns(row)))
            if overflow is not None:
                previous, extra = overflow
                if units or previous != len(rows) - 1:  # not this row's: the previous row keeps them
                    rows[previous].units.extend(extra)
                else:
                    units = extra
                overflow = None
            cells = len(table.row_columns(row))
            if not units and not row.optional and cells > 1 and spans and spans[-1] is not None:
                # Values printed between the previous row's (found: no row in between could own
                # them) and this label: on a group label's line (`(四) 无法提供 55 0 … 755`), this
                # row's label wrapped below them.
                between = self._value_lines(stream, position, found[0])
                if len(between) == 1 and between[0].n_values >= cells - 1:
                    units, _ = self._units_after(stream, between[0].values_start, between[0].end, table, cells)
            if _full_line_then_another(stream, units, cells):
                overflow, units = (len(rows), units[cells:]), units[:cells]
            if row.optional and not units:
                # （六）其他处理 as a group label: its sub-rows follow (or, where none does, the row
                # printed as one with blank cells: `_spanned_optional_rows`).
                rows.append(RowEvidence(table.key, row.key, printed=False))
                spans.append(None)
                label_ends[row.key] = found[1]
                continue
            rows.append(RowEvidence(table.key, row.key, units, label=found))
            spans.append((found[0], after))
            position = after
        if overflow is not None:
            rows[overflow[0]].units.extend(overflow[1])
        self._align_missing_rows(stream, table, rows, spans, start, end)
        # Such a label is the row printed as one, blank, only where no digit follows it before the next row.
        blank = {key for key, label_end in label_ends.items()
                 if not re.search(r"\d", stream.norm[label_end:min([s[0] for s in spans if s and s[0] > label_end] + [end])])}
        return _spanned_optional_rows(table, rows, blank)

    def _align_missing_rows(self, stream: TextStream, table: TableSpec, rows: list[RowEvidence],
                            spans: list[tuple[int, int] | None], start: int, end: int) -> None:
        """Rows whose labels were not found, paired by order with the value lines printed between the
        rows that were (`align`); each run of missing rows in turn."""
        specs = {r.key: r for r in table.rows}
        n = 0
        while n < len(rows):
            if spans[n] is not None:
                n += 1
                continue
            run_end = next((k for k in range(n, len(rows)) if spans[k] is not None), len(rows))
            region_start = spans[n - 1][1] if n > 0 else start
            region_end = spans[run_end][0] if run_end < len(rows) else end
            missing = {r.row: MissingRow(r.row, tuple(compact(label) for label in specs[r.row].labels),
                                         len(table.row_columns(specs[r.row])))
                       for r in rows[n:run_end] if not specs[r.row].optional}
            lines = self._value_lines(stream, region_start, region_end)
            for key, line in align_rows(list(missing.values()), lines).items():
                k = next(i for i in range(n, run_end) if rows[i].row == key)
                units, _ = self._units_after(stream, line.values_start, line.end, table, missing[key].cells)
                rows[k] = RowEvidence(table.key, key, units, located_confidence=ORDER_ONLY_CONFIDENCE
                                      + (1 - ORDER_ONLY_CONFIDENCE) * row_likeness(missing[key], line))
            n = run_end

    def _value_lines(self, stream: TextStream, start: int, end: int) -> list[ValueLine]:
        """The lines of [start, end) that end in values: each line's label text and its values."""
        norm = stream.norm
        lines = []
        line_start = start
        while line_start < end:
            line_end = norm.find("\n", line_start, end)
            line_end = end if line_end < 0 else line_end
            pieces = [(line_start + m.start(), line_start + m.end()) for m in _PIECE.finditer(norm[line_start:line_end])]
            first_value = len(pieces)
            specks = 0
            while first_value > 0:
                if not is_value_piece(stream, *pieces[first_value - 1]):
                    if first_value == 1 or not is_speck(stream, *pieces[first_value - 2:first_value]):
                        break
                    specks += 1
                first_value -= 1
            cells = norm[line_start:line_end].split("\t")
            if first_value == len(pieces) and len(cells) > 2:
                # A grid row whose last cell OCR garbled (`日` for 11): its values are the cells after
                # the label cells, the first of them a value.
                first_value = next((k for k, (a, b) in enumerate(pieces) if is_value_piece(stream, a, b)
                                    and "\t" in norm[line_start:a]), len(pieces))
            if first_value < len(pieces) and not _PAGE_NUMBER.match(norm, line_start):
                label = compact(norm[line_start:pieces[first_value][0]])
                lines.append(ValueLine(label, pieces[first_value][0], line_end, len(pieces) - first_value - specks))
            line_start = line_end + 1
        return lines

