"""Page layout for the PDF and scan styles: A4 pages of positioned text and ruling lines.

One layout feeds both renderers (reportlab draws it as a digital PDF, PIL rasterises it for a
scan), so their annotations agree. Units are PDF points, origin top-left, y down.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from training.synth.styles.base import Annotation, Block, Paragraph, TableBlock
from training.synth.tables import GridCell, PrintedTable

A4 = (595.28, 841.89)


@dataclass(frozen=True)
class FontFace:
    name: str
    path: Path
    index: int = 0  # face index inside a .ttc collection
    embeddable: bool = True  # reportlab can embed TrueType outlines, not CFF (Noto CJK)


FONT_FACES = (
    FontFace("WenQuanYiZenHei", Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")),
    FontFace("WenQuanYiMicroHei", Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")),
    FontFace("NotoSansCJKsc", Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2, embeddable=False),
    FontFace("NotoSerifCJKsc", Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"), 2, embeddable=False),
)


def available_faces(embeddable_only: bool) -> list[FontFace]:
    faces = [f for f in FONT_FACES if f.path.exists() and (f.embeddable or not embeddable_only)]
    if not faces:
        raise RuntimeError("no CJK font found: run scripts/bootstrap.sh (installs fonts-wqy-* and fonts-noto-cjk)")
    return faces


@lru_cache(maxsize=None)
def pil_font(face: FontFace, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(face.path), size, index=face.index)


def text_width(face: FontFace, text: str, size: float) -> float:
    return pil_font(face, 100).getlength(text) * size / 100


@dataclass
class PlacedText:
    page: int  # 0-based
    x: float
    baseline: float
    text: str
    size: float
    width: float
    face: FontFace

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x, self.baseline - 0.88 * self.size, self.x + self.width, self.baseline + 0.12 * self.size)


@dataclass
class PlacedLine:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class PlacedFill:
    """A shaded rectangle under the text (a table's block-heading row, as some offices print it)."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    grey: int  # 0–255


@dataclass
class PageLayout:
    width: float
    height: float
    texts: list[PlacedText] = field(default_factory=list)
    lines: list[PlacedLine] = field(default_factory=list)
    fills: list[PlacedFill] = field(default_factory=list)


@dataclass(frozen=True)
class LayoutOptions:
    face: FontFace
    body_size: float
    table_size: float
    line_spacing: float
    margin_x: float = 78.0
    margin_top: float = 74.0
    margin_bottom: float = 70.0


def random_layout_options(rng: random.Random, embeddable_only: bool) -> LayoutOptions:
    return LayoutOptions(
        face=rng.choice(available_faces(embeddable_only)),
        body_size=rng.choice([12, 13, 14, 15, 16]),
        table_size=rng.choice([9, 9.5, 10, 10.5]),
        line_spacing=rng.uniform(1.45, 1.8),
        margin_x=rng.uniform(60, 90),
    )


class Flow:
    """A cursor over pages; a page may be turned landscape (a wide table printed across the sheet)."""

    def __init__(self, options: LayoutOptions):
        self.options = options
        self.pages: list[PageLayout] = []
        self.y = 0.0
        self.new_page()

    @property
    def page(self) -> int:
        return len(self.pages) - 1

    @property
    def width(self) -> float:
        return self.pages[-1].width

    @property
    def bottom(self) -> float:
        return self.pages[-1].height - self.options.margin_bottom

    def new_page(self, landscape: bool = False) -> None:
        self.pages.append(PageLayout(A4[1], A4[0]) if landscape else PageLayout(*A4))
        self.y = self.options.margin_top

    def ensure(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.new_page(landscape=self.width > self.pages[-1].height)

    def put(self, x: float, baseline: float, text: str, size: float) -> PlacedText:
        face = self.options.face
        placed = PlacedText(self.page, x, baseline, text, size, text_width(face, text, size), face)
        self.pages[-1].texts.append(placed)
        return placed


NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)")


def wrap(face: FontFace, text: str, size: float, width: float, first_indent: float = 0.0) -> list[str]:
    """Greedy character wrap, as CJK typesetting does (no word boundaries needed); closing
    punctuation never starts a line, it hangs at the end of the previous one."""
    lines, current, available = [], "", width - first_indent
    for char in text:
        if current and char not in NO_LINE_START and text_width(face, current + char, size) > available:
            lines.append(current)
            current, available = "", width
        current += char
    if current or not lines:
        lines.append(current)
    return lines


def _union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def layout_paragraph(flow: Flow, block: Paragraph, annotations: list[Annotation]) -> None:
    o = flow.options
    width = flow.width - 2 * o.margin_x
    size = {"title": o.body_size + 6, "section_heading": o.body_size + 1}.get(block.kind, o.body_size)
    indent = 2 * size if block.kind == "body" else 0.0
    lines = wrap(o.face, block.text, size, width, indent)
    line_height = size * o.line_spacing
    placed: list[PlacedText] = []
    if block.kind == "title":
        flow.y += size
    for i, line in enumerate(lines):
        flow.ensure(line_height)
        line_width = text_width(o.face, line, size)
        if block.kind == "title":
            x = (flow.width - line_width) / 2
        elif block.kind == "signature":
            x = flow.width - o.margin_x - line_width
        else:
            x = o.margin_x + (indent if i == 0 else 0.0)
        placed.append(flow.put(x, flow.y + 0.85 * line_height, line, size))
        flow.y += line_height
    if block.kind == "title":
        flow.y += size
    kind = {"title": "title", "section_heading": "section_heading"}.get(block.kind)
    if kind is not None:
        annotate(annotations, kind, block.text, block.key, placed)


def annotate(annotations: list[Annotation], kind: str, text: str, key: str | None, placed: list[PlacedText]) -> None:
    """One annotation per page the text lands on (a heading or cell may straddle a page break)."""
    for page in sorted({p.page for p in placed}):
        on_page = [p for p in placed if p.page == page]
        annotations.append(Annotation(kind, text, key, page=page + 1, bbox=_union([p.bbox for p in on_page])))


@dataclass(frozen=True)
class CellText:
    """How a table's cells are typeset."""

    face: FontFace
    size: float
    pad: float  # between the rules and the text
    line_height: float

    def lines(self, cell: GridCell, xs: list[float]) -> list[str]:
        return wrap(self.face, cell.text, self.size, xs[cell.col + cell.colspan] - xs[cell.col] - 2 * self.pad)


def row_heights(table: PrintedTable, xs: list[float], cell_text: CellText) -> list[float]:
    """Each grid row tall enough for its wrapped cells; a spanned cell short of room grows its last row."""
    heights = [cell_text.line_height + 2 * cell_text.pad] * table.n_rows
    for cell in table.cells:
        if cell.rowspan == 1:
            heights[cell.row] = max(heights[cell.row], len(cell_text.lines(cell, xs)) * cell_text.line_height + 2 * cell_text.pad)
    for cell in table.cells:
        if cell.rowspan > 1:
            need = len(cell_text.lines(cell, xs)) * cell_text.line_height + 2 * cell_text.pad
            have = sum(heights[cell.row:cell.row + cell.rowspan])
            if need > have:
                heights[cell.row + cell.rowspan - 1] += need - have
    return heights


def rows_with_values(table: PrintedTable) -> list[bool]:
    has_values = [False] * table.n_rows
    for cell in table.cells:
        if cell.role == "value":
            has_values[cell.row] = True
    return has_values


def draw_cell(flow: Flow, cell: GridCell, xs: list[float], segments: list[tuple[int, float, float]],
              cell_text: CellText) -> list[PlacedText]:
    """Rule a cell in each page segment (page, top, bottom) it spans; its text goes in the first."""
    x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
    placed: list[PlacedText] = []
    for number, (page, top, bottom) in enumerate(segments):
        flow.pages[page].lines += [PlacedLine(page, x0, top, x1, top), PlacedLine(page, x0, bottom, x1, bottom),
                                   PlacedLine(page, x0, top, x0, bottom), PlacedLine(page, x1, top, x1, bottom)]
        if number > 0 or not cell.text:
            continue
        lines = cell_text.lines(cell, xs)
        y = top + (bottom - top - len(lines) * cell_text.line_height) / 2
        for line in lines:
            width = text_width(cell_text.face, line, cell_text.size)
            x = x0 + cell_text.pad if cell.role == "row_label" else (x0 + x1 - width) / 2
            placed_text = PlacedText(page, x, y + 0.85 * cell_text.line_height, line, cell_text.size, width, cell_text.face)
            flow.pages[page].texts.append(placed_text)
            placed.append(placed_text)
            y += cell_text.line_height
    return placed


def cell_segments(cell: GridCell, row_page: list[int], row_top: list[float], heights: list[float]) -> list[tuple[int, float, float]]:
    """The (page, top, bottom) pieces of a cell whose rows a page break splits."""
    by_page: dict[int, list[int]] = {}
    for r in range(cell.row, cell.row + cell.rowspan):
        by_page.setdefault(row_page[r], []).append(r)
    return [(page, row_top[rows[0]], row_top[rows[-1]] + heights[rows[-1]]) for page, rows in by_page.items()]


def _column_widths(table: PrintedTable, face: FontFace, size: float, total: float) -> list[float]:
    weights = [0.0] * table.n_cols
    for cell in table.cells:
        if cell.colspan != 1:
            continue
        chars = text_width(face, cell.text, size) / size
        if cell.role == "value":
            weight = max(2.4, chars + 1.0)
        elif cell.role == "row_label":
            weight = 2.2 if cell.rowspan >= 4 else min(max(chars, 3.0), 12.0)
        else:
            weight = min(max(chars, 2.0), 4.0)
        weights[cell.col] = max(weights[cell.col], weight)
    weights = [w or 2.4 for w in weights]
    return [total * w / sum(weights) for w in weights]


def _layout_table(flow: Flow, table: PrintedTable, annotations: list[Annotation]) -> None:
    o = flow.options
    cell_text = CellText(o.face, o.table_size, 2.5, o.table_size * 1.3)
    left = o.margin_x - 10
    widths = _column_widths(table, o.face, cell_text.size, A4[0] - 2 * left)
    xs = [left + sum(widths[:i]) for i in range(table.n_cols + 1)]
    heights = row_heights(table, xs, cell_text)
    # Place rows; a row that does not fit starts a new page (tables split across pages). Header
    # rows (no values) are kept with the next row that has values, as word processors do.
    has_values = rows_with_values(table)
    row_page, row_top = [], []
    flow.y += 4
    for r in range(table.n_rows):
        kept_with = next((k for k in range(r, table.n_rows) if has_values[k]), table.n_rows - 1)
        flow.ensure(sum(heights[r:kept_with + 1]))
        row_page.append(flow.page)
        row_top.append(flow.y)
        flow.y += heights[r]
    flow.y += 8
    for cell in table.cells:
        placed = draw_cell(flow, cell, xs, cell_segments(cell, row_page, row_top, heights), cell_text)
        if placed:
            annotate(annotations, cell.role, cell.text, cell.key, placed)


def number_pages(pages: list[PageLayout], face: FontFace) -> None:
    """The page number centred at the foot of each page, as reports print it."""
    for number, page in enumerate(pages, start=1):
        label = f"- {number} -"
        width = text_width(face, label, 10.5)
        page.texts.append(PlacedText(number - 1, (page.width - width) / 2, page.height - 36, label, 10.5, width, face))


def layout_blocks(blocks: list[Block], options: LayoutOptions) -> tuple[list[PageLayout], list[Annotation]]:
    flow = Flow(options)
    annotations: list[Annotation] = []
    for block in blocks:
        if isinstance(block, TableBlock):
            _layout_table(flow, block.table, annotations)
        else:
            layout_paragraph(flow, block, annotations)
    number_pages(flow.pages, options.face)
    return flow.pages, annotations
