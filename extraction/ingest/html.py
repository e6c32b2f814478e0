"""HTML pages (lxml): visible text and `<table>`s with rowspan/colspan resolved.

The charset a page declares (`<meta charset>` or `http-equiv` Content-Type) is honoured, GB2312 and
GBK read as GB18030 (their superset, so a character outside the declared set still decodes); a page
that declares none, or one that does not decode as declared, is detected like a text file.
Scripts, styles and comments are dropped; the parser never touches the network and never expands
external entities (HTML parsing has no DTD entities; a `<!ENTITY … SYSTEM …>` stays inert text).
"""

from __future__ import annotations

import codecs
import re

from lxml import etree, html

from extraction.document import Document
from extraction.ingest.errors import IngestError, IngestErrorCode
from extraction.ingest.structured import StructuredTextBuilder, TableCell
from extraction.ingest.text import decode_text

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "section", "article", "header",
           "footer", "ul", "ol", "dd", "dt", "title", "blockquote", "pre", "center"}
_DROPPED = {"script", "style", "noscript", "template", "iframe", "object", "svg"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
MAX_SPAN = 200  # a larger rowspan/colspan is a broken page, not a table
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_GB_FAMILY = {"gb2312", "gbk", "cp936", "gb_2312-80", "x-gbk", "euc-cn", "gb18030"}


def python_charset(name: str) -> str | None:
    """The codec Python reads a declared charset with (the GB family as GB18030), None if unknown."""
    name = name.strip().lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes) -> str:
    match = _META_CHARSET.search(data[:4096])
    charset = python_charset(match.group(1).decode("ascii")) if match else None
    if charset is not None and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            pass  # declared wrongly: detect instead
    try:
        return decode_text(data)[0]
    except ValueError as exc:
        raise IngestError(IngestErrorCode.UNDECODABLE_TEXT, str(exc)) from exc


def _span(element, name: str) -> int:
    try:
        return max(1, min(MAX_SPAN, int(element.get(name, "1"))))
    except ValueError:
        return 1


def table_cells(table) -> list[TableCell]:
    """The table's cells on its grid: each cell at its top-left position, spans skipped over."""
    cells: list[TableCell] = []
    occupied: set[tuple[int, int]] = set()
    rows = [tr for tr in table.iter("tr") if tr.getparent() is table or tr.getparent().getparent() is table]
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while (r, c) in occupied:
                c += 1
            rowspan, colspan = _span(td, "rowspan"), _span(td, "colspan")
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied.add((r + dr, c + dc))
            text = " ".join(td.text_content().split())
            if text:
                cells.append(TableCell(r, c, text))
            c += colspan
    return cells


def _walk(element, builder: StructuredTextBuilder, pending: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _DROPPED:
        if element.tail:
            pending.append(element.tail)
        return
    if tag == "table":
        builder.add_paragraph("".join(pending))
        pending.clear()
        builder.add_table(table_cells(element))
    else:
        if tag in _BLOCKS:
            builder.add_paragraph("".join(pending))
            pending.clear()
        if element.text and tag:
            pending.append(element.text)
        for child in element:
            _walk(child, builder, pending)
        if tag in _BLOCKS:
            builder.add_paragraph("".join(pending))
            pending.clear()
    if element.tail and tag:
        pending.append(element.tail)


def ingest_html(source: str, sha256: str, data: bytes) -> Document:
    return html_document(source, sha256, decode_html(data), "html")


def html_document(source: str, sha256: str, text: str, media_type: str) -> Document:
    """The document of a page's decoded text."""
    text = _XML_DECLARATION.sub("", text)
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(IngestErrorCode.HTML_CORRUPT, f"not parseable as HTML: {exc}") from exc
    builder = StructuredTextBuilder()
    pending: list[str] = []
    body = root.find("body")
    _walk(body if body is not None else root, builder, pending)
    builder.add_paragraph("".join(pending))
    if builder.is_empty:
        raise IngestError(IngestErrorCode.EMPTY_DOCUMENT, "the page has no visible text")
    return builder.document(source, sha256, media_type)
