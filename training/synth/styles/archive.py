"""Archive scans: the form laid out as offices print it (`office.py`), printed at 100–200 dpi and
then flatbed-scanned, photocopied or photographed (`degrade.py`). Image-only PDFs; annotations
in pixels of the page image after every transform; how each document was made goes into the
manifest (`Rendered.scan`)."""

from __future__ import annotations

import io
import random
from dataclasses import asdict
import time
from typing import Callable

import numpy as np

from training.synth.report import SynthReport
from training.synth.styles.base import Annotation, Rendered, ScanRecord
from training.synth.styles.degrade import Degradation, sample_flatbed, sample_photo, sample_photocopy
from training.synth.styles.office import layout_office, random_office_layout
from training.synth.styles.pdf import rasterise, seal_signature

DPIS = (100, 120, 150, 200)
MAX_SKEW_DEGREES = 2.0
# PIL stamps the PDF with the time of saving; a fixed date keeps the bytes a function of the seed.
PDF_DATE = time.gmtime(1767225600)  # 2026-01-01


def render_archive(report: SynthReport, rng: random.Random,
                   sample: Callable[[random.Random, int], Degradation]) -> Rendered:
    office = random_office_layout(rng)
    pages, annotations = layout_office(report, office, rng)
    dpi = rng.choice(DPIS)
    scale = dpi / 72
    degradation = sample(rng, dpi)
    render_scale = degradation.render_dpi(dpi) / 72  # a photocopy is printed finer than it is scanned
    np_rng = np.random.default_rng(rng.getrandbits(32))
    images, warps, skews = [], [], []
    for number, page in enumerate(pages, start=1):
        image = rasterise(page, render_scale)
        if number == len(pages):
            image = seal_signature(image, page, report.agency, render_scale, rng)
        skew = round(rng.uniform(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES), 3)
        warp = degradation.page_warp(round(page.width * scale), round(page.height * scale), skew)
        images.append(degradation.apply(np.asarray(image), warp, np_rng))
        warps.append(warp)
        skews.append(skew)
    scanned = [Annotation(a.kind, a.text, a.key, page=a.page,
                          bbox=warps[a.page - 1].bbox(tuple(v * scale for v in a.bbox))) for a in annotations]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi),
                   creationDate=PDF_DATE, modDate=PDF_DATE)
    record = ScanRecord(degradation.name, dpi, office.table_face.name, office.page.face.name, office.table_size,
                        skews, office.variant, asdict(degradation))
    return Rendered({".pdf": buffer.getvalue()}, scanned, scan=record)


def render_scan_flatbed(report: SynthReport, rng: random.Random) -> Rendered:
    return render_archive(report, rng, lambda rng, _dpi: sample_flatbed(rng))


def render_scan_photocopy(report: SynthReport, rng: random.Random) -> Rendered:
    return render_archive(report, rng, sample_photocopy)


def render_scan_photo(report: SynthReport, rng: random.Random) -> Rendered:
    return render_archive(report, rng, lambda rng, _dpi: sample_photo(rng))
