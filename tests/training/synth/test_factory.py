"""A small run of the factory covering every style, checked the way a consumer would read it."""

import json
import re

import pytest

from training.synth.factory import STYLES, SynthOptions, synthesize

TEXT_SUFFIXES = (".txt", ".md")


@pytest.fixture(scope="module")
def run(tmp_path_factory, templates):
    out = tmp_path_factory.mktemp("synth")
    entries = synthesize(SynthOptions(n=len(STYLES) * 2, seed=3, out=out), templates, log=lambda m: None)
    return out, entries


def test_every_style_is_written(run):
    out, entries = run
    assert {e.style for e in entries} == set(STYLES)
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [m["id"] for m in manifest] == [e.id for e in entries]
    for entry in entries:
        assert (out / entry.document).stat().st_size > 0


def test_gold_is_spec_format_and_identities_hold_except_breaks(run, templates):
    out, entries = run
    for entry in entries:
        gold = json.loads((out / entry.gold).read_text(encoding="utf-8"))
        assert set(gold) == {"template", "agency", "year", "fields", "sections", "source_breaks"}
        template = templates[gold["template"]]
        assert template.covers_year(gold["year"]) or gold["template"] == "2019"
        assert set(gold["fields"]) in (set(template.field_keys()), set(template.field_keys(include_optional=True)))
        broken = [i.name for i in template.identities if not i.holds(gold["fields"])]
        assert broken == gold["source_breaks"] == entry.source_breaks
        assert all(s["canonical"] in (None, "overview", "proactive", "requests", "review_litigation", "problems", "other")
                   for s in gold["sections"])


def test_text_annotations_point_at_their_text(run):
    out, entries = run
    for entry in entries:
        if not entry.document.endswith(TEXT_SUFFIXES):
            continue
        text = (out / entry.document).read_text(encoding="utf-8")
        annotations = json.loads((out / entry.tokens).read_text(encoding="utf-8"))
        assert annotations
        for a in annotations:
            assert text[a["offset"]:a["offset"] + len(a["text"])] == a["text"]


def test_every_printed_value_is_annotated(run):
    out, entries = run
    for entry in entries:
        gold = json.loads((out / entry.gold).read_text(encoding="utf-8"))
        annotations = json.loads((out / entry.tokens).read_text(encoding="utf-8"))
        annotated = {a["key"] for a in annotations if a["kind"] == "value"}
        printed = {k for k, v in gold["fields"].items() if v is not None}
        assert printed <= annotated, entry.id


def test_markup_documents_open(run):
    from docx import Document
    from lxml import html

    out, entries = run
    for entry in entries:
        path = out / entry.document
        if path.suffix == ".docx":
            document = Document(str(path))
            assert len(document.tables) >= 3
            merged = [c for t in document.tables for c in t._tbl.iter() if c.tag.endswith("}gridSpan") or c.tag.endswith("}vMerge")]
            assert merged, "real Word tables have merged cells"
        elif path.suffix == ".html":
            tree = html.fromstring(path.read_bytes())
            assert len(tree.findall(".//table")) >= 3
            assert tree.xpath("//td[@rowspan]") and tree.xpath("//td[@colspan]")


def test_digital_pdfs_have_a_text_layer_and_scans_do_not(run):
    import pypdfium2 as pdfium

    out, entries = run
    for entry in entries:
        if entry.style not in ("pdf", "scan"):
            continue
        pdf = pdfium.PdfDocument(str(out / entry.document))
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        if entry.style == "pdf":
            gold = json.loads((out / entry.gold).read_text(encoding="utf-8"))
            assert gold["agency"] in re.sub(r"\s", "", text)
            assert "收到和处理政府信息公开申请情况" in text
        else:
            assert text.strip() == ""
            page = pdf[0]
            objects = list(page.get_objects())
            assert objects and all(o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for o in objects)
        pdf.close()


def test_scan_annotations_lie_on_the_page(run):
    import pypdfium2 as pdfium

    out, entries = run
    for entry in entries:
        if entry.style != "scan":
            continue
        pdf = pdfium.PdfDocument(str(out / entry.document))
        image = pdf[0].get_objects().__next__().get_bitmap().to_pil()
        annotations = json.loads((out / entry.tokens).read_text(encoding="utf-8"))
        for a in annotations:
            x0, y0, x1, y1 = a["bbox"]
            assert 1 <= a["page"] <= len(pdf)
            assert -5 <= x0 < x1 <= image.width + 5 and -5 <= y0 < y1 <= image.height + 5
        pdf.close()


def test_same_seed_same_documents(tmp_path, templates):
    options = dict(n=4, seed=11, styles=("text_tabs", "web", "pdf", "docx"))
    a = synthesize(SynthOptions(out=tmp_path / "a", **options), templates, log=lambda m: None)
    b = synthesize(SynthOptions(out=tmp_path / "b", **options), templates, log=lambda m: None)
    assert [e.id for e in a] == [e.id for e in b]
    for entry in a:
        for name in (entry.document, entry.gold, entry.tokens):
            if name.endswith(".docx"):
                continue  # python-docx stamps the save time into docProps/core.xml
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_unknown_style_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown style"):
        SynthOptions(n=1, seed=0, out=tmp_path, styles=("pdf", "fax"))


ARCHIVE_STYLES = ("scan_flatbed", "scan_photocopy", "scan_photo")


def test_manifest_says_how_each_archive_scan_was_made(run):
    out, entries = run
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    for line in manifest:
        if line["style"] in ARCHIVE_STYLES:
            assert line["degradation"] == line["style"].removeprefix("scan_")
            assert line["dpi"] in (100, 120, 150, 200) and line["face"] and line["layout"]
            assert line["table_size"] and len(line["skew"]) >= 1 and line["degradation_params"]
        else:
            assert line["degradation"] is None and line["dpi"] is None


def test_reports_drawn_from_real_gold_keep_that_gold(tmp_path, templates, real_reports_dir):
    from extraction.decode.numbers import parse_cell
    from eval.metrics import values_equal
    from training.synth.factory import FromGoldOptions, synthesize_from_gold

    # A report that breaks its own totals, and one with its own headings (tables appended, mostly blank).
    golds = (real_reports_dir / "hongze_2023.json", real_reports_dir / "004_eb5fc01c7533c9cc.json")
    entries = synthesize_from_gold(FromGoldOptions(golds, seed=5, out=tmp_path, styles=("scan_photocopy", "scan_photo")),
                                   templates, log=lambda m: None)
    for entry, source in zip(entries, golds):
        real = json.loads(source.read_text(encoding="utf-8"))
        gold = json.loads((tmp_path / entry.gold).read_text(encoding="utf-8"))
        assert gold == real and entry.source_breaks == real["source_breaks"]
        template = templates[gold["template"]]
        assert [i.name for i in template.identities if not i.holds(gold["fields"])] == gold["source_breaks"]
        assert entry.degradation == entry.style.removeprefix("scan_") and entry.dpi
        printed = {}
        for a in json.loads((tmp_path / entry.tokens).read_text(encoding="utf-8")):
            if a["kind"] == "value":
                printed.setdefault(a["key"], a["text"])
        for key, value in gold["fields"].items():
            if value is None:
                assert not printed.get(key), f"{key} is blank in the gold but printed"
            else:
                assert values_equal(parse_cell(printed[key], template.fields[key].kind), value), key
