"""The one document model every stage reads and writes: document → pages → lines → tokens.

Coordinates: a `bbox` is `(x0, y0, x1, y1)` with the origin at the page's top-left corner and y
growing downwards, in the page's `unit`: PDF points (1/72 inch) for digital PDFs, pixels of the
rendered image for scans and images (`Page.dpi` says the resolution). Text inputs have no geometry:
their tokens carry `offset`, the character offset into `Document.text` (the decoded text), and
`bbox` is None.

Stages fill their own slot and record failures as `ErrorItem`s rather than raising through the
pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

BBox = tuple[float, float, float, float]


class Unit(str, Enum):
    POINT = "pt"  # digital PDF text layer
    PIXEL = "px"  # rendered page images (scans, image files)
    NONE = "none"  # text inputs: positions are character offsets


@dataclass(frozen=True)
class GridPosition:
    """Where a token sits in a recovered table grid (0-based; spans are resolved to the top-left cell)."""

    table: int
    row: int
    column: int


@dataclass
class Token:
    text: str
    bbox: BBox | None = None
    confidence: float = 1.0
    offset: int | None = None
    char_confidences: list[float] | None = None  # per character, where the OCR engine gives them
    grid: GridPosition | None = None


@dataclass
class Line:
    tokens: list[Token] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)

    @property
    def bbox(self) -> BBox | None:
        boxes = [t.bbox for t in self.tokens if t.bbox is not None]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass
class Page:
    number: int  # 1-based, as printed page numbers and the output's `page` are
    width: float
    height: float
    unit: Unit
    dpi: float | None = None
    lines: list[Line] = field(default_factory=list)

    @property
    def tokens(self) -> list[Token]:
        return [t for line in self.lines for t in line.tokens]


@dataclass(frozen=True)
class ErrorItem:
    """A failure recorded by a stage: a stable code, a message for people, and where."""

    code: str
    message: str
    stage: str
    page: int | None = None


@dataclass
class Document:
    source: str
    sha256: str
    media_type: str  # "text", "html", "mhtml", "docx", "doc", "rtf", "xlsx", "xls", "pdf", "ofd", "image"
    text: str | None = None  # the decoded text, for inputs that are text; token offsets point into it
    pages: list[Page] = field(default_factory=list)
    errors: list[ErrorItem] = field(default_factory=list)

    @property
    def tokens(self) -> list[Token]:
        return [t for page in self.pages for t in page.tokens]
