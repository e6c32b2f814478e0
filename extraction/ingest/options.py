"""Ingest options, read once at the edge (CLI) and passed down."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class OcrBackend(str, Enum):
    RAPIDOCR = "rapidocr"  # PP-OCR ONNX models shipped inside the rapidocr wheel (default, offline)
    PADDLEOCR = "paddleocr"  # paddleocr with local model dirs, where installed


@dataclass(frozen=True)
class IngestLimits:
    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 300
    max_page_pixels: int = 80_000_000  # per rendered or stored page image
    max_unpacked_bytes: int = 300 * 1024 * 1024  # DOCX/XLSX/OFD (zip) contents, all members together
    max_compression_ratio: float = 200.0  # a zip member this much bigger than its packed size is a bomb
    max_sheet_cells: int = 2_000_000  # a spreadsheet's used range, all sheets together (rows × columns)
    max_convert_seconds: float = 120.0  # LibreOffice converting a .doc/.wps/.rtf, then it is stopped


@dataclass(frozen=True)
class OcrOptions:
    backend: OcrBackend = OcrBackend.RAPIDOCR
    paddle_model_dir: str | None = None  # PaddleOCR only: a folder with det/rec (and cls) model dirs
    min_text_score: float = 0.3  # drop recognised boxes below this score
    correct_orientation: bool = True  # try 180°/90° when a page reads badly
    correct_skew: bool = True
    correct_perspective: bool = True  # warp a photographed page, framed by background, to a rectangle
    reread_empty_cells: bool = True  # recognise alone the empty cells of table rows that print values
    read_by_sure_glyphs: bool = True  # read unsure lone digits again by the document's sure ones (`sure_glyphs`)


@dataclass(frozen=True)
class IngestOptions:
    dpi: int = 150  # rendering resolution for PDF pages that need OCR
    limits: IngestLimits = IngestLimits()
    ocr: OcrOptions = OcrOptions()
    force_ocr: bool = False  # OCR every PDF page even where a text layer exists
