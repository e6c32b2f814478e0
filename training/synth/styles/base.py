"""What every style shares: the report body as a list of blocks, and annotations.

An annotation says which printed token is what: a field value (`key` = field key), a row label,
a column header, a block heading or corner cell of a table, a section heading (`key` = canonical
id) or the title. Its location is `offset` into the text for text styles, `page` + `bbox` for PDF
and scan styles (see `extraction.document` for coordinates), or `table`/`row`/`col` (grid
position, 0-based) for HTML and DOCX.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

from training.synth.report import SynthReport
from training.synth.tables import PrintedTable, printed_tables, table_caption


@dataclass
class Annotation:
    kind: str  # value | row_label | column_header | block_heading | corner | section_heading | title
    text: str
    key: str | None = None
    offset: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Paragraph:
    text: str
    kind: str = "body"  # body | title | section_heading | caption | signature
    key: str | None = None  # canonical section id for headings


@dataclass
class TableBlock:
    table: PrintedTable


Block = Paragraph | TableBlock


@dataclass(frozen=True)
class ScanRecord:
    """How an archive scan was made, for the manifest (and the eval's breakdown by it)."""

    degradation: str  # flatbed | photocopy | photo
    dpi: int
    face: str  # the tables' face
    body_face: str
    table_size: float  # points
    skew: list[float]  # degrees, per page
    layout: str  # the office layout variant (see styles/office.py)
    degradation_params: dict


@dataclass
class Rendered:
    """One rendered document: its files by suffix (".txt", ".pdf", …), its annotations and, for
    archive scans, how the scan was made."""

    files: dict[str, bytes]
    annotations: list[Annotation] = field(default_factory=list)
    scan: ScanRecord | None = None
    unprinted: list[str] = field(default_factory=list)  # field keys the rendering left out: their gold is null


def heading_text(number: str, title: str) -> str:
    return f"{number}、{title}"


def report_blocks(report: SynthReport, rng: random.Random) -> list[Block]:
    """The report body in reading order, the same for every style."""
    tables = printed_tables(report, rng)
    blocks: list[Block] = [Paragraph(report.title, "title")]
    blocks += [Paragraph(p) for p in report.preamble]
    for section in report.sections:
        blocks.append(Paragraph(heading_text(section.number, section.title), "section_heading", section.canonical))
        blocks += [Paragraph(p) for p in section.paragraphs]
        if section.table is not None:
            blocks.append(TableBlock(tables[section.table]))
    for key in report.appended_tables:
        blocks.append(Paragraph(table_caption(report, key), "caption"))
        blocks.append(TableBlock(tables[key]))
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    blocks.append(Paragraph(report.agency, "signature"))
    blocks.append(Paragraph(f"{report.year + 1}年{month}月{day}日", "signature"))
    return blocks
