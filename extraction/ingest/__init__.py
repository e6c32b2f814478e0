"""Ingest: every input form into one token stream (`extraction.document`).

    ingestor = Ingestor(IngestOptions())
    document = ingestor.ingest(Path("report.pdf"))   # raises IngestError(code, message)

The kind of a file is sniffed from its bytes, not trusted from its suffix. One OCR engine is made
on first need and kept for the batch.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extraction.document import Document
from extraction.ingest.convert import legacy_to_docx
from extraction.ingest.docx import ingest_docx
from extraction.ingest.errors import IngestError, IngestErrorCode
from extraction.ingest.html import ingest_html
from extraction.ingest.image import ingest_image
from extraction.ingest.mhtml import ingest_mhtml
from extraction.ingest.ocr import OcrEngine, make_ocr_engine
from extraction.ingest.options import IngestLimits, IngestOptions, OcrBackend, OcrOptions
from extraction.ingest.ofd import ingest_ofd
from extraction.ingest.pdf import ingest_pdf
from extraction.ingest.sheets import ingest_spreadsheet
from extraction.ingest.sniff import InputKind, sniff_kind
from extraction.ingest.text import ingest_text

__all__ = ["Ingestor", "IngestError", "IngestErrorCode", "IngestOptions", "IngestLimits", "OcrOptions", "OcrBackend"]


class Ingestor:
    def __init__(self, options: IngestOptions = IngestOptions()):
        self.options = options
        self._engine: OcrEngine | None = None

    def ocr_engine(self) -> OcrEngine:
        if self._engine is None:
            self._engine = make_ocr_engine(self.options.ocr)
        return self._engine

    def ingest(self, path: Path) -> Document:
        """The document, or an IngestError: every failure, expected or not, comes out as one, so a
        batch can record it and go on."""
        try:
            return self._ingest(path)
        except IngestError:
            raise
        except OSError as exc:
            raise IngestError(IngestErrorCode.UNREADABLE, f"cannot read {path}: {exc}") from exc
        except Exception as exc:  # a reader's unexpected failure on a malformed file
            raise IngestError(IngestErrorCode.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}") from exc

    def ingest_data(self, source: str, data: bytes) -> Document:
        """A document held in memory (an archive's member), named `source`; failures as `ingest`'s."""
        try:
            return self._from_data(source, data)
        except IngestError:
            raise
        except Exception as exc:  # a reader's unexpected failure on a malformed file
            raise IngestError(IngestErrorCode.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}") from exc

    def _ingest(self, path: Path) -> Document:
        try:
            size = path.stat().st_size
        except FileNotFoundError as exc:
            raise IngestError(IngestErrorCode.NOT_FOUND, f"no such file: {path}") from exc
        if path.is_dir():
            raise IngestError(IngestErrorCode.UNREADABLE, f"{path} is a folder, not a file")
        check_size(size, self.options.limits)  # before reading: a huge file is never read whole
        return self._from_data(str(path), path.read_bytes())

    def _from_data(self, source: str, data: bytes) -> Document:
        """The document in `data`, its kind sniffed from the bytes (the name's suffix only breaks ties)."""
        check_size(len(data), self.options.limits)
        return self.ingest_bytes(source, data, sniff_kind(Path(source), data))

    def ingest_bytes(self, source: str, data: bytes, kind: InputKind) -> Document:
        sha256 = hashlib.sha256(data).hexdigest()
        if kind is InputKind.PDF:
            return ingest_pdf(source, sha256, data, self.options, self.ocr_engine)
        if kind is InputKind.IMAGE:
            return ingest_image(source, sha256, data, self.options, self.ocr_engine)
        if kind is InputKind.DOCX:
            return ingest_docx(source, sha256, data, self.options.limits)
        if kind is InputKind.OFD:
            return ingest_ofd(source, sha256, data, self.options, self.ocr_engine)
        if kind in (InputKind.DOC, InputKind.RTF):
            converted = legacy_to_docx(data, kind.value, self.options.limits.max_convert_seconds)
            return ingest_docx(source, sha256, converted, self.options.limits, media_type=kind.value)
        if kind in (InputKind.XLSX, InputKind.XLS):
            return ingest_spreadsheet(source, sha256, data, kind.value, self.options.limits)
        if kind is InputKind.MHTML:
            return ingest_mhtml(source, sha256, data)
        if kind is InputKind.HTML:
            return ingest_html(source, sha256, data)
        if kind is InputKind.TEXT:
            return ingest_text(source, sha256, data)
        raise IngestError(IngestErrorCode.UNSUPPORTED_FORMAT,
                          f"not a PDF, OFD, image, Word (DOCX/DOC/WPS/RTF), spreadsheet, web page or text file: {source}")


def check_size(size: int, limits: IngestLimits) -> None:
    if size == 0:
        raise IngestError(IngestErrorCode.EMPTY_DOCUMENT, "the file is empty (0 bytes)")
    if size > limits.max_bytes:
        raise IngestError(IngestErrorCode.TOO_LARGE, f"{size} bytes, over the limit of {limits.max_bytes}")
