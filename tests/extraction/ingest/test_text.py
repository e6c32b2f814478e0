import pytest

from extraction.ingest.errors import IngestError, IngestErrorCode
from extraction.ingest.text import decode_text, ingest_text, text_to_lines

SAMPLE = "三、收到和处理政府信息公开申请情况\n一、本年新收\t２４\t0\t|\t25\n"


@pytest.mark.parametrize("encoding, data", [
    ("utf-8", SAMPLE.encode("utf-8")),
    ("utf-8-sig", SAMPLE.encode("utf-8-sig")),
    ("utf-16", SAMPLE.encode("utf-16")),
    ("gb18030", SAMPLE.encode("gbk")),
])
def test_encodings_decode_to_the_same_text(encoding, data):
    text, detected = decode_text(data)
    assert text == SAMPLE
    assert detected == encoding


def test_tokens_are_normalised_and_offsets_point_into_the_decoded_text():
    document = ingest_text("x.txt", "0" * 64, SAMPLE.encode("gbk"))
    tokens = document.tokens
    assert [t.text for t in tokens] == ["三、收到和处理政府信息公开申请情况", "一、本年新收", "24", "0", "25"]
    full_width = tokens[2]
    assert document.text[full_width.offset:full_width.offset + 2] == "２４"
    for token in tokens:
        assert document.text[token.offset:token.offset + len(token.text)].translate(
            str.maketrans("２４", "24")) == token.text


def test_separators_include_odd_spaces_pipes_and_markdown_bold():
    lines = text_to_lines("**二、主动公开**\n规章\u30000\u00a01 |||\r\n")
    assert [[t.text for t in line.tokens] for line in lines] == [["二、主动公开"], ["规章", "0", "1"]]
    assert lines[1].tokens[0].offset == len("**二、主动公开**\n")


def test_glued_cells_stay_one_token_for_the_decoder():
    assert [t.text for t in text_to_lines("一、本年新收21710000218")[0].tokens] == ["一、本年新收21710000218"]


def test_empty_and_undecodable_text():
    with pytest.raises(IngestError) as empty:
        ingest_text("x.txt", "0", b" \n\t\n")
    assert empty.value.code is IngestErrorCode.EMPTY_DOCUMENT
    with pytest.raises(IngestError) as undecodable:
        ingest_text("x.txt", "0", b"\x81\x30\x81")  # a truncated GB18030 four-byte sequence
    assert undecodable.value.code is IngestErrorCode.UNDECODABLE_TEXT


def test_accents_ocr_puts_on_letters_are_dropped_one_for_one():
    from extraction.ingest.text import without_accents
    assert without_accents("ñ ò í 规章 0。") == "n o i 规章 0。"
