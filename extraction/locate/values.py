"""What a value looks like in the locator's stream: a number-like run, a whole OCR token of digits and
the letters OCR prints for them, and the specks OCR reads beside a value that are none."""

from __future__ import annotations

import re

from extraction.decode.readings import LETTER_DIGITS, LONE_LOOK_ALIKES, SPECK_MARKS, UNREAD, stands_for_digits
from extraction.document import GridPosition
from extraction.locate.stream import Span, TextStream

# A value: a number (sign, thousands, decimals, money unit) or a none-mark standing alone. Not one:
# a label's numbering (`2.其他…`, `3、`) or a count of something (`2019年`, `3件`).
VALUE_RUN = re.compile(r"(?:[-+减增]?\d[\d,]*(?:\.\d+)?(?![\d,]|\.\d)(?:万元|元)?(?![.、．]\D|[年月日件条项个次])"
                       r"|(?:无|—|/)(?=[\s|]|$))")
# An OCR token in a value position made of digits and the letters OCR prints for digits (`o`, `。`,
# `l2`): a value the decoder reads as digits. The whole token must be such, so labels never are.
_LOOK_ALIKES = re.escape("".join(LETTER_DIGITS) + UNREAD)  # OCR's letters for digits, and the unread mark
# A speck may lie beside it (`o.`, `o :`, `.o`, `…o`): the decoder reads it away.
_SPECKS = re.escape(SPECK_MARKS)
_LOOK_ALIKE_RUN = re.compile(rf"(?:[{_SPECKS}]\s*)?[\d{_LOOK_ALIKES}][\d{_LOOK_ALIKES}.,]*(?:\s*[{_SPECKS}]+)?|"
                             + "|".join(map(re.escape, LONE_LOOK_ALIKES)))
MAX_SPECK_CHARS = 2  # a mark this short in a grid cell that already gave a value is a speck


def look_alike_run(norm: str, position: int, token_end: int) -> re.Match | None:
    """A whole OCR token of digits and digit look-alikes with at least one look-alike (`o`, `1l`), or
    the unread mark a cell read alone left."""
    match = _LOOK_ALIKE_RUN.match(norm, position, token_end)
    if match and match.end() == token_end and stands_for_digits(match.group()):
        return match
    return None


def value_run(stream: TextStream, position: int, limit: int) -> re.Match | None:
    """A value at `position`: a number-like run, or — on an OCR token, up to `limit` — a whole token of
    digits and the letters OCR prints for them."""
    match = VALUE_RUN.match(stream.norm, position)
    if match is None:
        span = stream.span_at(position)
        if span is not None and span.ocr:
            match = look_alike_run(stream.norm, position, min(span.end, limit))
    return match


def is_short_mark_in(span: Span | None, grid: GridPosition | None) -> bool:
    """Whether an OCR token is a mark of a few characters in the grid cell `grid`."""
    return (span is not None and span.ocr and grid is not None and span.token.grid == grid
            and len(span.token.text) <= MAX_SPECK_CHARS)


def is_speck_beside(span: Span | None, grid: GridPosition | None) -> bool:
    """Whether an OCR token is a speck read beside the value of its grid cell (`0 i-`): a short mark
    without a digit (`1J` beside `II` is a cell the copy merged with it)."""
    return is_short_mark_in(span, grid) and not re.search(r"\d", span.token.text)


def is_speck(stream: TextStream, value: tuple[int, int], piece: tuple[int, int]) -> bool:
    """Whether a line's piece is a speck beside the value piece before it."""
    value_span, span = stream.span_at(value[0]), stream.span_at(piece[0])
    return (value_span is not None and span is not None and span.token is not value_span.token
            and is_speck_beside(span, value_span.token.grid) and not is_value_piece(stream, *piece)
            and is_value_piece(stream, *value))


def is_value_piece(stream: TextStream, start: int, end: int) -> bool:
    match = value_run(stream, start, end)
    return match is not None and match.end() == end
