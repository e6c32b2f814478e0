"""Positioned tokens → lines in reading order (top to bottom, left to right)."""

from __future__ import annotations

import statistics

from extraction.document import Line, Token


def lines_in_reading_order(tokens: list[Token]) -> list[Line]:
    """Group tokens whose vertical centres lie within half a text height into one line."""
    placed = [t for t in tokens if t.bbox is not None]
    if not placed:
        return []
    height = statistics.median(t.bbox[3] - t.bbox[1] for t in placed) or 1.0
    placed.sort(key=lambda t: ((t.bbox[1] + t.bbox[3]) / 2, t.bbox[0]))
    lines: list[list[Token]] = []
    centre = None
    for token in placed:
        token_centre = (token.bbox[1] + token.bbox[3]) / 2
        if lines and abs(token_centre - centre) <= 0.5 * height:
            lines[-1].append(token)
            centre = sum((t.bbox[1] + t.bbox[3]) / 2 for t in lines[-1]) / len(lines[-1])
        else:
            lines.append([token])
            centre = token_centre
    return [Line(sorted(line, key=lambda t: t.bbox[0])) for line in lines]
