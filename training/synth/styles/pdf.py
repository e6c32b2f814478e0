"""Digital PDF (reportlab, ruled tables, a real text layer) and scanned PDF (pages rasterised at
100–200 dpi, then skewed, blurred, noised, unevenly lit, JPEG-compressed and stamped with a red
seal; no text layer). Both draw the same `layout` pages, so annotations agree; scan annotations
are in pixels of the page image, after the skew."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from training.synth.report import SynthReport
from training.synth.styles.base import Annotation, Rendered, report_blocks
from training.synth.styles.layout import A4, FontFace, PageLayout, pil_font, layout_blocks, random_layout_options


def _register(face: FontFace) -> str:
    if face.name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(face.name, str(face.path), subfontIndex=face.index))
    return face.name


def render_pdf(report: SynthReport, rng: random.Random) -> Rendered:
    options = random_layout_options(rng, embeddable_only=True)
    pages, annotations = layout_blocks(report_blocks(report, rng), options)
    font = _register(options.face)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)  # invariant: same bytes for the same seed
    pdf.setTitle(report.title)
    for page in pages:
        for fill in page.fills:
            pdf.setFillGray(fill.grey / 255)
            pdf.rect(fill.x0, A4[1] - fill.y1, fill.x1 - fill.x0, fill.y1 - fill.y0, stroke=0, fill=1)
            pdf.setFillGray(0)
        pdf.setLineWidth(0.6)
        for line in page.lines:
            pdf.line(line.x0, A4[1] - line.y0, line.x1, A4[1] - line.y1)
        for text in page.texts:
            pdf.setFont(font, text.size)
            pdf.drawString(text.x, A4[1] - text.baseline, text.text)
        pdf.showPage()
    pdf.save()
    return Rendered({".pdf": buffer.getvalue()}, annotations)


@dataclass(frozen=True)
class ScanOptions:
    dpi_range: tuple[int, int] = (100, 200)
    max_skew_degrees: float = 1.5
    upside_down_share: float = 0.02  # pages fed into the scanner the wrong way round


def rasterise(page: PageLayout, scale: float) -> Image.Image:
    """A layout page drawn at `scale` pixels per point: shading, then rules, then text."""
    image = Image.new("RGB", (round(page.width * scale), round(page.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    for fill in page.fills:
        draw.rectangle([fill.x0 * scale, fill.y0 * scale, fill.x1 * scale, fill.y1 * scale], fill=(fill.grey,) * 3)
    for line in page.lines:
        draw.line([(line.x0 * scale, line.y0 * scale), (line.x1 * scale, line.y1 * scale)],
                  fill=(30, 30, 30), width=max(1, round(0.7 * scale)))
    for text in page.texts:
        font = pil_font(text.face, max(6, round(text.size * scale)))
        draw.text((text.x * scale, text.baseline * scale), text.text, fill=(15, 15, 15), font=font, anchor="ls")
    return image


def stamp_seal(image: Image.Image, centre: tuple[float, float], radius: float, rng: random.Random) -> Image.Image:
    """A red official seal (ring and star), multiplied onto the page like ink."""
    seal = Image.new("RGB", image.size, "white")
    draw = ImageDraw.Draw(seal)
    red = (rng.randint(200, 235), rng.randint(20, 60), rng.randint(20, 60))
    cx, cy = centre
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=red, width=max(2, round(radius / 14)))
    star = [(cx + radius * 0.32 * math.cos(math.radians(-90 + 36 * i)) * (1 if i % 2 == 0 else 0.4),
             cy + radius * 0.32 * math.sin(math.radians(-90 + 36 * i)) * (1 if i % 2 == 0 else 0.4)) for i in range(10)]
    draw.polygon(star, fill=red)
    return Image.fromarray((np.asarray(image, dtype=np.float32) * np.asarray(seal, dtype=np.float32) / 255).astype(np.uint8))


def seal_signature(image: Image.Image, page: PageLayout, agency: str, scale: float, rng: random.Random) -> Image.Image:
    """The agency's seal over its signature line, where the page has one (the report's last page)."""
    signature = [t for t in page.texts if t.text == agency]
    if not signature:
        return image
    t = signature[-1]
    return stamp_seal(image, ((t.x + t.width / 2) * scale, t.baseline * scale), 42 * scale, rng)


def _degrade(image: Image.Image, rng: random.Random, np_rng: np.random.Generator, matrix: np.ndarray) -> Image.Image:
    pixels = np.asarray(image.convert("L"), dtype=np.float32) if rng.random() < 0.5 else np.asarray(image, dtype=np.float32)
    height, width = pixels.shape[:2]
    pixels = cv2.warpAffine(pixels, matrix, (width, height), borderValue=(255, 255, 255) if pixels.ndim == 3 else 255)
    # Uneven light: a soft gradient across the page.
    gx = np.linspace(rng.uniform(0.82, 1.0), rng.uniform(0.9, 1.0), width, dtype=np.float32)
    gy = np.linspace(rng.uniform(0.88, 1.0), rng.uniform(0.85, 1.0), height, dtype=np.float32)
    light = np.outer(gy, gx)
    pixels = pixels * (light[..., None] if pixels.ndim == 3 else light)
    if rng.random() < 0.7:
        pixels = cv2.GaussianBlur(pixels, (3, 3), rng.uniform(0.3, 1.0))
    pixels = pixels + np_rng.normal(0, rng.uniform(2, 9), pixels.shape).astype(np.float32)
    if rng.random() < 0.3:
        specks = np_rng.random(pixels.shape[:2]) < rng.uniform(0.0002, 0.001)
        pixels[specks] = 0
    degraded = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    degraded.save(buffer, "JPEG", quality=rng.randint(35, 75))
    return Image.open(io.BytesIO(buffer.getvalue()))


def _transform_bbox(bbox, scale: float, matrix: np.ndarray) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (v * scale for v in bbox)
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64) @ matrix.T
    return (round(float(corners[:, 0].min()), 1), round(float(corners[:, 1].min()), 1),
            round(float(corners[:, 0].max()), 1), round(float(corners[:, 1].max()), 1))


def render_scan(report: SynthReport, rng: random.Random, scan: ScanOptions = ScanOptions()) -> Rendered:
    options = random_layout_options(rng, embeddable_only=False)
    pages, annotations = layout_blocks(report_blocks(report, rng), options)
    dpi = rng.randint(*scan.dpi_range)
    scale = dpi / 72
    np_rng = np.random.default_rng(rng.getrandbits(32))
    images, matrices = [], []
    for number, page in enumerate(pages, start=1):
        image = rasterise(page, scale)
        if number == len(pages):
            image = seal_signature(image, page, report.agency, scale, rng)
        angle = rng.uniform(-scan.max_skew_degrees, scan.max_skew_degrees)
        if rng.random() < scan.upside_down_share:
            angle += 180
        matrix = cv2.getRotationMatrix2D((image.width / 2, image.height / 2), angle, 1.0)
        images.append(_degrade(image, rng, np_rng, matrix))
        matrices.append(matrix)
    scanned = [Annotation(a.kind, a.text, a.key, page=a.page, bbox=_transform_bbox(a.bbox, scale, matrices[a.page - 1]))
               for a in annotations]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return Rendered({".pdf": buffer.getvalue()}, scanned)
