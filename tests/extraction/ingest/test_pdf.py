"""The real digital PDFs ingest with every table number present, in reading order."""

import json

import pytest

from extraction.document import Unit
from extraction.ingest import Ingestor
from extraction.ingest.pdf import text_layer_is_usable

REAL_PDFS = ["hongze_2023", "hongze_2024", "huaian_2024"]


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


@pytest.fixture(scope="module")
def ingestor():
    return Ingestor()


@pytest.mark.parametrize("name", REAL_PDFS)
def test_real_pdf_tables_appear_whole_and_in_order(ingestor, templates, real_reports_dir, name):
    document = ingestor.ingest(real_reports_dir / f"{name}.pdf")
    gold = json.loads((real_reports_dir / f"{name}.json").read_text(encoding="utf-8"))
    template = templates[gold["template"]]
    assert not document.errors
    assert all(page.unit is Unit.POINT for page in document.pages)
    # The numbers of table cells, in reading order …
    cells = [_number(t.text) for page in document.pages for line in page.lines for t in line.tokens
             if t.grid is not None and _number(t.text) is not None]
    for table in ("proactive", "requests", "review_litigation"):
        # … hold each table's printed values, in the template's printed order, as one unbroken run.
        printed = [gold["fields"][k] for k in template.field_keys(include_optional=True)
                   if k.startswith(table + ".") and gold["fields"].get(k) is not None]
        assert any(cells[i:i + len(printed)] == printed for i in range(len(cells) - len(printed) + 1)), table


def test_real_pdf_tokens_have_boxes_on_the_page(ingestor, real_reports_dir):
    document = ingestor.ingest(real_reports_dir / "huaian_2024.pdf")
    for page in document.pages:
        for token in page.tokens:
            x0, y0, x1, y1 = token.bbox
            assert 0 <= x0 <= x1 <= page.width and 0 <= y0 <= y1 <= page.height
    big = [t for t in document.tokens if t.text == "3985758"]
    assert big and big[0].grid is not None


def test_text_layer_check():
    assert text_layer_is_usable("一、总体情况。本年度共收到申请25件，均已按期答复。" * 2)
    assert not text_layer_is_usable("")
    assert not text_layer_is_usable("(cid:12)(cid:13)(cid:14)(cid:15)(cid:16)(cid:17)")
    assert not text_layer_is_usable("\ue000\ue001\ue002" * 10)
