"""Documents with real structure (HTML, DOCX) → one text with tokens, table cells on their grid.

Paragraphs become lines; each table row becomes a line whose tokens carry their
`GridPosition` (spans resolved to the top-left cell). `Document.text` is the text built here
(paragraphs and rows on their own lines, cells separated by tabs); offsets point into it.
"""

from __future__ import annotations

from dataclasses import dataclass

from extraction.document import Document, GridPosition, Line, Page, Unit
from extraction.ingest.text import text_to_lines


@dataclass(frozen=True)
class TableCell:
    row: int
    col: int
    text: str


class StructuredTextBuilder:
    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._lines: list[Line] = []
        self._tables = 0

    def _append(self, text: str) -> int:
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        return start

    def add_paragraph(self, text: str) -> None:
        text = " ".join(text.split("\n"))
        if not text.strip():
            return
        start = self._append(text + "\n")
        for line in text_to_lines(text):
            for token in line.tokens:
                token.offset += start
            self._lines.append(line)

    def add_table(self, cells: list[TableCell]) -> None:
        table = self._tables
        self._tables += 1
        rows: dict[int, list[TableCell]] = {}
        for cell in cells:
            rows.setdefault(cell.row, []).append(cell)
        for row in sorted(rows):
            line = Line()
            for i, cell in enumerate(sorted(rows[row], key=lambda c: c.col)):
                if i:
                    self._append("\t")
                start = self._append(" ".join(cell.text.split("\n")))
                for cell_line in text_to_lines(" ".join(cell.text.split("\n"))):
                    for token in cell_line.tokens:
                        token.offset += start
                        token.grid = GridPosition(table, cell.row, cell.col)
                        line.tokens.append(token)
            self._append("\n")
            self._lines.append(line)

    def document(self, source: str, sha256: str, media_type: str) -> Document:
        return Document(source, sha256, media_type, text="".join(self._parts),
                        pages=[Page(1, 0, 0, Unit.NONE, lines=self._lines)])

    @property
    def is_empty(self) -> bool:
        return not any(line.tokens for line in self._lines)
