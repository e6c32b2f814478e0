"""Saved web pages (MHTML) and HTML in GBK: the declared charset honoured, then the HTML reader."""

import base64
import quopri

import pytest

from extraction.document import GridPosition
from extraction.ingest import IngestError, IngestErrorCode, Ingestor
from extraction.ingest.html import ingest_html
from extraction.ingest.sniff import InputKind, sniff_kind
from tests.extraction.ingest.test_markup import HTML


def _mhtml(page: bytes, charset: str, encoding: str) -> bytes:
    body = quopri.encodestring(page) if encoding == "quoted-printable" else base64.encodebytes(page)
    return (b"From: <Saved by Blink>\r\nSnapshot-Content-Location: http://www.example.gov.cn/a.html\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n"
            b"\tboundary=\"----B\"\r\n\r\n------B\r\n"
            + f"Content-Type: text/html; charset=\"{charset}\"\r\nContent-Transfer-Encoding: {encoding}\r\n".encode()
            + b"Content-Location: http://www.example.gov.cn/a.html\r\n\r\n" + body
            + b"\r\n------B\r\nContent-Type: text/css\r\nContent-Location: s.css\r\n\r\n.x{}\r\n------B--\r\n")


@pytest.mark.parametrize("charset, encoding", [("gbk", "quoted-printable"), ("gb2312", "base64"),
                                               ("utf-8", "quoted-printable"), ("gb18030", "base64")])
def test_mhtml_html_part_read_in_its_charset(tmp_path, charset, encoding):
    page = HTML.encode("utf-8" if charset == "utf-8" else "gb18030")
    data = _mhtml(page, charset, encoding)
    path = tmp_path / "report.mht"
    path.write_bytes(data)
    assert sniff_kind(path, data) is InputKind.MHTML
    document = Ingestor().ingest(path)
    assert document.media_type == "mhtml"
    grid = {t.text: t.grid for t in document.tokens if t.grid}
    assert grid["自然人"] == GridPosition(0, 1, 2) and grid["（二）部分公开"] == GridPosition(0, 3, 1)
    assert "脚本" not in document.text and "三、收到和处理政府信息公开申请情况" in document.text


def test_mhtml_without_an_html_part_is_an_error(tmp_path):
    data = (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\n"
            b"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--B--\r\n")
    path = tmp_path / "broken.mhtml"
    path.write_bytes(data)
    with pytest.raises(IngestError) as error:
        Ingestor().ingest(path)
    assert error.value.code is IngestErrorCode.MHTML_CORRUPT


def test_html_meta_charset_is_honoured():
    # Big5 bytes would also decode as GB18030 (to other characters): the declaration decides.
    page = '<html><head><meta charset="big5"></head><body><p>政府資訊公開</p></body></html>'
    assert "政府資訊公開" in ingest_html("x.html", "0", page.encode("big5")).text
    gbk = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
           "<body><p>三、收到和处理政府信息公开申请情况 镕</p></body></html>")  # 镕 is GBK, not GB2312
    assert "三、收到和处理政府信息公开申请情况 镕" in ingest_html("x.html", "0", gbk.encode("gbk")).text


def test_html_declaring_a_wrong_charset_is_detected():
    page = '<html><head><meta charset="utf-8"></head><body><p>本年度共收到申请25件</p></body></html>'
    assert "本年度共收到申请25件" in ingest_html("x.html", "0", page.encode("gbk")).text
