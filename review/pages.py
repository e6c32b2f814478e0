"""What the document view shows of a source: page images (a PDF rendered with pypdfium2, an image
file's own frames) with the factor from the record's box units to the image's pixels, or the
decoded text of a text input (the offsets of its fields point into it).

A PDF page whose text layer the ingest reads has boxes in points: it is rendered at the review's
dpi and boxes are scaled by dpi / 72. A page the ingest read by OCR has boxes in the pixels of
the page rendered at the extraction's dpi: rendered at the same dpi, scale 1.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageSequence

from extraction.ingest import IngestError, IngestOptions, Ingestor
from extraction.ingest.pdf import text_layer_is_usable
from extraction.ingest.sniff import InputKind, sniff_kind
from review.results import Source

MAX_PAGE_PIXELS = IngestOptions().limits.max_page_pixels


@dataclass(frozen=True)
class SourceView:
    kind: str  # "pages", "text" or "none"
    page_scales: tuple[float, ...] = ()  # per page: box units → image pixels
    text: str | None = None
    message: str = ""


class PageNotFound(LookupError):
    pass


def source_view(source: Source | None, dpi: int) -> SourceView:
    if source is None:
        return SourceView("none", message="the source document named by the record is not to be found "
                                          "(or is not the file the record was extracted from)")
    kind = sniff_kind(Path(source.name), source.data[:8192])
    try:
        if kind is InputKind.PDF:
            pdf = pdfium.PdfDocument(source.data)
            try:
                scales = tuple(dpi / 72 if text_layer_is_usable(pdf[n].get_textpage().get_text_range()) else 1.0
                               for n in range(len(pdf)))
            finally:
                pdf.close()
            return SourceView("pages", scales)
        if kind is InputKind.IMAGE:
            with Image.open(io.BytesIO(source.data)) as image:
                return SourceView("pages", tuple(1.0 for _ in ImageSequence.Iterator(image)))
        document = Ingestor(IngestOptions()).ingest_bytes(source.name, source.data, kind)
    except (pdfium.PdfiumError, OSError, IngestError) as exc:
        return SourceView("none", message=f"the source cannot be shown: {exc}")
    return SourceView("text", text=document.text or "")


def page_png(source: Source, page: int, dpi: int) -> bytes:
    """Page `page` (1-based) as PNG."""
    kind = sniff_kind(Path(source.name), source.data[:8192])
    if kind is InputKind.PDF:
        pdf = pdfium.PdfDocument(source.data)
        try:
            if not 1 <= page <= len(pdf):
                raise PageNotFound(page)
            width, height = pdf[page - 1].get_size()
            scale = dpi / 72
            if width * height * scale * scale > MAX_PAGE_PIXELS:
                raise PageNotFound(page)
            image = pdf[page - 1].render(scale=scale).to_pil().convert("RGB")
        finally:
            pdf.close()
    elif kind is InputKind.IMAGE:
        with Image.open(io.BytesIO(source.data)) as frames:
            image = next((f.convert("RGB") for n, f in enumerate(ImageSequence.Iterator(frames), start=1)
                          if n == page), None)
        if image is None or image.width * image.height > MAX_PAGE_PIXELS:
            raise PageNotFound(page)
    else:
        raise PageNotFound(page)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
