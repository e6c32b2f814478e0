from extraction.document import Document, Line, Page, Token, Unit
from extraction.ingest.text import ingest_text
from extraction.locate.labels import fuzzy_label_match, label_pattern
from extraction.locate.rules import RuleBasedLocator
from extraction.locate.stream import half_width, stream_of

REPORT = """某某县2023年政府信息公开工作年度报告
一、总体情况
本年度共收到申请25件。
二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
行政规范性文件\t1\t0\t12
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量\t\t24\t0\t0\t0\t0\t1\t25
二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0
四、政府信息公开行政复议、行政诉讼情况
行政复议\t行政诉讼
10\t1\t0\t0\t11\t0\t0\t0\t0\t0\t5\t0\t0\t0\t5
五、存在的主要问题及改进情况
无。
"""


def _locate(templates, text):
    return RuleBasedLocator(templates).locate(ingest_text("r.txt", "0", text.encode("utf-8")))


def test_title_template_and_sections(templates):
    located = _locate(templates, REPORT)
    assert (located.agency, located.year, located.template.id) == ("某某县", 2023, "2021")
    assert [(s.number, s.title, s.canonical) for s in located.sections] == [
        ("一", "总体情况", "overview"), ("二", "主动公开政府信息情况", "proactive"),
        ("三", "收到和处理政府信息公开申请情况", "requests"),
        ("四", "政府信息公开行政复议、行政诉讼情况", "review_litigation"), ("五", "存在的主要问题及改进情况", "problems")]
    assert REPORT[located.sections[1].offset:].startswith("二、主动公开")


def test_row_values_follow_their_labels(templates):
    rows = {r.row: r for r in _locate(templates, REPORT).rows}
    assert [u.text for u in rows["normative_docs"].units] == ["1", "0", "12"]
    assert [u.text for u in rows["new"].units] == ["24", "0", "0", "0", "0", "1", "25"]
    assert REPORT[rows["new"].units[0].offset:].startswith("24\t")
    assert not rows["granted"].printed  # not in this copy: its cells stay null
    wide = rows["review"]
    assert wide.also == ("litigation_direct", "litigation_after_review") and len(wide.units) == 15


def test_numbering_and_years_are_not_values(templates):
    text = REPORT.replace("二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0",
                          "二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开1000001")
    rows = {r.row: r for r in _locate(templates, text).rows}
    assert [u.text for u in rows["carried_over"].units] == ["0000000"]  # glued: the decoder splits it
    assert [u.text for u in rows["granted"].units] == ["1000001"]


def test_label_patterns_allow_wrapping_and_numbering_variants():
    assert label_pattern("1.申请人无正当理由逾期不补正").search(half_width("1、申请人无正当理由逾期不补 正"))
    assert label_pattern("（二）部分公开").search(half_width("(二) 部分\n公开"))
    text = "8.属于行政查询事项\t0\n2.其他法律行政止公开\t0\t0"
    start, end = fuzzy_label_match(text, "2.其他法律行政法规禁止公开", 0, len(text))
    assert text[start:end] == "2.其他法律行政止公开"
    assert fuzzy_label_match(text, "3.危及“三安全一稳定”", 0, len(text)) is None


def test_positioned_tables_are_serialised_cell_by_cell():
    from extraction.document import GridPosition

    def token(text, x, y, row, col):
        return Token(text, bbox=(x, y, x + 10, y + 10), grid=GridPosition(0, row, col))

    # A label wrapped over two lines of its cell, the row's number vertically between them.
    lines = [Line([token("（二）部分公开（区分", 10, 100, 0, 0)]), Line([token("4", 200, 106, 0, 1)]),
             Line([token("处理的）", 10, 112, 0, 0)]), Line([token("（七）总计", 10, 130, 1, 0), token("21", 200, 130, 1, 1)])]
    document = Document("x.pdf", "0", "pdf", pages=[Page(1, 595, 842, Unit.POINT, lines=lines)])
    stream = stream_of(document)
    assert stream.text == "\n（二）部分公开（区分 处理的）\t4\n（七）总计\t21\n"
    assert stream.table_columns == {0: 2}
    assert stream.span_at(stream.text.index("21")).token.text == "21"


