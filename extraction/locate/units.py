"""A value's text in the locator's stream as the decoder reads it (`Unit`): its token's confidence,
page, box or offset, and the cell the grid or the row's separators put it in — for the rule-based
locator and the model-based one alike."""

from __future__ import annotations

from dataclasses import replace

from extraction.decode.evidence import Unit
from extraction.decode.readings import stands_for_digits
from extraction.locate.stream import TextStream
from extraction.templates import TableSpec

LOOK_ALIKE_CONFIDENCE = 0.9  # at most: a letter where a digit stands makes the whole token unsure


def _field_hint(text: str, position: int, cells: int) -> int | None:
    """The cell index of the value at `position` in a flattened table row that keeps its cell
    boundaries: tab-separated (`label\t\t5\t\t1`) or a markdown pipe row (`| label | 5 |  | 1 |`).
    A blank cell is still an empty field there, so the row's last `cells` fields are its cells."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    separator = "\t" if "\t" in line else "|" if line.count("|") > 2 else None
    if separator is None:
        return None
    fields = line.split(separator)
    ends, offset = [], 0
    for field_text in fields:
        offset += len(field_text) + 1
        ends.append(offset)
    index = next(i for i, end in enumerate(ends) if position - line_start < end)
    if separator == "|" and line.strip().startswith("|") and line.strip().endswith("|"):
        # A markdown row marks both its ends: every field between the outer pipes is a cell.
        first, last = 1, len(fields) - 1
    else:
        first = 0
        while first < len(fields) and not fields[first].strip():
            first += 1  # leading empty fields: indentation
        last = len(fields)
        while last > first and not fields[last - 1].strip():
            last -= 1  # trailing ones: a closing tab (a blank last cell cannot be told from it)
    if last - first - 1 < cells or not first <= index < last:
        return None  # fewer fields than the row has cells: the copy did not keep every boundary
    return index - (last - cells)


def unit_at(stream: TextStream, start: int, text: str, table: TableSpec, cells: int) -> Unit:
    """The value text at `start` of the stream as the decoder reads it: its token's confidence,
    page, box or offset, and the cell index the grid or the row's separators give it."""
    span = stream.span_at(start)
    if span is None:
        return Unit(text, position=start)
    token = span.token
    scores = token.char_confidences
    if scores is not None and len(scores) == len(token.text):
        inside = start - span.start
        scores = tuple(scores[inside:inside + len(text)])
    else:
        scores = None
    confidence = token.confidence
    if stands_for_digits(text):  # the unread mark's own confidence (0.5) is below the cap already
        confidence = min(confidence, LOOK_ALIKE_CONFIDENCE)
    hint = None
    if token.grid is not None:
        # Value cells are the grid's last `cells` columns (matrix), from column 1 (blocks, after
        # the label column), or all of them (wide: no label column).
        columns = stream.table_columns.get(token.grid.table, 0)
        hint = token.grid.column - {"blocks": 1, "wide": 0}.get(table.layout, columns - cells)
    elif stream.offsets_are_document_offsets:
        hint = _field_hint(stream.text, start, cells)
    return Unit(text, confidence=confidence, char_confidences=scores, confident=not span.ocr,
                page=span.page, bbox=token.bbox, offset=start if stream.offsets_are_document_offsets else None,
                column_hint=hint, position=start)


def hints_kept_where_the_grid_fits(units: list[Unit], cells: int) -> list[Unit]:
    """A row's units without their column hints when none of them falls in one of the row's cells,
    or one falls past its last cell: the grid found other columns than the table prints (a
    photocopy's streaks as rules, blocks read as one wide table), and its hints would drop values
    as fitting no cell. (A hint before the first cell stays: a stray in the label column.)"""
    hinted = [u.column_hint for u in units if u.column_hint is not None]
    if not hinted or (any(0 <= hint < cells for hint in hinted) and max(hinted) < cells):
        # A grid cell holding two numbers is several columns whose rules the copy lost (or a
        # seal's ring broke): its numbers take as many columns, and the columns after it move
        # along, where the row then still fits; else those numbers are placed by their order,
        # the rest of the row by the grid.
        widened = _columns_widened(units)
        if max((u.column_hint for u in widened if u.column_hint is not None), default=-1) < cells:
            return widened
        shared = {hint for hint in hinted if hinted.count(hint) > 1}
        return [replace(u, column_hint=None) if u.column_hint in shared else u for u in units]
    return [replace(u, column_hint=None) for u in units]


def _columns_widened(units: list[Unit]) -> list[Unit]:
    """Hints renumbered as if each grid column holding k numbers were k columns."""
    hinted = [u.column_hint for u in units if u.column_hint is not None]
    taken: dict[int, int] = {}
    widened = []
    for u in units:
        if u.column_hint is None:
            widened.append(u)
            continue
        before = sum(hinted.count(c) - 1 for c in set(hinted) if c < u.column_hint)
        widened.append(replace(u, column_hint=u.column_hint + before + taken.get(u.column_hint, 0)))
        taken[u.column_hint] = taken.get(u.column_hint, 0) + 1
    return widened
