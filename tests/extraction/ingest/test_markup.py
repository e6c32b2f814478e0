import io
import zipfile

import pytest
from docx import Document as new_docx

from extraction.document import GridPosition
from extraction.ingest.docx import ingest_docx
from extraction.ingest.errors import IngestError, IngestErrorCode
from extraction.ingest.html import ingest_html
from extraction.ingest.options import IngestLimits

HTML = """<!DOCTYPE html><html><head><style>.x{color:red}</style><script>var a = "脚本";</script></head>
<body><div class="nav">首页</div><h2>三、收到和处理政府信息公开申请情况</h2>
<table border="1">
<tr><td rowspan="2" colspan="2">（本列数据的勾稽关系）</td><td colspan="2">申请人情况</td></tr>
<tr><td>自然人</td><td>总计</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td>7</td><td>8</td></tr>
<tr><td>（二）部分公开</td><td>11</td><td>11</td></tr>
</table><p>五、存在的主要问题</p></body></html>"""


def grid_of(document):
    return {t.text: t.grid for t in document.tokens if t.grid}


def test_html_tables_resolve_spans_and_drop_scripts():
    document = ingest_html("x.html", "0", HTML.encode("utf-8"))
    grid = grid_of(document)
    assert grid["自然人"] == GridPosition(0, 1, 2)
    assert grid["三、本年度办理结果"] == GridPosition(0, 2, 0)
    assert grid["7"] == GridPosition(0, 2, 2) and grid["8"] == GridPosition(0, 2, 3)
    assert grid["（二）部分公开"] == GridPosition(0, 3, 1)  # the rowspan above pushes it to column 1
    assert {t.grid for t in document.tokens if t.text == "11"} == {GridPosition(0, 3, 2), GridPosition(0, 3, 3)}
    assert "脚本" not in document.text and "color" not in document.text
    assert document.text.index("三、收到") < document.text.index("自然人") < document.text.index("五、存在")
    for token in document.tokens:
        assert document.text[token.offset:token.offset + len(token.text)] == token.text


def test_html_external_entity_is_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    page = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>'
            '<html><body><p>总体情况 &xxe;</p></body></html>')
    document = ingest_html("x.html", "0", page.encode("utf-8"))
    assert "总体情况" in document.text
    assert "TOP-SECRET-CONTENT" not in document.text


def test_html_without_text_is_empty():
    with pytest.raises(IngestError) as error:
        ingest_html("x.html", "0", b"<html><body><script>x()</script></body></html>")
    assert error.value.code is IngestErrorCode.EMPTY_DOCUMENT


def _docx_bytes() -> bytes:
    document = new_docx()
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "行政复议"
    table.cell(0, 2).merge(table.cell(1, 2)).text = "总计"
    table.cell(1, 0).text = "结果维持"
    table.cell(1, 1).text = "结果纠正"
    table.cell(2, 0).text = "10"
    table.cell(2, 1).text = "1"
    table.cell(2, 2).text = "11"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_tables_resolve_merged_cells():
    document = ingest_docx("x.docx", "0", _docx_bytes(), IngestLimits())
    grid = grid_of(document)
    assert grid["行政复议"] == GridPosition(0, 0, 0)
    assert grid["总计"] == GridPosition(0, 0, 2)
    assert grid["结果纠正"] == GridPosition(0, 1, 1)
    assert grid["11"] == GridPosition(0, 2, 2)
    assert [t.text for t in document.tokens].count("总计") == 1
    assert document.text.startswith("四、政府信息公开")


def test_docx_zip_bomb_is_refused_unopened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))  # 50 MB of zeros, ~50 KB packed
    with pytest.raises(IngestError) as error:
        ingest_docx("bomb.docx", "0", buffer.getvalue(), IngestLimits())
    assert error.value.code is IngestErrorCode.TOO_LARGE
    assert "zip bomb" in error.value.message


def test_docx_that_is_not_a_word_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not-word/>")
    with pytest.raises(IngestError) as error:
        ingest_docx("x.docx", "0", buffer.getvalue(), IngestLimits())
    assert error.value.code is IngestErrorCode.DOCX_CORRUPT
