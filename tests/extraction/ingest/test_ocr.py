"""OCR through the PP-OCR models shipped in the RapidOCR wheel: offline, straightened, gridded."""

import socket

import cv2
import numpy as np
import pytest

from extraction.document import GridPosition
from extraction.ingest import IngestOptions, Ingestor
from extraction.ingest.ocr import RapidOcrEngine, estimate_skew, reads_sideways, rotation_matrix, turn, warp
from extraction.ingest.options import OcrOptions
from extraction.ingest.raster import ocr_page_image
from extraction.ingest.text_grid import ROW_SPLIT
from tests.extraction.ingest.conftest import as_array

pytestmark = pytest.mark.heavy


@pytest.fixture(scope="module")
def engine():
    return RapidOcrEngine()


@pytest.fixture()
def no_network(monkeypatch):
    """Any attempt to open a connection fails loudly."""
    def refuse(*args, **kwargs):
        raise OSError("network access attempted during OCR")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _texts_by_grid(page):
    return {t.grid: t.text for t in page.tokens if t.grid is not None}


def test_ocr_runs_with_the_network_blocked(no_network, table_image, tmp_path):
    path = tmp_path / "table.png"
    table_image.save(path)
    document = Ingestor(IngestOptions()).ingest(path)  # a fresh engine: models load under the block
    texts = [t.text for t in document.tokens]
    for number in ("24", "7", "180", "5", "204", "12"):
        assert number in texts


def test_table_cells_get_their_grid_position(engine, table_image):
    page, tables = ocr_page_image(as_array(table_image), 1, None, engine, OcrOptions())
    from extraction.ingest.grid import number_grids

    number_grids([tables])
    cells = _texts_by_grid(page)
    row = ROW_SPLIT  # page images number ruled rows in steps, room for rows a lost rule merged
    assert cells[GridPosition(0, 0, 0)] == "自然人"  # spans rows 0–1: top-left position
    assert cells[GridPosition(0, 0, 1)] == "24"
    assert cells[GridPosition(0, 1 * row, 2)] == "5"
    assert cells[GridPosition(0, 2 * row, 1)] == "204"
    token = next(t for t in page.tokens if t.text == "204")
    assert 0.5 < token.confidence <= 1.0
    assert token.char_confidences is not None and len(token.char_confidences) == 3


def test_skewed_page_is_straightened_and_boxes_map_back(engine, table_image):
    image = as_array(table_image)
    skewed = warp(image, rotation_matrix(image.shape, 1.2))
    assert abs(estimate_skew(cv2.cvtColor(skewed, cv2.COLOR_RGB2GRAY)) - 1.2) < 0.2
    page, _ = ocr_page_image(skewed, 1, None, engine, OcrOptions())
    token = next(t for t in page.tokens if t.text == "204")
    # In the skewed image the "204" cell centre sits where the rotation moved it.
    cx, cy = 60 + 1.5 * 150, 80 + 2.5 * 56
    moved = rotation_matrix(image.shape, 1.2) @ np.array([cx, cy, 1.0])
    x0, y0, x1, y1 = token.bbox
    assert abs((x0 + x1) / 2 - moved[0]) < 12 and abs((y0 + y1) / 2 - moved[1]) < 12


def test_upside_down_page_is_read_upright(engine, table_image):
    upside_down, _ = turn(as_array(table_image), 2)
    page, _ = ocr_page_image(upside_down, 1, None, engine, OcrOptions())
    assert {"24", "180", "204"} <= {t.text for t in page.tokens}


def test_sideways_page_is_turned(engine, table_image):
    sideways, _ = turn(as_array(table_image), 1)
    assert reads_sideways(engine.read(sideways))
    assert not reads_sideways(engine.read(as_array(table_image)))
    page, _ = ocr_page_image(sideways, 1, None, engine, OcrOptions())
    assert {"24", "180", "204"} <= {t.text for t in page.tokens}
    assert (page.width, page.height) == (sideways.shape[1], sideways.shape[0])


def test_stray_mark_after_a_number_is_dropped_and_flagged():
    from extraction.ingest.ocr import OcrBox
    from extraction.ingest.raster import token_from_ocr

    box = [(0, 0), (10, 0), (10, 10), (0, 10)]
    cleaned = token_from_ocr(OcrBox(box, "0.", 0.98, [0.99, 0.6]), (0, 0, 10, 10))
    assert (cleaned.text, cleaned.confidence, cleaned.char_confidences) == ("0", 0.882, [0.99])
    led = token_from_ocr(OcrBox(box, ": 4", 0.9, [0.5, 0.6, 0.99]), (0, 0, 10, 10))  # a streak before the digit
    assert (led.text, led.char_confidences) == ("4", [0.99])
    specked = token_from_ocr(OcrBox(box, ": .28.5448", 0.9), (0, 0, 10, 10))  # two specks before an amount
    assert specked.text == "28.5448"
    assert token_from_ocr(OcrBox(box, "0..", 0.9), (0, 0, 10, 10)).text == "0"  # two specks after it
    for dotted in ("…0", "∴0", "0·", "・0"):  # specks read as an ellipsis, a therefore sign, a middle dot
        assert token_from_ocr(OcrBox(box, dotted, 0.9), (0, 0, 10, 10)).text == "0"
    streaked = token_from_ocr(OcrBox(box, "0 ==", 0.9, [0.95, 0.5, 0.5, 0.5]), (0, 0, 10, 10))  # a copier's streak
    assert (streaked.text, streaked.char_confidences) == ("0", [0.95])
    signed = token_from_ocr(OcrBox(box, ". +6", 0.9, [0.5, 0.9, 0.95, 0.99]), (0, 0, 10, 10))  # 本年增/减
    assert (signed.text, signed.char_confidences) == ("+6", [0.95, 0.99])
    for kept in ("25.828", "0.5", "共25件。", "－3", "+6"):
        assert token_from_ocr(OcrBox(box, kept, 0.9), (0, 0, 10, 10)).text == kept.replace("－", "-")


def test_a_line_read_alone_leaves_page_reading_as_it_was(engine, table_image):
    image = as_array(table_image)
    line = engine.read_line(image[80 + 56: 80 + 112, 60 + 150: 60 + 300])  # the "180" cell
    assert line is not None and line.text == "180"
    assert {"24", "180", "204"} <= {b.text for b in engine.read(image)}
