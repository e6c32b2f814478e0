"""Text styles: the report as text copied out of a PDF, DOCX or web page, tables flattened.

Each style imitates a rendering seen in the wild (see `../shared/real-reports/`):
- `text_tabs`: one table row per line, cells separated by tabs, spanned cells left empty (000, 001);
- `text_pipes`: one cell per line ending in ` |`, spanned cells as `|||` debris lines (002);
- `text_cells`: one cell per tab-indented line, rows separated by blank lines, header cells broken
  over lines (003);
- `text_garbled`: as `text_cells`, but header cells lost or truncated and lines run together (004);
- `markdown`: pipe tables and bold headings;

The crawled-page style `web` is in `web.py`.
"""

from __future__ import annotations

import random
from typing import Callable

from training.synth.report import SynthReport
from training.synth.styles.base import Annotation, Block, Rendered, TableBlock, report_blocks
from training.synth.tables import GridCell, PrintedTable

HALF_WIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "；": ";"})


class TextWriter:
    """Appends text and records where each annotated piece starts."""

    def __init__(self, half_width: bool):
        self._parts: list[str] = []
        self._length = 0
        self._half_width = half_width
        self.annotations: list[Annotation] = []

    def write(self, text: str, kind: str | None = None, key: str | None = None) -> None:
        if self._half_width:
            text = text.translate(HALF_WIDTH)
        if kind is not None and text:
            self.annotations.append(Annotation(kind, text, key, offset=self._length))
        self._parts.append(text)
        self._length += len(text)

    def write_cell(self, cell: GridCell) -> None:
        self.write(cell.text, cell.role, cell.key)

    def text(self) -> str:
        return "".join(self._parts)


def _starts(table: PrintedTable) -> dict[tuple[int, int], GridCell]:
    return {(c.row, c.col): c for c in table.cells}


def _tabs_table(w: TextWriter, table: PrintedTable, rng: random.Random) -> None:
    starts = _starts(table)
    trailing_tab = rng.random() < 0.5
    for r in range(table.n_rows):
        for c in range(table.n_cols):
            if c:
                w.write("\t")
            if (r, c) in starts:
                w.write_cell(starts[(r, c)])
        w.write("\t\n" if trailing_tab else "\n")


def _pipes_table(w: TextWriter, table: PrintedTable, rng: random.Random) -> None:
    covering = table.cell_at()
    for r, cells in enumerate(table.rows()):
        for cell in cells:
            w.write_cell(cell)
            w.write(" |\n")
        covered = sum(1 for c in range(table.n_cols)
                      if (r, c) in covering and (covering[(r, c)].row, covering[(r, c)].col) != (r, c))
        if covered:
            w.write("|" * covered + "\n")


def _break_header(text: str, rng: random.Random) -> list[str]:
    """A header cell wrapped in its PDF cell: `自然人` copied out as `自然` / `` / `人`."""
    if len(text) < 2 or rng.random() < 0.7:
        return [text]
    cut = rng.randint(1, len(text) - 1)
    return [text[:cut], "", text[cut:]] if rng.random() < 0.5 else [text[:cut], text[cut:]]


def _cells_table(w: TextWriter, table: PrintedTable, rng: random.Random, garbled: bool) -> None:
    starts = _starts(table)
    covering = table.cell_at()
    for r in range(table.n_rows):
        for c in range(table.n_cols):
            cell = starts.get((r, c))
            if cell is None:
                # A spanned position: copied out as an empty tab line in label columns, else nothing.
                if (r, c) in covering and covering[(r, c)].role == "row_label" and rng.random() < 0.6:
                    w.write("\t\n")
                continue
            if garbled and cell.role in ("column_header", "corner") and rng.random() < 0.25:
                continue  # header cell lost in the copy
            w.write("\t")
            if cell.role in ("column_header", "corner") and "\n" not in cell.text:
                pieces = _break_header(cell.text, rng)
                if garbled and len(cell.text) > 3 and rng.random() < 0.2:
                    pieces = [cell.text[: rng.randint(2, len(cell.text) - 1)]]  # truncated
                if len(pieces) == 1:
                    w.write_cell(GridCell(cell.row, cell.col, pieces[0], cell.role, cell.key))
                else:
                    # The annotation covers the whole broken cell, newlines included.
                    w.write("\n".join(pieces), cell.role, cell.key)
            else:
                w.write_cell(cell)
            # Garbled copies run lines together.
            w.write(" " if garbled and rng.random() < 0.04 else "\n")
        w.write("\n")


def _markdown_table(w: TextWriter, table: PrintedTable, rng: random.Random) -> None:
    starts = _starts(table)
    for r in range(table.n_rows):
        w.write("|")
        for c in range(table.n_cols):
            w.write(" ")
            if (r, c) in starts:
                w.write_cell(starts[(r, c)])
            w.write(" |")
        w.write("\n")
        if r == 0:
            w.write("|" + "---|" * table.n_cols + "\n")
    w.write("\n")


TableWriter = Callable[[TextWriter, PrintedTable, random.Random], None]


def _paragraphs_and_tables(w: TextWriter, blocks: list[Block], write_table: TableWriter, rng: random.Random,
                           heading_format: str, paragraph_end: str) -> None:
    for block in blocks:
        if isinstance(block, TableBlock):
            write_table(w, block.table, rng)
            continue
        kind = {"title": "title", "section_heading": "section_heading"}.get(block.kind)
        if kind is not None and heading_format != "{}":
            before, after = heading_format.split("{}")
            w.write(before)
            w.write(block.text, kind, block.key)
            w.write(after)
        else:
            w.write(block.text, kind, block.key)
        w.write(paragraph_end)


def _render_flat(report: SynthReport, rng: random.Random, write_table: TableWriter,
                 heading_format: str = "{}", paragraph_end: str = "\n\n", half_width: bool | None = None) -> Rendered:
    w = TextWriter(half_width=rng.random() < 0.3 if half_width is None else half_width)
    blocks = report_blocks(report, rng)
    _paragraphs_and_tables(w, blocks, write_table, rng, heading_format, paragraph_end)
    return Rendered({".txt": w.text().encode("utf-8")}, w.annotations)


def render_text_tabs(report: SynthReport, rng: random.Random) -> Rendered:
    heading_format = rng.choice(["{}", "{}", "**{}**"])
    return _render_flat(report, rng, _tabs_table, heading_format=heading_format)


def render_text_pipes(report: SynthReport, rng: random.Random) -> Rendered:
    return _render_flat(report, rng, _pipes_table, paragraph_end="\n", half_width=True)


def render_text_cells(report: SynthReport, rng: random.Random) -> Rendered:
    return _render_flat(report, rng, lambda w, t, r: _cells_table(w, t, r, garbled=False))


def render_text_garbled(report: SynthReport, rng: random.Random) -> Rendered:
    return _render_flat(report, rng, lambda w, t, r: _cells_table(w, t, r, garbled=True), paragraph_end="\n")


def render_markdown(report: SynthReport, rng: random.Random) -> Rendered:
    w = TextWriter(half_width=False)
    for block in report_blocks(report, rng):
        if isinstance(block, TableBlock):
            _markdown_table(w, block.table, rng)
        elif block.kind == "title":
            w.write("# ")
            w.write(block.text, "title")
            w.write("\n\n")
        elif block.kind == "section_heading":
            w.write("## ")
            w.write(block.text, "section_heading", block.key)
            w.write("\n\n")
        else:
            w.write(block.text + "\n\n")
    return Rendered({".md": w.text().encode("utf-8")}, w.annotations)
