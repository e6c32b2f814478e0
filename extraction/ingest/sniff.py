"""What a file is, from its bytes (a suffix can lie: a PNG named .pdf is a PNG, a .doc may be RTF).

Zip packages are told apart by their members (`word/` DOCX, `xl/` XLSX and WPS .et saved as OOXML,
`OFD.xml` OFD), OLE2 compound files by their root streams (`WordDocument`: Word 97–2003 .doc and
WPS .wps; `Workbook`/`Book`: Excel .xls and WPS .et), saved web pages by their MIME headers.
"""

from __future__ import annotations

import io
import re
from enum import Enum
from pathlib import Path

import olefile

from extraction.ingest.text import decode_text
from extraction.ingest.zips import zip_member_names


class InputKind(str, Enum):
    PDF = "pdf"
    IMAGE = "image"
    DOCX = "docx"
    XLSX = "xlsx"
    OFD = "ofd"
    DOC = "doc"  # Word 97–2003 binary, WPS Writer .wps
    XLS = "xls"  # Excel 97–2003 binary (BIFF), WPS Spreadsheets .et
    RTF = "rtf"
    MHTML = "mhtml"
    HTML = "html"
    TEXT = "text"
    UNKNOWN = "unknown"


IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"GIF8")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_SUFFIXES = {".doc": InputKind.DOC, ".wps": InputKind.DOC, ".dot": InputKind.DOC, ".xls": InputKind.XLS,
                ".et": InputKind.XLS, ".xlt": InputKind.XLS}
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".csv"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:")


def sniff_kind(path: Path, data: bytes) -> InputKind:
    head = data[:8192]
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return InputKind.PDF
    if head.startswith(IMAGE_MAGIC):
        return InputKind.IMAGE
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(zip_member_names(data))
    if head.startswith(OLE_MAGIC):
        return _ole_kind(data, path.suffix.lower())
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return InputKind.RTF
    if _looks_like_mhtml(head):
        return InputKind.MHTML
    if _looks_like_html(head):
        return InputKind.HTML
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return InputKind.HTML
    if suffix in TEXT_SUFFIXES or _looks_like_text(head):
        return InputKind.TEXT
    return InputKind.UNKNOWN


def _zip_kind(names: list[str]) -> InputKind:
    if any(n.startswith("word/") for n in names):
        return InputKind.DOCX
    if any(n.startswith("xl/") for n in names):
        return InputKind.XLSX
    if "OFD.xml" in names:
        return InputKind.OFD
    return InputKind.UNKNOWN


def _ole_kind(data: bytes, suffix: str) -> InputKind:
    """By the compound file's root streams; a damaged directory is searched for the stream names
    as stored (UTF-16), and where they are lost (a truncated file) the suffix says which reader
    reports the damage: a broken .doc gets the Word reader's error, not `unsupported_format`."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            roots = {entry[0] for entry in ole.listdir(streams=True, storages=False) if len(entry) == 1}
    except (OSError, ValueError, IndexError, TypeError):  # olefile raises these for damaged files
        roots = {name for name in ("WordDocument", "Workbook", "Book") if name.encode("utf-16-le") in data}
    if "WordDocument" in roots:
        return InputKind.DOC
    if roots & {"Workbook", "Book"}:
        return InputKind.XLS
    return OLE_SUFFIXES.get(suffix, InputKind.UNKNOWN) if not roots else InputKind.UNKNOWN


def _looks_like_mhtml(head: bytes) -> bool:
    """A MIME message (web page saved whole): header lines up to the first blank line, naming a
    MIME version and a multipart/related or HTML body."""
    header = re.split(rb"\r?\n\r?\n", head.lstrip(b"\xef\xbb\xbf\r\n"), maxsplit=1)[0]
    lines = [line for line in header.splitlines() if line and not line[:1].isspace()]
    if not lines or not all(_HEADER_LINE.match(line) for line in lines):
        return False
    lowered = header.lower()
    return b"mime-version:" in lowered and (b"multipart/related" in lowered or b"text/html" in lowered)


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
