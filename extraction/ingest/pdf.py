"""PDFs: the text layer where it is real (pdfplumber words and vector ruling lines), OCR per page
where it is missing or garbage (scans, broken font encodings). Page failures are recorded as
error items on the document; the other pages go on."""

from __future__ import annotations

import io
import math
import unicodedata
from functools import partial
from typing import Callable

import numpy as np
import pdfplumber
import pypdfium2 as pdfium

from extraction.document import Document, ErrorItem, Page, Token, Unit
from extraction.ingest.errors import IngestError, IngestErrorCode
from extraction.ingest.grid import PageTables, find_tables, line_masks_from_edges, number_grids
from extraction.ingest.ocr import OcrEngine
from extraction.ingest.options import IngestOptions
from extraction.ingest.raster import ocr_page_image
from extraction.ingest.reading_order import lines_in_reading_order
from extraction.ingest.sure_glyphs import read_by_sure_glyphs
from extraction.ingest.text import normalise_token

EDGE_SCALE = 2.0  # px per point for the ruling-line masks of digital pages


def open_pdf(data: bytes, options: IngestOptions) -> pdfium.PdfDocument:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise IngestError(IngestErrorCode.PDF_ENCRYPTED, "the PDF is encrypted (a password is needed)") from exc
        raise IngestError(IngestErrorCode.PDF_CORRUPT, f"not a readable PDF: {exc}") from exc
    if len(pdf) == 0:
        raise IngestError(IngestErrorCode.EMPTY_DOCUMENT, "the PDF has no pages")
    if len(pdf) > options.limits.max_pages:
        raise IngestError(IngestErrorCode.TOO_LARGE, f"{len(pdf)} pages, over the limit of {options.limits.max_pages}")
    return pdf


def text_layer_is_usable(text: str) -> bool:
    """A real text layer: enough characters, nearly all of them letters, digits, CJK or punctuation
    (a broken font encoding yields (cid:N), private-use or control characters)."""
    visible = [ch for ch in text if not ch.isspace()]
    if len(visible) < 20 or text.count("(cid:") > 3:
        return False
    good = sum(1 for ch in visible if unicodedata.category(ch)[0] in "LNP" or unicodedata.category(ch) == "Sm")
    return good >= 0.9 * len(visible)


def vector_page(number: int, width: float, height: float, tokens: list[Token],
                edges: list[tuple[float, float, float, float]]) -> tuple[Page, PageTables]:
    """A page of positioned text (boxes in points) and vector rules (x0, top, x1, bottom in points):
    a digital PDF's, or an OFD's. Its tables come from the rules."""
    size = (math.ceil(width * EDGE_SCALE) + 1, math.ceil(height * EDGE_SCALE) + 1)
    tables = find_tables(*line_masks_from_edges(edges, size, EDGE_SCALE))
    boxes = [tuple(v * EDGE_SCALE for v in t.bbox) for t in tokens]
    page = Page(number, width, height, Unit.POINT, lines=lines_in_reading_order(tokens))
    return page, PageTables(tables, size, tokens, boxes)


def add_page(document: Document, page_tables: list[PageTables], number: int,
             read: Callable[[], tuple[Page, PageTables]]) -> None:
    """Read page `number` into the document; a page that fails becomes an error item on it, and
    the other pages go on."""
    try:
        page, tables = read()
    except IngestError as exc:
        document.errors.append(ErrorItem(exc.code.value, exc.message, "ingest", number))
        return
    except Exception as exc:  # one bad page must not lose the others
        document.errors.append(ErrorItem("page_failed", f"{type(exc).__name__}: {exc}", "ingest", number))
        return
    document.pages.append(page)
    page_tables.append(tables)


def _digital_page(page: pdfplumber.page.Page, number: int) -> tuple[Page, PageTables]:
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    tokens = [Token(normalise_token(w["text"]), bbox=(round(w["x0"], 2), round(w["top"], 2), round(w["x1"], 2),
                                                      round(w["bottom"], 2))) for w in words]
    edges = [(e["x0"], e["top"], e["x1"], e["bottom"]) for e in page.edges]
    return vector_page(number, float(page.width), float(page.height), tokens, edges)


def _render(pdf: pdfium.PdfDocument, index: int, options: IngestOptions) -> np.ndarray:
    page = pdf[index]
    width, height = page.get_size()
    scale = options.dpi / 72
    if width * height * scale * scale > options.limits.max_page_pixels:
        raise IngestError(IngestErrorCode.TOO_LARGE, f"page {index + 1} renders to over "
                          f"{options.limits.max_page_pixels} pixels at {options.dpi} dpi", page=index + 1)
    return np.asarray(page.render(scale=scale).to_pil().convert("RGB"))


def _pdf_page(pdf: pdfium.PdfDocument, plumber: pdfplumber.PDF | None, index: int, options: IngestOptions,
              ocr_engine: Callable[[], OcrEngine]) -> tuple[Page, PageTables]:
    """Page `index` from its text layer where that is real, else by OCR of its rendering."""
    text = pdf[index].get_textpage().get_text_range()
    if plumber is not None and not options.force_ocr and text_layer_is_usable(text):
        return _digital_page(plumber.pages[index], index + 1)
    return ocr_page_image(_render(pdf, index, options), index + 1, options.dpi, ocr_engine(), options.ocr)


def ingest_pdf(source: str, sha256: str, data: bytes, options: IngestOptions,
               ocr_engine: Callable[[], OcrEngine]) -> Document:
    pdf = open_pdf(data, options)
    document = Document(source, sha256, "pdf")
    page_tables: list[PageTables] = []
    try:
        plumber = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many types for damaged files pdfium still reads
        plumber = None
        document.errors.append(ErrorItem("pdf_text_layer_unreadable", f"text layer not readable: {exc}", "ingest"))
    try:
        for index in range(len(pdf)):
            add_page(document, page_tables, index + 1, partial(_pdf_page, pdf, plumber, index, options, ocr_engine))
    finally:
        if plumber is not None:
            plumber.close()
        pdf.close()
    read_by_sure_glyphs(page_tables)
    number_grids(page_tables)
    if not document.tokens and not document.errors:
        raise IngestError(IngestErrorCode.EMPTY_DOCUMENT, "no text found on any page")
    return document
