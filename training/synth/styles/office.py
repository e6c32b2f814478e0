"""The statistics form as government offices print it, for the archive-scan styles.

Measured on the three real digital PDFs (洪泽区 2023/2024, 淮安市 2024, pdfplumber): body text 16 pt
FangSong; tables 9–10 pt Song, down to 7.4 pt Kai (淮安 table 三); tables ~445 pt wide on ~74 pt
margins; in table 三 the label columns take about half the width (a narrow column holding
三、本年度办理结果 one character per line, a group column for (三)不予公开 / (四)无法提供 merged over
their sub-rows, a wide sub-label column whose labels wrap) and the value columns are narrow
(23–47 pt); table 二 a 2–4 column grid with block heading rows, sometimes shaded; table 三 split
across pages. Variants beyond those three: landscape table pages, tables appended after the text
(two to a page), header rows repeated after a page break. FangSong is not installed: Song or Kai
stands in for body text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path

from training.synth.report import SynthReport
from training.synth.styles.base import Annotation, Block, TableBlock, report_blocks
from training.synth.styles.layout import (
    A4,
    CellText,
    Flow,
    FontFace,
    LayoutOptions,
    PageLayout,
    PlacedFill,
    annotate,
    cell_segments,
    draw_cell,
    layout_paragraph,
    number_pages,
    row_heights,
    rows_with_values,
    text_width,
)
from training.synth.tables import PrintedTable

SONG = (FontFace("ARPLUMingCN", Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0, embeddable=False),
        FontFace("NotoSerifCJKsc", Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"), 2, embeddable=False))
KAI = (FontFace("ARPLUKaiCN", Path("/usr/share/fonts/truetype/arphic/ukai.ttc"), 0, embeddable=False),)
HEI = (FontFace("WenQuanYiZenHei", Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")),
       FontFace("WenQuanYiMicroHei", Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")),
       FontFace("NotoSansCJKsc", Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2, embeddable=False))


def _installed(faces: tuple[FontFace, ...]) -> list[FontFace]:
    found = [f for f in faces if f.path.exists()]
    if not found:
        raise RuntimeError(f"none of {[f.name for f in faces]} installed: run scripts/bootstrap.sh")
    return found


@dataclass(frozen=True)
class OfficeLayout:
    """One office's way of printing the form (sampled per document, recorded in the manifest)."""

    page: LayoutOptions  # body text: face, size, spacing, margins
    table_face: FontFace
    table_size: float
    table_line_spacing: float
    cell_pad: float
    table_width: float  # points, on a portrait page
    label_share: float  # of a matrix table's width, for its label columns
    group_chars: float  # width of a (三)不予公开 group column, in characters
    vertical_block_labels: bool  # 三、本年度办理结果 one character per line in a narrow column
    shade_block_headings: int | None  # grey of table 二's block-heading rows, or None for unshaded
    landscape_tables: bool
    repeat_header_rows: bool  # after a page break inside a table
    tables_appended: bool  # every table after the text under a caption, stacked two to a page

    @property
    def variant(self) -> str:
        """The layout variant as one name, for the manifest and the eval breakdown."""
        parts = [name for name, on in (("landscape", self.landscape_tables), ("appended", self.tables_appended),
                                       ("repeat_header", self.repeat_header_rows),
                                       ("shaded", self.shade_block_headings is not None)) if on]
        return "+".join(parts) or "portrait"


def random_office_layout(rng: random.Random) -> OfficeLayout:
    body_face = rng.choice(_installed(SONG + KAI))
    table_face = rng.choice(_installed(rng.choices([SONG, KAI, HEI], weights=[0.5, 0.2, 0.3])[0]))
    body_size = rng.choice([14, 15, 16, 16])
    table_size = rng.choice([7.5, 8, 9, 9, 9.5, 10, 10, 10.5])
    return OfficeLayout(
        page=LayoutOptions(face=body_face, body_size=body_size, table_size=table_size, line_spacing=rng.uniform(1.5, 1.75),
                           margin_x=rng.uniform(70, 82), margin_top=rng.uniform(66, 80), margin_bottom=rng.uniform(62, 76)),
        table_face=table_face,
        table_size=table_size,
        table_line_spacing=rng.uniform(1.2, 1.45),
        cell_pad=rng.uniform(2.0, 4.5),
        table_width=rng.uniform(430, 462),
        label_share=rng.uniform(0.42, 0.55),
        group_chars=rng.uniform(4.0, 8.0),
        vertical_block_labels=rng.random() < 0.8,
        shade_block_headings=rng.choice([205, 220, 235]) if rng.random() < 0.35 else None,
        landscape_tables=rng.random() < 0.15,
        repeat_header_rows=rng.random() < 0.3,
        tables_appended=rng.random() < 0.15,
    )


def _label_depth(table: PrintedTable) -> int:
    """How many label columns come before the first value column."""
    return min(c.col for c in table.cells if c.role == "value")


