"""What a file is, from its first bytes (a suffix can lie: a PNG named .pdf is a PNG)."""

from __future__ import annotations

import io
import zipfile
from enum import Enum
from pathlib import Path

from extraction.ingest.text import decode_text


class InputKind(str, Enum):
    PDF = "pdf"
    IMAGE = "image"
    DOCX = "docx"
    HTML = "html"
    TEXT = "text"
    UNKNOWN = "unknown"


IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"GIF8")
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".csv"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}


def sniff_kind(path: Path, data: bytes) -> InputKind:
    """The kind of a file named `path` (its suffix only breaks ties) holding `data`."""
    head = data[:8192]
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return InputKind.PDF
    if head.startswith(IMAGE_MAGIC):
        return InputKind.IMAGE
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return InputKind.DOCX
        except zipfile.BadZipFile:
            return InputKind.UNKNOWN
        return InputKind.UNKNOWN
    if _looks_like_html(head):
        return InputKind.HTML
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return InputKind.HTML
    if suffix in TEXT_SUFFIXES or _looks_like_text(head):
        return InputKind.TEXT
    return InputKind.UNKNOWN


def _looks_like_html(head: bytes) -> bool:
    start = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head[:4096].lower()


def _looks_like_text(head: bytes) -> bool:
    """Decodable in one of the text encodings we read, with few control characters."""
    sample = head[:8192]
    try:
        text, _ = decode_text(sample, allow_truncated=True)
    except ValueError:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls <= len(text) * 0.01
