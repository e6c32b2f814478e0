"""A corpus of bad files, made here: each yields its error code (or its correct text), never a crash or a hang."""

import io
import random
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from extraction.ingest import IngestError, IngestErrorCode, IngestLimits, IngestOptions, Ingestor
from extraction.ingest.options import OcrOptions
from tests.extraction.ingest.conftest import draw_table

TIME_LIMIT_S = 120


def _pdf(text_lines: list[str], encrypt: str | None = None) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    pdf.setFont("WQY", 12)
    for i, line in enumerate(text_lines):
        pdf.drawString(72, 760 - 18 * i, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _ingest(path, options=IngestOptions()):
    """Ingest with a time limit: a hang fails the test instead of stalling the suite."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(Ingestor(options).ingest, path).result(timeout=TIME_LIMIT_S)


def _error_code(path, options=IngestOptions()):
    with pytest.raises(IngestError) as error:
        _ingest(path, options)
    assert error.value.message
    return error.value.code


LINES = ["一、总体情况", "本年度共收到政府信息公开申请25件，全部按期答复。", "二、主动公开政府信息情况"]


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert _error_code(path) is IngestErrorCode.EMPTY_DOCUMENT


def test_missing_file(tmp_path):
    assert _error_code(tmp_path / "nowhere.pdf") is IngestErrorCode.NOT_FOUND


def test_encrypted_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(_pdf(LINES, encrypt="secret"))
    assert _error_code(path) is IngestErrorCode.PDF_ENCRYPTED


def test_truncated_pdf(tmp_path):
    data = _pdf(LINES)
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    assert _error_code(path) is IngestErrorCode.PDF_CORRUPT


def test_pdf_header_with_garbage(tmp_path):
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(1).randbytes(4000))
    assert _error_code(path) is IngestErrorCode.PDF_CORRUPT


def test_intact_pdf_reads_its_text(tmp_path):
    path = tmp_path / "ok.pdf"
    path.write_bytes(_pdf(LINES))
    document = _ingest(path)
    assert [t.text for t in document.tokens][:1] == ["一、总体情况"]
    assert "25件，全部按期答复。" in "".join(t.text for t in document.tokens)


def test_random_bytes(tmp_path):
    path = tmp_path / "noise.bin"
    path.write_bytes(random.Random(7).randbytes(5000))
    assert _error_code(path) is IngestErrorCode.UNSUPPORTED_FORMAT


def test_random_bytes_named_txt(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(random.Random(8).randbytes(5000))
    assert _error_code(path) in (IngestErrorCode.UNDECODABLE_TEXT, IngestErrorCode.UNSUPPORTED_FORMAT)


def test_gbk_text_file_reads_correctly(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes("\n".join(LINES).encode("gbk"))
    document = _ingest(path)
    assert document.text == "\n".join(LINES)
    assert document.tokens[0].text == "一、总体情况"


def test_docx_zip_bomb(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (80 * 1024 * 1024))
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    assert _error_code(path) is IngestErrorCode.TOO_LARGE


def test_html_external_entity(tmp_path):
    path = tmp_path / "xxe.html"
    path.write_text('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                    "<html><body><p>一、总体情况 &xxe;</p></body></html>", encoding="utf-8")
    document = _ingest(path)
    assert "一、总体情况" in document.text and "root:" not in document.text


def test_over_the_byte_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes("一、总体情况\n".encode() * 1000)
    options = IngestOptions(limits=IngestLimits(max_bytes=1000))
    assert _error_code(path, options) is IngestErrorCode.TOO_LARGE


def test_over_the_page_limit(tmp_path):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for _ in range(5):
        pdf.drawString(72, 700, "page")
        pdf.showPage()
    pdf.save()
    path = tmp_path / "pages.pdf"
    path.write_bytes(buffer.getvalue())
    assert _error_code(path, IngestOptions(limits=IngestLimits(max_pages=3))) is IngestErrorCode.TOO_LARGE


def test_image_over_the_pixel_limit(tmp_path):
    path = tmp_path / "huge.png"
    Image.new("L", (4000, 3000), 255).save(path)
    options = IngestOptions(limits=IngestLimits(max_page_pixels=1_000_000))
    assert _error_code(path, options) is IngestErrorCode.TOO_LARGE


def test_truncated_png(tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buffer, "PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(buffer.getvalue()[:60])
    assert _error_code(path) is IngestErrorCode.IMAGE_CORRUPT


@pytest.mark.heavy
def test_png_named_pdf_is_read_as_the_image_it_is(tmp_path):
    image = draw_table({(0, 0): ("总计", 1, 1), (0, 1): ("204", 1, 1)}, 1, 2, page=(600, 250))
    path = tmp_path / "scan.pdf"
    image.save(path, "PNG")
    document = _ingest(path, IngestOptions(ocr=OcrOptions(correct_orientation=False)))
    assert document.media_type == "image"
    assert "204" in [t.text for t in document.tokens]


def test_a_folder_is_an_error_record_not_a_crash(tmp_path):
    assert _error_code(tmp_path) is IngestErrorCode.UNREADABLE


def test_a_readers_unexpected_failure_becomes_an_ingest_error(tmp_path, monkeypatch):
    import extraction.ingest as ingest

    def broken(*args, **kwargs):
        raise KeyError("word/styles.xml")

    monkeypatch.setattr(ingest, "ingest_text", broken)
    path = tmp_path / "report.txt"
    path.write_text("一、总体情况", encoding="utf-8")
    assert _error_code(path) is IngestErrorCode.INTERNAL_ERROR
