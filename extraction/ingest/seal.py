"""An official seal's ring found on a page image and wiped off it, for reading the cells beneath.

The agency stamps its seal over the signature after the last table, and its ring often runs
through that table's last cells: the text detector then misses their digits (`0` under the arc),
or the recogniser reads the arc as a `1`. Colour removes a red seal (`without_seal_ink`),
but a greyscale scan or a photocopy prints the ring as dark as the digits. A seal is a circle
of an official size (30–45 mm across; 24–48 mm are searched), so it is found by shape: a circle of that radius whose
circumference is inked nearly all round (a table rule or a line of text never is). Its ring is
then painted paper before the cells beneath are read again, and a cell it crossed that still
reads as nothing is taken as printed but unread (the ring hid its digits), not as blank.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

MIN_RADIUS_MM, MAX_RADIUS_MM = 12.0, 24.0  # seals are 30–45 mm across (and small ones, 24 mm)
SEARCH_SCALE = 0.5  # the circle search runs at half resolution: a ring is ~1 mm thick, plenty at 75 dpi
CIRCLE_PERFECTNESS = 0.7  # OpenCV's HOUGH_GRADIENT_ALT threshold: how round an edge run must be
MAX_CANDIDATES = 4
MIN_INKED_SHARE = 0.6  # of the circumference: a seal's ring is inked nearly all round, fading aside
SEAL_SATURATION = 90  # of 255 (HSV): seal ink is vivid (red, blue); grey print, yellowed paper and a grey scan's ring are not
SEAL_BRIGHTNESS = 60  # of 255: black print is dark whatever its hue
INK_CONTRAST = 60  # grey levels below the paper: ring ink (a red ring in grey is mid-grey)
REFINE_PX = 3  # pixels of the page image the half-resolution search may be off by
STROKE_SHARE = 0.5  # of the best radius's inked share: radii this inked are the ring's stroke
MAX_STROKE_PX = 8  # half the widest ring stroke searched for, in pixels of the page image
ARC_SLACK_PX = 8  # round a ring's stroke: a straight run kept along an arc leaves the arc at its ends
ARC_SHARE = 0.8  # of a rule piece's pixels on the widened stroke: the piece is the ring's arc
_ANGLES = np.linspace(0, 2 * math.pi, 720, endpoint=False)


@dataclass(frozen=True)
class SealRing:
    x: float
    y: float
    inner: float  # radii bounding the ring's stroke, in pixels
    outer: float


def _inked_share(ink: np.ndarray, x: float, y: float, radius: float) -> float:
    height, width = ink.shape
    xs = np.clip((x + radius * np.cos(_ANGLES)).astype(int), 0, width - 1)
    ys = np.clip((y + radius * np.sin(_ANGLES)).astype(int), 0, height - 1)
    return float(ink[ys, xs].mean())


def find_seal_rings(gray: np.ndarray, px_per_mm: float) -> list[SealRing]:
    """The seal rings printed on a greyscale page image (none on an image too small to hold one)."""
    if min(gray.shape[:2]) < 2 * MIN_RADIUS_MM * px_per_mm:
        return []
    small = cv2.resize(gray, None, fx=SEARCH_SCALE, fy=SEARCH_SCALE, interpolation=cv2.INTER_AREA)
    mm = px_per_mm * SEARCH_SCALE
    circles = cv2.HoughCircles(small, cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=2 * MIN_RADIUS_MM * mm, param1=100,
                               param2=CIRCLE_PERFECTNESS, minRadius=int(MIN_RADIUS_MM * mm),
                               maxRadius=int(MAX_RADIUS_MM * mm))
    if circles is None:
        return []
    ink = gray < float(np.percentile(gray, 90)) - INK_CONTRAST
    rings = []
    for x, y, radius in circles[0][:MAX_CANDIDATES]:
        x, y, radius = x / SEARCH_SCALE, y / SEARCH_SCALE, radius / SEARCH_SCALE
        # The half-resolution search puts centre and radius within a few pixels: the circle most inked
        # all round near it is the ring's middle.
        near = range(-REFINE_PX, REFINE_PX + 1)
        _, x, y, radius = max((_inked_share(ink, x + dx, y + dy, radius + dr), x + dx, y + dy, radius + dr)
                              for dx in near for dy in near for dr in near)
        shares = {d: _inked_share(ink, x, y, radius + d) for d in range(-MAX_STROKE_PX, MAX_STROKE_PX + 1)}
        best = shares[0]
        if best < MIN_INKED_SHARE:
            continue
        # The stroke: the radii around the best one still inked over most of the circle.
        inner = outer = 0
        while inner - 1 in shares and shares[inner - 1] >= STROKE_SHARE * best:
            inner -= 1
        while outer + 1 in shares and shares[outer + 1] >= STROKE_SHARE * best:
            outer += 1
        rings.append(SealRing(x, y, radius + inner - 1, radius + outer + 1))
    return rings


def crosses(ring: SealRing, box: tuple[float, float, float, float]) -> bool:
    """Whether the ring's stroke runs through a box (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    nearest = math.hypot(min(max(ring.x, x0), x1) - ring.x, min(max(ring.y, y0), y1) - ring.y)
    farthest = max(math.hypot(x - ring.x, y - ring.y) for x in (x0, x1) for y in (y0, y1))
    return nearest <= ring.outer and farthest >= ring.inner


