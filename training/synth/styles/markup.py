"""Styles with real table markup: an HTML page with rowspan/colspan tables, the same page saved
whole as MHTML, and a DOCX with merged Word table cells. Table annotations carry the grid
position (`table`, `row`, `col`)."""

from __future__ import annotations

import base64
import html
import io
import quopri
import random
from email import policy
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.message import Message

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from training.synth.report import SynthReport, fill_slots, load_phrases
from training.synth.styles.base import Annotation, Paragraph, Rendered, TableBlock, report_blocks
from training.synth.tables import PrintedTable


def _cell_annotation(cell, table_index: int) -> Annotation:
    return Annotation(cell.role, cell.text, cell.key, table=table_index, row=cell.row, col=cell.col)


def _paragraph_annotation(block: Paragraph) -> Annotation | None:
    kind = {"title": "title", "section_heading": "section_heading"}.get(block.kind)
    return None if kind is None else Annotation(kind, block.text, block.key)


def _html_table(table: PrintedTable) -> str:
    rows = []
    for cells in table.rows():
        tds = []
        for cell in cells:
            spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            tds.append(f"<td{spans}>{html.escape(cell.text)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return '<table border="1" cellspacing="0" cellpadding="2">' + "\n".join(rows) + "</table>"


def render_html(report: SynthReport, rng: random.Random) -> Rendered:
    web = load_phrases()["web"]
    short = report.agency[:2]
    nav = "".join(f"<li><a href=\"#\">{html.escape(fill_slots(rng, n, report.agency, short, report.year, ''))}</a></li>"
                  for n in web["nav"])
    parts = [
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">",
        f"<title>{html.escape(report.title)}</title>",
        f"<style>{' '.join(web['css'])}</style>",
        "<script>var _hmt = _hmt || []; function share(){return false;}</script>",
        f"</head><body><div class=\"nav\"><ul>{nav}</ul></div>",
        f"<div class=\"crumb\">{html.escape(rng.choice(web['breadcrumbs']))}</div><div id=\"zoom\">",
    ]
    annotations: list[Annotation] = []
    table_index = 0
    for block in report_blocks(report, rng):
        if isinstance(block, TableBlock):
            parts.append(_html_table(block.table))
            annotations += [_cell_annotation(c, table_index) for c in block.table.cells if c.text]
            table_index += 1
            continue
        tag = {"title": "h1", "section_heading": rng.choice(["h2", "p"])}.get(block.kind, "p")
        text = html.escape(block.text)
        if tag == "p" and block.kind == "section_heading":
            text = f"<strong>{text}</strong>"
        parts.append(f"<{tag}>{text}</{tag}>")
        annotation = _paragraph_annotation(block)
        if annotation is not None:
            annotations.append(annotation)
    parts.append("</div><div class=\"footer\">主办单位：" + html.escape(report.agency) + "</div></body></html>")
    return Rendered({".html": "\n".join(parts).encode("utf-8")}, annotations)


def _mime_part(content_type: str, payload: bytes, encoding: str, location: str) -> Message:
    part = Message()
    part["Content-Type"] = content_type
    part["Content-Transfer-Encoding"] = encoding
    part["Content-Location"] = location
    encoded = quopri.encodestring(payload) if encoding == "quoted-printable" else base64.encodebytes(payload)
    part.set_payload(encoded.decode("ascii"))
    return part


def render_mhtml(report: SynthReport, rng: random.Random) -> Rendered:
    """The HTML page saved whole by a browser: a multipart/related MIME message holding the page
    (UTF-8, or GBK/GB2312 as portals serve it, written as GB18030), quoted-printable or base64, and
    its stylesheet."""
    page = render_html(report, rng)
    charset = rng.choice(["utf-8", "gbk", "gb2312"])
    markup = page.files[".html"].decode("utf-8").replace('<meta charset="utf-8">', f'<meta charset="{charset}">')
    location = f"http://www.example.gov.cn/xxgk/{report.year}/{rng.randint(10000, 99999)}.html"
    message = MIMEMultipart("related", type="text/html", boundary=f"----MultipartBoundary--{rng.getrandbits(64):016x}")
    message["Snapshot-Content-Location"] = location
    message["Subject"] = Header(report.title, "utf-8").encode()
    message.attach(_mime_part(f'text/html; charset="{charset}"',
                              markup.encode("utf-8" if charset == "utf-8" else "gb18030"),
                              rng.choice(["quoted-printable", "base64"]), location))
    message.attach(_mime_part("text/css", b".nav{color:#333}", "quoted-printable",
                              "http://www.example.gov.cn/css/style.css"))
    data = b"From: <Saved by Blink>\r\n" + message.as_bytes(policy=policy.SMTP)
    return Rendered({".mhtml": data}, page.annotations)


def _set_east_asian_font(run, name: str) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def render_docx(report: SynthReport, rng: random.Random) -> Rendered:
    document = new_docx()
    font = rng.choice(["仿宋_GB2312", "宋体", "仿宋"])
    annotations: list[Annotation] = []
    table_index = 0
    for block in report_blocks(report, rng):
        if isinstance(block, TableBlock):
            table = block.table
            word_table = document.add_table(rows=table.n_rows, cols=table.n_cols)
            word_table.style = "Table Grid"
            for cell in table.cells:
                target = word_table.cell(cell.row, cell.col)
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(word_table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
                target.text = cell.text
                for run in target.paragraphs[0].runs:
                    run.font.size = Pt(10.5)
                    _set_east_asian_font(run, font)
            annotations += [_cell_annotation(c, table_index) for c in table.cells if c.text]
            table_index += 1
            continue
        paragraph = document.add_paragraph()
        run = paragraph.add_run(block.text)
        run.font.size = Pt(16 if block.kind in ("title", "section_heading") else 14)
        run.bold = block.kind in ("title", "section_heading")
        _set_east_asian_font(run, "方正小标宋简体" if block.kind == "title" else font)
        if block.kind == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "signature":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        annotation = _paragraph_annotation(block)
        if annotation is not None:
            annotations.append(annotation)
    buffer = io.BytesIO()
    document.save(buffer)
    return Rendered({".docx": buffer.getvalue()}, annotations)
