"""Rows found by structure where their labels cannot be found by lookup.

OCR garbles small print (`1. 属于国军秘密`, `(三)不平公开`, `本单度办理结果`) and a lookup misses such
labels. But a table's rows come in the template's order: between two rows that were found, the
printed lines holding values are the rows in between, in order. So the rows still missing are
aligned to those lines as sequences (Needleman–Wunsch: each row matched to one line or to none,
order kept), scoring each pairing by how much of the row's label the line shows and whether
its values fit the row's cells. Label similarity is one score among several, not a gate: a
line printing exactly as many values as the row has cells may stand for it by its place in the
order alone, and when as many value lines lie between two found rows as rows are missing
there, so may a line with fewer (blank cells) or one more (a speck read as a digit).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

MIN_SIMILARITY = 0.45  # of a label's characters a line must show to be its row on its own
COUNT_FIT_BONUS = 0.3  # the line prints exactly as many values as the row has cells
STRUCTURE_BONUS = 0.5  # as many value lines as missing rows: order pairs them
TOO_MANY_VALUES = -1.0  # more values than cells: likely not this row
ONE_TOO_MANY = -0.2  # one value more than cells: a speck or a stray mark read as a digit


@dataclass(frozen=True)
class ValueLine:
    """A printed line of a table region: its label text and where its values are."""

    label: str  # the text before the values, white space removed
    values_start: int  # stream position of the first value
    end: int  # stream position where the line ends
    n_values: int


@dataclass(frozen=True)
class MissingRow:
    key: str
    labels: tuple[str, ...]  # compact printed labels (canonical first), numbering kept
    cells: int


def label_similarity(label: str, printed: str) -> float:
    """The share of the label's characters that the printed text shows, in order."""
    if not label:
        return 0.0
    matcher = SequenceMatcher(None, label, printed, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(label)


def row_likeness(row: MissingRow, line: ValueLine) -> float:
    """How much of the row's label (its likeliest print) the line shows."""
    return max(label_similarity(label, line.label) for label in row.labels)


def _pair_score(row: MissingRow, line: ValueLine, by_structure: bool) -> float | None:
    """How well a line stands for a row; None where it cannot be that row."""
    similarity = row_likeness(row, line)
    if line.n_values == row.cells:
        fit = COUNT_FIT_BONUS
    elif line.n_values > row.cells:
        fit = ONE_TOO_MANY if line.n_values == row.cells + 1 else TOO_MANY_VALUES
    else:
        fit = 0.0
    # Where order alone pairs rows and lines, a line may miss values (blank cells) or hold one stray.
    fits = line.n_values == row.cells or (by_structure and line.n_values <= row.cells + 1)
    if similarity < MIN_SIMILARITY and not fits:
        return None
    return similarity + fit + (STRUCTURE_BONUS if by_structure else 0.0)


def align_rows(rows: list[MissingRow], lines: list[ValueLine]) -> dict[str, ValueLine]:
    """The best order-keeping pairing of missing rows with value lines (a row or line may stay
    unpaired); returns the paired line of each row that got one."""
    if not rows or not lines:
        return {}
    by_structure = len(rows) == len(lines)
    n, m = len(rows), len(lines)
    # best[i][j]: the best total score pairing rows[:i] with lines[:j].
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[""] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            options = []
            if i > 0:
                options.append((best[i - 1][j], "row"))
            if j > 0:
                options.append((best[i][j - 1], "line"))
            if i > 0 and j > 0:
                score = _pair_score(rows[i - 1], lines[j - 1], by_structure)
                if score is not None:
                    options.append((best[i - 1][j - 1] + score, "pair"))
            best[i][j], move[i][j] = max(options, key=lambda o: o[0])
    paired: dict[str, ValueLine] = {}
    i, j = n, m
    while i > 0 or j > 0:
        step = move[i][j]
        if step == "pair":
            paired[rows[i - 1].key] = lines[j - 1]
            i, j = i - 1, j - 1
        elif step == "row":
            i -= 1
        else:
            j -= 1
    return paired
