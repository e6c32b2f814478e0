from extraction.document import Document, Line, Page, Token, Unit
from extraction.locate.align import MissingRow, ValueLine, align_rows, label_similarity
from extraction.locate.rules import RuleBasedLocator


def _line(label, n_values, at=0):
    return ValueLine(label, at, at + 10, n_values)


def test_similarity_is_the_share_of_the_label_shown_in_order():
    assert label_similarity("1.属于国家秘密", "1.属于国军秘密") == 7 / 8
    assert label_similarity("(三)不予公开", "三、本年度办理结果(三)不予公开") == 1.0


def test_garbled_labels_pair_by_similarity_and_order():
    rows = [MissingRow("a", ("1.属于国家秘密",), 7), MissingRow("b", ("2.其他法律行政法规禁止公开",), 7)]
    lines = [_line("1.属于国军秘密", 7, 0), _line("2.其他法律行政止公开", 7, 10)]
    assert {k: v.values_start for k, v in align_rows(rows, lines).items()} == {"a": 0, "b": 10}


def test_order_pairs_unreadable_labels_when_the_counts_fit():
    rows = [MissingRow("granted", ("(一)予以公开",), 7), MissingRow("partial", ("(二)部分公开",), 7)]
    lines = [_line("1以公H", 7, 0), _line("[<分处理的。", 7, 10)]
    assert {k: v.values_start for k, v in align_rows(rows, lines).items()} == {"granted": 0, "partial": 10}


def test_order_pairs_the_one_line_between_found_rows_though_it_holds_one_stray_value():
    rows = [MissingRow("not_handled.duplicate", ("2.重复申请",), 7)]
    assert align_rows(rows, [_line("重氮中请", 8)]) == {"not_handled.duplicate": _line("重氮中请", 8)}
    assert align_rows(rows, [_line("重氮中请", 9)]) == {}  # two strays: not a row of this table


def test_a_line_with_too_many_values_and_no_likeness_stays_unpaired():
    rows = [MissingRow("fees", ("行政事业性收费",), 1)]
    lines = [_line("第三页", 5, 0), _line("其他", 3, 10)]
    assert align_rows(rows, lines) == {}


def _ocr_document(lines: list[list[str]]) -> Document:
    """A scanned page as lines of OCR tokens (no positions needed by the locator beyond order)."""
    page = Page(1, 1000, 1400, Unit.PIXEL, dpi=150)
    y = 0
    for texts in lines:
        tokens = []
        for x, text in enumerate(texts):
            tokens.append(Token(text, bbox=(x * 100, y, x * 100 + 80, y + 20), confidence=0.95))
        page.lines.append(Line(tokens))
        y += 30
    return Document("scan.pdf", "0", "pdf", pages=[page])


def test_rows_with_garbled_labels_are_found_between_rows_that_were(templates):
    document = _ocr_document([
        ["某某县2023年政府信息公开工作年度报告"],
        ["三、收到和处理政府信息公开申请情况"],
        ["一、本年新收政府信息公开申请数量", "5", "0", "0", "0", "0", "0", "5"],
        ["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0"],
        ["(一)子以公H", "3", "0", "0", "0", "0", "0", "3"],
        ["(二)部分公开", "1", "0", "0", "0", "0", "0", "1"],
        ["1.属于国军秘密", "o", "0", "0", "0", "0", "0", "。"],
        ["2.其他法律行政法规禁止公开", "0", "0", "0", "0", "0", "0", "0"],
    ])
    rows = {r.row: r for r in RuleBasedLocator(templates).locate(document).rows if r.table == "requests"}
    assert [u.text for u in rows["granted"].units] == ["3", "0", "0", "0", "0", "0", "3"]
    assert [u.text for u in rows["denied.state_secret"].units] == ["o", "0", "0", "0", "0", "0", "。"]
    assert rows["denied.state_secret"].units[0].confidence <= 0.9  # a letter for a digit: unsure


def test_a_grid_row_whose_last_cell_ocr_garbled_is_still_a_row_of_values(templates):
    from extraction.locate.stream import TextStream

    text = "(七) 总\t8\t1\t0\t1\t0\t1\t日\n"
    token = Token(text, confidence=0.9)
    from extraction.locate.stream import Span
    stream = TextStream(text, [Span(0, len(text), token, 1, True)], offsets_are_document_offsets=False)
    [line] = RuleBasedLocator(templates)._value_lines(stream, 0, len(text))
    assert (line.label, text[line.values_start], line.n_values) == ("(七)总", "8", 7)
