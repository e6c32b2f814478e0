"""A document as one text to search, each character traceable to its token.

Text, HTML and DOCX inputs already have such a text (`Document.text`, token offsets into it). For
PDFs and scans it is built here: narrative lines in reading order, and each table, where its
first token appears, cell by cell: cells joined by tabs, grid rows by newlines, so that a label
wrapped over two lines of its cell stays one label, and a row's values follow its label.
`norm` is the same text with full-width ASCII folded to half-width, one character for one.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from extraction.document import Document, Token, Unit as PageUnit


def half_width(text: str) -> str:
    return "".join(chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else (" " if ch in "\u3000\u00a0" else ch)
                   for ch in text)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    token: Token
    page: int
    ocr: bool  # read by OCR (its digits may be misread), not from a text layer or a text file


class TextStream:
    def __init__(self, text: str, spans: list[Span], offsets_are_document_offsets: bool):
        self.text = text
        self.norm = half_width(text)
        self.spans = sorted(spans, key=lambda s: s.start)
        self._starts = [s.start for s in self.spans]
        self.offsets_are_document_offsets = offsets_are_document_offsets
        self.table_columns: dict[int, int] = {}  # grid table id → number of grid columns

    def span_at(self, position: int) -> Span | None:
        i = bisect.bisect_right(self._starts, position) - 1
        if i >= 0 and self.spans[i].start <= position < self.spans[i].end:
            return self.spans[i]
        return None


def stream_of(document: Document) -> TextStream:
    if document.text is not None:
        spans = [Span(t.offset, t.offset + len(t.text), t, page.number, False)
                 for page in document.pages for t in page.tokens if t.offset is not None]
        stream = TextStream(document.text, spans, offsets_are_document_offsets=True)
    else:
        stream = _serialise_positioned(document)
    for token in document.tokens:
        if token.grid is not None:
            columns = stream.table_columns.get(token.grid.table, 0)
            stream.table_columns[token.grid.table] = max(columns, token.grid.column + 1)
    return stream


def _serialise_positioned(document: Document) -> TextStream:
    parts: list[str] = []
    spans: list[Span] = []
    length = 0

    def put(text: str, token: Token | None = None, page: int = 0, ocr: bool = False) -> None:
        nonlocal length
        if token is not None:
            spans.append(Span(length, length + len(text), token, page, ocr))
        parts.append(text)
        length += len(text)

    table_tokens: dict[int, list[tuple[Token, int, bool]]] = {}
    for page in document.pages:
        for token in page.tokens:
            if token.grid is not None:
                table_tokens.setdefault(token.grid.table, []).append((token, page.number, page.unit is PageUnit.PIXEL))
    emitted: set[int] = set()
    for page in document.pages:
        ocr = page.unit is PageUnit.PIXEL
        for line in page.lines:
            narrative = [t for t in line.tokens if t.grid is None]
            for table in [t.grid.table for t in line.tokens if t.grid is not None]:
                if table not in emitted:
                    emitted.add(table)
                    _put_table(put, table_tokens[table])
            for i, token in enumerate(narrative):
                if i:
                    put(" ")
                put(token.text, token, page.number, ocr)
            if narrative:
                put("\n")
    return TextStream("".join(parts), spans, offsets_are_document_offsets=False)


def _put_table(put, tokens: list[tuple[Token, int, bool]]) -> None:
    """A table cell by cell: a cell's tokens in reading order, cells by tabs, rows by newlines."""
    order = {id(t): n for n, (t, _, _) in enumerate(tokens)}  # reading order, pages in turn
    rows: dict[int, dict[int, list[tuple[Token, int, bool]]]] = {}
    for entry in tokens:
        grid = entry[0].grid
        rows.setdefault(grid.row, {}).setdefault(grid.column, []).append(entry)
    put("\n")
    for row in sorted(rows):
        for n, column in enumerate(sorted(rows[row])):
            if n:
                put("\t")
            for k, (token, page, ocr) in enumerate(sorted(rows[row][column], key=lambda e: order[id(e[0])])):
                if k:
                    put(" ")
                put(token.text, token, page, ocr)
        put("\n")
