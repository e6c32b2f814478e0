import numpy as np

from extraction.document import GridPosition, Token
from extraction.decode.readings import UNREAD
from extraction.ingest.cells import UNREAD_SCORE, CellToRead, cells_to_reread, read_cells, replaces_garbled
from extraction.ingest.ocr import OcrBox


def _token(text, row, column, x, y):
    return Token(text, bbox=(x, y, x + 10, y + 12), grid=GridPosition(0, row, column))


def _header(heads):
    """A one-row table's column heads (text, x0, x1) in grid row 0, one grid column each."""
    return [Token(text, bbox=(x0, 60, x1, 72), grid=GridPosition(0, 0, c)) for c, (text, x0, x1) in enumerate(heads)]


def test_the_empty_cell_of_a_row_that_prints_values_is_found():
    tokens = [_token("一、本年新收", 0, 0, 10, 100), _token("5", 0, 1, 200, 100), _token("0", 0, 2, 260, 100),
              _token("5", 0, 3, 320, 100),
              _token("二、上年结转", 1, 0, 10, 140), _token("1", 1, 1, 200, 140), _token("1", 1, 3, 320, 140),
              _token("三、空行", 2, 0, 10, 180)]  # a row printing no values is read only where ink shows a glyph
    cells = cells_to_reread(tokens, [t.bbox for t in tokens], {})
    # Column 2's span, row 1's height, a little room.
    assert [cell for cell in cells if not cell.ink_first] == [CellToRead((258, 138, 272, 154), None)]
    assert all(cell.box[1] == 178 for cell in cells if cell.ink_first)


def test_a_cell_read_as_letters_is_read_again():
    tokens = [_token("5", 0, 1, 200, 100), _token("0", 0, 2, 260, 100), _token("II", 1, 2, 262, 140),
              _token("1", 1, 1, 200, 140)]
    assert cells_to_reread(tokens, [t.bbox for t in tokens], {}) == [CellToRead((258, 138, 272, 154), 2)]


def test_a_cell_a_spanned_value_reaches_into_is_not_empty():
    tokens = [_token("许可", 0, 0, 10, 100), _token("550", 0, 1, 200, 100), _token("8", 0, 2, 260, 100),
              _token("行政处罚", 1, 0, 10, 140), Token("4119", bbox=(240, 140, 275, 152), grid=GridPosition(0, 1, 1))]
    assert cells_to_reread(tokens, [t.bbox for t in tokens], {}) == []


class _OneLineEngine:
    name = "fake"

    def __init__(self, text, score):
        self.text, self.score, self.seen, self.crops = text, score, [], []

    def read(self, image):
        raise AssertionError("cells are read without detection")

    def read_line(self, image):
        self.seen.append(image.shape)
        self.crops.append(image)
        return OcrBox([], self.text, self.score)


def test_cells_are_read_enlarged_and_only_numbers_kept():
    image = np.full((300, 400, 3), 255, np.uint8)
    engine = _OneLineEngine("0", 0.95)
    cell = CellToRead((258, 138, 272, 154), None)
    [(_, box)] = read_cells(image, [cell], engine)
    assert (box.text, box.quad[0], box.quad[2]) == ("0", (258, 138), (272, 154))
    assert engine.seen[0][0] == 48  # enlarged to the recogniser's height
    assert read_cells(image, [cell], _OneLineEngine("口", 0.9)) == []
    assert read_cells(image, [cell], _OneLineEngine("0", 0.3)) == []
    [(_, specked)] = read_cells(image, [cell], _OneLineEngine(".0", 0.95))  # a speck beside it: ingest drops it
    assert specked.text == ".0"
    assert read_cells(image, [cell], _OneLineEngine(". :", 0.95)) == []  # specks alone are no count


def test_a_cell_read_alone_as_digit_look_alikes_is_kept_for_the_decoder():
    image = np.full((300, 400, 3), 255, np.uint8)
    cell = CellToRead((258, 138, 272, 154), None)
    assert [box.text for _, box in read_cells(image, [cell], _OneLineEngine("ñ", 0.9))] == ["ñ"]  # a faded 0
    assert [box.text for _, box in read_cells(image, [cell], _OneLineEngine("i1", 0.9))] == ["i1"]
    assert read_cells(image, [cell], _OneLineEngine("一", 0.9)) == []  # a blank cell's dash
    assert read_cells(image, [cell], _OneLineEngine("none", 0.9)) == []  # a word, not a count