def office_column_widths(table: PrintedTable, office: OfficeLayout, total: float, cell_text: CellText) -> list[float]:
    """Column widths as offices set them: value columns narrow but never narrower than their widest
    value (a number is not wrapped); label columns as the form's kind of table wants."""
    depth = _label_depth(table)
    n_values = table.n_cols - depth
    value_need = [0.0] * table.n_cols
    for cell in table.cells:
        if cell.role == "value" and cell.colspan == 1:
            value_need[cell.col] = max(value_need[cell.col], text_width(office.table_face, cell.text, cell_text.size) + 2 * cell_text.pad + 2)
    if depth == 0:  # the wide 行政复议/诉讼 table: every column a value column
        return _fit([max(total / table.n_cols, need) for need in value_need], total, fixed=set())
    if depth == 1:  # table 二: a wide label column and 2–4 value columns
        label = total * office.label_share * 0.75
        return _fit([label] + [max((total - label) / n_values, need) for need in value_need[1:]], total, fixed=set(range(1, table.n_cols)))
    labels = total * office.label_share
    vertical = cell_text.size * 1.25 + 2 * cell_text.pad if office.vertical_block_labels else cell_text.size * 3 + 2 * cell_text.pad
    group = cell_text.size * office.group_chars + 2 * cell_text.pad
    label_widths = [vertical] + [group] * (depth - 2) + [max(labels - vertical - group * (depth - 2), cell_text.size * 6)]
    values = [max((total - labels) / n_values, need) for need in value_need[depth:]]
    return _fit(label_widths + values, total, fixed=set(range(depth, table.n_cols)) | {0})


def _fit(widths: list[float], total: float, fixed: set[int]) -> list[float]:
    """Scale the columns not in `fixed` so the table is `total` wide (a number column keeps its width)."""
    free = [i for i in range(len(widths)) if i not in fixed] or list(range(len(widths)))
    excess = sum(widths) - total
    free_total = sum(widths[i] for i in free)
    factor = max(0.5, (free_total - excess) / free_total)
    return [w * factor if i in free else w for i, w in enumerate(widths)]


def _header_rows(table: PrintedTable) -> int:
    """The rows above the first row that holds values: what a word processor repeats on each page."""
    return rows_with_values(table).index(True)


def layout_office_table(flow: Flow, table: PrintedTable, office: OfficeLayout, annotations: list[Annotation]) -> None:
    cell_text = CellText(office.table_face, office.table_size, office.cell_pad, office.table_size * office.table_line_spacing)
    if office.landscape_tables and flow.width < flow.pages[-1].height:
        flow.new_page(landscape=True)
    total = min(office.table_width * flow.width / A4[0], flow.width - 2 * office.page.margin_x + 20)
    widths = office_column_widths(table, office, total, cell_text)
    left = (flow.width - sum(widths)) / 2
    xs = [left + sum(widths[:i]) for i in range(table.n_cols + 1)]
    heights = row_heights(table, xs, cell_text)
    has_values = rows_with_values(table)
    header = _header_rows(table)
    # Only a header that is all there is above the values repeats (table 二's block headings do not).
    repeat = office.repeat_header_rows and header > 0 and all(has_values[header:])
    row_page, row_top = [], []
    repeats: list[tuple[int, float]] = []  # (page, top) of each repeated header
    flow.y += 6
    for r in range(table.n_rows):
        kept_with = next((k for k in range(r, table.n_rows) if has_values[k]), table.n_rows - 1)
        page_before = flow.page
        flow.ensure(sum(heights[r:kept_with + 1]))
        if flow.page != page_before and repeat and r >= header:
            repeats.append((flow.page, flow.y))
            flow.y += sum(heights[:header])
        row_page.append(flow.page)
        row_top.append(flow.y)
        flow.y += heights[r]
    flow.y += 10
    for cell in table.cells:
        segments = cell_segments(cell, row_page, row_top, heights)
        if cell.role == "block_heading" and office.shade_block_headings is not None:
            for page, top, bottom in segments:
                flow.pages[page].fills.append(PlacedFill(page, xs[cell.col], top, xs[cell.col + cell.colspan], bottom,
                                                         office.shade_block_headings))
        placed = draw_cell(flow, cell, xs, segments, cell_text)
        if cell.row < header:
            for page, top in repeats:
                offset = top - row_top[0]
                placed += draw_cell(flow, cell, xs, [(page, top_ + offset, bottom + offset) for _, top_, bottom in segments],
                                    cell_text)
        if placed:
            annotate(annotations, cell.role, cell.text, cell.key, placed)


def office_blocks(report: SynthReport, office: OfficeLayout, rng: random.Random) -> list[Block]:
    """The report body; with `tables_appended`, every table moves after the text under its caption,
    as some offices print it (the sections and their headings stay)."""
    if office.tables_appended and report.sections:
        report = replace(report, sections=[replace(s, table=None) for s in report.sections],
                         appended_tables=[t.key for t in report.template.tables])
    return report_blocks(report, rng)


def layout_office(report: SynthReport, office: OfficeLayout, rng: random.Random) -> tuple[list[PageLayout], list[Annotation]]:
    flow = Flow(office.page)
    annotations: list[Annotation] = []
    first_table = True
    blocks = office_blocks(report, office, rng)
    for block, following in zip(blocks, blocks[1:] + [None]):
        if isinstance(block, TableBlock):
            layout_office_table(flow, block.table, office, annotations)
            first_table = False
            continue
        landscape = flow.width > flow.pages[-1].height
        heads_a_table = isinstance(following, TableBlock)
        if office.tables_appended and first_table and block.kind == "caption":
            flow.new_page(landscape=office.landscape_tables)  # the appended tables start on their own page
        elif office.landscape_tables and heads_a_table and not landscape:
            flow.new_page(landscape=True)  # a table's heading or caption goes on the table's page
        elif landscape and not heads_a_table:
            flow.new_page()  # text goes back on a portrait page
        layout_paragraph(flow, block, annotations)
    number_pages(flow.pages, office.page.face)
    return flow.pages, annotations
