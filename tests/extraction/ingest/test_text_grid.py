from extraction.document import Token
from extraction.ingest.text_grid import assign_text_grids


def _row(y, label, values, x_label=20, x0=300, step=60, h=12):
    tokens = [Token(label, bbox=(x_label, y, x_label + 12 * len(label), y + h))] if label else []
    for n, value in enumerate(values):
        if value is not None:
            x = x0 + n * step
            tokens.append(Token(value, bbox=(x, y, x + 8 * len(value), y + h)))
    return tokens


def test_rows_and_columns_of_a_table_without_rules():
    tokens = (_row(100, "", ["自然人", "商业企业", "总计"]) +  # a header line over the value columns
              _row(140, "一、本年新收", ["5", "0", "5"]) +
              _row(180, "二、上年结转", ["1", None, "1"]) +  # a blank cell keeps its column
              _row(214, "（二）部分公开（区分处理", []) + _row(226, "", ["4", "0", "4"]) +
              _row(238, "的，不计其他情形）", []) +
              _row(400, "五、存在的主要问题及改进情况：这一行是叙述，跨过了数字列。", []))
    boxes = [t.bbox for t in tokens]
    assert assign_text_grids(tokens, boxes, 1400, first_table_id=3) == 4
    grid = {t.text: t.grid for t in tokens}
    assert grid["自然人"] is None and grid["五、存在的主要问题及改进情况：这一行是叙述，跨过了数字列。"] is None
    assert (grid["一、本年新收"].table, grid["一、本年新收"].row, grid["一、本年新收"].column) == (3, 0, 0)
    assert [(t.grid.row, t.grid.column) for t in tokens if t.text == "1"] == [(1, 1), (1, 3)]
    # Both lines of the wrapped label belong to the row whose values they surround.
    assert grid["（二）部分公开（区分处理"].row == grid["的，不计其他情形）"].row == 2
    assert [(t.grid.row, t.grid.column) for t in tokens if t.text == "4"] == [(2, 1), (2, 3)]


def test_a_page_number_is_no_table():
    tokens = [Token("3", bbox=(296, 1350, 304, 1362))]  # a lone number at the foot of the page
    assert assign_text_grids(tokens, [t.bbox for t in tokens], 1400, 0) == 0
    assert tokens[0].grid is None


def test_a_ruled_row_holding_two_printed_rows_is_split():
    from extraction.document import GridPosition
    from extraction.ingest.text_grid import ROW_SPLIT, split_merged_rows

    def at(text, row, column, y, x):
        return Token(text, bbox=(x, y, x + 10, y + 12), grid=GridPosition(0, row, column))

    # The rule between 一、 and 二、 was lost: one ruled row (2) holds both; row 3 is whole.
    tokens = [at("一、本年新收", 2, 0, 100, 10), at("二、上年结转", 2, 0, 130, 10), at("501", 2, 1, 100, 200),
              at("0", 2, 1, 130, 200), at("513", 2, 2, 100, 260), at("2", 2, 2, 130, 260),
              at("(一)予以公开", 3, 0, 170, 10), at("7", 3, 1, 170, 200)]
    split_merged_rows(tokens, [t.bbox for t in tokens])
    rows = {t.text: t.grid.row for t in tokens}
    assert rows["一、本年新收"] == rows["501"] == rows["513"] == 2 * ROW_SPLIT
    assert rows["二、上年结转"] == rows["0"] == rows["2"] == 2 * ROW_SPLIT + 1
    assert rows["(一)予以公开"] == rows["7"] == 3 * ROW_SPLIT
