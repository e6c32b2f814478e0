"""What the decoder reads: per table row, the value tokens the locator found there, in order."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Unit:
    """One piece of value text in a row, as read.

    `confident` readings are exact (text inputs, digital PDF text layers): the decoder may align,
    split or drop them, never read them as other digits. OCR readings below that confidence get
    alternative readings from the digit confusion model.
    """

    text: str
    confidence: float = 1.0
    char_confidences: tuple[float, ...] | None = None
    confident: bool = True
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    offset: int | None = None
    column_hint: int | None = None  # the cell index (0-based, within the row) where the grid puts it
    position: int | None = None  # where the locator's text stream holds it (ties a unit to a model's word)


@dataclass
class RowEvidence:
    """The units of one printed row. A `wide` table prints several template rows side by side as one
    row of cells (行政复议 | 未经复议直接起诉 | 复议后起诉): `also` names the rows that follow `row`."""

    table: str
    row: str  # the template row key
    units: list[Unit] = field(default_factory=list)
    printed: bool = True  # False when the locator did not find the row's label at all
    also: tuple[str, ...] = ()
    located_confidence: float = 1.0  # how sure the locator is that these units are this row's (a
    # row found by its place in the order, its label unreadable, is less sure than one found by label)
    label: tuple[int, int] | None = None  # where the locator's text stream holds the row's label, if found

    @property
    def rows(self) -> tuple[str, ...]:
        return (self.row, *self.also)
