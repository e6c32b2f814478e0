import cv2
import numpy as np

from extraction.decode.readings import UNREAD
from extraction.document import Token
from extraction.ingest.grid import PageTables
from extraction.ingest.sure_glyphs import MATCHED_CONFIDENCE, glyph_in, lone_glyphs, read_by_sure_glyphs

CELL = 16  # px between glyphs on the test page


def _page(digits: str) -> tuple[np.ndarray, list[tuple[float, float, float, float]]]:
    """A grey page printing one small blurred digit per cell (~8 px tall, as 7.5 pt at 100 dpi)."""
    big = np.full((60, 40 * len(digits)), 235, np.uint8)
    for n, digit in enumerate(digits):
        cv2.putText(big, digit, (40 * n + 10, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 60, 3)
    small = cv2.GaussianBlur(cv2.resize(big, None, fx=0.4, fy=0.4, interpolation=cv2.INTER_AREA), (0, 0), 0.6)
    return small, [(CELL * n + 3.0, 4.0, CELL * n + 14.0, 20.0) for n in range(len(digits))]


def _read(digits: str, readings: list[tuple[str, float]]) -> tuple[int, list[Token]]:
    gray, boxes = _page(digits)
    tokens = [Token(text, bbox=box, confidence=score) for (text, score), box in zip(readings, boxes)]
    page = PageTables([], (gray.shape[1], gray.shape[0]), tokens, boxes, read_by_ocr=True,
                      lone_glyphs=lone_glyphs(tokens, boxes, gray))
    return read_by_sure_glyphs([page]), tokens


def test_misread_zeros_are_read_by_the_documents_sure_ones():
    sure_zeros = [("0", 0.99)] * 10
    changed, tokens = _read("0" * 10 + "000", sure_zeros + [("8", 0.99), (UNREAD, 0.5), ("。", 0.7)])
    assert changed == 3
    assert [t.text for t in tokens[10:]] == ["0", "0", "0"]
    assert all(t.confidence == MATCHED_CONFIDENCE for t in tokens[10:])


def test_another_digit_is_not_taken_for_a_zero_and_a_one_is_read_by_the_sure_ones():
    readings = [("0", 0.99)] * 10 + [("8", 0.8), ("1", 0.95), ("1", 0.95), ("7", 0.6)]
    changed, tokens = _read("0" * 10 + "8111", readings)
    assert [t.text for t in tokens[10:]] == ["8", "1", "1", "1"]
    assert changed == 1 and tokens[13].confidence == MATCHED_CONFIDENCE


def test_a_sure_digit_the_document_has_no_picture_of_is_left_as_read():
    # A lone `4` read surely (the form prints few 4s): two 1s' picture is no ground to call it a 1.
    readings = [("0", 0.99)] * 10 + [("1", 0.95), ("1", 0.95), ("4", 0.99), ("4", 0.6)]
    changed, tokens = _read("0" * 10 + "1111", readings)
    assert [t.text for t in tokens[12:]] == ["4", "1"]  # an unsure one still is
    assert changed == 1


def test_too_few_sure_zeros_change_nothing():
    changed, tokens = _read("0000", [("0", 0.99)] * 3 + [("8", 0.6)])
    assert changed == 0 and tokens[3].text == "8"


def test_text_and_dashes_are_left_alone():
    readings = [("0", 0.99)] * 10 + [("日", 0.6), ("一", 0.6)]
    changed, tokens = _read("0" * 12, readings)
    assert changed == 0 and [t.text for t in tokens[10:]] == ["日", "一"]


def test_a_glyph_is_measured_without_the_cell_rule_beside_it():
    gray, boxes = _page("0")
    alone = glyph_in(gray, boxes[0])
    gray[:, 1] = 0  # a black rule in the margin round the box
    beside_a_rule = glyph_in(gray, boxes[0])
    assert alone is not None and beside_a_rule is not None
    assert (beside_a_rule.height, beside_a_rule.width) == (alone.height, alone.width)
    assert float(alone.picture @ beside_a_rule.picture) > 0.99


def test_a_speck_beside_a_glyph_is_not_part_of_it():
    gray, boxes = _page("0")
    alone = glyph_in(gray, boxes[0])
    gray[18, 12] = 60  # a copier's speck by the 0's foot, inside its box
    with_speck = glyph_in(gray, boxes[0])
    assert alone is not None and with_speck is not None
    assert (with_speck.height, with_speck.width) == (alone.height, alone.width)


def test_one_digit_read_where_the_ink_is_two_digits_wide_is_doubted():
    # `11` read `1` surely: the ink is twice a 1's width, so the decoder may read a digit more.
    big = np.full((60, 40 * 14), 235, np.uint8)
    for n in range(10):
        cv2.putText(big, "0", (40 * n + 10, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 60, 3)
    for n in (10, 11):
        cv2.putText(big, "1", (40 * n + 10, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 60, 3)
    cv2.putText(big, "11", (40 * 12 + 2, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 60, 3)
    gray = cv2.GaussianBlur(cv2.resize(big, None, fx=0.4, fy=0.4, interpolation=cv2.INTER_AREA), (0, 0), 0.6)
    boxes = [(CELL * n + 3.0, 4.0, CELL * n + 14.0, 20.0) for n in range(12)]
    boxes.append((CELL * 12, 4.0, CELL * 12 + 20.0, 20.0))  # the `11`
    tokens = [Token("0", bbox=b, confidence=0.99) for b in boxes[:10]] + \
        [Token("1", bbox=b, confidence=0.99) for b in boxes[10:]]
    page = PageTables([], (gray.shape[1], gray.shape[0]), tokens, boxes, read_by_ocr=True,
                      lone_glyphs=lone_glyphs(tokens, boxes, gray))
    assert read_by_sure_glyphs([page]) == 0
    assert [t.confidence for t in tokens[10:]] == [0.99, 0.99, MATCHED_CONFIDENCE]
    assert tokens[12].text == "1"
