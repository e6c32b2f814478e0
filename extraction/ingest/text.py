"""Text inputs (.txt/.md and text copied out of PDFs and web pages) → tokens with offsets.

The encoding is detected (UTF-8 with or without BOM, UTF-16, GB18030 ⊃ GBK ⊃ GB2312). `Document.text`
is the decoded text exactly; each token's `offset` points into it, and its `text` is normalised:
full-width digits, minus and point become ASCII. Odd spaces (ideographic, no-break, zero-width)
separate tokens like ordinary white space; so do `|` (flattened table cells) and markdown `**`.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from extraction.document import Document, Line, Page, Token, Unit
from extraction.ingest.errors import IngestError, IngestErrorCode

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

_TOKEN_SEPARATOR = re.compile(r"(?:[\s\u00a0\u2000-\u200b\u3000\ufeff|]|\*\*)+")
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "－": "-", "．": "."})


def decode_text(data: bytes, allow_truncated: bool = False) -> tuple[str, str]:
    """The text and the encoding that decoded it; ValueError when none does.

    `allow_truncated` accepts a sample cut inside a multi-byte character (for sniffing a file's head).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, encoding, allow_truncated), encoding
    candidates = ["utf-8"]
    if _looks_like_utf16(data):
        candidates.insert(0, "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
    candidates.append("gb18030")
    for encoding in candidates:
        try:
            return _decode(data, encoding, allow_truncated), encoding
        except UnicodeDecodeError:
            continue
    raise ValueError("not UTF-8, UTF-16 or GB18030 text")


def _decode(data: bytes, encoding: str, allow_truncated: bool) -> str:
    if not allow_truncated:
        return data.decode(encoding)
    error: UnicodeDecodeError | None = None
    for cut in range(4):  # a UTF-8/GB18030 character is at most 4 bytes
        try:
            return data[: len(data) - cut].decode(encoding)
        except UnicodeDecodeError as exc:
            error = exc
    raise error


def _looks_like_utf16(data: bytes) -> bool:
    sample = data[:4096]
    return len(sample) >= 4 and sample.count(b"\x00") >= len(sample) // 4


def normalise_token(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def without_accents(text: str) -> str:
    """Latin letters without the accents PP-OCR puts on a degraded digit's look-alike (`ñ`, `ò`, `í`).
    Characters with no accent, CJK among them, stay as they are, one for one."""
    return "".join(unicodedata.normalize("NFD", ch)[0] if "\u00c0" <= ch <= "\u024f" else ch for ch in text)


def text_to_lines(text: str) -> list[Line]:
    """One `Line` per line of `text`, tokens split on white space, `|` and `**`, offsets into `text`."""
    lines: list[Line] = []
    start = 0
    for raw_line in text.splitlines(keepends=True):
        tokens = []
        position = 0
        body = raw_line.rstrip("\r\n")
        for separator in list(_TOKEN_SEPARATOR.finditer(body)) + [None]:
            end = separator.start() if separator else len(body)
            if end > position:
                tokens.append(Token(normalise_token(body[position:end]), offset=start + position))
            if separator:
                position = separator.end()
        lines.append(Line(tokens))
        start += len(raw_line)
    return lines


def ingest_text(source: str, sha256: str, data: bytes) -> Document:
    try:
        text, _encoding = decode_text(data)
    except ValueError as exc:
        raise IngestError(IngestErrorCode.UNDECODABLE_TEXT, str(exc)) from exc
    if not text.strip():
        raise IngestError(IngestErrorCode.EMPTY_DOCUMENT, "the text is empty")
    page = Page(1, 0, 0, Unit.NONE, lines=text_to_lines(text))
    return Document(source, sha256, "text", text=text, pages=[page])
