import cv2
import numpy as np

from extraction.ingest.ocr import map_quad
from extraction.ingest.rectify import find_page_outline, rectification


def _photo(page: np.ndarray, corners: np.ndarray, size=(900, 1200)) -> tuple[np.ndarray, np.ndarray]:
    """The page seen at an angle on a dark table; returns the photo and page → photo homography."""
    h, w = page.shape[:2]
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), corners.astype(np.float32))
    return cv2.warpPerspective(page, matrix, size, borderValue=(60, 55, 50)), matrix


def _page() -> np.ndarray:
    page = np.full((1000, 700, 3), 245, np.uint8)
    for y in range(150, 800, 50):  # table rows
        cv2.line(page, (80, y), (620, y), (20, 20, 20), 2)
    cv2.rectangle(page, (300, 400), (340, 440), (0, 0, 0), -1)  # a mark to follow
    return page


def test_a_photographed_page_is_warped_back_and_points_map_home():
    corners = np.array([[70, 60], [820, 90], [850, 1150], [40, 1120]])
    photo, page_to_photo = _photo(_page(), corners)
    found = find_page_outline(cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY))
    assert found is not None and np.abs(found - corners).max() < 8
    rectified, photo_to_rectified = rectification(photo)
    # Rows run level again: each of the 13 ruled rows is dark across the page's middle in a few
    # pixel rows; and the background is cropped away.
    def level_rules(image):
        middle = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)[:, image.shape[1] * 3 // 10: image.shape[1] * 7 // 10]
        return np.count_nonzero((middle < 100).mean(axis=1) > 0.95)
    assert 13 <= level_rules(rectified) <= 3 * 13 + 6  # each rule a few px thick after the warp
    assert rectified[:5].mean() > 200 and rectified[-5:].mean() > 200
    # A box read in the rectified page maps back onto the mark in the photo.
    mark = np.array([320, 420, 1.0]) @ page_to_photo.T
    mark = mark[:2] / mark[2]
    back = np.linalg.inv(photo_to_rectified)
    centre_in_rectified = np.array([*mark, 1.0]) @ photo_to_rectified.T
    cx, cy = centre_in_rectified[:2] / centre_in_rectified[2]
    x0, y0, x1, y1 = map_quad([(cx - 5, cy - 5), (cx + 5, cy - 5), (cx + 5, cy + 5), (cx - 5, cy + 5)], back)
    assert abs((x0 + x1) / 2 - mark[0]) < 2 and abs((y0 + y1) / 2 - mark[1]) < 2


def test_a_flatbed_scan_is_left_alone():
    page = _page()
    image, matrix = rectification(page)
    assert image is page and np.array_equal(matrix, np.eye(3))
