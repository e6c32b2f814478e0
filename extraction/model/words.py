"""A document as the model's words: Chinese cut by jieba, numbers kept whole, each word with its
place in the locator's text stream and its layout.

Words are cut from the same `TextStream` the rule-based locator searches (`extraction/locate/stream.py`),
so both locators see one text for every input form, and a word's stream position leads back to its
token (page, box, offset, confidence). A glued digit run (`21710000218`) is one word: the decoder
splits it. A value's money unit (`697.449万元`) stays on it, as the decoder reads the unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.document import Document, Unit as PageUnit
from extraction.locate.stream import TextStream

# A digit run glued to the next label's numbering (`…秘密0000000` + `2.其他…`) ends before it, as
# in the rule-based locator; otherwise a number with sign word, thousands, decimals and money unit.
_NUMBER = re.compile(r"\d+(?=\d[.、．][^\d\s])|(?:[-+减增](?=\d))?\d[\d,]*(?:\.\d+)?(?:万元|元)?")
_TEXT_RUN = re.compile(r"(?:(?![-+减增]\d)[^\s\d])+")
NEUTRAL_BOX = (0, 0, 0, 0)  # text inputs have no geometry (LayoutLM's convention for "no box")
MAX_PAGE_TYPE = 15  # the page travels as token type id; later pages share the last id


@dataclass(frozen=True)
class Word:
    start: int  # in the stream's text
    end: int
    text: str  # as in the stream's half-width text
    is_number: bool
    box: tuple[int, int, int, int]  # scaled to 0–1000 of its page; NEUTRAL_BOX without geometry
    page_type: int  # 0 without geometry, else the page number clipped to MAX_PAGE_TYPE


def vocabulary_form(word: Word) -> str:
    """What the vocabulary holds for a word: numbers by shape (so every count maps to a known
    token), other words as they are."""
    if not word.is_number:
        return word.text
    digits = sum(ch.isdigit() for ch in word.text)
    if word.text.endswith("元"):
        return "[MONEY]"
    if "." in word.text:
        return "[DEC]"
    return f"[N{min(digits, 8)}]"


NUMBER_FORMS = ("[MONEY]", "[DEC]", *(f"[N{n}]" for n in range(1, 9)))


def _jieba_cut(text: str) -> list[tuple[str, int, int]]:
    import jieba  # the model stack; imported when words are first cut

    jieba.setLogLevel(60)
    return list(jieba.tokenize(text))


def _scaled_box(document: Document, stream: TextStream, position: int) -> tuple[tuple[int, int, int, int], int]:
    span = stream.span_at(position)
    if span is None or span.token.bbox is None:
        return NEUTRAL_BOX, 0
    page = next((p for p in document.pages if p.number == span.page), None)
    if page is None or page.unit is PageUnit.NONE or page.width <= 0 or page.height <= 0:
        return NEUTRAL_BOX, 0
    x0, y0, x1, y1 = span.token.bbox

    def scale(value: float, size: float) -> int:
        return max(0, min(1000, round(1000 * value / size)))

    return (scale(x0, page.width), scale(y0, page.height), scale(x1, page.width), scale(y1, page.height)), \
        min(span.page, MAX_PAGE_TYPE)


def words_of_stream(document: Document, stream: TextStream) -> list[Word]:
    words: list[Word] = []
    norm = stream.norm
    position = 0
    while position < len(norm):
        if norm[position].isspace():
            position += 1
            continue
        number = _NUMBER.match(norm, position)
        if number:
            box, page_type = _scaled_box(document, stream, number.start())
            words.append(Word(number.start(), number.end(), number.group(), True, box, page_type))
            position = number.end()
            continue
        run = _TEXT_RUN.match(norm, position)
        for piece, start, end in _jieba_cut(run.group()):
            if piece.strip():
                box, page_type = _scaled_box(document, stream, position + start)
                words.append(Word(position + start, position + end, piece, False, box, page_type))
        position = run.end()
    return words


def words_of_text(text: str) -> list[Word]:
    """The words of a bare text (no tokens behind it): for vocabularies and tests."""
    document = Document(source="", sha256="", media_type="text", text=text)
    return words_of_stream(document, TextStream(text, [], offsets_are_document_offsets=True))
