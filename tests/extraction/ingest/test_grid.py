import numpy as np

from extraction.document import GridPosition, Token
from extraction.ingest.grid import PageTables, find_tables, line_masks_from_edges, line_masks_from_image, number_grids
from extraction.ingest.reading_order import lines_in_reading_order
from tests.extraction.ingest.conftest import as_array, draw_table


def _edges_of_grid(x0, y0, widths, heights, skip_h=()):
    """Vector edges of a ruled table; `skip_h` leaves out inner horizontal lines (row, col) to span cells."""
    xs = np.cumsum([x0] + widths)
    ys = np.cumsum([y0] + heights)
    edges = []
    for i, y in enumerate(ys):
        for j in range(len(widths)):
            if (i, j) not in skip_h:
                edges.append((xs[j], y, xs[j + 1], y))
    for x in xs:
        edges.append((x, ys[0], x, ys[-1]))
    return edges


def test_spanned_cell_gets_its_top_left_position():
    # Three rows; column 0's line between rows 0 and 1 is missing: one cell spanning two rows.
    edges = _edges_of_grid(50, 50, [100, 60, 60], [20, 20, 20], skip_h={(1, 0)})
    masks = line_masks_from_edges(edges, (400, 200), 1.0)
    [table] = find_tables(*masks)
    table.table_id = 0
    assert len(table.row_edges) == 4 and len(table.col_edges) == 4
    assert table.locate(100, 80) == (0, 0)  # lower half of the spanned cell
    assert table.locate(180, 80) == (1, 1)
    assert table.locate(250, 105) == (2, 2)
    assert table.locate(10, 10) is None


def test_tables_split_across_pages_are_stitched():
    page_edges = [_edges_of_grid(50, 500, [100, 60, 60], [20] * 10), _edges_of_grid(50, 60, [100, 60, 60], [20] * 3)]
    pages = []
    for edges in page_edges:
        tables = find_tables(*line_masks_from_edges(edges, (400, 720), 1.0))
        token = Token("7", bbox=(175, 65, 185, 75))  # first row of its page, column 1
        pages.append(PageTables(tables, (400, 720), [token], [token.bbox]))
    number_grids(pages)
    assert pages[0].tables[0].table_id == pages[1].tables[0].table_id == 0
    assert pages[1].tokens[0].grid == GridPosition(0, 10, 1)  # counts on from the 10 rows of page 1


def test_unrelated_tables_get_their_own_ids():
    edges = _edges_of_grid(50, 50, [100, 60], [20, 20]) + _edges_of_grid(50, 300, [80, 80, 80], [20, 20])
    tables = find_tables(*line_masks_from_edges(edges, (400, 500), 1.0))
    pages = [PageTables(tables, (400, 500), [], [])]
    number_grids(pages)
    assert [t.table_id for t in tables] == [0, 1]


def test_ruling_lines_found_in_an_image():
    image = draw_table({(0, 0): ("a", 2, 1), (0, 1): ("1", 1, 1), (1, 1): ("2", 1, 1)}, 2, 2)
    gray = as_array(image)[:, :, 0]
    [table] = find_tables(*line_masks_from_image(gray))
    assert len(table.row_edges) == 3 and len(table.col_edges) == 3
    table.table_id = 0
    assert table.locate(60 + 75, 80 + 84) == (0, 0)  # lower half of the spanned label cell
    assert table.locate(60 + 225, 80 + 84) == (1, 1)


def test_reading_order_groups_lines_by_vertical_centre():
    tokens = [Token("c", bbox=(50, 40, 60, 52)), Token("b", bbox=(30, 11, 40, 21)), Token("a", bbox=(10, 10, 20, 20))]
    lines = lines_in_reading_order(tokens)
    assert [[t.text for t in line.tokens] for line in lines] == [["a", "b"], ["c"]]


