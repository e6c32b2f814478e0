"""A copier's drum streaks: thin dark lines down the whole page image, square to it (the original lay
skewed on the copier's glass, the copy went through the scanner straight). OCR reads a streak
crossing a cell's `0` as `φ.` or `bi`, and the grid takes it for a column rule that joins two tables.

A streak is found by where it prints: through the top and the bottom margin, where no table rule
reaches, in the same few pixel columns. It is then painted over with what lies beside it, left and
right, so the digits it crosses are whole again for OCR and the grid sees no rule.
"""

from __future__ import annotations

import numpy as np

MARGIN_BAND = 0.05  # of the page's height: the top and the bottom band a streak runs through
MIN_SHARE = 0.15  # of the rows of each band, and of the page, a streak darkens (a dotted one a fifth)
DARKER_BY = 40  # grey levels a streak's pixel is below the pixels on both sides of it
MAX_WIDTH_MM = 0.7  # a streak is this thin; the pixels just beyond it are its sides


def find_streaks(gray: np.ndarray, px_per_mm: float) -> list[tuple[int, int]]:
    """The column ranges [x0, x1) of the streaks down a grey page image."""
    height, width = gray.shape
    max_width = max(2, round(MAX_WIDTH_MM * px_per_mm))
    side = max_width + 1
    if width <= 2 * side or height < 20:
        return []
    g = gray.astype(np.int16)
    beside = np.minimum(g[:, :-2 * side], g[:, 2 * side:])
    dark = np.zeros(g.shape, dtype=bool)
    dark[:, side:width - side] = beside - g[:, side:width - side] > DARKER_BY
    band = max(1, int(height * MARGIN_BAND))
    streak = (dark[:band].mean(axis=0) >= MIN_SHARE) & (dark[height - band:].mean(axis=0) >= MIN_SHARE) \
        & (dark.mean(axis=0) >= MIN_SHARE)
    runs, start = [], None
    for x, on in enumerate(np.append(streak, False)):
        if on and start is None:
            start = x
        elif not on and start is not None:
            if x - start <= 2 * max_width:  # wider is no streak (a dark border, a fold)
                runs.append((start, x))
            start = None
    return runs


def without_streaks(image: np.ndarray, streaks: list[tuple[int, int]]) -> np.ndarray:
    """The image with each streak's columns lightened to the straight blend of the pixels beside it
    (never darkened: a glyph's stroke beside the streak stays as it was)."""
    if not streaks:
        return image
    cleaned = image.copy()
    width = image.shape[1]
    for x0, x1 in streaks:
        left, right = max(0, x0 - 2), min(width - 1, x1 + 1)
        a, b = image[:, left].astype(np.float32), image[:, right].astype(np.float32)
        for x in range(x0, x1):
            t = (x - left) / max(1, right - left)
            blend = (a * (1 - t) + b * t).round().astype(image.dtype)
            cleaned[:, x] = np.maximum(image[:, x], blend)
    return cleaned
