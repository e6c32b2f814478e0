"""Spreadsheets (.xlsx and WPS .et in OOXML via openpyxl; .xls and BIFF .et via xlrd) → the grid path
HTML and DOCX take: every sheet, in order, its cells with merged ranges at their top-left position.

A sheet is read as the report it holds: a row with one text cell, no border and nothing else (no
other cell or merge: a title, a heading, a narrative paragraph, often merged across the sheet) is
a paragraph; consecutive rows with several cells, bordered cells or merges are a table, its grid
counted from its own first row and column. Values print as the cell shows them: integers
without `.0`, a fixed number of decimals where the cell's number format has them. Only cached
values are read (formulas are never evaluated, external links never followed, macros never loaded).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from extraction.document import Document
from extraction.ingest.errors import IngestError, IngestErrorCode
from extraction.ingest.options import IngestLimits
from extraction.ingest.structured import StructuredTextBuilder, TableCell
from extraction.ingest.zips import check_zip

_DECIMALS = re.compile(r"0\.(0+)")


@dataclass
class Sheet:
    """One sheet, 0-based positions: texts at merged ranges' top-left cells, the ranges
    (row0, col0, row1, col1 inclusive), and the positions drawn with a border."""

    name: str
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    bordered: set[tuple[int, int]] = field(default_factory=set)


def number_text(value: float, number_format: str) -> str:
    """A number as the cell shows it: `0.00` formats keep their decimals, others print it plainly."""
    decimals = _DECIMALS.search(number_format or "")
    if decimals and "%" not in number_format:
        return f"{value:.{len(decimals.group(1))}f}"
    if float(value).is_integer():
        return str(int(value))
    return format(value, ".15g")


def _cell_text(value, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return number_text(value, number_format)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def _check_size(cells: int, sheets: int, limits: IngestLimits) -> None:
    if sheets > limits.max_pages:
        raise IngestError(IngestErrorCode.TOO_LARGE, f"{sheets} sheets, over the limit of {limits.max_pages}")
    if cells > limits.max_sheet_cells:
        raise IngestError(IngestErrorCode.TOO_LARGE,
                          f"the sheets' used ranges hold {cells} cells, over the limit of {limits.max_sheet_cells}")


def xlsx_sheets(data: bytes, limits: IngestLimits) -> list[Sheet]:
    import openpyxl

    check_zip(data, limits, IngestErrorCode.SPREADSHEET_CORRUPT)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_vba=False, keep_links=False)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, lxml and zip errors for broken files
        raise IngestError(IngestErrorCode.SPREADSHEET_CORRUPT, f"not a readable XLSX: {type(exc).__name__}: {exc}") from exc
    worksheets = [ws for ws in workbook.worksheets if hasattr(ws, "merged_cells")]  # chart sheets hold no cells
    _check_size(sum(ws.max_row * ws.max_column for ws in worksheets), len(workbook.worksheets), limits)
    sheets = []
    for ws in worksheets:
        sheet = Sheet(ws.title, merges=[(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                                        for m in ws.merged_cells.ranges])
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
            for cell in row:
                position = (cell.row - 1, cell.column - 1)
                text = _cell_text(cell.value, cell.number_format)
                if text:
                    sheet.texts[position] = text
                border = cell.border
                if any(getattr(border, side).style for side in ("left", "right", "top", "bottom")):
                    sheet.bordered.add(position)
        sheets.append(sheet)
    return sheets


def xls_sheets(data: bytes, limits: IngestLimits) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct and index errors for broken files
        raise IngestError(IngestErrorCode.SPREADSHEET_CORRUPT, f"not a readable XLS: {type(exc).__name__}: {exc}") from exc
    _check_size(sum(s.nrows * s.ncols for s in book.sheets()), book.nsheets, limits)
    sheets = []
    for xs in book.sheets():
        sheet = Sheet(xs.name, merges=[(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in xs.merged_cells])
        for r in range(xs.nrows):
            for c in range(xs.ncols):
                cell = xs.cell(r, c)
                xf = book.xf_list[cell.xf_index]
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate_as_datetime(cell.value, book.datemode)
                elif cell.ctype == xlrd.XL_CELL_NUMBER:
                    value = cell.value
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                elif cell.ctype == xlrd.XL_CELL_TEXT:
                    value = cell.value
                else:
                    value = None
                fmt = book.format_map.get(xf.format_key)
                text = _cell_text(value, fmt.format_str if fmt else "")
                if text:
                    sheet.texts[(r, c)] = text
                b = xf.border
                if b.left_line_style or b.right_line_style or b.top_line_style or b.bottom_line_style:
                    sheet.bordered.add((r, c))
        sheets.append(sheet)
    return sheets


def _is_paragraph_row(row: int, sheet: Sheet, covered: dict[tuple[int, int], tuple[int, int, int, int]]) -> bool:
    """One text cell, a single row tall, no border, and nothing else in the row: no other text or
    merge. (A bordered row with one cell across the table is a table's block heading.)"""
    texts = [(r, c) for (r, c) in sheet.texts if r == row]
    if len(texts) != 1 or any(p[0] == row for p in sheet.bordered):
        return False
    merge = covered.get(texts[0])
    if merge is not None and merge[0] != merge[2]:
        return False
    own = {(row, c) for c in range(merge[1], merge[3] + 1)} if merge else {texts[0]}
    return not ({p for p in covered if p[0] == row} - own)


def add_sheet(sheet: Sheet, builder: StructuredTextBuilder) -> None:
    """The sheet's paragraphs and tables, top to bottom, into the builder."""
    covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for merge in sheet.merges:
        for r in range(merge[0], merge[2] + 1):
            for c in range(merge[1], merge[3] + 1):
                covered[(r, c)] = merge
    used_rows = sorted({r for r, _ in sheet.texts} | {r for r, _ in sheet.bordered} | {r for r, _ in covered})
    table: list[int] = []
    for row in used_rows + [None]:
        if row is not None and not _is_paragraph_row(row, sheet, covered) and (not table or row == table[-1] + 1):
            table.append(row)
            continue
        if table:
            _add_table(table, sheet, covered, builder)
            table = []
        if row is None:
            break
        if _is_paragraph_row(row, sheet, covered):
            (position,) = [p for p in sheet.texts if p[0] == row]
            builder.add_paragraph(sheet.texts[position])
        else:
            table.append(row)


def _add_table(rows: list[int], sheet: Sheet, covered: dict, builder: StructuredTextBuilder) -> None:
    in_table = set(rows)
    positions = [p for p in [*sheet.texts, *sheet.bordered, *covered] if p[0] in in_table]
    first_col = min(c for _, c in positions)
    builder.add_table([TableCell(r - rows[0], c - first_col, text) for (r, c), text in sorted(sheet.texts.items())
                       if r in in_table])


def ingest_spreadsheet(source: str, sha256: str, data: bytes, kind: str, limits: IngestLimits) -> Document:
    """`kind` "xlsx" (OOXML) or "xls" (BIFF)."""
    sheets = xlsx_sheets(data, limits) if kind == "xlsx" else xls_sheets(data, limits)
    builder = StructuredTextBuilder()
    for sheet in sheets:
        add_sheet(sheet, builder)
    if builder.is_empty:
        raise IngestError(IngestErrorCode.EMPTY_DOCUMENT, "no sheet holds any text")
    return builder.document(source, sha256, kind)
