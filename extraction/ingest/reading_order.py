"""Positioned tokens → lines in reading order (top to bottom, left to right)."""

from __future__ import annotations

import statistics

from extraction.document import Line, Token

Box = tuple[float, float, float, float]


def _under(a: Box, b: Box) -> bool:
    """The boxes share most of the narrower one's width: one stands above the other, not beside."""
    overlap = min(a[2], b[2]) - max(a[0], b[0])
    return overlap > 0.5 * min(a[2] - a[0], b[2] - b[0])


def group_lines(boxes: list[Box]) -> list[list[int]]:
    """Indices of boxes grouped into lines, top to bottom, each left to right: boxes whose vertical
    centres lie within half a text height of the line's running centre share a line, unless a box
    lies under one already on it (a label wrapped in its cell, beside values centred on the row)."""
    if not boxes:
        return []
    height = statistics.median(b[3] - b[1] for b in boxes) or 1.0
    order = sorted(range(len(boxes)), key=lambda i: ((boxes[i][1] + boxes[i][3]) / 2, boxes[i][0]))
    lines: list[list[int]] = []
    centre = 0.0
    for i in order:
        box_centre = (boxes[i][1] + boxes[i][3]) / 2
        if lines and abs(box_centre - centre) <= 0.5 * height and not any(_under(boxes[i], boxes[j]) for j in lines[-1]):
            lines[-1].append(i)
            centre = sum((boxes[j][1] + boxes[j][3]) / 2 for j in lines[-1]) / len(lines[-1])
        else:
            lines.append([i])
            centre = box_centre
    return [sorted(line, key=lambda i: boxes[i][0]) for line in lines]


def lines_in_reading_order(tokens: list[Token], boxes: list[Box] | None = None) -> list[Line]:
    """Tokens grouped into lines. `boxes` (one per token) are where to judge the order when the
    tokens' own boxes are not upright: a scan's tokens keep boxes in the skewed page image, while
    its lines run level only in the straightened image it was read from."""
    if boxes is None:
        placed = [t for t in tokens if t.bbox is not None]
        boxes = [t.bbox for t in placed]
    else:
        placed = tokens
    return [Line([placed[i] for i in line]) for line in group_lines(boxes)]
