"""Page rectification: a photographed page, seen at an angle against a darker background, warped
back to an upright rectangle before it is read.

A phone photo keeps the page's edges: the paper is the largest bright region, and its outline
is a quadrilateral. Mapping that quadrilateral onto a rectangle removes the perspective (a
table's rows run level again, its columns upright), which deskewing alone cannot. A flatbed
scan or a page filling the whole frame shows no such outline and is left as it is.
"""

from __future__ import annotations

import cv2
import numpy as np

WORK_SIDE = 800  # px: the outline is found on a copy this large
MIN_PAGE_SHARE = 0.4  # of the frame the page must fill to be taken for the page
MAX_PAGE_SHARE = 0.97  # above this the frame shows (almost) no background: nothing to rectify
MAX_CORNER_INSET = 0.2  # of the frame's side: a page's corner lies near the frame's
BACKGROUND_DARKER = 0.8  # the background around a photographed page is this much darker at most
MIN_CONTRAST = 40  # grey levels between background and paper for an outline to be seen at all


def _ordered(corners: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    by_sum = corners.sum(axis=1)
    by_diff = np.diff(corners, axis=1).ravel()
    return np.array([corners[np.argmin(by_sum)], corners[np.argmin(by_diff)],
                     corners[np.argmax(by_sum)], corners[np.argmax(by_diff)]], dtype=np.float32)


def find_page_outline(gray: np.ndarray) -> np.ndarray | None:
    """The page's four corners (tl, tr, br, bl) in image pixels, where a darker background frames it."""
    scale = WORK_SIDE / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    scale = min(scale, 1.0)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    # Paper against background: the frame's outermost pixels are background, the brightest tenth
    # is paper; halfway between splits them even where a shadow darkens part of the page (a
    # threshold fitted to the whole histogram, like Otsu's, cuts the shadowed side away).
    border = np.concatenate([blurred[:4].ravel(), blurred[-4:].ravel(), blurred[:, :4].ravel(), blurred[:, -4:].ravel()])
    background, paper_level = float(np.median(border)), float(np.percentile(blurred, 90))
    if paper_level - background < MIN_CONTRAST:
        return None
    _, paper = cv2.threshold(blurred, (background + paper_level) / 2, 255, cv2.THRESH_BINARY)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(outline) / (small.shape[0] * small.shape[1])
    if not MIN_PAGE_SHARE <= share <= MAX_PAGE_SHARE:
        return None
    hull = cv2.convexHull(outline)
    corners = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(corners) != 4:
        return None
    corners = _ordered(corners.reshape(4, 2).astype(np.float32))
    height, width = small.shape
    frame = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    if np.abs(corners - frame).max() > MAX_CORNER_INSET * max(width, height):
        return None  # a shape inside the page (a table, a seal), not the page's own edge
    inside = np.zeros_like(small)
    cv2.fillConvexPoly(inside, corners.astype(np.int32), 255)
    if small[inside == 0].mean() > BACKGROUND_DARKER * small[inside > 0].mean():
        return None  # what lies outside is no darker: page margin, not background
    return corners / scale


def rectification(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The page warped upright, cropped to its outline, and the 3×3 homography original pixel →
    rectified pixel (the image itself and the identity where no page outline is seen)."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    corners = find_page_outline(gray)
    if corners is None:
        return image, np.eye(3)
    top, bottom = np.linalg.norm(corners[1] - corners[0]), np.linalg.norm(corners[2] - corners[3])
    left, right = np.linalg.norm(corners[3] - corners[0]), np.linalg.norm(corners[2] - corners[1])
    target_w, target_h = int(round(max(top, bottom))), int(round(max(left, right)))
    target = np.array([[0, 0], [target_w - 1, 0], [target_w - 1, target_h - 1], [0, target_h - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    warped = cv2.warpPerspective(image, matrix, (target_w, target_h), flags=cv2.INTER_LINEAR,
                                 borderValue=(255, 255, 255) if image.ndim == 3 else 255)
    return warped, matrix.astype(np.float64)
