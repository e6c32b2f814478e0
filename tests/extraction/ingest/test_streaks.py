import cv2
import numpy as np

from extraction.ingest.streaks import find_streaks, without_streaks

PX_PER_MM = 150 / 25.4


def _table() -> np.ndarray:
    """A 150 dpi page: a ruled table of `0`s in the middle, margins above and below it."""
    page = np.full((1200, 900, 3), 235, np.uint8)
    for row in range(300, 900, 40):
        for x in range(100, 800, 100):
            cv2.rectangle(page, (x, row), (x + 100, row + 40), (20, 20, 20), 1)
            cv2.putText(page, "0", (x + 42, row + 30), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (20, 20, 20), 2)
    return page


def _page(rng: np.random.Generator) -> np.ndarray:
    """The table with a dotted 3 px streak down the whole page at x 402 and a solid 1 px one at x 650,
    through a column of 0s."""
    page = _table()
    page[rng.random(1200) < 0.3, 402:405] = 30
    page[:, 650] = 60
    return page


def test_streaks_are_found_through_both_margins_and_table_rules_are_not():
    page = _page(np.random.default_rng(1))
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    assert find_streaks(gray, PX_PER_MM) == [(402, 405), (650, 651)]
    unstreaked = np.full((1200, 900, 3), 235, np.uint8)
    unstreaked[300:900] = page[300:900]  # the table alone: its rules stop at its outline
    unstreaked[300:900, 402:405] = _page(np.random.default_rng(2))[300:900, 399:402]
    unstreaked[300:900, 650] = unstreaked[300:900, 649]
    assert find_streaks(cv2.cvtColor(unstreaked, cv2.COLOR_RGB2GRAY), PX_PER_MM) == []
    assert find_streaks(np.zeros((1, 1), np.uint8), PX_PER_MM) == []  # too small to hold one


def test_a_streak_is_painted_over_and_the_digit_it_crossed_kept():
    page = _page(np.random.default_rng(1))
    cleaned = without_streaks(page, find_streaks(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), PX_PER_MM))
    assert cleaned[:300, 402:405].min() == 235 and cleaned[901:, 650].min() == 235  # the margins: paper again
    assert (cleaned[:, :399] == page[:, :399]).all()  # nothing else touched
    assert cleaned[300, 402:405].max() < 100  # a rule the streak crossed runs on
    digits = np.s_[300:900, 640:662]  # the column of 0s the solid streak ran through
    clean = _table()
    left_error = np.abs(cleaned[digits].astype(int) - clean[digits]).mean()
    assert left_error < np.abs(page[digits].astype(int) - clean[digits]).mean() / 3
    assert without_streaks(page, []) is page
