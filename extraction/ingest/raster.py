"""Page images → tokens by OCR: straightened, read, mapped back to the page image, tables found."""

from __future__ import annotations

import re
from dataclasses import replace

import cv2
import numpy as np

from extraction.decode.readings import SPECK_MARKS
from extraction.document import Page, Token, Unit
from extraction.ingest.cells import CellToRead, cells_to_reread, read_cells, replaces_garbled
from extraction.ingest.grid import PageTables, TableGrid, assign_grid, find_tables, line_masks_from_image
from extraction.ingest.ocr import OcrBox, OcrEngine, map_quad, read_page
from extraction.ingest.options import OcrOptions
from extraction.ingest.reading_order import Box, lines_in_reading_order
from extraction.ingest.seal import crosses, find_seal_rings, without_ring_arcs, without_seal_rings
from extraction.ingest.streaks import find_streaks, without_streaks
from extraction.ingest.sure_glyphs import lone_glyphs
from extraction.ingest.text import normalise_token, without_accents
from extraction.ingest.text_grid import assign_text_grids, split_merged_rows

# PP-OCR often reads a lone table digit with a stray mark beside it (`0` → `0.`, `0)`, `0 ==`, `: 4`,
# `: .28.5448`: a cell's rule, a photocopy streak, specks); no printed table number begins or ends in a
# bare mark, so such marks are dropped, and the token's confidence lowered to say so.
_MARKS = re.escape(SPECK_MARKS)
_STRAY_MARK = re.compile(rf"^(?P<lead>(?:[{_MARKS}|(（\[【]\s*){{0,2}}\s*)(?P<number>[-+]?\d[\d,]*(?:\.\d+)?)"
                         rf"(?P<trail>\s*(?:[{_MARKS})）\]】|]{{1,3}}|==?)?)$")
STRAY_MARK_CONFIDENCE_FACTOR = 0.9
A4_LONG_SIDE_MM = 297  # a page image of unknown resolution is taken for A4


def token_from_ocr(box: OcrBox, bbox: tuple[float, float, float, float]) -> Token:
    text, score, char_scores = without_accents(normalise_token(box.text)), box.score, box.char_scores
    match = _STRAY_MARK.match(text)
    if match and (match.group("lead") or match.group("trail")):
        text, score = match.group("number"), score * STRAY_MARK_CONFIDENCE_FACTOR
        start = len(match.group("lead"))
        char_scores = char_scores[start: start + len(text)] if char_scores else None
    return Token(text, bbox=bbox, confidence=round(score, 4), char_confidences=char_scores)


def _cells_to_reread(tokens: list[Token], boxes: list[Box], tables: list[TableGrid], height: int) -> list[CellToRead]:
    """The page's empty or garbled value cells, from grids numbered for this page alone: the document-wide
    numbering (`number_grids`, tables stitched across pages) comes once every page is read."""
    for n, table in enumerate(tables):
        table.table_id = n
    assign_grid(tokens, boxes, tables)
    split_merged_rows(tokens, boxes)
    assign_text_grids(tokens, boxes, height, len(tables))
    ruled_columns = {table.table_id: list(zip(table.col_edges, table.col_edges[1:])) for table in tables}
    cells = cells_to_reread(tokens, boxes, ruled_columns)
    for token in tokens:
        token.grid = None
    for table in tables:
        table.table_id = -1
    return cells


def ocr_page_image(image: np.ndarray, number: int, dpi: float | None, engine: OcrEngine,
                   options: OcrOptions) -> tuple[Page, PageTables]:
    """A page from an RGB image: token boxes in the image's own pixels; tables (for grid
    positions) in the pixels of the straightened image the page was read from."""
    px_per_mm = dpi / 25.4 if dpi else max(image.shape[:2]) / A4_LONG_SIDE_MM
    # A copier's streaks are painted over first: OCR misreads the digits they cross (`streaks`).
    image = without_streaks(image, find_streaks(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), px_per_mm))
    reading = read_page(image, engine, options)
    tokens, straight_boxes = [], []
    for box in reading.boxes:
        tokens.append(token_from_ocr(box, map_quad(box.quad, reading.to_original)))
        straight_boxes.append(map_quad(box.quad, np.eye(3)))
    gray = cv2.cvtColor(reading.straightened, cv2.COLOR_RGB2GRAY)
    masks = line_masks_from_image(gray)
    tables = find_tables(*masks)
    # A seal's ring across a table draws arcs the grid would take for rules (`seal`): looked for
    # only where there is a table, not on the narrative's pages.
    rings = find_seal_rings(gray, px_per_mm) if tables else []
    if rings:
        tables = find_tables(*(without_ring_arcs(mask, rings) for mask in masks))
    if options.reread_empty_cells:
        cells = _cells_to_reread(tokens, straight_boxes, tables, gray.shape[0])
        if cells and not tables:  # cells of a table found from its text alone: a ring may cross them too
            rings = find_seal_rings(gray, px_per_mm)
        # A seal's ring over the cells is wiped off before they are read (`seal`).
        cells = [replace(cell, under_seal=any(crosses(ring, cell.box) for ring in rings)) for cell in cells]
        for cell, box in read_cells(without_seal_rings(reading.straightened, rings), cells, engine):
            token = token_from_ocr(box, map_quad(box.quad, reading.to_original))
            if cell.token is None:
                tokens.append(token)
                straight_boxes.append(map_quad(box.quad, np.eye(3)))
            elif replaces_garbled(tokens[cell.token].text, token.text):
                # The garbled reading gives way; its box stays where the page reading put it.
                token.bbox = tokens[cell.token].bbox
                tokens[cell.token] = token
    height, width = image.shape[:2]
    page = Page(number, width, height, Unit.PIXEL, dpi=dpi, lines=lines_in_reading_order(tokens, straight_boxes))
    size = (reading.straightened.shape[1], reading.straightened.shape[0])
    # Unsure lone digits are read again by the document's sure ones once every page is read (`sure_glyphs`).
    glyphs = lone_glyphs(tokens, straight_boxes, gray) if options.read_by_sure_glyphs else {}
    return page, PageTables(tables, size, tokens, straight_boxes, read_by_ocr=True, lone_glyphs=glyphs)
