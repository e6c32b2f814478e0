"""How an archive copy of a printed page comes to look as it does: flatbed scan, photocopy, phone photo.

Each degradation is a frozen dataclass of the parameters one document was given (sampled per
document by `sample_*`, written to the manifest as they are). The geometry of every page is one
`PageWarp` — skew, perspective and page curl — which maps the image and the annotation boxes the
same way, so the boxes stay exact.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageWarp:
    """Page pixels → image pixels: a bend of the paper (page curl: a point moves down by
    `curl_px · (1 − (2x/W − 1)²)`, so rules bow and the page edges stay put), then a homography
    (skew rotation and camera perspective). Both steps invert exactly, so the image is resampled
    from the inverse and the boxes go through the forward map."""

    width: int  # page image size, before and after
    height: int
    homography: tuple[tuple[float, ...], ...]  # 3×3, row-major
    curl_px: float

    def _bend(self, x: np.ndarray) -> np.ndarray:
        return self.curl_px * (1 - (2 * x / self.width - 1) ** 2)

    def forward(self, points: np.ndarray) -> np.ndarray:
        """(N, 2) page points → (N, 2) image points."""
        bent = np.column_stack([points[:, 0], points[:, 1] + self._bend(points[:, 0])])
        return cv2.perspectiveTransform(bent[None].astype(np.float64), np.array(self.homography))[0]

    def warp(self, pixels: np.ndarray, border: float | tuple[float, ...]) -> np.ndarray:
        matrix = np.array(self.homography)
        if self.curl_px == 0:
            return cv2.warpPerspective(pixels, matrix, (self.width, self.height), flags=cv2.INTER_LINEAR,
                                       borderValue=border)
        u, v = np.meshgrid(np.arange(self.width, dtype=np.float32), np.arange(self.height, dtype=np.float32))
        flat = cv2.perspectiveTransform(np.stack([u, v], axis=-1).reshape(1, -1, 2), np.linalg.inv(matrix))[0]
        x = flat[:, 0].reshape(u.shape).astype(np.float32)
        y = (flat[:, 1].reshape(u.shape) - self._bend(flat[:, 0].reshape(u.shape))).astype(np.float32)
        return cv2.remap(pixels, x, y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border)

    def bbox(self, box: BBox) -> BBox:
        """The image box that covers a page box after the warp: its outline sampled densely (the
        curl bows straight edges), mapped, and rounded outwards to whole pixels."""
        x0, y0, x1, y1 = box
        steps = np.linspace(0.0, 1.0, 9)
        xs, ys = x0 + (x1 - x0) * steps, y0 + (y1 - y0) * steps
        outline = np.concatenate([np.column_stack([xs, np.full(9, y0)]), np.column_stack([xs, np.full(9, y1)]),
                                  np.column_stack([np.full(9, x0), ys]), np.column_stack([np.full(9, x1), ys])])
        mapped = self.forward(outline)
        return (float(math.floor(mapped[:, 0].min())), float(math.floor(mapped[:, 1].min())),
                float(math.ceil(mapped[:, 0].max())), float(math.ceil(mapped[:, 1].max())))


def page_warp(width: int, height: int, skew_degrees: float, corner_shift: tuple[float, ...] = (0.0,) * 8,
              curl_px: float = 0.0) -> PageWarp:
    """Rotate by `skew_degrees` about the centre, then move the four corners (top-left, top-right,
    bottom-right, bottom-left; x, y each) by `corner_shift` pixels: the camera's perspective."""
    rotation = np.vstack([cv2.getRotationMatrix2D((width / 2, height / 2), skew_degrees, 1.0), [0, 0, 1]])
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    moved = corners + np.array(corner_shift, dtype=np.float32).reshape(4, 2)
    perspective = cv2.getPerspectiveTransform(corners, moved).astype(np.float64)
    matrix = perspective @ rotation
    return PageWarp(width, height, tuple(tuple(float(v) for v in row) for row in matrix / matrix[2, 2]), curl_px)


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def _smooth_field(np_rng: np.random.Generator, shape: tuple[int, int], low: float, high: float, cells: int = 4) -> np.ndarray:
    """A slowly varying field over the page in [low, high] (light falling off, toner running thin)."""
    coarse = np_rng.uniform(low, high, (cells, cells)).astype(np.float32)
    return cv2.resize(coarse, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC).clip(low, high)


def _light_gradient(shape: tuple[int, int], corners: tuple[float, float, float, float]) -> np.ndarray:
    """Bilinear light over the page from its four corner levels (top-left, top-right, bottom-left, bottom-right)."""
    tl, tr, bl, br = corners
    gy = np.linspace(0.0, 1.0, shape[0], dtype=np.float32)[:, None]
    gx = np.linspace(0.0, 1.0, shape[1], dtype=np.float32)[None, :]
    return (tl * (1 - gx) * (1 - gy) + tr * gx * (1 - gy) + bl * (1 - gx) * gy + br * gx * gy).astype(np.float32)


