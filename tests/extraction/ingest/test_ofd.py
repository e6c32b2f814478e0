import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from extraction.document import GridPosition, Unit
from extraction.ingest import IngestError, IngestErrorCode, IngestLimits, IngestOptions, Ingestor
from extraction.ingest.ofd import PT_PER_MM, parse_deltas, path_edges, text_glyphs, words_from_glyphs
from extraction.ingest.sniff import InputKind, sniff_kind
from extraction.ingest.text_grid import ROW_SPLIT
from training.synth.styles.layout import FONT_FACES, PageLayout, PlacedLine, PlacedText, text_width
from training.synth.styles.ofd import OfdWriting, ofd_package

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
FACE = FONT_FACES[0]
CELLS = [["申请人", "自然人", "总计"], ["本年新收", "24", "25"], ["上年结转", "0", "1"]]


def _table_page() -> PageLayout:
    """A heading over a ruled 3×3 table: columns at 100/200/280/360 pt, rows 20 pt high from 120 pt."""
    page = PageLayout(595.28, 841.89)
    page.texts.append(PlacedText(0, 100, 90, "三、收到和处理政府信息公开申请情况", 12, text_width(FACE, "三、收到和处理政府信息公开申请情况", 12), FACE))
    xs, ys = [100, 200, 280, 360], [120, 140, 160, 180]
    for y in ys:
        page.lines.append(PlacedLine(0, xs[0], y, xs[-1], y))
    for x in xs:
        page.lines.append(PlacedLine(0, x, ys[0], x, ys[-1]))
    for r, row in enumerate(CELLS):
        for c, text in enumerate(row):
            page.texts.append(PlacedText(0, xs[c] + 4, ys[r] + 14, text, 10, text_width(FACE, text, 10), FACE))
    return page


def _write(tmp_path: Path, data: bytes, name: str = "report.ofd") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _error(path: Path, options: IngestOptions = IngestOptions()) -> IngestErrorCode:
    with pytest.raises(IngestError) as error:
        Ingestor(options).ingest(path)
    assert error.value.message
    return error.value.code


@pytest.mark.parametrize("writing", [OfdWriting(False, False), OfdWriting(True, False), OfdWriting(False, True),
                                     OfdWriting(True, True)])
def test_ofd_text_and_ruled_table_read_like_a_digital_pdf_page(tmp_path, writing):
    """Per line or per glyph, rules stroked or filled: the same words, boxes in points, one grid."""
    document = Ingestor().ingest(_write(tmp_path, ofd_package([_table_page()], "t", FACE.name, writing)))
    assert document.media_type == "ofd" and document.pages[0].unit is Unit.POINT
    assert [t.text for t in document.pages[0].lines[0].tokens] == ["三、收到和处理政府信息公开申请情况"]
    grid = {t.text: t.grid for t in document.tokens if t.grid}
    assert grid["自然人"] == GridPosition(0, 0, 1) and grid["24"] == GridPosition(0, 1, 1)
    assert grid["25"] == GridPosition(0, 1, 2) and grid["上年结转"] == GridPosition(0, 2, 0)
    x0, y0, x1, y1 = next(t.bbox for t in document.tokens if t.text == "24")
    assert 203 < x0 < 205 and 145 < y0 < 147 and 214 < x1 < 217 and 155 < y1 < 157


def test_delta_x_abbreviation_and_ctm():
    assert parse_deltas("g 3 2.5 1 g 2 0.5") == [2.5, 2.5, 2.5, 1.0, 0.5, 0.5]
    element = etree.fromstring(f'<ofd:TextObject {NS} Boundary="10 20 50 10" Size="5" CTM="2 0 0 2 0 0">'
                               '<ofd:TextCode X="1" Y="4" DeltaX="g 2 5">一二三</ofd:TextCode></ofd:TextObject>')
    glyphs = text_glyphs(element)
    assert [g.text for g in glyphs] == ["一", "二", "三"]
    assert glyphs[1].x0 == pytest.approx((10 + 2 * 6) * PT_PER_MM) and glyphs[0].baseline == pytest.approx(28 * PT_PER_MM)
    assert glyphs[0].size == pytest.approx(10 * PT_PER_MM)
    assert [t.text for t in words_from_glyphs(glyphs)] == ["一二三"]


def test_glyphs_split_into_words_at_gaps_and_spaces():
    element = etree.fromstring(f'<ofd:TextObject {NS} Boundary="0 0 100 10" Size="3.5">'
                               '<ofd:TextCode X="0" Y="3" DeltaX="1.9 10 1.9 1.9 1.9">12 345</ofd:TextCode></ofd:TextObject>')
    assert [t.text for t in words_from_glyphs(text_glyphs(element))] == ["12", "345"]