def test_a_ruled_columns_empty_cell_between_a_rows_values_is_read_again():
    # A one-row table (行政复议、行政诉讼): no column holds two numbers, and the detector missed the
    # `0` of column 2; the grid's rules say where that cell is.
    tokens = [_token("3", 0, 1, 105, 100), _token("4", 0, 3, 305, 100)]
    spans = [(0.0, 100.0), (100.0, 200.0), (200.0, 300.0), (300.0, 400.0)]
    [cell] = cells_to_reread(tokens, [t.bbox for t in tokens], {0: spans})
    assert cell.token is None and cell.box[0] > 200 and cell.box[2] < 300
    assert cells_to_reread(tokens, [t.bbox for t in tokens], {}) == []  # unruled: no geometry to go by
    # The table's last cell after its last value read is one too (a one-row table ends in values).
    spans.append((400.0, 500.0))
    assert [c.box[0] > 400 for c in cells_to_reread(tokens, [t.bbox for t in tokens], {0: spans})] == [False, True]


def test_a_seal_stamped_across_a_cell_is_taken_out_before_it_is_read_again():
    image = np.full((300, 400, 3), 255, np.uint8)
    image[140:152, 262:266] = 0  # the digit, black
    image[145:147, 250:280] = (40, 60, 200)  # a blue seal's arc across it
    engine = _OneLineEngine("1", 0.99)
    read_cells(image, [CellToRead((255, 136, 275, 156), None)], engine)
    crop = engine.crops[0]
    assert crop.min() == 0  # the digit stays
    assert not ((crop[:, :, 2] > 150) & (crop[:, :, 0] < 100)).any()  # no seal ink left


def test_a_cell_with_a_glyph_no_reading_makes_out_becomes_the_unread_mark():
    # A serif 0 whose arcs the copier lost: two upright strokes, read `II` unsurely.
    cell = CellToRead((255, 136, 275, 156), None)
    broken_zero = np.full((300, 400, 3), 255, np.uint8)
    broken_zero[140:152, 261:263] = 0
    broken_zero[140:152, 267:269] = 0
    [(_, box)] = read_cells(broken_zero, [cell], _OneLineEngine("II", 0.4))
    assert (box.text, box.score) == (UNREAD, UNREAD_SCORE)
    assert read_cells(broken_zero, [cell], _OneLineEngine("口", 0.9))[0][1].text == UNREAD
    # A faint grey 0 of a faded copy with a black toner speck beside it: the speck does not set the bar.
    faint_zero = np.full((300, 400, 3), 235, np.uint8)
    faint_zero[140:152, 262:264] = 170
    faint_zero[140:152, 268:270] = 170
    faint_zero[140:142, 262:270] = 170
    faint_zero[150:152, 262:270] = 170
    faint_zero[152:154, 271:273] = 0
    assert read_cells(faint_zero, [cell], _OneLineEngine("", 0.0))[0][1].text == UNREAD


def test_blank_dash_speckle_and_streak_cells_are_no_unread_mark():
    cell = CellToRead((255, 136, 275, 156), None)
    blank = np.full((300, 400, 3), 255, np.uint8)
    dash = blank.copy()
    dash[145:147, 260:270] = 0  # a none mark
    speckle = blank.copy()
    speckle[144:146, 263:265] = 0  # toner
    streak = blank.copy()
    streak[:, 265:267] = 0  # a copier's streak runs the page's height
    for image in (blank, dash, speckle, streak):
        assert read_cells(image, [cell], _OneLineEngine("一", 0.5)) == []


def test_a_cell_reading_that_only_confirms_the_letters_digits_leaves_the_letters():
    assert not replaces_garbled("II", "11")  # the decoder still reads `II` as a 0 first
    assert replaces_garbled("II", "0")
    assert replaces_garbled("U", "3")


def test_cells_past_the_recognition_budget_are_only_looked_at_for_ink():
    image = np.full((300, 400, 3), 230, np.uint8)
    image[141:151, 262:268] = 180  # a blurred grey 0 on a flatbed's paper
    cells = [CellToRead((255, 136, 275, 156), None), CellToRead((255, 136, 275, 156), 3)]
    engine = _OneLineEngine("0", 0.95)
    found = read_cells(image, cells, engine, max_recognised=0)
    assert engine.seen == []
    assert [(cell.token, box.text) for cell, box in found] == [(None, UNREAD)]  # a garbled reading is kept


