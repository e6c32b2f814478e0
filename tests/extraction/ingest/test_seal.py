import cv2
import numpy as np
import pytest

from extraction.ingest.grid import find_tables, line_masks_from_image
from extraction.ingest.seal import SealRing, crosses, find_seal_rings, without_ring_arcs, without_seal_rings

PX_PER_MM = 150 / 25.4


def _page_with_a_seal(colour=(90, 90, 90)):
    """A 150 dpi page part: a table's last row of cells with `0`s, a 34 mm seal's ring over two of them."""
    page = np.full((700, 900, 3), 235, np.uint8)
    for x in range(100, 800, 100):
        cv2.rectangle(page, (x, 100), (x + 100, 140), (20, 20, 20), 1)
        cv2.putText(page, "0", (x + 42, 130), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (20, 20, 20), 2)
    cv2.circle(page, (560, 220), 100, colour, 5)
    cv2.putText(page, "AGENCY", (450, 230), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (20, 20, 20), 2)
    return page


def test_a_seals_ring_is_found_by_its_shape_and_size_and_not_in_a_table():
    page = _page_with_a_seal()
    [ring] = find_seal_rings(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), PX_PER_MM)
    assert abs(ring.x - 560) < 4 and abs(ring.y - 220) < 4 and ring.inner < 100 < ring.outer
    assert crosses(ring, (500, 100, 600, 140)) and not crosses(ring, (100, 100, 200, 140))
    assert not crosses(ring, (520, 200, 600, 240))  # inside the ring, clear of its stroke
    table_only = np.full((700, 900, 3), 235, np.uint8)
    for x in range(100, 800, 100):
        cv2.rectangle(table_only, (x, 100), (x + 100, 140), (20, 20, 20), 1)
    assert find_seal_rings(cv2.cvtColor(table_only, cv2.COLOR_RGB2GRAY), PX_PER_MM) == []


def test_a_grey_ring_is_wiped_and_the_print_beside_it_kept():
    page = _page_with_a_seal()
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    wiped = without_seal_rings(page, find_seal_rings(gray, PX_PER_MM))
    assert wiped[320, 560].min() > 200  # the ring's bottom, alone: paper now
    assert (wiped[100:140, 140:160] == page[100:140, 140:160]).all()  # a cell clear of the ring: untouched
    assert without_seal_rings(page, []) is page
    blank = np.full((300, 300, 3), 235, np.uint8)  # a ring found where nothing is inked any more
    assert without_seal_rings(blank, [SealRing(150, 150, 90, 95)]) is blank


def test_a_rings_arc_across_a_row_is_no_rule_of_the_grid():
    """A ring whose top runs through the middle of a table's last row, rule to rule across one
    cell: that straight run would split the row in two; the table's own rules, which the ring
    crosses, stay."""
    page = np.full((700, 900), 235, np.uint8)
    for y in (60, 100, 140):
        cv2.line(page, (100, y), (820, y), 20, 2)
    for x in range(100, 821, 60):  # narrow cells, as table 四 prints them
        cv2.line(page, (x, 60), (x, 140), 20, 2)
    cv2.circle(page, (550, 220), 100, 90, 6)  # its top at y = 117, mid-row, across the cell 520–580
    masks = line_masks_from_image(page)
    [ringed] = find_tables(*masks)
    assert [round(y) for y in ringed.row_edges] == [60, 100, 120, 140]  # the arc taken for a rule
    rings = find_seal_rings(page, PX_PER_MM)
    [table] = find_tables(*(without_ring_arcs(mask, rings) for mask in masks))
    assert [round(y) for y in table.row_edges] == [60, 100, 140]
    assert len(table.col_edges) == len(ringed.col_edges) == 13
    assert all(without_ring_arcs(mask, []) is mask for mask in masks)


def test_an_image_too_small_for_a_seal_has_none():
    assert find_seal_rings(np.full((1, 1), 255, np.uint8), PX_PER_MM) == []


def test_a_red_ring_is_left_to_colour_removal():
    page = _page_with_a_seal(colour=(200, 30, 30))
    rings = find_seal_rings(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), PX_PER_MM)
    assert rings and without_seal_rings(page, rings) is page


@pytest.mark.heavy
def test_the_bundled_scans_cells_under_its_seal_are_read():
    """The bundled scan's seal runs through 复议后起诉's last cells: every field still comes out right."""
    import json
    from pathlib import Path

    from extraction.pipeline import ExtractOptions, Extractor
    from extraction.templates import load_templates

    path = Path(__file__).resolve().parents[3] / "data" / "samples" / "00009_scan.pdf"
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["fields"]
    fields = Extractor(ExtractOptions(), load_templates()).extract(path)["fields"]
    after_review = {k: v for k, v in gold.items() if k.startswith("review_litigation.litigation_after_review")}
    assert {k: fields[k]["value"] for k in after_review} == after_review
    assert [k for k, v in gold.items() if fields[k]["value"] != v] == []
