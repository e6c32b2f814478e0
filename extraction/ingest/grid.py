"""Table grids from ruling lines, for scans and digital PDFs alike.

Ruling lines are found as masks of horizontal and vertical strokes (OpenCV morphology on a scan;
a digital PDF's vector edges drawn into the same masks). Each connected set of lines is a table;
its row and column edges are where its lines lie. A token's cell is found by casting rays from
its centre to the nearest line on the left and above: so a token in a spanned cell gets the
spanned cell's top-left position, whatever its size. Tables split across pages are stitched
into one when the next page starts with a table of the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import cv2
import numpy as np

from extraction.document import GridPosition, Token
from extraction.ingest.text_grid import assign_text_grids, split_merged_rows

if TYPE_CHECKING:  # sure_glyphs reads PageTables
    from extraction.ingest.sure_glyphs import Glyph

Box = tuple[float, float, float, float]
OPEN_SIDE = 8  # px between a table's last vertical rule and where its horizontal rules end
STREAK_BAND = 0.08  # of the page's height: the top and bottom bands a streak runs through
STREAK_INK = 0.5  # of a band's rows a streak inks (text crossing a pixel column inks far fewer)
STREAK_MAX_TILT = 0.06  # horizontal drift of a streak per pixel of height (tan 3.4°: skew ±2° and more)
MIN_CELL_PX = 6  # no row or column of a table is narrower (at 150 dpi a row is ≥ 20 px)
RULE_SPAN_SHARE = 0.85  # of a cell's height (width) a rule covers along it (glyph strokes: ~60 %)


@dataclass
class TableGrid:
    bbox: tuple[int, int, int, int]  # x0, y0, x1, y1 in mask pixels
    row_edges: list[float]
    col_edges: list[float]
    hmask: np.ndarray
    vmask: np.ndarray
    table_id: int = -1  # document-wide, set by `stitch_tables`
    row_offset: int = 0  # rows of the same table on earlier pages

    def locate(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, col) of the cell containing the point, or None outside this table."""
        x0, y0, x1, y1 = self.bbox
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            return None
        xi, yi = int(round(x)), int(round(y))
        band_rows = self.vmask[max(0, yi - 2):yi + 3, :xi + 1].max(axis=0)
        left = np.flatnonzero(band_rows[x0:])
        band_cols = self.hmask[:yi + 1, max(0, xi - 2):xi + 3].max(axis=1)
        top = np.flatnonzero(band_cols[y0:])
        # No rule to the left (above): the table's open side, whose edge is where its rules end.
        col = int(np.argmin([abs(e - (x0 + left[-1] if left.size else x0)) for e in self.col_edges]))
        row = int(np.argmin([abs(e - (y0 + top[-1] if top.size else y0)) for e in self.row_edges]))
        if col >= len(self.col_edges) - 1 or row >= len(self.row_edges) - 1:
            return None
        return row, col


    def row_left_of(self, x1: float, y: float) -> int | None:
        """The row whose band holds `y`, for a box ending at or just left of the table's left edge."""
        x0, y0, _, y1 = self.bbox
        if not (y0 < y < y1 and x1 <= x0 + 3):
            return None
        for row, (top, bottom) in enumerate(zip(self.row_edges, self.row_edges[1:])):
            if top < y < bottom:
                return row
        return None


def _edges(projection: np.ndarray, min_pixels: int) -> list[float]:
    """Centres of runs where a projection of a line mask is non-trivial. A run's centre is taken
    where it is at least half its peak: a glyph's stroke touching a rule widens the run, not the rule."""
    on = projection >= min_pixels
    edges, start = [], None
    for i, flag in enumerate(np.append(on, False)):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            run = projection[start:i]
            strong = np.flatnonzero(run >= run.max() / 2)
            edges.append(start + (strong[0] + strong[-1]) / 2)
            start = None
    return edges