@dataclass(frozen=True)
class Flatbed:
    """A flatbed scanner: the page lies flat, so only skew; light blur, sensor noise, a slightly
    uneven lamp, JPEG."""

    grey: bool
    blur_sigma: float
    noise_sigma: float
    light_corners: tuple[float, float, float, float]
    jpeg_quality: int

    name = "flatbed"

    @staticmethod
    def render_dpi(scan_dpi: int) -> int:
        return scan_dpi

    def page_warp(self, width: int, height: int, skew_degrees: float) -> PageWarp:
        return page_warp(width, height, skew_degrees)

    def apply(self, page: np.ndarray, warp: PageWarp, np_rng: np.random.Generator) -> Image.Image:
        pixels = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY).astype(np.float32) if self.grey else page.astype(np.float32)
        pixels = warp.warp(pixels, 255.0 if self.grey else (255.0, 255.0, 255.0))
        light = _light_gradient(pixels.shape[:2], self.light_corners)
        pixels = pixels * (light if self.grey else light[..., None])
        if self.blur_sigma > 0:
            pixels = cv2.GaussianBlur(pixels, (0, 0), self.blur_sigma)
        pixels = pixels + np_rng.normal(0, self.noise_sigma, pixels.shape).astype(np.float32)
        return _jpeg(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)), self.jpeg_quality)


def sample_flatbed(rng: random.Random) -> Flatbed:
    return Flatbed(grey=rng.random() < 0.6, blur_sigma=rng.uniform(0.3, 0.9), noise_sigma=rng.uniform(2, 7),
                   light_corners=tuple(round(rng.uniform(0.86, 1.0), 3) for _ in range(4)),
                   jpeg_quality=rng.randint(40, 80))


COPIER_DPI = 300  # the copier prints its copy at this resolution, well above any archive scan's
BILEVEL_SCAN_DPI = 200  # archives scan black-and-white (bilevel) from this resolution up, in grey below it


@dataclass(frozen=True)
class Photocopy:
    """A photocopy, then scanned by the archive. The copier binarises the page at its own resolution
    (`COPIER_DPI`): toner running thin in patches and grainy dot by dot (strokes and rules break
    where it is thin), strokes thickened by the toner. The archive then scans the copy at the scan's
    dpi: black-and-white at `BILEVEL_SCAN_DPI` and up (`scanner` None), else grey on a flatbed, whose
    pixels average the copy's toner dots. Toner specks and drum streaks are drawn at the scan's pixels,
    square to the image (the skew is the original's on the copier glass).

    Binarising at the scan's own 100–150 dpi instead (as this class did until 2026-11) erased a
    7.5 pt digit's antialiased strokes outright while the solid rules stayed: 139 of 200 value boxes of
    one real-dev-scan page held no ink at all, a page no person could read."""

    darkness: float  # the copier's darkness setting: ink gain before the threshold (thin strokes survive)
    threshold: int  # grey below this prints black
    fade_low: float  # the faintest patch keeps this share of the ink
    grain: float  # each toner dot loses up to this share of its ink: thin or faded strokes print broken
    thicken: bool  # strokes and rules a toner dot thicker
    speckle_share: float  # share of scan pixels that get a toner speck
    streaks: tuple[tuple[float, int, float], ...]  # (x share of the width, width px, darkness share of its length)
    scanner: Flatbed | None  # how the archive scanned the copy in grey; None: black-and-white

    name = "photocopy"

    @staticmethod
    def render_dpi(scan_dpi: int) -> int:
        return max(COPIER_DPI, scan_dpi)

    def page_warp(self, width: int, height: int, skew_degrees: float) -> PageWarp:
        return page_warp(width, height, skew_degrees)

    def apply(self, page: np.ndarray, warp: PageWarp, np_rng: np.random.Generator) -> Image.Image:
        """`page` at `render_dpi`, `warp` at the scan's size."""
        grey = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY).astype(np.float32)
        ink = np.minimum((255 - grey) * self.darkness, 255) * _smooth_field(np_rng, grey.shape, self.fade_low, 1.0, cells=6)
        ink *= 1.0 - self.grain * np_rng.random(grey.shape, dtype=np.float32)
        black = (255 - ink) < self.threshold
        if self.thicken:
            black = cv2.dilate(black.astype(np.uint8), np.ones((2, 2), np.uint8)).astype(bool)
        copy = cv2.resize(np.where(black, 0.0, 255.0).astype(np.float32), (warp.width, warp.height),
                          interpolation=cv2.INTER_AREA)
        # The original lay skewed on the copier's glass; the copy goes through the scanner's feeder
        # straight, so drum streaks and specks are square to the image while the page's content is not.
        copy = warp.warp(copy, 255.0)
        specks = np_rng.random(copy.shape) < self.speckle_share
        copy[cv2.dilate(specks.astype(np.uint8), np.ones((2, 2), np.uint8)).astype(bool)] = 0
        for x_share, width, darkness in self.streaks:
            x = round(x_share * copy.shape[1])
            column = np_rng.random(copy.shape[0]) < darkness
            copy[column, x:x + width] = 0
        if self.scanner is None:
            return Image.fromarray(np.where(copy < 128, 0, 255).astype(np.uint8)).convert("1")
        straight = page_warp(warp.width, warp.height, 0.0)
        copy_rgb = np.repeat(np.clip(copy, 0, 255).astype(np.uint8)[..., None], 3, axis=2)
        return self.scanner.apply(copy_rgb, straight, np_rng)


