"""OFD (GB/T 33190, 版式文档): a zip package read with lxml, page by page, like a digital PDF.

OFD.xml → DocBody/DocRoot → Document.xml (page size, pages, templates, resources) → each page's
Content.xml: layers of TextObjects (Boundary, CTM, Size; TextCode with X, Y, DeltaX), PathObjects
(AbbreviatedData: the table rules) and ImageObjects (a MultiMedia resource). Coordinates are
millimetres from the page's top-left corner, y down; they are turned into points, so a page
reads like a digital PDF page: glyphs grouped into word tokens with boxes, rules into table grids
(`pdf.vector_page`). A page without a text layer but with images (a scanned OFD) is composed at
`IngestOptions.dpi` from its images and read by OCR. A page that fails becomes an error item; the
other pages go on.

Safety: the zip is checked before anything is unpacked (size, zip-bomb ratio); XML is parsed
without DTDs, entities or network; every path is looked up inside the package only.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np
from lxml import etree
from PIL import Image

from extraction.document import Document, Page, Token
from extraction.ingest.errors import IngestError, IngestErrorCode
from extraction.ingest.grid import PageTables, number_grids
from extraction.ingest.ocr import OcrEngine
from extraction.ingest.options import IngestLimits, IngestOptions
from extraction.ingest.pdf import add_page, text_layer_is_usable, vector_page
from extraction.ingest.raster import ocr_page_image
from extraction.ingest.sure_glyphs import read_by_sure_glyphs
from extraction.ingest.text import normalise_token
from extraction.ingest.zips import check_zip

PT_PER_MM = 72 / 25.4
ASCENT, DESCENT = 0.88, 0.12  # of the font size, above and below the baseline (CJK faces)
WORD_GAP_PT = 3.0  # a wider gap between glyphs on a line starts a new word (pdfplumber's x_tolerance)
THIN_PT = 1.5  # a filled path this thin is a rule drawn as a rectangle
A4_MM = (210.0, 297.0)
# AbbreviatedData operators and their operand counts: move/start, line, quadratic and cubic Bézier,
# arc, close. Only lines become rules; curves just move the pen.
PATH_ARITY = {"M": 2, "S": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
_PATH_TOKEN = re.compile(r"[A-Za-z]|-?\d*\.?\d+(?:[eE]-?\d+)?")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

Matrix = tuple[float, float, float, float, float, float]
Edge = tuple[float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float  # points, page space
    x1: float
    baseline: float
    size: float


@dataclass(frozen=True)
class PlacedImage:
    resource: str  # package path of the image file
    box: Edge  # x0, y0, x1, y1 in points


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child(element, name: str):
    return next((c for c in element if _local(c) == name), None)


def _children(element, name: str) -> list:
    return [c for c in element if _local(c) == name]


def _physical_box(element) -> tuple[float, float, float, float] | None:
    """The PhysicalBox of a PageArea/Area element, if it has one."""
    physical = _child(element, "PhysicalBox") if element is not None else None
    return _box(physical.text) if physical is not None else None


def _numbers(text: str | None) -> list[float]:
    return [float(v) for v in (text or "").split()]


def _box(text: str | None) -> tuple[float, float, float, float] | None:
    values = _numbers(text)
    return tuple(values) if len(values) == 4 else None


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The transform applying `inner`, then `outer` (OFD's CTM row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def object_matrix(element) -> Matrix:
    """Object space → page points: the object's CTM, then its Boundary's origin, then mm → pt."""
    boundary = _box(element.get("Boundary")) or (0.0, 0.0, 0.0, 0.0)
    ctm = tuple(_numbers(element.get("CTM"))) or IDENTITY
    if len(ctm) != 6:
        ctm = IDENTITY
    placed = _compose(ctm, (1.0, 0.0, 0.0, 1.0, boundary[0], boundary[1]))
    return _compose(placed, (PT_PER_MM, 0.0, 0.0, PT_PER_MM, 0.0, 0.0))


def parse_deltas(text: str | None) -> list[float]:
    """DeltaX/DeltaY: numbers, with `g N d` standing for N times d."""
    parts, deltas, i = (text or "").split(), [], 0
    while i < len(parts):
        if parts[i] == "g" and i + 2 < len(parts):
            deltas += [float(parts[i + 2])] * int(float(parts[i + 1]))
            i += 3
        else:
            deltas.append(float(parts[i]))
            i += 1
    return deltas


def _advance(ch: str, size: float) -> float:
    return size if ord(ch) > 0x2E7F else 0.5 * size  # CJK and full-width forms are square


def text_glyphs(element) -> list[Glyph]:
    """The glyphs of a TextObject, in page points. A glyph is as wide as its advance (DeltaX) or,
    where the advance is wider (letter spacing, a jump to the next cell), as its face's width."""
    matrix = object_matrix(element)
    a, b, c, d = matrix[:4]
    object_size = float(element.get("Size", "3.5"))
    size = object_size * abs(a * d - b * c) ** 0.5
    glyphs: list[Glyph] = []
    x = y = 0.0
    for code in _children(element, "TextCode"):
        x, y = float(code.get("X", x)), float(code.get("Y", y))
        deltas = parse_deltas(code.get("DeltaX"))
        for i, ch in enumerate(code.text or ""):
            face_width = _advance(ch, object_size)
            step = deltas[i] if i < len(deltas) else face_width
            start, end = _apply(matrix, x, y), _apply(matrix, x + (min(step, face_width) if step > 0 else face_width), y)
            glyphs.append(Glyph(ch, start[0], max(end[0], start[0]), start[1], size))
            x += step
    return glyphs