def test_foreign_text_is_not_a_report(templates):
    located = _locate(templates, "# README\nThis folder holds gold labels.\n")
    assert not located.looks_like_a_report


def test_page_numbers_between_a_heading_and_its_table_are_not_values(templates):
    text = REPORT.replace("四、政府信息公开行政复议、行政诉讼情况\n", "四、政府信息公开行政复议、行政诉讼情况\n- 2 -\n")
    rows = {r.row: r for r in _locate(templates, text).rows}
    assert [u.text for u in rows["review"].units][:5] == ["10", "1", "0", "0", "11"]


def test_blank_cells_keep_their_place_in_tab_and_markdown_rows():
    from extraction.locate.units import _field_hint

    tabs = "x\n一、本年新收政府信息公开申请数量\t\t24\t\t\t\t\t1\t25\t\n"
    assert _field_hint(tabs, tabs.index("24"), 7) == 0
    assert _field_hint(tabs, tabs.index("\t1\t") + 1, 7) == 5  # four blank cells between
    assert _field_hint(tabs, tabs.index("25"), 7) == 6
    markdown = "| 二、上年结转政府信息公开申请数量 |  |  | 3 |  |  |  |  |  |  |\n"
    assert _field_hint(markdown, markdown.index("3"), 7) == 0  # trailing blank cells counted
    assert _field_hint("\t23\n", 1, 3) is None  # one cell per line: no boundaries kept


def test_a_sentence_naming_a_table_is_not_its_header(templates):
    text = REPORT.replace("四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n", "").replace(
        "某某县2023年政府信息公开工作年度报告\n",
        "某某县2023年政府信息公开工作年度报告\n本报告含政府信息公开行政复议和行政诉讼情况等部分（国办公开办函〔2021〕30号）。\n")
    text += "2023年政府信息公开行政复议、行政诉讼情况表\n行政复议\t行政诉讼\n" + "\t".join(["0"] * 14 + ["2"]) + "\n"
    rows = {r.row: r for r in _locate(templates, text).rows}
    assert [u.text for u in rows["review"].units] == ["0"] * 14 + ["2"]


def test_a_table_read_in_part_names_the_rows_it_did_not_locate(templates):
    warnings = _locate(templates, REPORT).warnings
    assert "table proactive: rows not located, their cells left null: licensing, penalty, coercion, fees" in warnings
    [requests] = [w for w in warnings if w.startswith("table requests")]
    assert requests.startswith("table requests: rows not located, their cells left null: granted, partial,")
    assert not any(w.startswith("table review_litigation") for w in warnings)  # read whole


def test_a_known_heading_after_a_garbled_numeral_is_found_in_sequence(templates):
    report = REPORT.replace("三、收到和处理政府信息公开申请情况", "主、收到和处理政府信息公开申请情况").replace(
        "本年度共收到申请25件。", "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况组成。")
    sections = _locate(templates, report).sections
    assert [(s.number, s.canonical) for s in sections][:4] == [
        ("一", "overview"), ("二", "proactive"), ("三", "requests"), ("四", "review_litigation")]


def test_a_mark_read_between_two_values_of_a_scanned_row_is_skipped(templates):
    from extraction.document import GridPosition

    def token(text, x, row, col):
        return Token(text, bbox=(x, 100 + 30 * row, x + 10, 112 + 30 * row), grid=GridPosition(0, row, col))

    # A 2021-form row on a scan: a speck before the second value read as its own `:` token.
    values = ["10", ":", "4", "1", "1", "1", "0", "17"]
    columns = [1, 2, 2, 3, 4, 5, 6, 7]
    row = [token("一、本年新收政府信息公开申请数量", 10, 0, 0)] + [token(v, 300 + 40 * n, 0, c)
                                                               for n, (v, c) in enumerate(zip(values, columns))]
    lines = [Line([Token("三、收到和处理政府信息公开申请情况", bbox=(10, 50, 300, 62))]), Line(row)]
    document = Document("x.pdf", "0", "pdf", pages=[Page(1, 1240, 1754, Unit.PIXEL, lines=lines)])
    located = RuleBasedLocator(templates).locate(document)
    new = next(r for r in located.rows if r.row == "new")
    assert [u.text for u in new.units] == ["10", "4", "1", "1", "1", "0", "17"]