def test_a_one_row_tables_cell_is_found_under_its_column_head_where_the_grid_merged_columns():
    # The copy lost the rule between 结果纠正 and 其他结果: one grid column (1) spans both heads, and
    # the detector missed the `0` under 其他结果 (a seal's ring ran through it).
    heads = [Token("维持", bbox=(100, 60, 120, 72), grid=GridPosition(0, 0, 0)),
             Token("纠正", bbox=(150, 60, 170, 72), grid=GridPosition(0, 0, 1)),
             Token("结果", bbox=(200, 60, 220, 72), grid=GridPosition(0, 0, 1)),
             Token("其他", bbox=(200, 44, 220, 56), grid=GridPosition(0, 0, 1)),  # above 结果: not a head
             Token("复议后起诉", bbox=(120, 28, 200, 40), grid=GridPosition(0, 0, 0)),  # over all three
             Token("总计", bbox=(250, 52, 270, 64), grid=GridPosition(0, 0, 2))]
    values = [_token("0", 1, 0, 105, 100), _token("3", 1, 1, 155, 100), _token("3", 1, 2, 255, 100)]
    tokens = heads + values
    [cell] = cells_to_reread(tokens, [t.bbox for t in tokens], {})
    assert cell.token is None and cell.box[0] == 200 and cell.box[2] == 220
    # A table of several rows of values has its columns from them, not from its header.
    more = tokens + [_token("1", 2, 0, 105, 140), _token("1", 2, 1, 155, 140), _token("2", 2, 2, 255, 140)]
    assert all(c.box[0] != 200 for c in cells_to_reread(more, [t.bbox for t in more], {}))


def test_column_heads_touching_their_neighbours_each_have_their_cell():
    # 结果维持's box ends where 结果纠正's begins; the `2` under 结果纠正 and the blank under 结果维持
    # were both missed. Each head's cell is read, not only the first of two touching boxes.
    heads = _header([("结果维持", 100, 152), ("结果纠正", 150, 202), ("其他结果", 200, 252), ("总计", 260, 280)])
    values = [_token("0", 1, 2, 220, 100), _token("2", 1, 3, 265, 100), _token("0", 1, 4, 300, 100)]
    tokens = heads + values
    cells = cells_to_reread(tokens, [t.bbox for t in tokens], {})
    assert sorted(c.box[0] for c in cells) == [100, 150]


def test_a_cell_under_a_seals_ring_keeps_only_a_sure_reading_else_it_is_unread():
    image = np.full((300, 400, 3), 255, np.uint8)
    cell = CellToRead((255, 136, 275, 156), None, under_seal=True)
    # Blank after the ring was wiped, or read unsurely: the ring hid a printed count.
    [(_, box)] = read_cells(image, [cell], _OneLineEngine("1", 0.75))
    assert box.text == UNREAD
    assert read_cells(image, [cell], _OneLineEngine("0", 0.95))[0][1].text == "0"
    # Not under a seal, the same blank cell and unsure `1` stay as they were.
    assert read_cells(image, [CellToRead(cell.box, None)], _OneLineEngine("1", 0.75))[0][1].text == "1"
    assert read_cells(image, [CellToRead(cell.box, None)], _OneLineEngine("一", 0.5)) == []


def test_numbers_of_one_grid_column_printing_apart_are_columns_of_their_own():
    # A photocopy lost two rules: grid column 1 spans three value columns (x 200, 260, 320); the
    # detector missed row 1's `0` at x 320.
    tokens = [_token("0", 0, 1, 200, 100), _token("0", 0, 1, 260, 100), _token("0", 0, 1, 320, 100),
              _token("7", 0, 2, 400, 100),
              _token("0", 1, 1, 200, 140), _token("0", 1, 1, 260, 140), _token("4", 1, 2, 400, 140)]
    [cell] = cells_to_reread(tokens, [t.bbox for t in tokens], {})
    assert cell.token is None and cell.box == (318, 138, 332, 154)