def test_a_wrapped_label_line_never_merges_with_the_line_under_it():
    # A label wrapped in its cell, values centred on the row between its two lines.
    tokens = [Token("(二)部分公开（区分处理的", bbox=(10, 100, 200, 112)), Token("4", bbox=(300, 106, 308, 118)),
              Token("计其他情形)", bbox=(10, 113, 90, 125))]
    lines = lines_in_reading_order(tokens)
    assert [[t.text for t in line.tokens] for line in lines] == [["(二)部分公开（区分处理的", "4"], ["计其他情形)"]]


def test_reading_order_judged_in_the_straightened_boxes_when_given():
    # In the skewed page the right cell sits a line higher; straightened, both share one line.
    tokens = [Token("行政许可", bbox=(10, 120, 80, 132)), Token("550", bbox=(400, 100, 430, 112))]
    straight = [(10, 110, 80, 122), (400, 110, 430, 122)]
    assert [[t.text for t in line.tokens] for line in lines_in_reading_order(tokens, straight)] == [["行政许可", "550"]]


def test_an_open_sided_table_keeps_its_label_column():
    # No left rule: the horizontal rules run on to where the label column begins.
    edges = [e for e in _edges_of_grid(50, 50, [100, 60, 60], [20, 20]) if not (e[0] == e[2] == 50)]
    [table] = find_tables(*line_masks_from_edges(edges, (400, 200), 1.0))
    table.table_id = 0
    assert table.locate(80, 80) == (1, 0)
    assert table.locate(180, 80) == (1, 1)


def _photocopied_table(gaps: bool = False, streak: bool = False, tight_digits: bool = False) -> np.ndarray:
    """A 3×4-column ruled table on a white page, drawn 1 px thin as a 100–150 dpi photocopy prints it."""
    page = np.full((1000, 700), 255, np.uint8)
    xs, ys = [100, 250, 350, 450, 550], [300, 330, 360, 390]
    for y in ys:
        page[y, xs[0]:xs[-1] + 1] = 0
    for x in xs:
        page[ys[0]:ys[-1] + 1, x] = 0
    if gaps:  # toner drop-outs in every rule
        page[ys[1], 180:186] = 255
        page[ys[2], 400:405] = 255
        page[340:345, xs[2]] = 255
    if tight_digits:  # a `1` in each value cell whose stroke nearly touches both rules of its row
        for x in (300, 400, 500):
            for top in ys[:-1]:
                page[top + 4:top + 24, x:x + 2] = 0
    if streak:  # a photocopier's dotted streak down the whole page, through the label column
        page[::3, 170] = 0
        page[1::3, 170] = 0
    return page


def test_a_glyph_stroke_nearly_touching_tight_rules_is_no_column():
    [table] = find_tables(*line_masks_from_image(_photocopied_table(tight_digits=True)))
    assert [round(c) for c in table.col_edges] == [100, 250, 350, 450, 550]


def test_rules_broken_by_drop_outs_still_make_one_table():
    tables = find_tables(*line_masks_from_image(_photocopied_table(gaps=True)))
    assert len(tables) == 1
    assert len(tables[0].row_edges) == 4 and len(tables[0].col_edges) == 5


def test_a_streak_down_the_page_is_no_column():
    [table] = find_tables(*line_masks_from_image(_photocopied_table(streak=True)))
    assert [round(c) for c in table.col_edges] == [100, 250, 350, 450, 550]
    assert table.bbox[1] >= 295 and table.bbox[3] <= 395  # the streak does not stretch the table


def test_a_rule_printed_as_two_close_lines_is_one_row_edge():
    page = _photocopied_table()
    page[364, 100:551] = 0  # a thick rule whose middle the binarisation lost: two lines 4 px apart
    [table] = find_tables(*line_masks_from_image(page))
    assert len(table.row_edges) == 4
    assert 360 <= table.row_edges[2] <= 364


def test_a_long_stroke_inside_a_cell_is_no_row_edge():
    page = _photocopied_table()
    page[345, 365:435] = 0  # a heading's bar or an underline in a value cell, short of both rules
    [table] = find_tables(*line_masks_from_image(page))
    assert [round(r) for r in table.row_edges] == [300, 330, 360, 390]