def _scanned_requests(templates, rows):
    """The rule locator's rows of a scanned table 三 whose lines are (label, [(value, grid column)])."""
    from extraction.document import GridPosition

    lines = [Line([Token("三、收到和处理政府信息公开申请情况", bbox=(10, 50, 300, 62))])]
    for r, (label, values) in enumerate(rows):
        y = 100 + 30 * r
        tokens = [Token(label, bbox=(10, y, 250, y + 12), grid=GridPosition(0, r, 0))]
        tokens += [Token(v, bbox=(300 + 40 * n, y, 310 + 40 * n, y + 12), grid=GridPosition(0, r, c))
                   for n, (v, c) in enumerate(values)]
        lines.append(Line(tokens))
    document = Document("x.pdf", "0", "pdf", pages=[Page(1, 1240, 1754, Unit.PIXEL, lines=lines)])
    return {r.row: [u.text for u in r.units] for r in RuleBasedLocator(templates).locate(document).rows}


def test_a_speck_read_beside_a_value_in_its_grid_cell_is_skipped(templates):
    zeros = [("0", c) for c in range(1, 8)]
    speck = zeros[:2] + [("i-", 2)] + zeros[2:]  # `0 i-`: a speck in column 2 beside its 0
    rows = _scanned_requests(templates, [("一、本年新收政府信息公开申请数量", speck),
                                         ("二、上年结转政府信息公开申请数量", zeros)])
    assert rows["new"] == ["0"] * 7
    # A row whose label OCR garbled is paired with its line by order: the speck is no value there either.
    rows = _scanned_requests(templates, [("一、本年新收政府信息公开申请数量", zeros), ("二、上年结转政府信", speck),
                                         ("(一) 予以公开", zeros)])
    assert rows["carried_over"] == ["0"] * 7


def test_noise_in_a_labels_own_grid_cell_does_not_hide_the_rows_value(templates):
    # A streak beside 本年新收 read `三1`, in the label's cell: the row's values come after it.
    rows = _scanned_requests(templates, [("一、本年新收政府信息公开申请数量", [("三1", 0)] + [("0", c) for c in range(1, 8)])])
    assert rows["new"] == ["0"] * 7


def test_a_labels_numbering_read_without_its_dot_is_not_the_row_befores_value(templates):
    zeros = [("0", c) for c in range(1, 8)]
    rows = _scanned_requests(templates, [("1.属于国家秘密", zeros), ("2 其他法律行政法规禁止公开", zeros)])
    assert rows["denied.state_secret"] == ["0"] * 7


def _with_other_row(after_label: str) -> str:
    return REPORT.replace("四、政府信息公开行政复议", f"（六）其他处理{after_label}\n（七）总计\t\t24\t0\t0\t0\t0\t1\t25\n"
                                                   "四、政府信息公开行政复议")


def test_an_optional_row_printed_as_one_with_blank_cells_is_located(templates):
    # （六）其他处理 on one row, its cells blank, no sub-row after it: the one-row form, printed blank.
    located = _locate(templates, _with_other_row("\t\t\t\t\t\t\t"))
    rows = {r.row: r for r in located.rows}
    assert rows["other"].printed and rows["other"].units == []
    assert not any(rows[key].printed for key in ("other.no_correction", "other.no_fee", "other.other"))
    [requests] = [w for w in located.warnings if w.startswith("table requests")]
    assert "other" not in requests.split(": ", 1)[1].split(", ")


def test_an_optional_label_followed_by_values_of_unfound_sub_rows_stays_a_group_label(templates):
    # Digits after the label before the next row: sub-rows whose labels were lost, not a blank row.
    located = _locate(templates, _with_other_row("\n无法辨认\t0\t0\t0\t0\t0\t0\t0"))
    rows = {r.row: r for r in located.rows}
    assert not rows["other"].printed


