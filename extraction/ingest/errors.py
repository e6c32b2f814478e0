"""The one ingest error: a stable code the batch turns into an error record, and a message for people."""

from __future__ import annotations

from enum import Enum


class IngestErrorCode(str, Enum):
    EMPTY_DOCUMENT = "empty_document"  # 0 bytes, no pages, or nothing readable
    UNSUPPORTED_FORMAT = "unsupported_format"  # not a format we read (or a file claiming another's suffix)
    TOO_LARGE = "too_large"  # over a configured limit: bytes, pages, pixels, unpacked size
    PDF_ENCRYPTED = "pdf_encrypted"
    PDF_CORRUPT = "pdf_corrupt"
    IMAGE_CORRUPT = "image_corrupt"
    DOCX_CORRUPT = "docx_corrupt"
    HTML_CORRUPT = "html_corrupt"
    MHTML_CORRUPT = "mhtml_corrupt"  # a saved web page (MIME) without a readable HTML part
    OFD_CORRUPT = "ofd_corrupt"  # not a readable OFD package (GB/T 33190)
    DOC_CORRUPT = "doc_corrupt"  # a legacy Word / WPS document the converter cannot read
    RTF_CORRUPT = "rtf_corrupt"
    SPREADSHEET_CORRUPT = "spreadsheet_corrupt"  # .xls / .xlsx / .et that does not open
    CONVERTER_MISSING = "converter_missing"  # LibreOffice (soffice) is not installed
    CONVERSION_TIMEOUT = "conversion_timeout"  # the converter ran over its time limit and was stopped
    UNDECODABLE_TEXT = "undecodable_text"  # no supported encoding decodes it
    OCR_FAILED = "ocr_failed"
    NOT_FOUND = "not_found"
    UNREADABLE = "unreadable"  # the file system refused it (a folder, no permission)
    INTERNAL_ERROR = "internal_error"  # a reader failed in a way it does not expect: a bug to report


class IngestError(Exception):
    def __init__(self, code: IngestErrorCode, message: str, page: int | None = None):
        super().__init__(f"{code.value}: {message}")
        self.code = code
        self.message = message
        self.page = page