def sample_photocopy(rng: random.Random, scan_dpi: int) -> Photocopy:
    streaks = tuple((round(rng.random(), 4), rng.randint(1, 3), round(rng.uniform(0.2, 0.9), 2))
                    for _ in range(rng.choice([0, 0, 1, 2, 3])))
    return Photocopy(darkness=round(rng.uniform(1.4, 2.4), 2), threshold=rng.randint(150, 200), fade_low=round(rng.uniform(0.55, 0.9), 3),
                     grain=round(rng.uniform(0.1, 0.45), 3), thicken=rng.random() < 0.3,
                     speckle_share=round(rng.uniform(0.00003, 0.0003), 6), streaks=streaks,
                     scanner=None if scan_dpi >= BILEVEL_SCAN_DPI else sample_flatbed(rng))


@dataclass(frozen=True)
class PhonePhoto:
    """A phone photo of the page on a desk: perspective, slight page curl, the desk around the
    page, uneven light with a shadow falling across, a colour cast, defocus, noise, JPEG."""

    corner_shift: tuple[float, ...]  # per corner (x, y), as shares of the page's width and height
    curl: float  # the bulge of the page's middle, as a share of its height
    desk: tuple[int, int, int]
    light_corners: tuple[float, float, float, float]
    shadow: tuple[float, float, float]  # (centre x share, width share, darkness) of a soft vertical shadow
    cast: tuple[float, float, float]  # RGB gains
    blur_sigma: float
    noise_sigma: float
    jpeg_quality: int

    name = "photo"

    @staticmethod
    def render_dpi(scan_dpi: int) -> int:
        return scan_dpi

    def page_warp(self, width: int, height: int, skew_degrees: float) -> PageWarp:
        shift = tuple(v * (width if i % 2 == 0 else height) for i, v in enumerate(self.corner_shift))
        return page_warp(width, height, skew_degrees, shift, self.curl * height)

    def apply(self, page: np.ndarray, warp: PageWarp, np_rng: np.random.Generator) -> Image.Image:
        pixels = warp.warp(page.astype(np.float32), tuple(float(c) for c in self.desk))
        height, width = pixels.shape[:2]
        light = _light_gradient((height, width), self.light_corners)
        centre, spread, darkness = self.shadow
        xs = np.arange(width, dtype=np.float32) / width
        light = light * (1 - darkness * np.exp(-((xs - centre) / spread) ** 2))[None, :]
        pixels = pixels * light[..., None] * np.array(self.cast, dtype=np.float32)
        pixels = cv2.GaussianBlur(pixels, (0, 0), self.blur_sigma)
        pixels = pixels + np_rng.normal(0, self.noise_sigma, pixels.shape).astype(np.float32)
        return _jpeg(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)), self.jpeg_quality)


def sample_photo(rng: random.Random) -> PhonePhoto:
    # Corners move inwards by 1–4 % of the page (the desk shows round the page), unequally: perspective.
    shifts = []
    for sx, sy in ((1, 1), (-1, 1), (-1, -1), (1, -1)):
        shifts += [round(sx * rng.uniform(0.01, 0.04), 4), round(sy * rng.uniform(0.01, 0.04), 4)]
    return PhonePhoto(
        corner_shift=tuple(shifts), curl=round(rng.uniform(0.002, 0.008), 4),
        desk=(rng.randint(60, 140), rng.randint(50, 120), rng.randint(40, 100)),
        light_corners=tuple(round(rng.uniform(0.72, 1.0), 3) for _ in range(4)),
        shadow=(round(rng.uniform(0.0, 1.0), 3), round(rng.uniform(0.08, 0.3), 3), round(rng.uniform(0.1, 0.35), 3)),
        cast=(1.0, round(rng.uniform(0.93, 1.0), 3), round(rng.uniform(0.82, 0.97), 3)),
        blur_sigma=round(rng.uniform(0.5, 1.1), 2), noise_sigma=round(rng.uniform(3, 8), 2), jpeg_quality=rng.randint(55, 85))


Degradation = Flatbed | Photocopy | PhonePhoto
