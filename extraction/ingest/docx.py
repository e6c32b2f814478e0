"""DOCX (python-docx): paragraphs and real Word tables in body order, merged cells resolved.

The zip is checked before it is opened: too many unpacked bytes or a member compressed beyond any
real document's ratio is refused as `too_large` (a zip bomb), not unpacked.
"""

from __future__ import annotations

import io

from docx import Document as open_docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from extraction.document import Document
from extraction.ingest.errors import IngestError, IngestErrorCode
from extraction.ingest.options import IngestLimits
from extraction.ingest.structured import StructuredTextBuilder, TableCell
from extraction.ingest.zips import check_zip


SLIVER_PT = 1.0  # a grid column narrower than this is a converter's rounding, not a column


def grid_columns(table: Table) -> list[int]:
    """Each Word grid column's index among the table's real columns. Converters (LibreOffice from
    .doc/.rtf) split the grid where rows' cell edges differ by a hair, adding sliver columns: a
    cell starting in a sliver belongs to the real column to its right."""
    widths = [column.w for column in table._tbl.tblGrid.gridCol_lst]
    index, real = [], 0
    for width in widths:
        index.append(real)
        if width is None or width.pt >= SLIVER_PT:
            real += 1
    return index


def word_table_cells(table: Table) -> list[TableCell]:
    """Each Word cell once, at its top-left grid position (python-docx repeats merged cells)."""
    cells: list[TableCell] = []
    columns = grid_columns(table)
    # Keyed by id() with the element kept alive: lxml proxies of freed elements reuse ids.
    seen: dict[int, object] = {}
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if id(cell._tc) in seen:
                continue
            seen[id(cell._tc)] = cell._tc
            if cell.text.strip():
                cells.append(TableCell(r, columns[c] if c < len(columns) else c, cell.text))
    return cells


def ingest_docx(source: str, sha256: str, data: bytes, limits: IngestLimits, media_type: str = "docx") -> Document:
    """`media_type` names the form the DOCX came from: "doc" or "rtf" when LibreOffice converted it."""
    check_zip(data, limits, IngestErrorCode.DOCX_CORRUPT)
    try:
        document = open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors… for broken files
        raise IngestError(IngestErrorCode.DOCX_CORRUPT, f"not a readable DOCX: {exc}") from exc
    builder = StructuredTextBuilder()
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            builder.add_paragraph(Paragraph(element, document).text)
        elif tag == "tbl":
            builder.add_table(word_table_cells(Table(element, document)))
    if builder.is_empty:
        raise IngestError(IngestErrorCode.EMPTY_DOCUMENT, "the document has no text")
    return builder.document(source, sha256, media_type)
