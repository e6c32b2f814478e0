"""Web pages saved whole (MHTML, .mht/.mhtml: a MIME message) → the page's HTML part → the HTML reader.

The first `text/html` part is the page (browsers and Word save it first; its images and styles are
other parts, not read). Its transfer encoding (quoted-printable, base64) is undone and its declared
charset honoured (GB2312/GBK as GB18030); where the part declares none, the page's own `<meta
charset>` or detection decides, as for a plain `.html` file.
"""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

from extraction.document import Document
from extraction.ingest.errors import IngestError, IngestErrorCode
from extraction.ingest.html import decode_html, html_document, python_charset


def html_part(data: bytes) -> tuple[bytes, str | None]:
    """The page's HTML bytes and the charset its MIME part declares."""
    message = BytesParser(policy=policy.compat32).parsebytes(data)
    for part in message.walk():
        if part.get_content_type() == "text/html" and not part.is_multipart():
            payload = part.get_payload(decode=True)
            if payload:
                return payload, part.get_content_charset()
    raise IngestError(IngestErrorCode.MHTML_CORRUPT, "the saved page has no HTML part")


def ingest_mhtml(source: str, sha256: str, data: bytes) -> Document:
    payload, declared = html_part(data)
    charset = python_charset(declared) if declared else None
    text = None
    if charset is not None:
        try:
            text = payload.decode(charset)
        except UnicodeDecodeError:
            text = None  # declared wrongly: the page's own declaration or detection decides
    return html_document(source, sha256, text if text is not None else decode_html(payload), "mhtml")
