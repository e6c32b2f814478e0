"""Legacy word-processor files through LibreOffice headless: .doc, WPS .wps, .rtf → DOCX → the DOCX reader."""

import http.server
import io
import threading
from pathlib import Path

import pytest
from docx import Document as open_docx

from extraction.document import GridPosition
from extraction.ingest import IngestError, IngestErrorCode, IngestLimits, IngestOptions, Ingestor
from extraction.ingest import convert
from extraction.ingest.convert import convert_with_soffice
from extraction.ingest.sniff import InputKind, sniff_kind
from tests.extraction.ingest.test_markup import _docx_bytes


@pytest.fixture(scope="module")
def legacy_files() -> dict[str, bytes]:
    """The test DOCX (a paragraph, a table with merged cells, a paragraph: a Word 97 document cannot
    end in a table) saved by LibreOffice as .doc and .rtf."""
    document = open_docx(io.BytesIO(_docx_bytes()))
    document.add_paragraph("五、存在的主要问题及改进情况")
    buffer = io.BytesIO()
    document.save(buffer)
    docx = buffer.getvalue()
    return {kind: convert_with_soffice(docx, ".docx", None, export, 60, IngestErrorCode.DOCX_CORRUPT)
            for kind, export in (("doc", "doc:MS Word 97"), ("rtf", "rtf:Rich Text Format"))}


def _error(path: Path, options: IngestOptions = IngestOptions()) -> IngestError:
    with pytest.raises(IngestError) as error:
        Ingestor(options).ingest(path)
    assert error.value.message
    return error.value


@pytest.mark.parametrize("kind, name", [("doc", "report.doc"), ("doc", "report.wps"), ("rtf", "report.rtf"),
                                        ("rtf", "report.doc")])
def test_legacy_files_read_through_docx_with_their_table_grid(tmp_path, legacy_files, kind, name):
    path = tmp_path / name
    path.write_bytes(legacy_files[kind])
    assert sniff_kind(path, legacy_files[kind]) is InputKind(kind)  # an RTF named .doc is RTF
    document = Ingestor().ingest(path)
    assert document.media_type == kind
    assert document.text.startswith("四、政府信息公开行政复议、行政诉讼情况")
    grid = {t.text: t.grid for t in document.tokens if t.grid}
    assert grid["行政复议"] == GridPosition(0, 0, 0) and grid["总计"] == GridPosition(0, 0, 2)
    assert grid["结果纠正"] == GridPosition(0, 1, 1) and grid["11"] == GridPosition(0, 2, 2)


def test_broken_legacy_files_get_their_error_code(tmp_path, legacy_files):
    truncated = tmp_path / "truncated.doc"
    truncated.write_bytes(legacy_files["doc"][:3000])
    assert _error(truncated).code is IngestErrorCode.DOC_CORRUPT
    garbage = tmp_path / "garbage.rtf"
    garbage.write_bytes(b"{\\rtf1 " + bytes(range(256)) * 20)
    assert _error(garbage).code is IngestErrorCode.RTF_CORRUPT


def test_without_libreoffice_the_error_says_so(tmp_path, legacy_files, monkeypatch):
    monkeypatch.setattr(convert, "SOFFICE", "soffice-not-installed-here")
    path = tmp_path / "report.doc"
    path.write_bytes(legacy_files["doc"])
    error = _error(path)
    assert error.code is IngestErrorCode.CONVERTER_MISSING and "libreoffice" in error.message.lower()


def test_a_conversion_over_the_time_limit_is_stopped(tmp_path, legacy_files):
    path = tmp_path / "report.doc"
    path.write_bytes(legacy_files["doc"])
    options = IngestOptions(limits=IngestLimits(max_convert_seconds=0.05))
    assert _error(path, options).code is IngestErrorCode.CONVERSION_TIMEOUT


def test_the_private_profile_disables_macros_and_link_updates():
    """The profile each conversion gets: macros off outright, links never updated (read back from
    the registry file LibreOffice loads)."""
    from lxml import etree

    root = etree.fromstring(convert._PROFILE_SETTINGS.encode())
    settings = {(item.get("{http://openoffice.org/2001/registry}path"), item[0].get("{http://openoffice.org/2001/registry}name")):
                item[0][0].text for item in root}
    assert settings[("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution")] == "true"
    assert settings[("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel")] == "3"
    assert settings[("/org.openoffice.Office.Writer/Content/Update", "Link")] == "2"
    assert settings[("/org.openoffice.Inet/Settings", "ooInetHTTPProxyPort")] == "9"  # the discard port


def test_a_linked_picture_is_never_fetched(tmp_path):
    """An RTF linking a picture on a web server: the conversion reads the text and asks the server nothing."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server name)
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/seal.png"
        path = tmp_path / "linked.rtf"
        path.write_bytes(b"{\\rtf1\\ansi {\\field{\\*\\fldinst INCLUDEPICTURE \"" + url.encode()
                         + b"\" \\\\d}{\\fldrslt }}\\par report text\\par}")
        document = Ingestor().ingest(path)
    finally:
        server.shutdown()
    assert "report" in document.text and requests == []
