import hashlib
import zipfile

import pytest

from review.results import ResultsError, ReviewItem, read_results, read_source


def test_every_line_becomes_an_item_malformed_ones_as_errors(tmp_path):
    (tmp_path / "extractions.jsonl").write_text(
        '{"source": "a.pdf", "status": "ok", "fields": {"k": {"value": 1}, "bad": 3}}\n\n[1]\n{oops\n', encoding="utf-8")
    items = read_results(tmp_path)
    assert [i.number for i in items] == [1, 3, 4]
    assert items[0].status == "ok" and items[0].fields == {"k": {"value": 1}}
    assert [i.error["code"] for i in items[1:]] == ["malformed_record", "malformed_record"]
    with pytest.raises(ResultsError):
        read_results(tmp_path / "nothing")


def item(source: str, data: bytes | None) -> ReviewItem:
    return ReviewItem(1, {"source": source, "sha256": hashlib.sha256(data).hexdigest() if data else None})


def test_sources_relative_to_the_sources_folder_archive_members_and_hash_checked(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_bytes(b"report")
    with zipfile.ZipFile(tmp_path / "docs" / "batch.zip", "w") as archive:
        archive.writestr("inner/b.pdf", b"%PDF-1.4 b")
    assert read_source(item("docs/a.txt", b"report"), tmp_path).data == b"report"
    assert read_source(item(str(tmp_path / "docs" / "a.txt"), b"report"), tmp_path).name == "a.txt"
    member = read_source(item("docs/batch.zip!/inner/b.pdf", b"%PDF-1.4 b"), tmp_path)
    assert member.name == "b.pdf" and member.data == b"%PDF-1.4 b"
    assert read_source(item("docs/a.txt", b"another file"), tmp_path) is None  # not the file extracted
    assert read_source(item("docs/../../outside.txt", None), tmp_path / "docs") is None
    assert read_source(item("docs/missing.txt", None), tmp_path) is None
    assert read_source(item("docs/batch.zip!/nope.pdf", None), tmp_path) is None