def test_path_rules_from_lines_closed_paths_and_thin_filled_rectangles():
    stroked = etree.fromstring(f'<ofd:PathObject {NS} Boundary="10 10 50 20"><ofd:AbbreviatedData>'
                               'M 0 0 L 50 0 L 50 20 C</ofd:AbbreviatedData></ofd:PathObject>')
    edges = path_edges(stroked)
    assert (10 * PT_PER_MM, 10 * PT_PER_MM, 60 * PT_PER_MM, 10 * PT_PER_MM) == pytest.approx(edges[0])
    assert len(edges) == 3  # two rules and the diagonal closing stroke (the grid ignores diagonals)
    filled = etree.fromstring(f'<ofd:PathObject {NS} Boundary="10 10 50 0.2" Stroke="false" Fill="true">'
                              '<ofd:AbbreviatedData>M 0 0 L 50 0 L 50 0.2 L 0 0.2 C</ofd:AbbreviatedData></ofd:PathObject>')
    [(x0, y0, x1, y1)] = path_edges(filled)
    assert y0 == y1 == pytest.approx(10.1 * PT_PER_MM) and x1 - x0 == pytest.approx(50 * PT_PER_MM)
    big_fill = etree.fromstring(f'<ofd:PathObject {NS} Boundary="0 0 50 20" Stroke="false" Fill="true">'
                                '<ofd:AbbreviatedData>M 0 0 L 50 0 L 50 20 L 0 20 C</ofd:AbbreviatedData></ofd:PathObject>')
    assert path_edges(big_fill) == []  # shading, not a rule


def test_ofd_is_sniffed_from_its_bytes_not_its_name(tmp_path):
    data = ofd_package([_table_page()], "t", FACE.name, OfdWriting(False, False))
    path = _write(tmp_path, data, "report.pdf")
    assert sniff_kind(path, data) is InputKind.OFD
    assert Ingestor().ingest(path).media_type == "ofd"


def _package(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_broken_ofd_files_get_their_error_code(tmp_path):
    data = ofd_package([_table_page()], "t", FACE.name, OfdWriting(False, False))
    assert _error(_write(tmp_path, data[: len(data) // 2], "truncated.ofd")) is IngestErrorCode.OFD_CORRUPT
    assert _error(_write(tmp_path, _package({"OFD.xml": "<ofd:OFD"}), "bad-xml.ofd")) is IngestErrorCode.OFD_CORRUPT
    no_root = _package({"OFD.xml": f"<ofd:OFD {NS}><ofd:DocBody/></ofd:OFD>"})
    assert _error(_write(tmp_path, no_root, "no-root.ofd")) is IngestErrorCode.OFD_CORRUPT
    missing_document = _package({"OFD.xml": f"<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml"
                                            "</ofd:DocRoot></ofd:DocBody></ofd:OFD>"})
    assert _error(_write(tmp_path, missing_document, "missing.ofd")) is IngestErrorCode.OFD_CORRUPT


def test_ofd_limits(tmp_path):
    bomb = _package({"OFD.xml": b"<ofd:OFD>" + b" " * (20 * 1024 * 1024) + b"</ofd:OFD>"})
    assert _error(_write(tmp_path, bomb, "bomb.ofd")) is IngestErrorCode.TOO_LARGE
    pages = ofd_package([_table_page(), _table_page(), _table_page()], "t", FACE.name, OfdWriting(False, False))
    options = IngestOptions(limits=IngestLimits(max_pages=2))
    assert _error(_write(tmp_path, pages, "pages.ofd"), options) is IngestErrorCode.TOO_LARGE


def test_a_broken_page_is_an_error_item_and_the_others_are_read(tmp_path):
    data = ofd_package([_table_page(), _table_page()], "t", FACE.name, OfdWriting(False, False))
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["Doc_0/Pages/Page_1/Content.xml"] = b"<ofd:Page"
    document = Ingestor().ingest(_write(tmp_path, _package(members)))
    assert [p.number for p in document.pages] == [1]
    assert [(e.code, e.page) for e in document.errors] == [("ofd_corrupt", 2)]


@pytest.mark.heavy
def test_an_image_only_page_is_read_by_ocr(tmp_path, table_image):
    buffer = io.BytesIO()
    table_image.save(buffer, "PNG")
    page = (f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="3"><ofd:ImageObject ID="4" ResourceID="9" '
            'Boundary="0 0 210 163.33" CTM="210 0 0 163.33 0 0"/></ofd:Layer></ofd:Content></ofd:Page>')
    data = _package({
        "OFD.xml": f"<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<ofd:Document {NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 163.33'
                              '</ofd:PhysicalBox></ofd:PageArea><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>'
                              '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
                              '</ofd:Pages></ofd:Document>',
        "Doc_0/DocumentRes.xml": f'<ofd:Res {NS} BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="9" Type="Image">'
                                 '<ofd:MediaFile>scan.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>',
        "Doc_0/Pages/Page_0/Content.xml": page,
        "Doc_0/Res/scan.png": buffer.getvalue(),
    })
    document = Ingestor().ingest(_write(tmp_path, data))
    assert document.pages[0].unit is Unit.PIXEL
    grid = {t.text: t.grid for t in document.tokens if t.grid}
    # Page images number ruled rows in steps (ROW_SPLIT), room for rows a lost rule merged.
    assert grid["24"] == GridPosition(0, 0, 1) and grid["180"] == GridPosition(0, ROW_SPLIT, 1)
    assert grid["总计"] == GridPosition(0, 2 * ROW_SPLIT, 0)
