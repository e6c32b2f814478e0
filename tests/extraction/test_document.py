from extraction.document import Document, Line, Page, Token, Unit


def test_line_bbox_is_the_union_of_token_boxes():
    line = Line([Token("21", bbox=(10, 5, 20, 15)), Token("0", bbox=(30, 4, 35, 14)), Token("x")])
    assert line.bbox == (10, 4, 35, 15)
    assert line.text == "21 0 x"
    assert Line([Token("a")]).bbox is None


def test_document_tokens_in_page_order():
    pages = [Page(1, 595, 842, Unit.POINT, lines=[Line([Token("a"), Token("b")])]),
             Page(2, 595, 842, Unit.POINT, lines=[Line([Token("c")])])]
    document = Document("x.pdf", "0" * 64, "pdf", pages=pages)
    assert [t.text for t in document.tokens] == ["a", "b", "c"]