def words_from_glyphs(glyphs: list[Glyph]) -> list[Token]:
    """Glyphs → word tokens: glyphs on one baseline, split at white space and at gaps over 3 pt."""
    tokens: list[Token] = []
    lines: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.baseline, g.x0)):
        if lines and abs(glyph.baseline - lines[-1][0].baseline) <= 0.3 * max(glyph.size, 1.0):
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    for line in lines:
        word: list[Glyph] = []
        for glyph in sorted(line, key=lambda g: g.x0) + [None]:
            if glyph is not None and not glyph.text.isspace() and (
                    not word or -glyph.size < glyph.x0 - word[-1].x1 <= WORD_GAP_PT):
                word.append(glyph)
                continue
            if word:
                size = max(g.size for g in word)
                baseline = word[0].baseline
                tokens.append(Token(normalise_token("".join(g.text for g in word)),
                                    bbox=(round(word[0].x0, 2), round(baseline - ASCENT * size, 2),
                                          round(word[-1].x1, 2), round(baseline + DESCENT * size, 2))))
            word = [glyph] if glyph is not None and not glyph.text.isspace() else []
    return tokens


def path_edges(element) -> list[Edge]:
    """A PathObject's straight horizontal/vertical rules in page points: its stroked line segments,
    and a filled path as thin as a rule (some writers draw rules as rectangles)."""
    matrix = object_matrix(element)
    data = _child(element, "AbbreviatedData")
    tokens = _PATH_TOKEN.findall(data.text or "") if data is not None else []
    points: list[list[tuple[float, float]]] = []
    segments: list[tuple[tuple[float, float], tuple[float, float]]] = []
    current = start = None
    i = 0
    while i < len(tokens):
        op = tokens[i].upper()
        if op not in PATH_ARITY:
            i += 1
            continue
        args = [float(v) for v in tokens[i + 1: i + 1 + PATH_ARITY[op]]]
        i += 1 + PATH_ARITY[op]
        if len(args) < PATH_ARITY[op]:
            break
        if op in ("M", "S"):
            current = start = _apply(matrix, *args)
            points.append([current])
        elif op == "C" and current is not None and start is not None:
            segments.append((current, start))
            current = start
        elif current is not None:
            end = _apply(matrix, *args[-2:])
            if op == "L":
                segments.append((current, end))
            points[-1].append(end)
            current = end
    edges: list[Edge] = []
    if element.get("Stroke", "true").lower() != "false":
        edges += [(min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])) for p, q in segments]
    if element.get("Fill", "false").lower() == "true":
        for shape in points:
            xs, ys = [p[0] for p in shape], [p[1] for p in shape]
            width, height = max(xs) - min(xs), max(ys) - min(ys)
            if height <= THIN_PT < width:
                edges.append((min(xs), (min(ys) + max(ys)) / 2, max(xs), (min(ys) + max(ys)) / 2))
            elif width <= THIN_PT < height:
                edges.append(((min(xs) + max(xs)) / 2, min(ys), (min(xs) + max(xs)) / 2, max(ys)))
    return edges


