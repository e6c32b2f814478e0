"""OCR behind a small interface: PP-OCR models through RapidOCR (default) or PaddleOCR.

RapidOCR runs the PP-OCR ONNX models shipped inside its wheel: nothing is downloaded, ever. The
text-line orientation classifier stays off: with it on, single-digit cells are sometimes turned
180° and `6` reads `9` (see `../shared/notes/stack-facts.md`); page orientation and skew are
corrected here instead, on the whole page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from extraction.ingest.errors import IngestError, IngestErrorCode
from extraction.ingest.options import OcrBackend, OcrOptions
from extraction.ingest.rectify import rectification

Quad = list[tuple[float, float]]  # four corners, clockwise from top-left, in image pixels


@dataclass
class OcrBox:
    quad: Quad
    text: str
    score: float
    char_scores: list[float] | None = None  # one per character of `text`, where the engine gives them


class OcrEngine(Protocol):
    name: str

    def read(self, image: np.ndarray) -> list[OcrBox]:
        """Text boxes of an RGB uint8 image."""

    def read_line(self, image: np.ndarray) -> OcrBox | None:
        """The text of an image holding one line (no detection); its quad is left empty."""


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self) -> None:
        from rapidocr import RapidOCR

        self._engine = RapidOCR(params={
            "Global.use_cls": False,
            "Global.log_level": "warning",
            "Global.return_word_box": True,
            "Global.return_single_char_box": True,
        })

    def read(self, image: np.ndarray) -> list[OcrBox]:
        # Every stage named: RapidOCR keeps the stages of its last call (a `read_line`) as defaults.
        result = self._engine(image, use_det=True, use_cls=False, use_rec=True)
        if result.boxes is None or result.txts is None:
            return []
        boxes = []
        for quad, text, score, words in zip(result.boxes, result.txts, result.scores, result.word_results):
            char_scores = [float(w[1]) for w in words] if words and all(len(w[0]) == 1 for w in words) else None
            if char_scores is not None and len(char_scores) != len(text):
                char_scores = None
            boxes.append(OcrBox([(float(x), float(y)) for x, y in quad], text, float(score), char_scores))
        return boxes

    def read_line(self, image: np.ndarray) -> OcrBox | None:
        result = self._engine(image, use_det=False, use_cls=False, use_rec=True)
        if not result.txts or not result.txts[0]:
            return None
        return OcrBox([], result.txts[0], float(result.scores[0]))


class PaddleOcrEngine:
    """PaddleOCR with local model dirs (`OcrOptions.paddle_model_dir` holding `det/` and `rec/`)."""

    name = "paddleocr"

    def __init__(self, model_dir: str | None) -> None:
        try:
            from paddleocr import PaddleOCR
        except ImportError as exc:
            raise IngestError(IngestErrorCode.OCR_FAILED, "the paddleocr backend is not installed") from exc
        if model_dir is None:
            raise IngestError(IngestErrorCode.OCR_FAILED,
                              "the paddleocr backend needs local model dirs (it cannot download here)")
        self._engine = PaddleOCR(text_detection_model_dir=f"{model_dir}/det",
                                 text_recognition_model_dir=f"{model_dir}/rec",
                                 use_doc_orientation_classify=False, use_doc_unwarping=False,
                                 use_textline_orientation=False)

    def read(self, image: np.ndarray) -> list[OcrBox]:
        boxes = []
        for page in self._engine.predict(image):
            for quad, text, score in zip(page["rec_polys"], page["rec_texts"], page["rec_scores"]):
                boxes.append(OcrBox([(float(x), float(y)) for x, y in quad], text, float(score)))
        return boxes

    def read_line(self, image: np.ndarray) -> OcrBox | None:
        boxes = self.read(image)
        return max(boxes, key=lambda b: b.score) if boxes else None


def make_ocr_engine(options: OcrOptions) -> OcrEngine:
    if options.backend is OcrBackend.PADDLEOCR:
        return PaddleOcrEngine(options.paddle_model_dir)
    return RapidOcrEngine()


def _ink(gray: np.ndarray, longest_side: int = 800) -> np.ndarray:
    scale = longest_side / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    return cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)


def _profile_sharpness(ink: np.ndarray, axis: int = 1) -> float:
    profile = ink.sum(axis=axis, dtype=np.float64)
    return float(np.square(np.diff(profile)).sum())


def estimate_skew(gray: np.ndarray, max_degrees: float = 3.0) -> float:
    """The page's skew in degrees (counter-clockwise positive), by maximising the sharpness of the
    horizontal projection profile of ink over trial rotations of a downscaled copy."""
    ink = _ink(gray)
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        return _profile_sharpness(cv2.warpAffine(ink, matrix, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_NEAREST))

    coarse = max(np.arange(-max_degrees, max_degrees + 1e-9, 0.25), key=sharpness)
    fine = max(np.arange(coarse - 0.25, coarse + 0.25 + 1e-9, 0.05), key=sharpness)
    return -float(fine)  # rotating by -skew straightens the page


def reads_sideways(boxes: list[OcrBox]) -> bool:
    """Most of the text stands in tall boxes: the page's lines run up and down (turned a quarter).
    Judged from the reading itself: an ink profile cannot tell a sideways page from a table page,
    whose many upright rules and stacked short cells look alike either way round."""
    tall = wide = 0.0
    for box in boxes:
        (x0, y0), (x1, y1), (x2, y2) = box.quad[:3]
        width, height = math.hypot(x1 - x0, y1 - y0), math.hypot(x2 - x1, y2 - y1)
        if height > 1.5 * width:
            tall += width * height
        elif width > 1.5 * height:
            wide += width * height
    return tall > wide


def rotation_matrix(shape: tuple[int, ...], degrees: float) -> np.ndarray:
    """3×3 matrix rotating an image of `shape` about its centre, keeping its size."""
    return np.vstack([cv2.getRotationMatrix2D((shape[1] / 2, shape[0] / 2), degrees, 1.0), [0, 0, 1]])


def warp(image: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    return cv2.warpAffine(image, matrix[:2], (image.shape[1], image.shape[0]), flags=cv2.INTER_LINEAR,
                          borderValue=(255, 255, 255) if image.ndim == 3 else 255)


def turn(image: np.ndarray, quarter_turns_clockwise: int) -> tuple[np.ndarray, np.ndarray]:
    """The image turned by multiples of 90° (size swaps for odd turns) and the 3×3 pixel map."""
    h, w = image.shape[:2]
    k = quarter_turns_clockwise % 4
    if k == 0:
        return image, np.eye(3)
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    maps = {1: [[0, -1, h - 1], [1, 0, 0]], 2: [[-1, 0, w - 1], [0, -1, h - 1]], 3: [[0, 1, 0], [-1, 0, w - 1]]}
    return cv2.rotate(image, codes[k]), np.vstack([np.array(maps[k], dtype=np.float64), [0, 0, 1]])


def _reading_score(boxes: list[OcrBox]) -> float:
    """How well a page read: confident text, lots of it (upside-down pages read little, badly)."""
    return sum(b.score * len(b.text) for b in boxes)


@dataclass
class PageReading:
    boxes: list[OcrBox]  # quads in the straightened image
    straightened: np.ndarray  # the image the boxes were read from (upright, deskewed)
    to_original: np.ndarray  # 3×3: straightened pixel → original page pixel


def _read_turned(image: np.ndarray, quarter_turns: int, engine: OcrEngine, options: OcrOptions) -> PageReading:
    turned, matrix = turn(image, quarter_turns)
    if options.correct_skew:
        skew = estimate_skew(cv2.cvtColor(turned, cv2.COLOR_RGB2GRAY))
        if abs(skew) >= 0.1:
            deskew = rotation_matrix(turned.shape, -skew)
            turned, matrix = warp(turned, deskew), deskew @ matrix
    boxes = [b for b in engine.read(turned) if b.score >= options.min_text_score]
    return PageReading(boxes, turned, np.linalg.inv(matrix))


def read_page(image: np.ndarray, engine: OcrEngine, options: OcrOptions) -> PageReading:
    """OCR a page image after straightening it: a photographed page's perspective removed
    (`rectify`), turned upright (90°/180°/270°) and deskewed.

    A sideways page (text lines in tall boxes) is read a quarter turn round, and the other quarter
    too if a few of its lines read better turned over; an upright-looking page that reads badly is
    also read upside down if a few of its lines do; the better reading wins.
    """
    image, rectify = rectification(image) if options.correct_perspective else (image, np.eye(3))
    reading = _read_upright(image, engine, options)
    reading.to_original = np.linalg.inv(rectify) @ reading.to_original
    return reading


def _read_upright(image: np.ndarray, engine: OcrEngine, options: OcrOptions) -> PageReading:
    best = _read_turned(image, 0, engine, options)
    if not options.correct_orientation:
        return best
    if reads_sideways(best.boxes):
        # A quarter turn one way; the other way only if a few of its lines read better turned over.
        best = _read_turned(image, 1, engine, options)
        if _lines_read_better_turned(best, engine):
            best = max((best, _read_turned(image, 3, engine, options)), key=lambda r: _reading_score(r.boxes))
        return best
    mean = np.mean([b.score for b in best.boxes]) if best.boxes else 0.0
    if mean < 0.8 and _lines_read_better_turned(best, engine):
        flipped = _read_turned(image, 2, engine, options)
        best = max((best, flipped), key=lambda r: _reading_score(r.boxes))
    return best


SAMPLE_LINES = 6  # text lines read again upside down to test a page that read badly


def _lines_read_better_turned(reading: PageReading, engine: OcrEngine) -> bool:
    """A few of the page's widest text lines, turned 180° and read alone, score better than as read:
    the page is upside down. A page that reads badly only because it is degraded (a photocopy) is
    so spared a second full reading."""
    lines = sorted((b for b in reading.boxes if len(b.text) >= 3), key=lambda b: -(b.quad[1][0] - b.quad[0][0]))
    as_read, turned = [], []
    for box in lines[:SAMPLE_LINES]:
        x0, y0, x1, y1 = (int(round(v)) for v in map_quad(box.quad, np.eye(3)))
        crop = reading.straightened[max(0, y0):y1, max(0, x0):x1]
        if crop.size == 0:
            continue
        line = engine.read_line(cv2.rotate(crop, cv2.ROTATE_180))
        as_read.append(box.score)
        turned.append(line.score if line is not None else 0.0)
    return not as_read or float(np.mean(turned)) > float(np.mean(as_read))  # nothing to sample: try it


def map_quad(quad: Quad, matrix: np.ndarray) -> tuple[float, float, float, float]:
    """The axis-aligned box, in the target space of `matrix`, around a quad."""
    points = np.array([[x, y, 1.0] for x, y in quad]) @ matrix.T
    points = points / points[:, 2:3]  # a homography (rectified photos) needs the divide; affine maps keep 1
    return (round(float(points[:, 0].min()), 1), round(float(points[:, 1].min()), 1),
            round(float(points[:, 0].max()), 1), round(float(points[:, 1].max()), 1))
