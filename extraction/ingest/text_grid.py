"""Table grids from the text's own geometry, where ruling lines were not found.

Photocopies lose thin rules, phone photos bend them, shaded rows and open table sides break them:
then the tokens of a table get no grid cell, and a row's label (wrapped over two or three lines
of its cell, centred on the row) and its values come out as unrelated lines. But a table's
values still stand in rows and columns. So, among the tokens no ruling grid holds:

- a *value line* is a line holding a number token (a whole OCR box that is a number);
- consecutive value lines, with the label lines around them, form a table; it ends at a line
  with text over its value columns (a heading, the narrative, another table's header);
- its columns are clusters of the value tokens' x-centres; each value line is a grid row;
- label tokens (left of the value columns) belong to the value line nearest their centre: a
  label cell's lines are centred on their row, and rows are further apart than text lines.

Tokens get `GridPosition(table, row, column)` as from ruling lines: column 0 holds the labels,
value columns count from 1. Boxes are in the straightened image, where lines run level.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from extraction.document import GridPosition, Token
from extraction.ingest.reading_order import Box, group_lines

# A whole box that is one table number: counts, signed changes, money with its unit.
_NUMBER = re.compile(r"^[-+－减增]?\d[\d,，]*(?:[.．]\d+)?(?:万元|元)?$")
# A page number printed under the text (`- 3 -`, `3`): never a table row.
_PAGE_NUMBER = re.compile(r"^[-—–]?\s*\d{1,3}\s*[-—–]?$")
COLUMN_GAP = 1.5  # text heights between value columns (cells are wider than that)
MAX_ROW_GAP = 5.0  # text heights between two rows of one table
PAGE_FOOT = 0.92  # share of the page height below which a lone number is a page number


def is_number_text(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


@dataclass
class _Table:
    value_lines: list[list[int]] = field(default_factory=list)
    label_lines: list[list[int]] = field(default_factory=list)

    def values_left(self, boxes: list[Box], numbers: set[int]) -> float:
        return min(boxes[i][0] for line in self.value_lines for i in line if i in numbers)


def _is_page_number(line: list[int], tokens: list[Token], boxes: list[Box], page_height: float) -> bool:
    return len(line) == 1 and boxes[line[0]][1] > PAGE_FOOT * page_height and bool(_PAGE_NUMBER.match(tokens[line[0]].text))


def _tables(lines: list[list[int]], tokens: list[Token], boxes: list[Box], numbers: set[int], height: float,
            page_height: float) -> list[_Table]:
    tables: list[_Table] = []
    current: _Table | None = None
    pending: list[list[int]] = []  # label lines since the last value line (or above the first)

    def close() -> None:
        nonlocal current, pending
        if current is not None:
            current.label_lines += [p for p in pending if _near_rows(p, current, boxes, height)]
        current, pending = None, []

    def bottom(line: list[int]) -> float:
        return max(boxes[i][3] for i in line)

    for line in lines:
        top = min(boxes[i][1] for i in line)
        if current is not None and top - bottom(current.value_lines[-1]) > MAX_ROW_GAP * height:
            close()
        if any(i in numbers for i in line) and not _is_page_number(line, tokens, boxes, page_height):
            if current is None:
                current = _Table()
                tables.append(current)
                left = min(boxes[i][0] for i in line if i in numbers)
                pending = [p for p in pending if max(boxes[i][2] for i in p) < left]
            current.label_lines += pending
            current.value_lines.append(line)
            pending = []
        elif current is not None and max(boxes[i][2] for i in line) < current.values_left(boxes, numbers):
            pending.append(line)  # a label line: part of this table if it lies within a row's reach
        else:
            close()
            # Outside a table: the lines just above one may be the first lines of its first label.
            if pending and top - bottom(pending[-1]) > height:
                pending = []
            pending.append(line)
    close()
    return tables


def _near_rows(line: list[int], table: _Table, boxes: list[Box], height: float) -> bool:
    """A label line after the last value line belongs to the table only within a row's reach of it."""
    last = table.value_lines[-1]
    return min(boxes[i][1] for i in line) - max(boxes[i][3] for i in last) < 2 * height