def _keep_strokes_ending_on(strokes: np.ndarray, across: np.ndarray, vertical: bool, reach: int = 5) -> np.ndarray:
    """Only the strokes whose both ends meet a stroke of the other direction: ruling lines end on
    ruling lines, while a glyph's stroke (the `1` in a cell, the `一` in a label) floats free, and
    so does a photocopier's streak down the page."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(strokes, connectivity=8)
    kept = np.zeros_like(strokes)
    height, width = strokes.shape
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        if vertical:
            ends = [across[max(0, y - reach):y + reach + 1, max(0, x - 2):x + w + 2],
                    across[max(0, y + h - 1 - reach):y + h + reach, max(0, x - 2):x + w + 2]]
        else:
            ends = [across[max(0, y - 2):y + h + 2, max(0, x - reach):x + reach + 1],
                    across[max(0, y - 2):y + h + 2, max(0, x + w - 1 - reach):min(width, x + w + reach)]]
        if all(end.any() for end in ends):
            kept[labels == i] = 255
    return kept


def _streak_mask(ink: np.ndarray) -> np.ndarray:
    """Where a photocopier's streaks run down the page: ink through most of both the top and the
    bottom margin band, where a table's rules never reach (they end at the table's outline), joined
    by a straight line (straightening the page has tilted it by up to the skew)."""
    h, w = ink.shape
    band = max(1, int(h * STREAK_BAND))
    # Within a band a tilted streak wanders a few pixels: a column counts its neighbours' ink.
    near = cv2.dilate((ink > 0).astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT, (7, 1)))
    top_edges = _edges(near[:band].mean(axis=0), STREAK_INK)
    bottom_edges = _edges(near[h - band:].mean(axis=0), STREAK_INK)
    mask = np.zeros_like(ink)
    drift = h * STREAK_MAX_TILT
    for top in top_edges:
        bottom = min(bottom_edges, key=lambda x: abs(x - top), default=None)
        if bottom is not None and abs(bottom - top) <= drift:
            cv2.line(mask, (int(round(top)), 0), (int(round(bottom)), h - 1), 255, 7)
    return mask


def _bridge_gaps(strokes: np.ndarray, gap: int, shortest_piece: int, vertical: bool) -> np.ndarray:
    """The strokes with gaps of up to `gap` px along their direction closed between pieces at least
    `shortest_piece` long."""
    pieces = strokes
    if shortest_piece:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(strokes, connectivity=8)
        extent = stats[:, cv2.CC_STAT_HEIGHT if vertical else cv2.CC_STAT_WIDTH]
        long_labels = np.flatnonzero(extent >= shortest_piece)
        pieces = np.where(np.isin(labels, long_labels[long_labels > 0]), 255, 0).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap) if vertical else (gap, 1))
    return cv2.bitwise_or(strokes, cv2.morphologyEx(pieces, cv2.MORPH_CLOSE, kernel))


def line_masks_from_image(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of horizontal and vertical ruling strokes in a page image."""
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    h, w = ink.shape
    shortest_horizontal, shortest_vertical = max(25, w // 30), max(15, h // 90)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (shortest_horizontal, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, shortest_vertical)))
    vertical[_streak_mask(ink) > 0] = 0
    # A photocopy's rules have drop-outs: a gap left open would leave a piece ending in mid-air.
    gap = max(9, max(h, w) // 120)
    horizontal = _bridge_gaps(horizontal, gap, shortest_piece=0, vertical=False)
    # Only pieces longer than a glyph's stroke: a column of `1`s would otherwise close into a rule.
    vertical = _bridge_gaps(vertical, gap, shortest_piece=2 * shortest_vertical, vertical=True)
    close = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    horizontal, vertical = cv2.dilate(horizontal, close), cv2.dilate(vertical, close)
    return (_keep_strokes_ending_on(horizontal, vertical, vertical=False),
            _keep_strokes_ending_on(vertical, horizontal, vertical=True))


def line_masks_from_edges(edges: list[Box], size: tuple[int, int], scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Masks of a digital page's vector ruling edges (x0, top, x1, bottom in points) at `scale` px/pt."""
    width, height = size
    horizontal = np.zeros((height, width), np.uint8)
    vertical = np.zeros((height, width), np.uint8)
    for x0, top, x1, bottom in edges:
        p0 = (int(round(x0 * scale)), int(round(top * scale)))
        p1 = (int(round(x1 * scale)), int(round(bottom * scale)))
        if abs(p1[1] - p0[1]) <= 2 and abs(p1[0] - p0[0]) > 4:
            cv2.line(horizontal, p0, (p1[0], p0[1]), 255, 3)
        elif abs(p1[0] - p0[0]) <= 2 and abs(p1[1] - p0[1]) > 4:
            cv2.line(vertical, p0, (p0[0], p1[1]), 255, 3)
    return horizontal, vertical


def _merged(edges: list[float], closest: float) -> list[float]:
    """Edges closer than any cell can be, as one: a rule broken by a drop-out whose pieces lie a few
    pixels apart (the page's residual tilt) is one rule."""
    groups: list[list[float]] = []
    for edge in edges:
        if groups and edge - groups[-1][0] < closest:
            groups[-1].append(edge)
        else:
            groups.append([edge])
    return [sum(group) / len(group) for group in groups]


def _ruling_edges(hmask: np.ndarray, vmask: np.ndarray, rows: list[float],
                  cols: list[float]) -> tuple[list[float], list[float]]:
    """The row and column edges whose strokes run rule to rule through a cell. Columns are judged
    against all row edges first (a false row edge only narrows a band), rows against the columns
    kept (and the table's sides: an open side's rules end there), then columns again against the
    rows kept, so that no glyph stroke passes in a band a false row edge made narrow."""
    height, width = hmask.shape
    judged_cols = [c for c in cols if _runs_rule_to_rule(vmask, c, rows, vertical=True)]
    bounds = sorted({0.0, *judged_cols, float(width - 1)})
    rows = [r for r in rows if _runs_rule_to_rule(hmask, r, bounds, vertical=False)]
    cols = [c for c in cols if _runs_rule_to_rule(vmask, c, sorted({0.0, *rows, float(height - 1)}), vertical=True)]
    return rows, cols


def _runs_rule_to_rule(mask: np.ndarray, edge: float, across: list[float], vertical: bool) -> bool:
    """Whether the stroke at `edge` runs from rule to rule of the other direction through at least one
    cell. A ruling line does; a glyph's stroke that nearly touches both rules of a tight row (small
    print at 100–150 dpi), a bold heading's bar or a photocopier's dotted streak does not."""
    lo, hi = max(0, int(edge) - 1), int(edge) + 2
    strip = (mask[:, lo:hi] if vertical else mask[lo:hi, :].T).any(axis=1)
    for start, end in zip(across, across[1:]):
        inside = strip[int(start) + 2:int(end) - 1]
        if len(inside) and inside.mean() >= RULE_SPAN_SHARE:
            return True
    return False


def find_tables(horizontal: np.ndarray, vertical: np.ndarray, min_width: int = 60, min_height: int = 20) -> list[TableGrid]:
    """Each connected set of ruling lines with at least two rows and two columns of edges, top to bottom."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_or(horizontal, vertical), connectivity=8)
    tables = []
    for i in range(1, count):
        x, y, w, h, _area = stats[i]
        if w < min_width or h < min_height:
            continue
        hmask = np.zeros_like(horizontal)
        vmask = np.zeros_like(vertical)
        hmask[y:y + h, x:x + w] = horizontal[y:y + h, x:x + w]
        vmask[y:y + h, x:x + w] = vertical[y:y + h, x:x + w]
        rows = _edges((hmask[y:y + h, x:x + w] > 0).sum(axis=1), min_pixels=max(10, w // 40))
        cols = _edges((vmask[y:y + h, x:x + w] > 0).sum(axis=0), min_pixels=max(8, h // 60))
        if len(rows) < 2:
            continue
        rows, cols = _ruling_edges(hmask[y:y + h, x:x + w], vmask[y:y + h, x:x + w], rows, cols)
        closest = max(MIN_CELL_PX, max(horizontal.shape) // 100)
        rows, cols = _merged(rows, closest), _merged(cols, closest)
        if len(rows) < 2 or not cols:
            continue
        # A side without its rule (open tables, faded or broken outer lines): the other rules end there.
        if cols[0] > OPEN_SIDE:
            cols.insert(0, 0.0)
        if cols[-1] < w - 1 - OPEN_SIDE:
            cols.append(float(w - 1))
        if len(cols) < 2:
            continue
        tables.append(TableGrid((int(x), int(y), int(x + w), int(y + h)), [y + r for r in rows], [x + c for c in cols],
                                hmask, vmask))
    return sorted(tables, key=lambda t: t.bbox[1])


def stitch_tables(pages: list[list[TableGrid]], page_sizes: list[tuple[int, int]]) -> None:
    """Number tables document-wide; a table that opens a page and matches the columns of the table
    that closed the previous page continues it (its rows count on from there)."""
    next_id = 0
    previous: TableGrid | None = None
    previous_size: tuple[int, int] | None = None
    for tables, (width, height) in zip(pages, page_sizes):
        for index, table in enumerate(tables):
            continues = (
                index == 0 and previous is not None and previous_size is not None
                and table.bbox[1] < 0.25 * height
                and previous.bbox[3] > 0.6 * previous_size[1]
                and len(table.col_edges) == len(previous.col_edges)
                and max(abs(a / width - b / previous_size[0]) for a, b in zip(table.col_edges, previous.col_edges)) < 0.02
            )
            if continues:
                table.table_id = previous.table_id
                table.row_offset = previous.row_offset + len(previous.row_edges) - 1
            else:
                table.table_id = next_id
                next_id += 1
        if tables:
            previous, previous_size = tables[-1], (width, height)


@dataclass
class PageTables:
    """One page's tables and tokens, in the pixel space of its line masks, awaiting numbering."""

    tables: list[TableGrid]
    mask_size: tuple[int, int]  # width, height
    tokens: list[Token]
    boxes: list[Box]  # each token's box in mask pixels
    read_by_ocr: bool = False  # a page image: rules may be lost, so tables are also found from the text
    lone_glyphs: dict[int, Glyph] = field(default_factory=dict)  # by token index, for `sure_glyphs.read_by_sure_glyphs`


def number_grids(pages: list[PageTables]) -> None:
    """Give every token inside a table its document-wide grid position: from ruling lines, and on
    page images also from the text's geometry where no rules were found (`text_grid`)."""
    stitch_tables([p.tables for p in pages], [p.mask_size for p in pages])
    next_id = 1 + max((t.table_id for p in pages for t in p.tables), default=-1)
    for page in pages:
        assign_grid(page.tokens, page.boxes, page.tables)
        if page.read_by_ocr:
            split_merged_rows(page.tokens, page.boxes)
            next_id = assign_text_grids(page.tokens, page.boxes, page.mask_size[1], next_id)


def assign_grid(tokens: list[Token], boxes_in_mask_space: list[Box], tables: list[TableGrid]) -> None:
    """Set each token's grid position from its box centre (boxes in the masks' pixel space). A
    token just left of a table, level with one of its rows, is that row's label: the table's
    left side was not found (an open side, a faded rule), so its label column fell outside."""
    for token, (x0, y0, x1, y1) in zip(tokens, boxes_in_mask_space):
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        for table in tables:
            cell = table.locate(cx, cy)
            if cell is not None:
                token.grid = GridPosition(table.table_id, table.row_offset + cell[0], cell[1])
                break
        else:
            for table in tables:
                row = table.row_left_of(x1, cy)
                if row is not None:
                    token.grid = GridPosition(table.table_id, table.row_offset + row, 0)
                    break
