"""The page warp moves image and annotation boxes alike: boxes stay exact through skew, perspective and curl.
A photocopy is made at the copier's resolution and scanned at the archive's: its digits keep their ink."""

import random
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw

from training.synth.report import compose_report
from training.synth.styles.degrade import BILEVEL_SCAN_DPI, page_warp, sample_photo, sample_photocopy
from training.synth.styles.layout import PageLayout
from training.synth.styles.office import layout_office, random_office_layout
from training.synth.styles.pdf import rasterise
from training.synth.values import ValueOptions


def _value_page(templates, seed: int) -> tuple[PageLayout, list[tuple[float, float, float, float]]]:
    """The page of a composed report with the most value cells, with only their text on it, and their boxes."""
    rng = random.Random(seed)
    report = compose_report(rng, templates, ValueOptions(all_zero_share=0, blank_share=0))
    pages, annotations = layout_office(report, random_office_layout(rng), rng)
    values = [a for a in annotations if a.kind == "value" and a.text]
    page_number = max({a.page for a in values}, key=lambda p: sum(a.page == p for a in values))
    boxes = [a.bbox for a in values if a.page == page_number]
    page = pages[page_number - 1]
    only_values = PageLayout(page.width, page.height, [t for t in page.texts if t.bbox in boxes])
    assert len(only_values.texts) == len(boxes)  # one line of text per value cell
    return only_values, boxes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_value_boxes_cover_their_ink_after_perspective_and_curl(templates, seed):
    page, boxes = _value_page(templates, seed)
    scale = 100 / 72
    image = rasterise(page, scale)
    photo = sample_photo(random.Random(seed))
    warp = photo.page_warp(image.width, image.height, skew_degrees=random.Random(seed).uniform(-2, 2))
    assert warp.curl_px > 0 and any(photo.corner_shift)
    warped = warp.warp(np.asarray(image.convert("L"), dtype=np.float32), 255.0)
    ink = warped < 170
    mapped = [warp.bbox(tuple(v * scale for v in box)) for box in boxes]
    inside = np.zeros_like(ink)
    for x0, y0, x1, y1 in mapped:
        inside[int(y0):int(y1) + 1, int(x0):int(x1) + 1] = True
        assert ink[int(y0):int(y1) + 1, int(x0):int(x1) + 1].any(), "a value box with no ink in it"
    assert not (ink & ~inside).any(), f"{int((ink & ~inside).sum())} inked pixels outside every value box"
    # Tight too: a box is not much larger than the em box it came from (a 10 pt digit is ~14 px here).
    for (x0, y0, x1, y1), box in zip(mapped, boxes):
        assert (y1 - y0) < (box[3] - box[1]) * scale + 12


def test_the_image_moves_as_the_forward_map_says():
    image = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(image)
    dots = [(60, 80), (200, 280), (330, 500), (350, 40)]
    for x, y in dots:
        draw.rectangle([x - 1, y - 1, x + 1, y + 1], fill=0)
    warp = page_warp(400, 560, 1.7, (12, 9, -8, 14, -15, -10, 7, -12), curl_px=6.0)
    warped = warp.warp(np.asarray(image, dtype=np.float32), 255.0)
    expected = warp.forward(np.array([[x + 0.5, y + 0.5] for x, y in dots], dtype=np.float64))
    for (ex, ey) in expected:
        window = 255 - warped[int(ey) - 6:int(ey) + 7, int(ex) - 6:int(ex) + 7]
        ys, xs = np.nonzero(window > 40)
        weights = window[ys, xs]
        cx = int(ex) - 6 + (xs * weights).sum() / weights.sum() + 0.5
        cy = int(ey) - 6 + (ys * weights).sum() / weights.sum() + 0.5
        assert abs(cx - ex) < 0.75 and abs(cy - ey) < 0.75


def _photocopied(page: PageLayout, scan_dpi: int, seed: int) -> tuple[np.ndarray, float]:
    """The page photocopied with the faintest toner the factory draws, scanned at `scan_dpi`, unskewed."""
    copy = replace(sample_photocopy(random.Random(seed), scan_dpi),
                   darkness=1.4, threshold=150, fade_low=0.55, grain=0.45)
    scale = scan_dpi / 72
    warp = copy.page_warp(round(page.width * scale), round(page.height * scale), 0.0)
    image = rasterise(page, copy.render_dpi(scan_dpi) / 72)
    return np.asarray(copy.apply(np.asarray(image), warp, np.random.default_rng(seed)).convert("L")), scale


@pytest.mark.parametrize("seed", [1, 2])
def test_a_faded_photocopy_scanned_at_100_dpi_keeps_every_digit(templates, seed):
    # Binarised at 100 dpi, a small digit's antialiased strokes all fell under the threshold and
    # vanished while the solid rules stayed; the copier binarises at its own resolution instead.
    page, boxes = _value_page(templates, seed)
    assert sample_photocopy(random.Random(seed), 100).scanner is not None  # grey below BILEVEL_SCAN_DPI
    scanned, scale = _photocopied(page, 100, seed)
    paper = float(np.median(scanned))
    for box in boxes:
        x0, y0, x1, y1 = (round(v * scale) for v in box)
        assert scanned[y0:y1 + 1, x0:x1 + 1].min() < paper - 60, f"a value box at {box} lost its ink"


def test_a_photocopy_scanned_at_200_dpi_is_black_and_white(templates):
    page, boxes = _value_page(templates, 3)
    assert sample_photocopy(random.Random(3), BILEVEL_SCAN_DPI).scanner is None
    scanned, scale = _photocopied(page, BILEVEL_SCAN_DPI, 3)
    assert set(np.unique(scanned)) <= {0, 255}
    inked = [scanned[round(y0 * scale):round(y1 * scale) + 1, round(x0 * scale):round(x1 * scale) + 1].min() == 0
             for x0, y0, x1, y1 in boxes]
    assert all(inked)