def _ring_band(shape: tuple[int, ...], rings: list[SealRing], slack: float = 0.0) -> np.ndarray:
    """1 on the rings' strokes, widened by `slack` px on both sides; 0 elsewhere."""
    band = np.zeros(shape[:2], np.uint8)
    for ring in rings:
        centre = (round(ring.x), round(ring.y))
        cv2.circle(band, centre, round(ring.outer + slack), 1, thickness=-1)
        cv2.circle(band, centre, max(0, round(ring.inner - slack)), 0, thickness=-1)
    return band


def without_seal_rings(image: np.ndarray, rings: list[SealRing]) -> np.ndarray:
    """The page image with the rings' ink painted paper (the image itself where there are none)."""
    if not rings:
        return image
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    paper = float(np.percentile(gray, 90))
    inked = (_ring_band(gray.shape, rings) > 0) & (gray < paper - INK_CONTRAST / 2)
    if not inked.any():
        return image
    if image.ndim == 3 and np.median(cv2.cvtColor(image, cv2.COLOR_RGB2HSV)[:, :, 1][inked]) >= SEAL_SATURATION:
        return image  # a red ring: colour tells it from the print (`without_seal_ink`), and wiping would cut the digits
    wiped = image.copy()
    wiped[inked] = round(paper)
    return wiped


def without_ring_arcs(mask: np.ndarray, rings: list[SealRing]) -> np.ndarray:
    """A mask of ruling lines without the pieces that lie along a ring's stroke: where a ring crosses
    a table, the top or the bottom of its arc (a side, for the vertical mask) runs a cell's width
    within a pixel or two of straight, and the grid would take it for a rule splitting that cell's
    row (or column) in two. A real rule the ring crosses lies across the stroke, mostly off it."""
    if not rings:
        return mask
    band = _ring_band(mask.shape, rings, ARC_SLACK_PX)
    count, labels, stats, _ = cv2.connectedComponentsWithStats((mask > 0).astype(np.uint8), connectivity=8)
    on_band = np.bincount(labels[band > 0], minlength=count)
    arcs = [i for i in range(1, count) if on_band[i] >= ARC_SHARE * stats[i, cv2.CC_STAT_AREA]]
    if not arcs:
        return mask
    return np.where(np.isin(labels, arcs), 0, mask).astype(mask.dtype)


def without_seal_ink(crop: np.ndarray) -> np.ndarray:
    """The crop with coloured ink made paper: a seal (red or blue) stamped across a cell hides its
    digit from the recogniser, while table print is black or grey."""
    if crop.ndim != 3:
        return crop
    hsv = cv2.cvtColor(crop, cv2.COLOR_RGB2HSV)
    seal = (hsv[:, :, 1] >= SEAL_SATURATION) & (hsv[:, :, 2] >= SEAL_BRIGHTNESS)
    cleaned = crop.copy()
    cleaned[seal] = 255
    return cleaned
