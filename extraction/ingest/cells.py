"""Empty or garbled table cells read again, alone and enlarged.

The text detector misses a lone small glyph in a cell (a `0` at 9 pt and 100 dpi, a faded
photocopy digit): the cell then looks blank, and blank (null) is not 0. Or the page reading
makes letters of it (`U`, `II`, `IJ` at 7.5 pt). A row that prints values in its other cells
rarely leaves one blank or lettered, so each such cell is cropped, enlarged to the height the
recogniser reads best, and recognised on its own (no detection). Only a reading the decoder can
take for a count is kept (digits, or a few digit look-alikes). A cell that still reads as no count
but holds a glyph (a faded serif `0` whose arcs the copier lost reads `()` or `II`) becomes the
unread mark: some count is printed there, and the decoder lets the identities say which. A truly
blank cell, or one printing a dash for none, reads nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import cv2
import numpy as np

from extraction.decode.readings import DASH_LIKE, LETTER_DIGITS, SPECK_MARKS, UNREAD, as_digits
from extraction.document import Token
from extraction.ingest.ocr import OcrBox, OcrEngine
from extraction.ingest.reading_order import Box
from extraction.ingest.seal import without_seal_ink
from extraction.ingest.text import without_accents

_NUMBER_LIKE = re.compile(r"^[-+]?[\dOo。]+(?:[.,]\d+)?$")
_SPECKS = " " + SPECK_MARKS
_LABEL_TEXT = re.compile(r"[\u4e00-\u9fff]{2}")  # a row label's print: two CJK glyphs or more
# A value cell's reading that is no number: a few Latin letters and marks, or a lone CJK glyph (`日`).
_GARBLED = re.compile(r"^(?:[A-Za-z|!:;.,'`()\[\]{}\d]{1,4}|[\u4e00-\u9fff])$")  # or one stray CJK glyph
RECOGNISER_HEIGHT = 48  # px: PP-OCR's recogniser input height
MIN_SCORE = 0.6
UNDER_SEAL_MIN_SCORE = 0.9
UNREAD_SCORE = 0.5  # the unread mark's confidence: ink is there, its digits are unknown
GLYPH_HEIGHT_SHARE = 0.25  # of the crop (a line of the row's digits, padded): a blob this tall is a glyph, not speckle
GLYPH_CONTRAST = 35  # grey levels below the paper: a blurred 7.5 pt 0 at 100 dpi is a grey blob
GLYPH_MAX_ASPECT = 1.5  # width over height: a digit is upright; a dash for none is flat
MAX_LOOK_ALIKE_READING = 3  # characters: longer letter runs in a value cell are text, not a count
# Recognising a cell costs ~14 ms (the recogniser pads every crop to its 320 px input); a page's
# first cells are recognised, the rest only looked at for ink (`holds_a_glyph`, a fraction of a
# millisecond): a blurred 100 dpi page can have a hundred cells the page reading missed.
MAX_RECOGNISED_PER_PAGE = 60
MAX_CELLS_PER_PAGE = 600  # bounds a page of noise taken for a table
PAD = 2.0  # px kept clear of the cell's rules
MAX_GAP_ROWS = 3  # row heights between a cut-off row and the table above it
MIN_ROW_VALUES = 3  # numbers a row of values holds at the least (行政复议、行政诉讼: 15)


def _is_number(text: str) -> bool:
    return bool(_NUMBER_LIKE.match(text.strip()))


def _label_columns(members: list[int], tokens: list[Token]) -> set[int]:
    """Grid columns holding one number and, in the rows of numbers, row labels besides: that number is
    a label's glyph misread (a wrapped label's last `作` read `2`), not a value column. (Two numbers
    or more may be values the grid put a column off.)"""
    value_rows = {tokens[i].grid.row for i in members if _is_number(tokens[i].text)}
    labels = Counter(tokens[i].grid.column for i in members
                     if tokens[i].grid.row in value_rows and _LABEL_TEXT.search(tokens[i].text))
    numbers = Counter(tokens[i].grid.column for i in members if _is_number(tokens[i].text))
    return {column for column, count in labels.items() if numbers[column] == 1 < count}


def _reads_as_count(text: str) -> bool:
    """A cell read alone that the decoder can take for a count: a number, maybe with a speck beside it
    (`.0`, `0..`: ingest drops it), or a few digits and digit look-alikes (a faded `0` read `n`, `11`
    read `i1`); a lone dash-like mark is a blank cell's dash. A look-alike with a speck (`q.`) is
    too unsure to be read as its digit: the cell is left to the unread mark."""
    text = without_accents(text.strip())
    return _is_number(text.strip(_SPECKS)) or (0 < len(text) <= MAX_LOOK_ALIKE_READING
                                                and all(ch.isdigit() or ch in LETTER_DIGITS for ch in text)
                                                and not all(ch in DASH_LIKE for ch in text))


@dataclass(frozen=True)
class CellToRead:
    box: Box  # in the tokens' box space
    token: int | None  # the garbled token read there (`II`, `U` for a 0 or 11), None for an empty cell
    under_seal: bool = False  # a seal's ring runs through it: its print is there, hidden
    ink_first: bool = False  # a cell that often prints nothing: recognised only where the ink test finds a glyph


def cells_to_reread(tokens: list[Token], boxes: list[Box],
                    ruled_columns: dict[int, list[tuple[float, float]]]) -> list[CellToRead]:
    """Value cells of rows that print other values, where the page reading found nothing or only a
    few letters (a tiny `0` read `U`, `11` read `II`).

    A table's value columns are its grid columns holding numbers (not its label columns:
    `_label_columns`), split where a row holds two numbers in one (`_value_columns`); a column spans
    the numbers it holds, a row the numbers it holds. A one-row grid just under a table may be that
    table's row cut off, with its columns (`_columns_of_the_table_above`). In a ruled table
    (`ruled_columns`: table id → each grid column's x-span) a column between two of a row's values is
    one too, though it holds no number anywhere (a one-row table whose small `0` the detector
    missed), and in a one-row table so is a column after its last value, and one under each of its
    column heads (`_column_heads`: the grid may have merged columns). A row holding only its label
    below a row of numbers is read in every value column (`_cells_of_label_only_rows`); in a ruled
    table that holds numbers in fewer than two columns, every row with a label is read in every ruled
    column after its first (`_cells_of_ruled_label_rows`). An empty
    cell overlapping any token of its row is not empty."""
    by_table: dict[int, list[int]] = {}
    for i, token in enumerate(tokens):
        if token.grid is not None:
            by_table.setdefault(token.grid.table, []).append(i)
    numbers_of: dict[int, list[int]] = {}
    for table, members in by_table.items():
        label_columns = _label_columns(members, tokens)
        numbers_of[table] = [i for i in members
                             if _is_number(tokens[i].text) and tokens[i].grid.column not in label_columns]
    columns_of: dict[int, list[list[int]]] = {}
    for table, numbers in numbers_of.items():
        by_grid_column: dict[int, list[int]] = {}
        for i in numbers:
            by_grid_column.setdefault(tokens[i].grid.column, []).append(i)
        columns_of[table] = [column for in_grid_column in by_grid_column.values()
                             for column in _value_columns(in_grid_column, tokens, boxes)]
    bottom_of = {table: max(boxes[i][3] for i in members) for table, members in by_table.items()}
    cells: list[CellToRead] = []
    for table, members in by_table.items():
        numbers = numbers_of[table]
        rows: dict[int, list[int]] = {}
        for i in numbers:
            rows.setdefault(tokens[i].grid.row, []).append(i)
        columns = columns_of[table]
        if len(rows) == 1:
            columns = _columns_of_the_table_above(numbers, boxes, bottom_of, columns_of) or columns
        if len(columns) < 2:
            cells += _cells_of_ruled_label_rows(members, tokens, boxes, ruled_columns.get(table, []))
            continue
        numbered_grid_columns = {tokens[i].grid.column for i in numbers}
        # A column's span is where it prints in rows of several values: a merged cell's lone value
        # (table 二's 行政许可, centred over three columns) takes the grid column it starts in, and
        # would stretch that column over its neighbours' cells.
        several = {row for row, in_row in rows.items() if len(in_row) > 1}
        # A one-row table prints one row of values; a number OCR made of a header word (总计 read
        # `21`) does not make its header a second one.
        value_rows = [row for row, in_row in rows.items() if len(in_row) >= MIN_ROW_VALUES or len(rows) == 1]
        one_row = value_rows[0] if len(value_rows) == 1 else None
        for row, in_row in rows.items():
            top = min(boxes[i][1] for i in in_row)
            bottom = max(boxes[i][3] for i in in_row)
            row_tokens = [i for i in members if tokens[i].grid.row == row]
            for in_column in columns:
                if any(tokens[i].grid.row == row and tokens[i].grid.table == table for i in in_column):
                    continue
                box = _cell_box([i for i in in_column if tokens[i].grid.row in several] or in_column,
                                boxes, top, bottom)
                garbled = [i for i in row_tokens if _overlap(boxes[i], box) and _is_garbled(tokens[i].text)
                           and not _is_number(tokens[i].text)]
                if len(garbled) == 1:
                    i = garbled[0]
                    cells.append(CellToRead(_union(box, boxes[i]), i))
                elif not any(_overlap(boxes[i], box) for i in row_tokens):
                    cells.append(CellToRead(box, None))
            spans = ruled_columns.get(tokens[in_row[0]].grid.table, [])
            printed = sorted({tokens[i].grid.column for i in in_row})
            # A one-row table (行政复议、行政诉讼) ends in value cells: a cell after its last value read
            # is one too. Elsewhere a ruled column right of the values may be a margin's.
            last = len(spans) if row == one_row else min(printed[-1], len(spans))
            # A row a page break cut off prints alone on the next page, its label first: every ruled
            # column between its label and its first value read is a value cell too.
            label_columns = [tokens[i].grid.column for i in row_tokens if _LABEL_TEXT.search(tokens[i].text)]
            first = printed[0]
            if row == one_row and label_columns and max(label_columns) < first:
                first = max(label_columns)
            for column in range(first + 1, last):
                if column in numbered_grid_columns:
                    continue
                box = _ruled_cell_box(spans[column], top, bottom)
                if not any(_overlap(boxes[i], box) for i in row_tokens):
                    cells.append(CellToRead(box, None))
            if row == one_row:
                # Its columns are known from its header too: a rule the copy lost (or a seal's ring
                # across it) merges grid columns, but each column's head still prints above its cell.
                for head in _column_heads(boxes, [i for i in members if boxes[i][3] <= top]):
                    box = (head[0], top - PAD, head[1], bottom + PAD)
                    if not any(_overlap(boxes[i], box) for i in row_tokens) \
                            and not any(_mostly_over(cell.box, box) for cell in cells):
                        cells.append(CellToRead(box, None))
        cells += _cells_of_label_only_rows(members, rows, columns, tokens, boxes, ruled_columns.get(table, []))
    return cells[:MAX_CELLS_PER_PAGE]


def _cells_of_label_only_rows(members: list[int], rows: dict[int, list[int]], columns: list[list[int]],
                              tokens: list[Token], boxes: list[Box],
                              spans: list[tuple[float, float]]) -> list[CellToRead]:
    """The value cells of a row below a row of numbers that holds its label and nothing else: a
    one-value row of table 二 whose faint `0` the page reading missed (行政许可 between two rows of
    numbers, or 行政处罚 and 行政强制 after the last). A header or block-heading row prints text over
    the value columns, so none of its cells is empty. In a ruled table a cell reaches over its
    column's ruled span (`spans`) too, not only where the column prints its numbers: the row's one
    value is centred in a cell merged over the block's columns, maybe off every column's numbers."""
    cells: list[CellToRead] = []
    if not rows:
        return cells
    first = min(rows)
    label_rows = {tokens[i].grid.row for i in members if _LABEL_TEXT.search(tokens[i].text)}
    grid_columns = Counter(tokens[in_column[0]].grid.column for in_column in columns)
    for row in sorted(r for r in label_rows - set(rows) if first < r):
        row_tokens = [i for i in members if tokens[i].grid.row == row]
        top, bottom = min(boxes[i][1] for i in row_tokens), max(boxes[i][3] for i in row_tokens)
        for in_column in columns:
            box = _cell_box(in_column, boxes, top, bottom)
            column = tokens[in_column[0]].grid.column
            if column < len(spans) and grid_columns[column] == 1:  # not a ruled column holding two
                ruled = _ruled_cell_box(spans[column], top, bottom)
                box = (min(box[0], ruled[0]), box[1], max(box[2], ruled[2]), box[3])
            if not any(_overlap(boxes[i], box) for i in row_tokens) and not any(_overlap(c.box, box) for c in cells):
                cells.append(CellToRead(box, None, ink_first=True))  # a header row's cells are blank
    return cells


def _cells_of_ruled_label_rows(members: list[int], tokens: list[Token], boxes: list[Box],
                               spans: list[tuple[float, float]]) -> list[CellToRead]:
    """The value cells of a ruled table whose numbers the page reading all but missed (a blurred
    Kai table 二 with one `3` read of six): in each row whose first grid column holds a label, the
    cell of every later column that holds no print. A header row prints in its cells; a blank cell
    shows no glyph to the ink test, so nothing is recognised there."""
    rows: dict[int, list[int]] = {}
    for i in members:
        rows.setdefault(tokens[i].grid.row, []).append(i)
    cells: list[CellToRead] = []
    for _, in_row in sorted(rows.items()):
        if not any(tokens[i].grid.column == 0 and _LABEL_TEXT.search(tokens[i].text) for i in in_row):
            continue
        top, bottom = min(boxes[i][1] for i in in_row), max(boxes[i][3] for i in in_row)
        for span in spans[1:]:
            box = _ruled_cell_box(span, top, bottom)
            if not any(_overlap(boxes[i], box) for i in in_row):
                cells.append(CellToRead(box, None, ink_first=True))
    return cells


def _columns_of_the_table_above(row: list[int], boxes: list[Box], bottom_of: dict[int, float],
                                columns_of: dict[int, list[list[int]]]) -> list[list[int]] | None:
    """The value columns of the table just above a one-row grid, where that row is the table's own
    cut off (a photocopy lost the rule over it): each of its numbers under its own column of the
    table above, fewer numbers than columns. None where no such table is there."""
    top = min(boxes[i][1] for i in row)
    height = max(boxes[i][3] for i in row) - top
    above = [(bottom, table) for table, bottom in bottom_of.items()
             if len(columns_of[table]) > len(row) and bottom <= top]
    if not above:
        return None
    bottom, table = max(above)
    if top - bottom > MAX_GAP_ROWS * height:
        return None
    spans = [(min(boxes[i][0] for i in column), max(boxes[i][2] for i in column)) for column in columns_of[table]]
    under = [[c for c, (x0, x1) in enumerate(spans) if boxes[i][0] < x1 and x0 < boxes[i][2]] for i in row]
    if any(len(found) != 1 for found in under) or len({found[0] for found in under}) != len(row):
        return None
    return columns_of[table]


def _value_columns(numbers: list[int], tokens: list[Token], boxes: list[Box]) -> list[list[int]]:
    """The value columns of one grid column's numbers: the grid column itself, unless a row holds
    two numbers in it (a photocopy lost the rule between them); then the columns where the numbers
    print, a number overlapping the mean span of the column on its left joining it. (A number that
    spans two cells, one per row, stays the grid's.)"""
    per_row = [tokens[i].grid.row for i in numbers]
    if all(per_row.count(row) == 1 for row in per_row):
        return [numbers]
    columns: list[list[int]] = []
    for i in sorted(numbers, key=lambda i: boxes[i][0] + boxes[i][2]):
        if columns:
            last = columns[-1]
            left = sum(boxes[j][0] for j in last) / len(last)
            right = sum(boxes[j][2] for j in last) / len(last)
            if boxes[i][0] < right and left < boxes[i][2]:
                last.append(i)
                continue
        columns.append([i])
    return columns


def _column_heads(boxes: list[Box], header: list[int]) -> list[tuple[float, float]]:
    """The x-spans of a table's column heads: the header tokens with no other header token below
    them in their span (`结果` under `其他`, not `复议后起诉` over five columns)."""
    heads = []
    for i in header:
        x0, _, x1, y1 = boxes[i]
        if not any(j != i and boxes[j][1] >= y1 - 0.5 * (y1 - boxes[i][1]) and boxes[j][0] < x1 and x0 < boxes[j][2]
                   for j in header):
            heads.append((x0, x1))
    return heads


def _is_garbled(text: str) -> bool:
    return bool(_GARBLED.match(text.strip()))


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _cell_box(in_column: list[int], boxes: list[Box], top: float, bottom: float) -> Box:
    """A cell's box: across the numbers its column prints, down the row's height, a little room."""
    return (min(boxes[i][0] for i in in_column) - PAD, top - PAD, max(boxes[i][2] for i in in_column) + PAD,
            bottom + PAD)


def _ruled_cell_box(span: tuple[float, float], top: float, bottom: float) -> Box:
    """A cell's box in a ruled column: inside its rules, down the row's height, a little room."""
    return (span[0] + PAD, top - PAD, span[1] - PAD, bottom + PAD)


def _mostly_over(a: Box, b: Box) -> bool:
    """Whether two boxes overlap over half the narrower one's width: column heads' boxes touch
    their neighbours' edges (`结果维持` ends where `结果纠正` begins) without being the same column."""
    shared = min(a[2], b[2]) - max(a[0], b[0])
    return _overlap(a, b) and shared > 0.5 * min(a[2] - a[0], b[2] - b[0])


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def read_cells(image: np.ndarray, cells: list[CellToRead], engine: OcrEngine,
               max_recognised: int = MAX_RECOGNISED_PER_PAGE) -> list[tuple[CellToRead, OcrBox]]:
    """Each cell recognised alone (the first `max_recognised`; the others only looked at for ink);
    the number-like readings and unread marks, as boxes in the image's pixels."""
    found = []
    height, width = image.shape[:2]
    for n, cell in enumerate(cells):
        recognised = n < max_recognised
        if not recognised and cell.token is not None:
            continue  # a garbled reading (`o`, `II`) says more than ink alone
        x0, y0, x1, y1 = cell.box
        left, top = max(0, int(x0)), max(0, int(y0))
        right, bottom = min(width, int(np.ceil(x1))), min(height, int(np.ceil(y1)))
        if right - left < 3 or bottom - top < 3:
            continue
        crop = without_seal_ink(image[top:bottom, left:right])
        if cell.ink_first and not holds_a_glyph(crop):
            continue
        scale = RECOGNISER_HEIGHT / crop.shape[0]
        line = None
        if recognised:
            line = engine.read_line(cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC))
        quad = [(left, top), (right, top), (right, bottom), (left, bottom)]
        # Under a seal's ring an unsure reading is likelier the ring's arc (`1`, `一`) than the print.
        min_score = UNDER_SEAL_MIN_SCORE if cell.under_seal else MIN_SCORE
        if line is not None and line.score >= min_score and _reads_as_count(line.text):
            found.append((cell, OcrBox(quad, line.text, line.score, line.char_scores)))
        elif cell.under_seal or cell.ink_first or holds_a_glyph(crop):  # an ink-first cell has shown its glyph
            found.append((cell, OcrBox(quad, UNREAD, UNREAD_SCORE, None)))
    return found


def replaces_garbled(garbled: str, reread: str) -> bool:
    """Whether a cell's reading replaces the page's garbled reading of it: not where it only confirms
    the digits the letters stand for (`II` says more than `11`: maybe a 0 that lost its arcs)."""
    return as_digits(garbled) != reread


def holds_a_glyph(crop: np.ndarray) -> bool:
    """Whether a cell's crop holds a glyph: a dark blob at least `GLYPH_HEIGHT_SHARE` of the crop's
    height, upright, and clear of the crop's sides (a cell rule or a copier's streak runs through
    them). Toner speckle is too small, a dash for none too flat."""
    gray = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY) if crop.ndim == 3 else crop
    paper = float(np.percentile(gray, 90))
    darkest = float(gray.min())
    if paper - darkest < GLYPH_CONTRAST:  # nothing printed darker than paper grain
        return False
    # Ink is what is well below the paper: a black speck beside a grey 0 must not set the bar above the 0.
    ink = (gray < max((paper + darkest) / 2, paper - GLYPH_CONTRAST)).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height, width = ink.shape
    for x, y, w, h, _ in stats[1:count]:
        touches_sides = x == 0 or x + w >= width or (y == 0 and y + h >= height)
        if not touches_sides and h >= GLYPH_HEIGHT_SHARE * height and w <= GLYPH_MAX_ASPECT * h:
            return True
    return False
