"""Archive scans: each degradation renders an image-only PDF, says how it was made, and is the
same bytes for the same seed."""

import io
import random

import pypdfium2
import pytest

from training.synth.report import compose_report
from training.synth.styles.archive import DPIS, MAX_SKEW_DEGREES, render_scan_flatbed, render_scan_photo, render_scan_photocopy
from training.synth.styles.office import HEI, KAI, SONG
from training.synth.values import ValueOptions

RENDERERS = {"flatbed": render_scan_flatbed, "photocopy": render_scan_photocopy, "photo": render_scan_photo}


def _render(templates, degradation: str, seed: int):
    rng = random.Random(seed)
    report = compose_report(rng, templates, ValueOptions())
    return report, RENDERERS[degradation](report, rng)


@pytest.fixture(scope="module")
def rendered(templates):
    return {name: _render(templates, name, 11) for name in RENDERERS}


@pytest.mark.parametrize("degradation", list(RENDERERS))
def test_renders_an_image_pdf_and_records_how(rendered, degradation):
    report, result = rendered[degradation]
    scan = result.scan
    assert scan.degradation == degradation and scan.dpi in DPIS
    assert scan.face in {f.name for f in SONG + KAI + HEI} and scan.body_face in {f.name for f in SONG + KAI}
    assert 7 <= scan.table_size <= 11 and scan.layout and scan.degradation_params
    pdf = pypdfium2.PdfDocument(io.BytesIO(result.files[".pdf"]))
    assert len(scan.skew) == len(pdf) and all(abs(s) <= MAX_SKEW_DEGREES for s in scan.skew)
    assert sum(len(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))) == 0  # no text layer
    for annotation in result.annotations:
        page = pdf[annotation.page - 1]
        width, height = page.get_size()
        x0, y0, x1, y1 = annotation.bbox
        pixels = scan.dpi / 72
        assert -1 <= x0 < x1 <= width * pixels + 1 and -1 <= y0 < y1 <= height * pixels + 1
    printed = {k for k, v in report.values.fields.items() if v is not None}
    assert printed <= {a.key for a in result.annotations if a.kind == "value"}


@pytest.mark.parametrize("degradation", list(RENDERERS))
def test_same_seed_same_bytes(templates, rendered, degradation):
    _, again = _render(templates, degradation, 11)
    assert again.files == rendered[degradation][1].files
    assert again.annotations == rendered[degradation][1].annotations and again.scan == rendered[degradation][1].scan