def test_a_header_word_read_as_a_number_does_not_make_a_one_row_table_two():
    # 总计 read `21` twice in the header: the table still prints one row of values, whose first
    # cell (under 结果维持) the detector missed.
    header = _header([("维持", 100, 120), ("21", 150, 170), ("纠正", 200, 220), ("21", 250, 270)])
    values = [_token("0", 1, 1, 155, 100), _token("0", 1, 2, 205, 100), _token("0", 1, 3, 255, 100)]
    tokens = header + values
    [cell] = cells_to_reread(tokens, [t.bbox for t in tokens], {})
    assert cell.box[0] == 100 and cell.box[2] == 120


def test_a_row_cut_off_into_a_grid_of_its_own_is_read_with_the_columns_of_the_table_above():
    # The photocopy lost the rule over table 三's last row on the page: the grid made it a table
    # of its own (1), whose `0` in the second column the detector missed.
    above = [_token(v, r, c, x, 60 + 20 * r) for r in range(2) for c, (v, x) in enumerate(
        [("0", 200), ("1", 260), ("0", 320), ("1", 380)], start=1)]
    cut_off = [Token(v, bbox=(x, 110, x + 10, 122), grid=GridPosition(1, 0, c))
               for v, x, c in [("0", 200, 1), ("0", 320, 2), ("0", 380, 3)]]
    tokens = above + cut_off
    [cell] = cells_to_reread(tokens, [t.bbox for t in tokens], {})
    assert cell.box == (258, 108, 272, 124)
    # Far below the table, or not under its columns, a one-row grid is a table of its own.
    far = [Token(t.text, bbox=(t.bbox[0], 300, t.bbox[2], 312), grid=t.grid) for t in cut_off]
    assert cells_to_reread(above + far, [t.bbox for t in above + far], {}) == []


def test_a_labels_glyph_read_as_a_number_does_not_make_the_label_column_a_value_column():
    # 2.没有现成信息需要另行制作 wraps; OCR read its last glyph 作 as `2`, in the label's own grid column,
    # left of where the other rows' labels print.
    def label(text, row, y):
        return Token(text, bbox=(60, y, 180, y + 12), grid=GridPosition(0, row, 0))

    tokens = [label("1.本机关不掌握", 0, 100), _token("0", 0, 1, 200, 100), _token("0", 0, 2, 260, 100),
              label("2.没有现成信息", 1, 140), _token("0", 1, 1, 200, 140), _token("0", 1, 2, 260, 140),
              _token("2", 1, 0, 10, 140),
              label("3.补正后申请", 2, 180), _token("0", 2, 1, 200, 180), _token("0", 2, 2, 260, 180)]
    assert cells_to_reread(tokens, [t.bbox for t in tokens], {}) == []  # no label cell read again for a value


def test_the_value_cells_of_rows_holding_only_their_label_below_rows_of_values_are_read_again():
    # Table 二: 行政许可's faint 0 was missed, so its row holds its label alone; so does 行政强制's, the
    # last row. Header rows above the values, and a note printing across the value columns, are no
    # value rows.
    tokens = [_token("信息内容", 0, 0, 10, 60), _token("本年制发件数", 0, 1, 200, 60),
              _token("现行有效件数", 0, 2, 260, 60),
              _token("规章", 1, 0, 10, 100), _token("0", 1, 1, 200, 100), _token("3", 1, 2, 260, 100),
              _token("行政许可", 2, 0, 10, 140),
              _token("行政处罚", 3, 0, 10, 180), _token("5", 3, 1, 200, 180), _token("2", 3, 2, 260, 180),
              _token("行政强制", 4, 0, 10, 220),
              Token("注：单位为件，下同", bbox=(10, 260, 280, 272), grid=GridPosition(0, 5, 0))]
    cells = cells_to_reread(tokens, [t.bbox for t in tokens], {})
    assert cells == [CellToRead((198, 138, 212, 154), None, ink_first=True),
                     CellToRead((258, 138, 272, 154), None, ink_first=True),
                     CellToRead((198, 218, 212, 234), None, ink_first=True),
                     CellToRead((258, 218, 272, 234), None, ink_first=True)]
    blank = np.full((300, 400, 3), 255, np.uint8)
    engine = _OneLineEngine("0", 0.95)
    assert read_cells(blank, cells, engine) == [] and engine.seen == []  # nothing inked: not recognised at all


