"""Image files (PNG, JPEG, TIFF with several pages, BMP, GIF) → OCR, page by page."""

from __future__ import annotations

import io
from typing import Callable

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from extraction.document import Document, ErrorItem
from extraction.ingest.errors import IngestError, IngestErrorCode
from extraction.ingest.grid import number_grids
from extraction.ingest.ocr import OcrEngine
from extraction.ingest.options import IngestOptions
from extraction.ingest.raster import ocr_page_image
from extraction.ingest.sure_glyphs import read_by_sure_glyphs


def ingest_image(source: str, sha256: str, data: bytes, options: IngestOptions,
                 ocr_engine: Callable[[], OcrEngine]) -> Document:
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise IngestError(IngestErrorCode.TOO_LARGE, str(exc)) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise IngestError(IngestErrorCode.IMAGE_CORRUPT, f"not a readable image: {exc}") from exc
    document = Document(source, sha256, "image")
    page_tables = []
    for index, frame in enumerate(ImageSequence.Iterator(image)):
        number = index + 1
        if number > options.limits.max_pages:
            raise IngestError(IngestErrorCode.TOO_LARGE, f"more than {options.limits.max_pages} pages")
        if frame.width * frame.height > options.limits.max_page_pixels:
            raise IngestError(IngestErrorCode.TOO_LARGE, f"page {number} has {frame.width * frame.height} pixels, "
                              f"over the limit of {options.limits.max_page_pixels}", page=number)
        try:
            pixels = np.asarray(frame.convert("RGB"))
            dpi = frame.info.get("dpi", (None,))[0]
            page, tables = ocr_page_image(pixels, number, float(dpi) if dpi else None, ocr_engine(), options.ocr)
        except OSError as exc:  # truncated or corrupt image data
            document.errors.append(ErrorItem(IngestErrorCode.IMAGE_CORRUPT.value, str(exc), "ingest", number))
            continue
        document.pages.append(page)
        page_tables.append(tables)
    read_by_sure_glyphs(page_tables)
    number_grids(page_tables)
    if not document.pages:
        raise IngestError(IngestErrorCode.IMAGE_CORRUPT, "; ".join(e.message for e in document.errors) or "no pages")
    return document
