"""Per row, the ways its units can fill its cells: order kept, blank cells wherever the print has
fewer values than cells, glued runs split, units read otherwise (OCR) or dropped as strays.

Each candidate has a cost (negative log-likelihood, 0 = as printed and aligned as the grid says).
Identities that live inside one row (a row total) are checked here already, so each row keeps
its best candidates that satisfy them plus a few that do not (a document may print a wrong total).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

from extraction.decode.evidence import RowEvidence, Unit
from extraction.decode.numbers import parse_cell
from extraction.decode.priors import RowPrior
from extraction.decode.readings import UNSURE_BELOW, Reading, glued_splits, ocr_readings
from extraction.templates import CellKind, Identity

BLANK_COST = 0.2  # a cell left blank: common, but a value is likelier than a stray token
DROP_COST = 6.0  # a unit that belongs to no cell (a stray mark, a footnote digit)
MAX_DROPS = 1  # strays are rare: more than one per row is not looked for
HINT_COST = 2.5  # per cell of distance between where the grid puts a unit and where it goes
MAX_HINT_DISTANCE = 2  # a grid misplaces a value by a cell or two (a lost or merged cell), not more
KEEP_SATISFYING = 48
KEEP_OTHERS = 12
ENOUGH_SATISFYING = 4 * KEEP_SATISFYING  # enumeration stops once this many satisfy the row's identities
SEARCH_BUDGETS = (3.0, 8.0, float("inf"))  # cost bounds of the successive searches
# How far past the cheapest satisfying candidate the last search reaches: a dearer one wins only by
# mending identities across rows, each worth `identity_penalty` (8); `slack` (all of them) would
# make a row of unsure OCR units cost seconds for readings that practically never win.
COMPLETION_SLACK = 6.0


@dataclass(frozen=True)
class SearchBounds:
    """How much of a row's candidate space is searched: candidates found, partial placements tried
    (~1 s a row at 200k placements)."""

    candidates: int
    placements: int


# A row with a glued run needs the wide search (its splits are many and the identities pick one); a
# row of OCR readings only, the narrow one: a photocopy's row of unsure zeros and unread marks would
# otherwise spend a second on readings that never win.
SPLIT_ROW_SEARCH = SearchBounds(candidates=20_000, placements=200_000)
READ_ROW_SEARCH = SearchBounds(candidates=5_000, placements=50_000)


@dataclass(frozen=True)
class CellChoice:
    value: int | float | None
    text: str | None  # the cell's text as chosen (what `value` parses from)
    read: str | None  # the text as read from the document (differs from `text` for an OCR repair)
    unit: int | None  # index of the unit it came from, None for a blank cell


BLANK = CellChoice(None, None, None, None)


@dataclass(frozen=True)
class RowCandidate:
    cells: tuple[CellChoice, ...]
    cost: float
    notes: tuple[str, ...] = ()

    def value_of(self, index: int) -> int | float | None:
        return self.cells[index].value


_INVALID = object()


@lru_cache(maxsize=65536)
def _parsed(text: str, kind: CellKind):
    try:
        return parse_cell(text, kind)
    except ValueError:
        return _INVALID


@dataclass(frozen=True)
class GlueCosts:
    """What blank cells and glued runs cost. In most documents blanks are common and glue is rare. A
    crawled page that glues its cells (the decoder tells, `decoder.glued_document`) prints every
    cell, zeros too: a row's digits fill all its cells, and only a row with fewer digits than cells
    lost some (an empty `<td>` vanishes: `000000` for seven cells)."""

    blank: float = BLANK_COST
    glued: float = 0.0  # on top of the reading's own cost
    fill_every_cell: bool = False


CRAWLED = GlueCosts(blank=2.5, glued=-0.95, fill_every_cell=True)  # -0.95: a split's cost down to 0.05


def _blanks_allowed(units: list[Unit], cells: int, glue: GlueCosts) -> int:
    if not glue.fill_every_cell:
        return cells
    return max(0, cells - sum(_digit_count(u) for u in units))


def _digit_count(unit: Unit) -> int:
    return sum(ch.isdigit() for ch in unit.text)


def _readings_for(units: list[Unit], i: int, cells: int, glue: GlueCosts, blanks_allowed: int) -> list[Reading]:
    unit = units[i]
    readings = ocr_readings(unit)
    # Split a digit run only where the row has more cells than units: glue loses separators.
    if len(units) < cells:
        most = cells - len(units) + 1
        # The cells the other runs cannot fill (one per digit at most) are this run's, but for the
        # blanks allowed: fewer parts need not be tried (a glued page's long runs stay tractable).
        others = sum(min(_digit_count(u), most) for j, u in enumerate(units) if j != i)
        least = max(2, cells - blanks_allowed - others)
        readings += [Reading(r.parts, r.cost + glue.glued, r.changed, r.note) for r in glued_splits(unit.text, most, least)]
    return readings


def row_candidates(evidence: RowEvidence, kinds: list[CellKind], keys: list[str],
                   row_identities: list[Identity], slack: float = float("inf"),
                   glue: GlueCosts = GlueCosts(), prior: RowPrior | None = None) -> list[RowCandidate]:
    """The row's best candidates: those satisfying its in-row identities first, then others.

    `slack` is the most that identities across rows can repay (the identity penalty times their
    number): a candidate dearer than the cheapest one satisfying the in-row identities by more than
    that can never be chosen, so the search prunes it (branch and bound; costs only grow).
    """
    m, units = len(kinds), evidence.units
    if not evidence.printed or not units:
        return [RowCandidate(tuple([BLANK] * m), glue.blank * m if evidence.printed else 0.0)]
    blanks_allowed = _blanks_allowed(units, m, glue)
    # Cheapest first, so the search stops at the first reading past its bound (an unread mark has
    # a hundred readings, and a row of them is placed hundreds of thousands of times).
    readings = [sorted(_readings_for(units, i, m, glue, blanks_allowed), key=lambda r: r.cost) for i in range(len(units))]
    # The value prior weighs splits: only where a glued run can be split at all (elsewhere the print
    # and the identities decide, and the prior would only add noise to blank placement).
    splits = any(len(r.parts) > 1 for unit_readings in readings for r in unit_readings)
    if prior is not None and not splits:
        prior = prior.narrative_only()
    bounds = SPLIT_ROW_SEARCH if splits else READ_ROW_SEARCH
    blank_cost = glue.blank
    # Only an unsure OCR unit may be a stray (a speck read as `1`); dropping a confident print to
    # satisfy an identity would report a number the document does not show. Only where a row
    # has more values than cells at all (the locator took in text that is not the row's: the next
    # label's numbering read into a grid column) are confident units dropped, to fit.
    droppable = [not u.confident and u.confidence < UNSURE_BELOW for u in units]
    max_drops = MAX_DROPS
    if len(units) > m:
        droppable, max_drops = [True] * len(units), max(MAX_DROPS, len(units) - m)
    found: list[tuple[RowCandidate, bool]] = []  # each with whether it satisfies the in-row identities
    index = {key: n for n, key in enumerate(keys)}
    row_terms = [[(index[k], sign) for k, sign in identity.signed_terms] for identity in row_identities]

    def satisfies(candidate: RowCandidate) -> bool:
        return all(abs(sum(sign * (candidate.cells[n].value or 0) for n, sign in terms)) < 1e-6 for terms in row_terms)

    satisfying_found = 0
    bound = float("inf")
    visits = 0  # partial placements tried: a row of many unsure units has exponentially many

    def place(i: int, cells: list[CellChoice], cost: float, notes: tuple[str, ...], drops: int = 0) -> None:
        """Fill cells from `len(cells)` on with units from `i` on; `cost` already counts the blank
        cells skipped so far, so it only grows and bounds what any completion can cost."""
        nonlocal satisfying_found, bound, visits
        visits += 1
        if (len(found) >= bounds.candidates or satisfying_found >= ENOUGH_SATISFYING or cost > bound
                or visits > bounds.placements):
            return
        if i == len(units):
            if sum(c.unit is None for c in cells) + m - len(cells) > blanks_allowed:
                return
            filled = tuple(cells + [BLANK] * (m - len(cells)))
            row_cost = prior.row_cost([c.value for c in filled]) if prior is not None else 0.0
            candidate = RowCandidate(filled, cost + blank_cost * (m - len(cells)) + row_cost, notes)
            ok = satisfies(candidate)
            found.append((candidate, ok))
            if ok:
                satisfying_found += 1
                bound = min(bound, candidate.cost + slack)
            return
        unit = units[i]
        still_to_place = len(units) - i - 1 - min(max_drops - drops, sum(droppable[i + 1:]))
        for reading in readings[i]:
            if cost + reading.cost > bound:
                break  # and so is every reading after it
            k = len(reading.parts)
            # Fewest blanks this reading can leave: the cells neither it nor the units after can fill.
            least_blanks = max(0, m - len(cells) - k - (len(units) - i - 1))
            if cost + reading.cost + blank_cost * least_blanks > bound:
                continue
            # Positions past the blanks still allowed are never tried (a glued page allows few or none).
            blanks_left = blanks_allowed - sum(c.unit is None for c in cells)
            for positions in itertools.combinations(range(len(cells), min(m, len(cells) + k + blanks_left)), k):
                # Dead end: the units still to come cannot all fit (beyond the drops left).
                if m - positions[-1] - 1 < still_to_place:
                    continue
                extra = reading.cost + blank_cost * (positions[-1] + 1 - len(cells) - k)
                if unit.column_hint is not None:
                    distances = [abs(p - (unit.column_hint + n)) for n, p in enumerate(positions)]
                    if max(distances) > MAX_HINT_DISTANCE:
                        continue
                    extra += HINT_COST * sum(distances)
                if cost + extra > bound:
                    continue
                if sum(c.unit is None for c in cells) + positions[-1] + 1 - len(cells) - k > blanks_allowed:
                    continue
                new_cells = list(cells)
                valid = True
                for position, part in zip(positions, reading.parts):
                    new_cells += [BLANK] * (position - len(new_cells))
                    value = _parsed(part, kinds[position])
                    if value is _INVALID:
                        valid = False
                        break
                    read = part if not reading.changed else unit.text
                    new_cells.append(CellChoice(value, part, read, i))
                    if prior is not None:
                        extra += prior.cell_cost(position, value)
                if valid and cost + extra <= bound:
                    note = (f"{reading.note} as {'+'.join(reading.parts)}",) if reading.note else ()
                    place(i + 1, new_cells, cost + extra, notes + note, drops)
        # Dropping comes last: the search stops early once enough candidates are found, so it must
        # meet the likeliest ones (every unit kept) first.
        if drops < max_drops and droppable[i]:
            place(i + 1, cells, cost + DROP_COST, notes + (f"dropped {units[i].text!r}",), drops + 1)

    # Iterative deepening: the search goes depth first and stops at `bounds.candidates`, so a row of
    # many unsure OCR units could spend it all under the first unit's likeliest reading (`一` as 1)
    # and never meet a second one (`一` as a none mark) that the row's total needs. So readings are
    # first bounded by small budgets; what each pass finds is kept; the last pass reaches past the
    # cheapest satisfying one by `slack`, at most COMPLETION_SLACK.
    for budget in SEARCH_BUDGETS:
        bound = budget
        place(0, [], 0.0, ())
        cheapest = min((c.cost for c, ok in found if ok), default=None)
        if cheapest is not None:
            reach = cheapest + min(slack, COMPLETION_SLACK)
            if reach > budget and len(found) < bounds.candidates:
                bound = reach
                place(0, [], 0.0, ())
            break

    unique: dict[tuple, tuple[RowCandidate, bool]] = {}
    for candidate, ok in sorted(found, key=lambda entry: entry[0].cost):
        unique.setdefault(tuple((c.value, c.unit) for c in candidate.cells), (candidate, ok))
    ranked = list(unique.values())
    if not ranked and glue.fill_every_cell:  # the run cannot fill every cell after all: let blanks in
        return row_candidates(evidence, kinds, keys, row_identities, slack,
                              GlueCosts(glue.blank, glue.glued, fill_every_cell=False), prior)
    if not ranked:  # no reading fits any cell: the row stays blank, every value reported as dropped
        notes = tuple(f"dropped {u.text!r}: it fits no cell of the row" for u in units)
        return [RowCandidate(tuple([BLANK] * m), DROP_COST * len(units) + blank_cost * m, notes)]
    satisfying = [c for c, ok in ranked if ok][:KEEP_SATISFYING]
    others = [c for c, ok in ranked if not ok][:KEEP_OTHERS]
    return sorted(satisfying + others, key=lambda c: c.cost)