def test_a_merged_cells_value_does_not_stretch_its_column_over_the_next():
    # Table 二: 规章's first 0 was missed; 行政许可's lone 0, centred over three columns, starts in
    # column 1 too, but column 1's cell is where its values print in rows of several values.
    tokens = [_token("0", 0, 2, 260, 100), _token("0", 0, 3, 320, 100),
              _token("规范性文件", 1, 0, 10, 140), _token("5", 1, 1, 200, 140), _token("0", 1, 2, 260, 140),
              _token("5", 1, 3, 320, 140),
              _token("行政许可", 2, 0, 10, 180), _token("0", 2, 1, 262, 180)]
    cells = cells_to_reread(tokens, [t.bbox for t in tokens], {})
    assert CellToRead((198, 98, 212, 114), None) in cells


def test_a_ruled_table_whose_numbers_were_all_but_missed_has_its_label_rows_read():
    # A blurred table 二: one `3` read of six. Its ruled columns say where the other cells are; the
    # header row prints in its cells.
    tokens = [_token("信息内容", 0, 0, 10, 60), _token("本年制发件数", 0, 1, 200, 60),
              _token("本年废止件数", 0, 2, 260, 60), _token("现行有效件数", 0, 3, 320, 60),
              _token("规章", 1, 0, 10, 100),
              _token("规范性文件", 2, 0, 10, 140), _token("3", 2, 1, 200, 140)]
    spans = {0: [(0, 150), (190, 250), (250, 310), (310, 370)]}
    cells = cells_to_reread(tokens, [t.bbox for t in tokens], spans)
    assert cells == [CellToRead((192, 98, 248, 114), None, ink_first=True),
                     CellToRead((252, 98, 308, 114), None, ink_first=True),
                     CellToRead((312, 98, 368, 114), None, ink_first=True),
                     CellToRead((252, 138, 308, 154), None, ink_first=True),
                     CellToRead((312, 138, 368, 154), None, ink_first=True)]


def test_a_row_cut_off_onto_the_next_page_has_its_cells_before_its_first_value_read():
    # 四、结转下年度继续办理 alone atop the next page (its own one-row grid): tiny 0s, the first four
    # missed. Every ruled column between its label and its first value is a value cell too.
    tokens = [_token("四、结转下年度继续办理", 0, 0, 10, 100), _token("0", 0, 5, 505, 100),
              _token("0", 0, 6, 605, 100), _token("0", 0, 7, 705, 100)]
    spans = [(0.0, 100.0), *((100.0 * c, 100.0 * c + 100) for c in range(1, 8))]
    cells = cells_to_reread(tokens, [t.bbox for t in tokens], {0: spans})
    assert sorted(round(c.box[0]) // 100 for c in cells) == [1, 2, 3, 4]
    assert all(c.token is None for c in cells)


def test_a_label_only_rows_cell_in_a_ruled_table_is_its_columns_ruled_span():
    # Table 二's 行政许可: its one 0 centred in a cell merged over the block's three columns, off
    # where any column prints its numbers; the ruled span of the column it falls in holds it.
    tokens = [_token("规章", 0, 0, 10, 100), _token("0", 0, 1, 200, 100), _token("0", 0, 2, 310, 100),
              _token("1", 0, 3, 460, 100),
              _token("行政许可", 1, 0, 10, 140)]
    spans = {0: [(0, 150), (150, 300), (300, 420), (420, 560)]}
    cells = cells_to_reread(tokens, [t.bbox for t in tokens], spans)
    assert cells == [CellToRead((152, 138, 298, 154), None, ink_first=True),
                     CellToRead((302, 138, 418, 154), None, ink_first=True),
                     CellToRead((422, 138, 558, 154), None, ink_first=True)]
    # A merged cell's 0 the grid put in column 1 though it prints over column 2: column 1's cell
    # reaches over both its ruled span and its numbers.
    tokens[-1:-1] = [_token("行政处罚", 1, 0, 10, 140), _token("0", 1, 1, 350, 140)]
    tokens[-1] = _token("行政强制", 2, 0, 10, 180)
    cells = [c for c in cells_to_reread(tokens, [t.bbox for t in tokens], spans) if c.box[1] == 178]
    assert cells[0] == CellToRead((152, 178, 362, 194), None, ink_first=True)
