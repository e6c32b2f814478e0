"""OFD (GB/T 33190) renderings, written here: a minimal valid package of the PDF style's layout.

OFD.xml → Doc_0/Document.xml (page area, pages, public resources: the fonts by name) → one
Content.xml per page with a layer of TextObjects (Boundary and TextCode X/Y in millimetres, the
glyph advances as DeltaX, runs of equal advances abbreviated `g N d`) and PathObjects for the
rules and shading. As OFD writers differ, each document takes one way of writing: a TextObject per
printed line or per glyph (as converters from PDF write), rules stroked as lines or filled as thin
rectangles. Annotations are the PDF style's: page + bbox in points.
"""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from training.synth.report import SynthReport
from training.synth.styles.base import Rendered, report_blocks
from training.synth.styles.layout import PageLayout, PlacedText, layout_blocks, pil_font, random_layout_options

MM_PER_PT = 25.4 / 72
RULE_MM = 0.2
NAMESPACE = 'xmlns:ofd="http://www.ofdspec.org/2016"'
HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class OfdWriting:
    text_per_glyph: bool  # one TextObject per glyph (converted from PDF) instead of per printed line
    rules_as_rectangles: bool  # rules filled as thin rectangles instead of stroked lines


def _mm(points: float) -> str:
    return f"{points * MM_PER_PT:.3f}".rstrip("0").rstrip(".")


def delta_x(advances: list[float]) -> str:
    """DeltaX in mm, a run of three or more equal advances written `g N d`."""
    values = [_mm(a) for a in advances]
    parts, i = [], 0
    while i < len(values):
        run = 1
        while i + run < len(values) and values[i + run] == values[i]:
            run += 1
        parts.append(f"g {run} {values[i]}" if run >= 3 else " ".join(values[i:i + run]))
        i += run
    return " ".join(parts)


class _Ids:
    def __init__(self) -> None:
        self.last = 10

    def next(self) -> int:
        self.last += 1
        return self.last


def _text_object(ids: _Ids, text: str, x: float, top: float, baseline: float, size: float, advances: list[float]) -> str:
    width = sum(advances) if advances else size
    boundary = f"{_mm(x)} {_mm(top)} {_mm(width)} {_mm(baseline - top + 0.3 * size)}"
    deltas = f' DeltaX="{delta_x(advances[:-1])}"' if len(text) > 1 else ""
    return (f'<ofd:TextObject ID="{ids.next()}" Boundary="{boundary}" Font="2" Size="{_mm(size)}">'
            f'<ofd:TextCode X="0" Y="{_mm(baseline - top)}"{deltas}>{escape(text)}</ofd:TextCode></ofd:TextObject>')


def _texts(ids: _Ids, placed: PlacedText, per_glyph: bool) -> list[str]:
    font = pil_font(placed.face, 100)
    advances = [font.getlength(ch) * placed.size / 100 for ch in placed.text]
    top = placed.baseline - 0.88 * placed.size
    if not per_glyph:
        return [_text_object(ids, placed.text, placed.x, top, placed.baseline, placed.size, advances)]
    objects, x = [], placed.x
    for ch, advance in zip(placed.text, advances):
        if not ch.isspace():
            objects.append(_text_object(ids, ch, x, top, placed.baseline, placed.size, [advance]))
        x += advance
    return objects


def _path(ids: _Ids, x0: float, y0: float, x1: float, y1: float, data: str, fill: str | None) -> str:
    boundary = f"{_mm(x0)} {_mm(y0)} {_mm(max(x1 - x0, 0.01))} {_mm(max(y1 - y0, 0.01))}"
    if fill is None:
        return (f'<ofd:PathObject ID="{ids.next()}" Boundary="{boundary}" LineWidth="{RULE_MM}">'
                f'<ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>')
    return (f'<ofd:PathObject ID="{ids.next()}" Boundary="{boundary}" Stroke="false" Fill="true">'
            f'<ofd:FillColor Value="{fill}"/><ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>')


def _rectangle(ids: _Ids, x0: float, y0: float, x1: float, y1: float, fill: str) -> str:
    w, h = _mm(x1 - x0), _mm(y1 - y0)
    return _path(ids, x0, y0, x1, y1, f"M 0 0 L {w} 0 L {w} {h} L 0 {h} C", fill)


def page_content(page: PageLayout, writing: OfdWriting, ids: _Ids) -> str:
    objects = [_rectangle(ids, f.x0, f.y0, f.x1, f.y1, f"{f.grey} {f.grey} {f.grey}") for f in page.fills]
    for line in page.lines:
        x0, y0, x1, y1 = min(line.x0, line.x1), min(line.y0, line.y1), max(line.x0, line.x1), max(line.y0, line.y1)
        if writing.rules_as_rectangles:
            half = RULE_MM / MM_PER_PT / 2
            objects.append(_rectangle(ids, x0 - half, y0 - half, x1 + half, y1 + half, "0 0 0"))
        else:
            objects.append(_path(ids, x0, y0, x1, y1, f"M {_mm(line.x0 - x0)} {_mm(line.y0 - y0)} "
                                                      f"L {_mm(line.x1 - x0)} {_mm(line.y1 - y0)}", None))
    for placed in page.texts:
        objects += _texts(ids, placed, writing.text_per_glyph)
    return (f'{HEADER}<ofd:Page {NAMESPACE}><ofd:Area><ofd:PhysicalBox>0 0 {_mm(page.width)} {_mm(page.height)}'
            f'</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="{ids.next()}" Type="Body">'
            + "".join(objects) + "</ofd:Layer></ofd:Content></ofd:Page>")


def ofd_package(pages: list[PageLayout], title: str, font_name: str, writing: OfdWriting) -> bytes:
    """The OFD file of laid-out pages (deterministic: fixed member times)."""
    ids = _Ids()
    contents = [page_content(page, writing, ids) for page in pages]
    first = pages[0]
    entries = "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    document = (f'{HEADER}<ofd:Document {NAMESPACE}><ofd:CommonData><ofd:MaxUnitID>{ids.last}</ofd:MaxUnitID>'
                f'<ofd:PageArea><ofd:PhysicalBox>0 0 {_mm(first.width)} {_mm(first.height)}</ofd:PhysicalBox>'
                f'</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>'
                f'<ofd:Pages>{entries}</ofd:Pages></ofd:Document>')
    public_res = (f'{HEADER}<ofd:Res {NAMESPACE} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" '
                  f'FontName={quoteattr(font_name)} FamilyName={quoteattr(font_name)}/></ofd:Fonts></ofd:Res>')
    ofd = (f'{HEADER}<ofd:OFD {NAMESPACE} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
           f'<ofd:DocID>{hashlib.sha256(title.encode()).hexdigest()[:32]}</ofd:DocID><ofd:Title>{escape(title)}</ofd:Title>'
           f'<ofd:Creator>govreport synth</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
           f'</ofd:DocBody></ofd:OFD>')
    members = {"OFD.xml": ofd, "Doc_0/Document.xml": document, "Doc_0/PublicRes.xml": public_res}
    members.update({f"Doc_0/Pages/Page_{i}/Content.xml": c for i, c in enumerate(contents)})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def render_ofd(report: SynthReport, rng: random.Random) -> Rendered:
    options = random_layout_options(rng, embeddable_only=False)
    pages, annotations = layout_blocks(report_blocks(report, rng), options)
    writing = OfdWriting(text_per_glyph=rng.random() < 0.4, rules_as_rectangles=rng.random() < 0.4)
    return Rendered({".ofd": ofd_package(pages, report.title, options.face.name, writing)}, annotations)
