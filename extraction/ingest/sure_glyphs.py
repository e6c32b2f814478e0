"""A document's unsure lone digits read by the ones it read surely.

At 7.5 pt and 100 dpi, blurred, a `0` is a grey oval a few pixels across: the recogniser reads it
`0` in one cell and `8`, `6`, `。`, `e` or nothing at all in the next, and a `1` as `3`. The
identities repair a few such cells, not dozens. But one scan prints every table in one face and
size, and the recogniser is sure of a good share of its lone digits (most cells of the form print
0): their glyphs are the document's own pictures of its digits. A lone reading whose glyph has one
digit's size and matches its picture clearly better than any other digit's is that digit — an
unsure one, or a sure one a blur fooled (PP-OCR reads a blurred 0 `8` at 0.99).
A 6, 8 or 9 of the same face matches the 0 less well (its loop or waist darkens another part of
the oval); a wider glyph is two digits and fits no picture.

Only what the document itself shows is used: too few zeros read surely, or sure zeros that are not
one glyph (a photocopy's specks and broken strokes), and nothing is changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extraction.decode.readings import DASH_LIKE, UNREAD
from extraction.document import Token
from extraction.ingest.grid import PageTables
from extraction.ingest.reading_order import Box

SURE_CONFIDENCE = 0.9  # a lone digit read this surely is that digit
MIN_SURE_ZEROS = 8  # fewer, and the 0's picture is one glyph's accidents
MIN_SURE_OTHERS = 2  # sure readings another digit needs for a picture (they are few: most cells print 0)
# A glyph's match to its digit's picture. Over both scan benchmarks' lone glyphs, no 6, 8 or 9
# matched the 0 this well but one blurred 6 at 100 dpi (0.91) no person could tell from a 0 either.
MIN_MATCH = 0.85
MIN_COHERENCE = MIN_MATCH  # the sure zeros' median match to their own picture
LEAD = 0.05  # the best digit's match over the next best's, among the digits of the glyph's size
SIZE_TOLERANCE = 0.2  # a glyph's ink height and width within this share of the digit's median
MAX_READING_CHARS = 2  # a 0 read `10`, `i0`, `8`, `。`: longer readings are counts
MATCHED_CONFIDENCE = 0.9  # a glyph matched, not recognised: the identities may still want another digit
WIDER = 1.6  # times its digit's width: ink this wide read as one digit holds another
# px (width, height) every glyph is stretched to: a 7.5 pt 0 scanned at 100 dpi, rendered at 150, is ~8 × 9
PICTURE_SIZE = (10, 14)
MIN_CONTRAST = 20  # grey levels between paper and the darkest pixel: less is paper grain
INK_SHARE = 0.5  # of the way from paper to the glyph's darkest pixel: darker is ink
CONTEXT = 0.4  # of the box's height, added round it: OCR boxes cut into a glyph's edge
SPECK_SHARE = 0.1  # of the biggest blob's box area: a smaller blob is a speck (`.b`, `o.`), not a stroke


@dataclass(frozen=True)
class Glyph:
    picture: np.ndarray  # PICTURE_SIZE grey values, zero mean, unit norm
    height: float  # px of ink
    width: float


def glyph_in(gray: np.ndarray, box: Box) -> Glyph | None:
    """The ink of the glyph a box holds: the dark blobs centred inside it (a cell rule or the next
    cell's print reaches into the margin round the box, not its middle) but specks, stretched to one size."""
    x0, y0, x1, y1 = box
    margin = CONTEXT * (y1 - y0)
    left, top = max(0, int(x0 - margin)), max(0, int(y0 - margin))
    right, bottom = min(gray.shape[1], int(np.ceil(x1 + margin))), min(gray.shape[0], int(np.ceil(y1 + margin)))
    crop = gray[top:bottom, left:right]
    inside = gray[max(0, int(y0)):int(np.ceil(y1)), max(0, int(x0)):int(np.ceil(x1))]
    if crop.size == 0 or inside.size == 0:
        return None
    # The glyph's own darkest pixel sets its ink: a black rule in the margin would shrink a grey 0.
    paper, darkest = float(np.percentile(crop, 90)), float(inside.min())
    if paper - darkest < MIN_CONTRAST:
        return None
    ink = (crop < paper - INK_SHARE * (paper - darkest)).astype(np.uint8)
    count, _, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height, width = ink.shape
    kept = [(x, y, w, h) for (x, y, w, h, _), (cx, cy) in zip(stats[1:count], centroids[1:count])
            if x0 <= cx + left <= x1 and y0 <= cy + top <= y1  # centred in the box
            and x > 0 and y > 0 and x + w < width and y + h < height]  # a rule runs on past the margin
    if not kept:
        return None
    biggest = max(w * h for _, _, w, h in kept)
    kept = [(x, y, w, h) for x, y, w, h in kept if w * h >= SPECK_SHARE * biggest]  # a copier's speck beside the glyph
    gx0, gy0 = min(x for x, _, _, _ in kept), min(y for _, y, _, _ in kept)
    gx1, gy1 = max(x + w for x, _, w, _ in kept), max(y + h for _, y, _, h in kept)
    picture = cv2.resize(crop[gy0:gy1, gx0:gx1].astype(np.float32), PICTURE_SIZE, interpolation=cv2.INTER_AREA).ravel()
    picture -= picture.mean()
    norm = float(np.linalg.norm(picture))
    if norm == 0:
        return None
    return Glyph(picture / norm, float(gy1 - gy0), float(gx1 - gx0))


@dataclass(frozen=True)
class DigitPicture:
    """What one digit looks like in a document: its sure glyphs' mean picture and median size."""
    digit: str
    picture: np.ndarray
    height: float
    width: float

    @classmethod
    def of(cls, digit: str, glyphs: list[Glyph]) -> DigitPicture:
        mean = np.array([g.picture for g in glyphs]).mean(axis=0)
        return cls(digit, mean / np.linalg.norm(mean), float(np.median([g.height for g in glyphs])),
                   float(np.median([g.width for g in glyphs])))

    def match(self, glyph: Glyph) -> float:
        return float(glyph.picture @ self.picture)

    def fits(self, glyph: Glyph) -> bool:
        """Whether the glyph has this digit's size (pictures are stretched to one size: a `1` and
        a `0` differ by width before they do by shape)."""
        return (abs(glyph.height - self.height) <= SIZE_TOLERANCE * self.height
                and abs(glyph.width - self.width) <= SIZE_TOLERANCE * max(self.width, self.height / 2))


def digit_pictures(sure: dict[str, list[Glyph]]) -> list[DigitPicture]:
    """The document's digit pictures from its surely read lone digits; none where its zeros are too
    few or not one glyph. A digit whose sure readings picture the 0 is zeros misread surely (an `8`
    at 0.99): it gets no picture."""
    zeros = sure.get("0", [])
    if len(zeros) < MIN_SURE_ZEROS:
        return []
    zero = DigitPicture.of("0", zeros)
    if float(np.median([zero.match(g) for g in zeros])) < MIN_COHERENCE:
        return []
    others = [DigitPicture.of(digit, glyphs) for digit, glyphs in sure.items()
              if digit != "0" and len(glyphs) >= MIN_SURE_OTHERS]
    return [zero] + [other for other in others if float(other.picture @ zero.picture) < MIN_MATCH]


def digit_of(glyph: Glyph, pictures: list[DigitPicture]) -> str | None:
    """The digit whose picture the glyph has the size of and matches, clearly best; else None."""
    matches = sorted(((picture.match(glyph), picture.digit) for picture in pictures if picture.fits(glyph)),
                     reverse=True)
    if not matches or matches[0][0] < MIN_MATCH or (len(matches) > 1 and matches[0][0] - matches[1][0] < LEAD):
        return None
    return matches[0][1]


def _is_sure_digit(token: Token) -> bool:
    return len(token.text) == 1 and token.text.isdigit() and token.confidence >= SURE_CONFIDENCE


def _may_be_misread(token: Token) -> bool:
    """A reading a small blurred digit gets: the unread mark, or a mark, a letter or a digit or two,
    even read surely (PP-OCR reads a blurred 0 `8` at 0.99); a dash is a blank cell's, a CJK glyph is text."""
    text = token.text.strip()
    return text == UNREAD or (0 < len(text) <= MAX_READING_CHARS
                              and not any(ch in DASH_LIKE or "\u4e00" <= ch <= "\u9fff" for ch in text))


def lone_glyphs(tokens: list[Token], boxes: list[Box], gray: np.ndarray) -> dict[int, Glyph]:
    """The glyphs of a page's lone digits read surely and of its readings that may be misread
    digits, by token index; `boxes` are the tokens' boxes in `gray`, the image they were read from."""
    glyphs = {}
    for i, (token, box) in enumerate(zip(tokens, boxes)):
        if _may_be_misread(token):  # a sure lone digit among them
            glyph = glyph_in(gray, box)
            if glyph is not None:
                glyphs[i] = glyph
    return glyphs


def read_by_sure_glyphs(pages: list[PageTables]) -> int:
    """Unsure lone digits read again by the document's sure ones (in place); how many changed. The
    whole document's pages are pooled: a page of table 四 alone has too few sure zeros."""
    sure: dict[str, list[Glyph]] = {}
    for page in pages:
        for i, glyph in page.lone_glyphs.items():
            if _is_sure_digit(page.tokens[i]):
                sure.setdefault(page.tokens[i].text, []).append(glyph)
    pictures = digit_pictures(sure)
    if not pictures:
        return 0
    pictured = {picture.digit for picture in pictures}
    changed = 0
    for page in pages:
        for i, glyph in page.lone_glyphs.items():  # only readings that may be misread have a glyph
            token = page.tokens[i]
            digit = digit_of(glyph, pictures)
            if digit not in (None, "0") and _is_sure_digit(token) and token.text not in pictured:
                # A digit read surely that the document has no picture of (a lone sure `4`) cannot be
                # told from another's picture of a few glyphs; the 0's, of many, tells a blurred 0 read `8`.
                continue
            if digit is not None and digit != token.text:
                token.text, token.confidence, token.char_confidences = digit, MATCHED_CONFIDENCE, None
                changed += 1
            elif digit is None and _wider_than_its_digit(token, glyph, pictures):
                # One digit read where the ink is wider (an `11` read `1`): the decoder may read a digit more.
                token.confidence, token.char_confidences = min(token.confidence, MATCHED_CONFIDENCE), None
    return changed


def _wider_than_its_digit(token: Token, glyph: Glyph, pictures: list[DigitPicture]) -> bool:
    own = [picture for picture in pictures if picture.digit == token.text]
    return bool(own) and glyph.width > WIDER * own[0].width \
        and abs(glyph.height - own[0].height) <= SIZE_TOLERANCE * own[0].height