class OfdPackage:
    """The zip's members, looked up by OFD paths (relative to the referring file, or absolute)."""

    def __init__(self, archive: zipfile.ZipFile):
        self._archive = archive
        self._names = {name.lower(): name for name in archive.namelist()}

    @staticmethod
    def resolve(referrer: str, location: str) -> str:
        """A location written in the file `referrer`: absolute in the package, or relative to its folder."""
        return OfdPackage.resolve_in(posixpath.dirname(referrer), location)

    @staticmethod
    def resolve_in(folder: str, location: str) -> str:
        location = location.strip().replace("\\", "/")
        if location.startswith("/"):
            return posixpath.normpath(location.lstrip("/"))
        return posixpath.normpath(posixpath.join(folder, location))

    def read(self, path: str) -> bytes:
        name = self._names.get(path.lower())
        if name is None:
            raise IngestError(IngestErrorCode.OFD_CORRUPT, f"the package has no {path}")
        return self._archive.read(name)

    def xml(self, path: str):
        try:
            return etree.fromstring(self.read(path), parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise IngestError(IngestErrorCode.OFD_CORRUPT, f"{path} is not well-formed XML: {exc}") from exc


@dataclass
class OfdDocument:
    """One document of the package: its pages' content paths, templates, media and page size."""

    path: str
    page_paths: list[str]
    page_templates: dict[str, str]  # template page ID → its content path
    media: dict[str, str]  # MultiMedia ID → image path
    page_box_mm: tuple[float, float, float, float]


def open_document(package: OfdPackage, path: str) -> OfdDocument:
    root = package.xml(path)
    common = _child(root, "CommonData")
    physical = _physical_box(_child(common, "PageArea")) if common is not None else None
    pages = _child(root, "Pages")
    page_paths = [package.resolve(path, p.get("BaseLoc", "")) for p in (_children(pages, "Page") if pages is not None else [])]
    templates, media = {}, {}
    if common is not None:
        for template in _children(common, "TemplatePage"):
            templates[template.get("ID", "")] = package.resolve(path, template.get("BaseLoc", ""))
        for res_name in ("PublicRes", "DocumentRes"):
            for res_element in _children(common, res_name):
                media.update(_media(package, package.resolve(path, res_element.text or "")))
    return OfdDocument(path, page_paths, templates, media, physical or (0.0, 0.0, *A4_MM))


def _media(package: OfdPackage, res_path: str) -> dict[str, str]:
    try:
        res = package.xml(res_path)
    except IngestError:
        return {}  # a missing resource file loses its images, not the document
    folder = package.resolve(res_path, res.get("BaseLoc") or ".")  # where the media files lie
    media = {}
    for multimedia in res.iter("{*}MultiMedia"):
        file = _child(multimedia, "MediaFile")
        if file is not None and file.text:
            media[multimedia.get("ID", "")] = package.resolve_in(folder, file.text)
    return media


def _objects(element):
    """The drawable objects of a layer, page blocks opened."""
    for child in element:
        name = _local(child)
        if name == "PageBlock":
            yield from _objects(child)
        elif name in ("TextObject", "PathObject", "ImageObject"):
            yield child


def _layers(package: OfdPackage, document: OfdDocument, page_root) -> list:
    """The page's layers, its templates' first (they lie behind unless placed in the foreground)."""
    back, front = [], []
    for template in _children(page_root, "Template"):
        template_path = document.page_templates.get(template.get("TemplateID", ""))
        if template_path:
            content = _child(package.xml(template_path), "Content")
            layers = _children(content, "Layer") if content is not None else []
            (front if template.get("ZOrder") == "Foreground" else back).extend(layers)
    content = _child(page_root, "Content")
    return back + (_children(content, "Layer") if content is not None else []) + front


def read_page(package: OfdPackage, document: OfdDocument, page_path: str, number: int, options: IngestOptions,
              ocr_engine: Callable[[], OcrEngine]) -> tuple[Page, PageTables]:
    root = package.xml(page_path)
    box = _physical_box(_child(root, "Area")) or document.page_box_mm
    glyphs: list[Glyph] = []
    edges: list[Edge] = []
    images: list[PlacedImage] = []
    for layer in _layers(package, document, root):
        for obj in _objects(layer):
            name = _local(obj)
            if name == "TextObject":
                glyphs += text_glyphs(obj)
            elif name == "PathObject":
                edges += path_edges(obj)
            elif obj.get("ResourceID") in document.media and _box(obj.get("Boundary")):
                x, y, w, h = _box(obj.get("Boundary"))
                images.append(PlacedImage(document.media[obj.get("ResourceID")],
                                          (x * PT_PER_MM, y * PT_PER_MM, (x + w) * PT_PER_MM, (y + h) * PT_PER_MM)))
    width, height = box[2] * PT_PER_MM, box[3] * PT_PER_MM
    if images and not text_layer_is_usable("".join(g.text for g in glyphs)):
        image = compose_images(package, images, width, height, options)
        return ocr_page_image(image, number, options.dpi, ocr_engine(), options.ocr)
    return vector_page(number, width, height, words_from_glyphs(glyphs), edges)


def compose_images(package: OfdPackage, images: list[PlacedImage], width: float, height: float,
                   options: IngestOptions) -> np.ndarray:
    """The page's images drawn into their boxes on a white page at `options.dpi` (RGB)."""
    scale = options.dpi / 72
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    limit = options.limits.max_page_pixels
    if size[0] * size[1] > limit:
        raise IngestError(IngestErrorCode.TOO_LARGE, f"the page renders to over {limit} pixels at {options.dpi} dpi")
    page = Image.new("RGB", size, "white")
    for placed in images:
        try:
            picture = Image.open(io.BytesIO(package.read(placed.resource)))
            if picture.width * picture.height > limit:
                raise IngestError(IngestErrorCode.TOO_LARGE, f"image {placed.resource} has over {limit} pixels")
            x0, y0, x1, y1 = (round(v * scale) for v in placed.box)
            page.paste(picture.convert("RGB").resize((max(1, x1 - x0), max(1, y1 - y0))), (x0, y0))
        except (OSError, Image.DecompressionBombError) as exc:
            raise IngestError(IngestErrorCode.IMAGE_CORRUPT, f"image {placed.resource}: {exc}") from exc
    return np.asarray(page)


def document_paths(package: OfdPackage) -> list[str]:
    root = package.xml("OFD.xml")
    roots = [package.resolve("OFD.xml", (_child(body, "DocRoot").text or "")) for body in _children(root, "DocBody")
             if _child(body, "DocRoot") is not None]
    if not roots:
        raise IngestError(IngestErrorCode.OFD_CORRUPT, "OFD.xml names no document (DocBody/DocRoot)")
    return roots


def open_package(data: bytes, limits: IngestLimits) -> zipfile.ZipFile:
    check_zip(data, limits, IngestErrorCode.OFD_CORRUPT)
    return zipfile.ZipFile(io.BytesIO(data))


def ingest_ofd(source: str, sha256: str, data: bytes, options: IngestOptions,
               ocr_engine: Callable[[], OcrEngine]) -> Document:
    with open_package(data, options.limits) as archive:
        package = OfdPackage(archive)
        documents = [open_document(package, path) for path in document_paths(package)]
        count = sum(len(d.page_paths) for d in documents)
        if count == 0:
            raise IngestError(IngestErrorCode.EMPTY_DOCUMENT, "the OFD has no pages")
        if count > options.limits.max_pages:
            raise IngestError(IngestErrorCode.TOO_LARGE, f"{count} pages, over the limit of {options.limits.max_pages}")
        result = Document(source, sha256, "ofd")
        page_tables: list[PageTables] = []
        number = 0
        for document in documents:
            for page_path in document.page_paths:
                number += 1
                add_page(result, page_tables, number,
                         partial(read_page, package, document, page_path, number, options, ocr_engine))
    read_by_sure_glyphs(page_tables)
    number_grids(page_tables)
    if not result.tokens:
        if result.errors:
            raise IngestError(IngestErrorCode.OFD_CORRUPT, "; ".join(f"page {e.page}: {e.message}" for e in result.errors[:3]))
        raise IngestError(IngestErrorCode.EMPTY_DOCUMENT, "no text found on any page")
    return result
