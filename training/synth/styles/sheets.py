"""Spreadsheet renderings (openpyxl): the report as offices put it in a workbook.

The title, headings and narrative each on a row of their own, merged across the sheet's width;
each table as bordered cells with its row/column spans merged. Per document: all on one sheet,
or each table on a sheet of its own after the narrative's; a blank row around tables or not.
Numbers are numeric cells; printed forms that are no plain number (`减4`, `1.5万元`) are text.
Table annotations carry the grid position (`table`, `row`, `col`), as for HTML and DOCX.
"""

from __future__ import annotations

import io
import random
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from training.synth.report import SynthReport
from training.synth.styles.base import Annotation, Paragraph, Rendered, TableBlock, report_blocks
from training.synth.tables import PrintedTable

_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def cell_value(text: str) -> int | float | str:
    """A plain number as a numeric cell (as a spreadsheet holds it), anything else as text."""
    if _PLAIN_NUMBER.match(text):
        return float(text) if "." in text else int(text)
    return text


def _write_table(sheet, table: PrintedTable, top: int) -> None:
    for r in range(table.n_rows):
        for c in range(table.n_cols):
            sheet.cell(top + r, 1 + c).border = _BORDER
    for cell in table.cells:
        target = sheet.cell(top + cell.row, 1 + cell.col)
        if cell.text:
            target.value = cell_value(cell.text)
        target.alignment = Alignment(wrap_text=True, vertical="center")
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(start_row=top + cell.row, start_column=1 + cell.col,
                              end_row=top + cell.row + cell.rowspan - 1, end_column=1 + cell.col + cell.colspan - 1)


def workbook_bytes(report: SynthReport, rng: random.Random) -> tuple[bytes, list[Annotation]]:
    blocks = report_blocks(report, rng)
    width = max([b.table.n_cols for b in blocks if isinstance(b, TableBlock)] + [6])
    sheet_per_table = rng.random() < 0.3
    blank_around_tables = rng.random() < 0.5
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报告"
    row = 1
    annotations: list[Annotation] = []
    table_index = 0
    for block in blocks:
        if isinstance(block, TableBlock):
            if sheet_per_table:
                sheet, row = workbook.create_sheet(f"表{table_index + 1}"), 1
            elif blank_around_tables:
                row += 1
            _write_table(sheet, block.table, row)
            annotations += [Annotation(c.role, c.text, c.key, table=table_index, row=c.row, col=c.col)
                            for c in block.table.cells if c.text]
            row += block.table.n_rows + (1 if blank_around_tables else 0)
            table_index += 1
            continue
        _write_paragraph(sheet, row, width, block)
        if block.kind in ("title", "section_heading"):
            annotations.append(Annotation(block.kind, block.text, block.key))
        row += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), annotations


def _write_paragraph(sheet, row: int, width: int, block: Paragraph) -> None:
    cell = sheet.cell(row, 1, block.text)
    cell.alignment = Alignment(wrap_text=True, horizontal="center" if block.kind == "title" else "left")
    if block.kind in ("title", "section_heading"):
        cell.font = Font(bold=True, size=16 if block.kind == "title" else 12)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def render_xlsx(report: SynthReport, rng: random.Random) -> Rendered:
    data, annotations = workbook_bytes(report, rng)
    return Rendered({".xlsx": data}, annotations)