def _columns(centres: list[float], gap: float) -> list[float]:
    """Cluster centres of value columns, left to right."""
    ordered = sorted(centres)
    clusters: list[list[float]] = [[ordered[0]]]
    for x in ordered[1:]:
        if x - clusters[-1][-1] > gap:
            clusters.append([x])
        else:
            clusters[-1].append(x)
    return [statistics.mean(c) for c in clusters]


def assign_text_grids(tokens: list[Token], boxes: list[Box], page_height: float, first_table_id: int) -> int:
    """Give the tokens of ruling-less tables grid positions; returns the next free table id."""
    free = [i for i, t in enumerate(tokens) if t.grid is None]
    if not free:
        return first_table_id
    height = statistics.median(boxes[i][3] - boxes[i][1] for i in free) or 1.0
    numbers = {i for i in free if is_number_text(tokens[i].text)}
    lines = [[free[j] for j in line] for line in group_lines([boxes[i] for i in free])]
    table_id = first_table_id
    for table in _tables(lines, tokens, boxes, numbers, height, page_height):
        value_tokens = [i for line in table.value_lines for i in line if i in numbers]
        columns = _columns([(boxes[i][0] + boxes[i][2]) / 2 for i in value_tokens], COLUMN_GAP * height)
        left = min(boxes[i][0] for i in value_tokens)
        centres = [statistics.mean((boxes[i][1] + boxes[i][3]) / 2 for i in line) for line in table.value_lines]

        def column_of(i: int) -> int:
            x = (boxes[i][0] + boxes[i][2]) / 2
            if i not in numbers and boxes[i][2] <= left:
                return 0
            return 1 + min(range(len(columns)), key=lambda c: abs(columns[c] - x))

        for row, line in enumerate(table.value_lines):
            for i in line:
                tokens[i].grid = GridPosition(table_id, row, column_of(i))
        for line in table.label_lines:
            for i in line:
                y = (boxes[i][1] + boxes[i][3]) / 2
                row = min(range(len(centres)), key=lambda r: abs(centres[r] - y))
                tokens[i].grid = GridPosition(table_id, row, column_of(i))
        table_id += 1
    return table_id


ROW_SPLIT = 100  # sub-rows per ruled row: row r's k-th line of numbers becomes row r·100 + k


def split_merged_rows(tokens: list[Token], boxes: list[Box]) -> None:
    """Ruled rows holding several lines of numbers: the rules between them were lost (a curled
    photo bends them out of the line detector's reach), so one grid row holds several printed
    rows. Each line of numbers becomes a row of its own, and every token of the ruled row goes to
    the line nearest its centre. Rows are renumbered `row · ROW_SPLIT + line`, which keeps their
    order and their numbering across pages."""
    by_row: dict[tuple[int, int], list[int]] = {}
    for i, token in enumerate(tokens):
        if token.grid is not None:
            by_row.setdefault((token.grid.table, token.grid.row), []).append(i)
    for (table, row), members in by_row.items():
        numbers = [i for i in members if tokens[i].grid.column > 0 and is_number_text(tokens[i].text)]
        bands = group_lines([boxes[i] for i in numbers]) if numbers else []
        centres = [statistics.mean((boxes[numbers[j]][1] + boxes[numbers[j]][3]) / 2 for j in band) for band in bands]
        for i in members:
            y = (boxes[i][1] + boxes[i][3]) / 2
            line = min(range(len(centres)), key=lambda k: abs(centres[k] - y)) if len(centres) > 1 else 0
            tokens[i].grid = GridPosition(table, row * ROW_SPLIT + line, tokens[i].grid.column)