def test_a_wide_tables_values_are_its_full_run_not_a_number_read_in_its_header(templates):
    """OCR reads 尚未审结 in the header as `A米 21 审结`: the cells are the run that fills the row."""
    text = REPORT.replace("行政复议\t行政诉讼\n", "行政复议\t行政诉讼\n结果维持\t结果纠正\t其他结果\tA米 21 审结\t总计\n")
    row = next(r for r in _locate(templates, text).rows if r.table == "review_litigation")
    assert [u.text for u in row.units] == ["10", "1", "0", "0", "11", "0", "0", "0", "0", "0", "5", "0", "0", "0", "5"]


def test_a_mark_alone_in_a_grid_cell_before_a_wide_tables_values_ends_no_sentence(templates):
    """A table 四 printing blanks but for two 0s; a speck in a blank cell before them read `。`: a
    mark in the row's grid, not the end of a sentence before the table's values."""
    from extraction.document import GridPosition

    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    lines = [Line([Token("四、政府信息公开行政复议、行政诉讼情况", bbox=(10, 50, 400, 62))]),
             Line([Token("行政复议", bbox=(10, 80, 60, 92)), Token("行政诉讼", bbox=(400, 80, 450, 92))]),
             Line([Token(h, bbox=(10 + 60 * c, 110, 60 + 60 * c, 122), grid=GridPosition(0, 0, c))
                   for c, h in enumerate(heads)]),
             Line([Token(v, bbox=(20 + 60 * c, 140, 30 + 60 * c, 152), grid=GridPosition(0, 1, c))
                   for v, c in (("。", 9), ("0", 12), ("0", 13))]),
             Line([Token("五、存在的主要问题及改进情况", bbox=(10, 200, 300, 212))])]
    document = Document("x.pdf", "0", "pdf", pages=[Page(1, 1240, 1754, Unit.PIXEL, lines=lines)])
    row = next(r for r in RuleBasedLocator(templates).locate(document).rows if r.table == "review_litigation")
    assert [(u.text, u.column_hint) for u in row.units] == [("0", 12), ("0", 13)]


def test_column_hints_are_dropped_when_none_falls_in_the_rows_cells():
    from extraction.decode.evidence import Unit as Value
    from extraction.locate.units import hints_kept_where_the_grid_fits

    # A grid that found 15 columns where the block prints 3: every value's hint is past the row.
    off = [Value("13", column_hint=4), Value("0", column_hint=4), Value("13", column_hint=13)]
    assert [u.column_hint for u in hints_kept_where_the_grid_fits(off, 3)] == [None, None, None]
    # One hint inside the row and one past its last cell: the grid's columns are not the row's.
    stretched = [Value("0", column_hint=1), Value("0", column_hint=5)]
    assert [u.column_hint for u in hints_kept_where_the_grid_fits(stretched, 3)] == [None, None]
    # Hints inside the row and one before it: the grid fits, and the stray in the label column
    # stays hinted (to be dropped).
    fitting = [Value("7", column_hint=-1), Value("2", column_hint=0), Value("2", column_hint=2)]
    assert hints_kept_where_the_grid_fits(fitting, 3) == fitting


def test_a_line_of_values_between_two_rows_goes_to_the_next_row_whose_label_ocr_moved(templates):
    # OCR put row 6's values on a line of their own and merged its label with row 7's; and put
    # （四）'s first sub-row's values on the group label's line, the sub-row's label below them.
    zeros = "\t".join(["0"] * 7)
    text = REPORT.replace("二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\n", (
        f"二、上年结转政府信息公开申请数量\t{zeros}\n"
        f"5. 属于三类内部事务信息\t{zeros}\n48\t0\t0\t0\t0\t0\t48\n"
        f"6. 属于四类过程性信息 7. 属于行政执法案卷\t{zeros}\n"
        f"8. 属于行政查询事项\t{zeros}\n"
        f"(四) 无法提供\t55\t0\t0\t0\t0\t0\t55\n1. 本机关不掌握相关政府信息 2. 没有现成信息需要另行制作\t{zeros}\n"))
    rows = {r.row: [u.text for u in r.units] for r in _locate(templates, text).rows}
    assert rows["denied.internal_affairs"] == ["0"] * 7
    assert rows["denied.process_info"] == ["48", "0", "0", "0", "0", "0", "48"]
    assert rows["denied.enforcement_file"] == ["0"] * 7
    assert rows["unable.not_held"] == ["55", "0", "0", "0", "0", "0", "55"]
    assert rows["unable.needs_creation"] == ["0"] * 7
    # A row whose next line of values is followed by the next row's own values keeps them all.
    kept = REPORT.replace("二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\n",
                          f"二、上年结转政府信息公开申请数量\t{zeros}\n{zeros}\n三、本年度办理结果\t(一) 予以公开\t{zeros}\n")
    rows = {r.row: [u.text for u in r.units] for r in _locate(templates, kept).rows}
    assert len(rows["carried_over"]) == 14 and rows["granted"] == ["0"] * 7


