"""The office forms of the factory (OFD, .doc, .rtf, .xlsx, .xls, MHTML) read back by the readers:
every printed value is where its annotation says."""

import json

import pytest

from extraction.ingest import Ingestor
from training.synth.factory import SynthOptions, synthesize

GRID_STYLES = ("doc", "rtf", "xlsx", "xls", "mhtml")


@pytest.fixture(scope="module")
def run(tmp_path_factory, templates):
    out = tmp_path_factory.mktemp("formats")
    entries = synthesize(SynthOptions(n=12, seed=4, out=out, styles=("ofd", *GRID_STYLES)), templates, log=lambda m: None)
    return out, entries


def _annotated_values(out, entry) -> list[dict]:
    return [a for a in json.loads((out / entry.tokens).read_text(encoding="utf-8")) if a["kind"] == "value"]


def test_grid_forms_read_every_value_at_its_annotated_cell(run):
    out, entries = run
    ingestor = Ingestor()
    for entry in (e for e in entries if e.style in GRID_STYLES):
        document = ingestor.ingest(out / entry.document)
        assert document.media_type == entry.style
        cells: dict[tuple[int, int, int], str] = {}
        for token in document.tokens:
            if token.grid:
                key = (token.grid.table, token.grid.row, token.grid.column)
                cells[key] = f"{cells[key]} {token.text}" if key in cells else token.text
        values = _annotated_values(out, entry)
        assert values, entry.id
        for a in values:
            # A spreadsheet shows a money cell as the number it holds (`0.5`), a text cell as printed.
            assert cells.get((a["table"], a["row"], a["col"])) == a["text"].replace("－", "-"), (entry.id, a)


def test_ofd_values_lie_in_their_annotated_boxes(run):
    out, entries = run
    ingestor = Ingestor()
    for entry in (e for e in entries if e.style == "ofd"):
        document = ingestor.ingest(out / entry.document)
        tokens = {(p.number, t.text): [] for p in document.pages for t in p.tokens}
        for page in document.pages:
            for token in page.tokens:
                tokens[(page.number, token.text)].append(token.bbox)
        for a in _annotated_values(out, entry):
            x0, y0, x1, y1 = a["bbox"]
            boxes = tokens.get((a["page"], a["text"].replace("－", "-")), [])
            assert any(x0 - 1 <= (b[0] + b[2]) / 2 <= x1 + 1 and y0 - 1 <= (b[1] + b[3]) / 2 <= y1 + 1 for b in boxes), \
                (entry.id, a)
        assert any(t.grid for t in document.tokens)


def test_ofd_and_mhtml_are_deterministic(tmp_path, templates):
    options = dict(n=2, seed=12, styles=("ofd", "mhtml"))
    a = synthesize(SynthOptions(out=tmp_path / "a", **options), templates, log=lambda m: None)
    synthesize(SynthOptions(out=tmp_path / "b", **options), templates, log=lambda m: None)
    for entry in a:
        assert (tmp_path / "a" / entry.document).read_bytes() == (tmp_path / "b" / entry.document).read_bytes()
