"""Spreadsheets (.xlsx, .xls, WPS .et): every sheet, paragraphs and tables, merged ranges on the grid."""

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Border, Side

from extraction.document import GridPosition
from extraction.ingest import IngestError, IngestErrorCode, IngestLimits, IngestOptions, Ingestor
from extraction.ingest.convert import convert_with_soffice
from extraction.ingest.sheets import number_text
from extraction.ingest.sniff import InputKind, sniff_kind

THIN = Side(style="thin")


def _workbook() -> bytes:
    """Sheet 1: a title merged across, a heading, a bordered table with a merged group label and a
    merged header; sheet 2: another table without borders and a money cell formatted `0.00`."""
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "某某县2023年政府信息公开工作年度报告"
    sheet.merge_cells("A1:E1")
    sheet["A3"] = "三、收到和处理政府信息公开申请情况"
    rows = [["", "", "申请人情况", "", ""], ["", "", "自然人", "法人", "总计"],
            ["三、本年度办理结果", "（一）予以公开", 7, 1, 8], ["", "（二）部分公开", None, None, None]]
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(r, c, value if value != "" else None)
            cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
    sheet.merge_cells("C4:E4")
    sheet.merge_cells("A4:B5")
    sheet.merge_cells("A6:A7")
    second = workbook.create_sheet("表二")
    second["B2"] = "第二十条第（八）项"
    second["B3"], second["C3"] = "行政事业性收费", 1.5
    second["C3"].number_format = "0.00"
    second["B4"], second["C4"] = "行政许可", 12.0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def workbooks() -> dict[str, bytes]:
    xlsx = _workbook()
    return {"xlsx": xlsx,
            "xls": convert_with_soffice(xlsx, ".xlsx", None, "xls:MS Excel 97", 60, IngestErrorCode.SPREADSHEET_CORRUPT)}


def _error(path: Path, options: IngestOptions = IngestOptions()) -> IngestErrorCode:
    with pytest.raises(IngestError) as error:
        Ingestor(options).ingest(path)
    assert error.value.message
    return error.value.code


@pytest.mark.parametrize("kind, name", [("xlsx", "report.xlsx"), ("xls", "report.xls"), ("xls", "report.et"),
                                        ("xlsx", "report.et")])
def test_every_sheet_read_with_paragraphs_and_merged_table_cells(tmp_path, workbooks, kind, name):
    path = tmp_path / name
    path.write_bytes(workbooks[kind])
    assert sniff_kind(path, workbooks[kind]) is InputKind(kind)
    document = Ingestor().ingest(path)
    assert document.media_type == kind
    lines = document.text.splitlines()
    assert lines[:2] == ["某某县2023年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    assert lines[-1] == "行政许可\t12"
    grid = {t.text: t.grid for t in document.tokens if t.grid}
    assert grid["申请人情况"] == GridPosition(0, 0, 2) and grid["总计"] == GridPosition(0, 1, 4)
    assert grid["三、本年度办理结果"] == GridPosition(0, 2, 0) and grid["（二）部分公开"] == GridPosition(0, 3, 1)
    assert grid["7"] == GridPosition(0, 2, 2) and grid["8"] == GridPosition(0, 2, 4)
    # The second sheet's table (under its paragraph): its own grid, from its first row and column.
    assert grid["行政事业性收费"] == GridPosition(1, 0, 0) and grid["1.50"] == GridPosition(1, 0, 1)
    assert grid["12"] == GridPosition(1, 1, 1)
    assert "第二十条第（八）项" in lines  # one text cell alone on its row: a paragraph
    assert grid.get("第二十条第（八）项") is None


def test_numbers_print_as_the_cell_shows_them():
    assert number_text(12.0, "General") == "12"
    assert number_text(1.5, "0.00") == "1.50"
    assert number_text(0.582864, "General") == "0.582864"
    assert number_text(-4.0, "General") == "-4"


def test_broken_spreadsheets_get_their_error_code(tmp_path, workbooks):
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(workbooks["xlsx"][: len(workbooks["xlsx"]) // 2])
    assert _error(truncated) is IngestErrorCode.SPREADSHEET_CORRUPT
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml")
    bad_xml = tmp_path / "bad.xlsx"
    bad_xml.write_bytes(buffer.getvalue())
    assert _error(bad_xml) is IngestErrorCode.SPREADSHEET_CORRUPT
    broken_xls = tmp_path / "broken.xls"
    broken_xls.write_bytes(workbooks["xls"][:2048])
    assert _error(broken_xls) is IngestErrorCode.SPREADSHEET_CORRUPT


def test_spreadsheet_limits(tmp_path, workbooks):
    path = tmp_path / "report.xlsx"
    path.write_bytes(workbooks["xlsx"])
    assert _error(path, IngestOptions(limits=IngestLimits(max_sheet_cells=20))) is IngestErrorCode.TOO_LARGE
    assert _error(path, IngestOptions(limits=IngestLimits(max_pages=1))) is IngestErrorCode.TOO_LARGE
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook>" + b" " * (20 * 1024 * 1024))
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(buffer.getvalue())
    assert _error(bomb) is IngestErrorCode.TOO_LARGE