def test_numbers_sharing_a_grid_cell_lose_their_column_hints_and_keep_their_order():
    from extraction.decode.evidence import Unit as ValueUnit
    from extraction.locate.units import hints_kept_where_the_grid_fits

    # A photocopy lost two column rules: three cells' numbers in one grid cell, column 2. Taken as
    # three columns, the row would run past its 7 cells: placed by order, the rest by the grid.
    units = [ValueUnit(t, column_hint=h) for t, h in [("0", 2), ("1", 2), ("0", 2), ("0", 3), ("5", 6)]]
    kept = hints_kept_where_the_grid_fits(units, 7)
    assert [u.column_hint for u in kept] == [None, None, None, 3, 6]


def test_a_grid_column_holding_two_numbers_is_two_columns_where_the_row_then_fits():
    from extraction.decode.evidence import Unit as ValueUnit
    from extraction.locate.units import hints_kept_where_the_grid_fits

    # 行政复议、行政诉讼 (15 cells) on a grid of 14 columns: columns 7 and 8 share grid column 7, so
    # every column after it is one further along than the grid numbers it.
    hints = [0, 1, 2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 11, 12, 13]
    units = [ValueUnit("0", column_hint=h) for h in hints]
    assert [u.column_hint for u in hints_kept_where_the_grid_fits(units, 15)] == list(range(15))


def test_a_line_between_a_row_and_an_unfound_one_is_not_taken_by_the_row_after(templates):
    # Only where the previous row was found can the line between be the next row's: here it may
    # be the unfound row's own (its label garbled), which the order alignment decides.
    zeros = "\t".join(["0"] * 7)
    text = REPORT.replace("二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\n", (
        f"二、上年结转政府信息公开申请数量\t{zeros}\n"
        f"8. 另行一行\t3\t0\t0\t0\t0\t0\t3\n"
        f"1. 本机关不掌握相关政府信息\n"))
    rows = {r.row: [u.text for u in r.units] for r in _locate(templates, text).rows}
    assert rows["unable.not_held"] == []


def test_a_lone_plus_in_a_scanned_row_is_a_value():
    from extraction.locate.values import look_alike_run

    assert look_alike_run("+", 0, 1).group() == "+"
    assert look_alike_run("+x", 0, 2) is None


def test_a_look_alike_with_a_speck_read_after_it_is_a_value():
    from extraction.locate.values import look_alike_run

    assert look_alike_run("o :", 0, 3).group() == "o :"  # the decoder reads the speck away
    assert look_alike_run("o.", 0, 2).group() == "o."
    assert look_alike_run(".o", 0, 2).group() == ".o"
    assert look_alike_run("…o", 0, 2).group() == "…o"  # specks read as an ellipsis
    assert look_alike_run("∴C", 0, 2).group() == "∴C"  # a 0 whose right side broke, specks above it
    assert look_alike_run("o :x", 0, 4) is None


def test_the_day_of_a_date_whose_day_mark_a_seal_hid_is_not_a_blank_tables_value(templates):
    """A table printed with no values, then the signature's date with its 日 under the seal."""
    blank = "\n".join(["结果维持\t结果纠正\t其他结果\t尚未审结\t总计", "某某县人民政府", "2020年2月22", "五、存在的主要问题及改进情况"])
    text = REPORT.split("行政复议\t行政诉讼\n")[0] + "行政复议\t行政诉讼\n" + blank + "\n无。\n"
    row = next(r for r in _locate(templates, text).rows if r.table == "review_litigation")
    assert row.units == []
