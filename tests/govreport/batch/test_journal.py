import json

from govreport.batch.journal import Journal
from govreport.batch.records import record_line


def _line(source: str, sha256: str | None, status: str = "ok") -> str:
    return record_line({"source": source, "sha256": sha256, "status": status, "error": None, "fields": {}}, "fp1")


def test_a_torn_last_line_is_dropped_and_whole_lines_stay_byte_identical(tmp_path):
    path = tmp_path / "extractions.jsonl"
    with Journal(path) as journal:
        journal.append(_line("a.pdf", "aa"))
        journal.append(_line("b.pdf", None, "error"))
    whole = path.read_bytes()
    with path.open("ab") as stream:
        stream.write(_line("c.pdf", "cc").encode()[:25])  # a kill -9 in the middle of a write
    with Journal(path) as journal:
        assert journal.dropped_tail == 25
        assert path.read_bytes() == whole
        assert journal.done("a.pdf", "aa", "fp1").status == "ok"
        assert journal.done("b.pdf", None, "fp1").status == "error"
        assert journal.done("a.pdf", "aa", "other options") is None
        journal.append(_line("c.pdf", "cc"))
    assert path.read_bytes().startswith(whole)
    assert [json.loads(line)["source"] for line in path.read_text().splitlines()] == ["a.pdf", "b.pdf", "c.pdf"]


def test_a_record_of_the_same_bytes_and_options_is_found_and_force_starts_anew(tmp_path):
    path = tmp_path / "extractions.jsonl"
    with Journal(path) as journal:
        journal.append(_line("a.pdf", "aa"))
        journal.append(_line("b.pdf", "bb"))
        assert journal.same_content("bb", "fp1")["source"] == "b.pdf"
        assert journal.same_content("bb", "fp2") is None and journal.same_content(None, "fp1") is None
    with Journal(path, fresh=True) as journal:
        assert journal.done("a.pdf", "aa", "fp1") is None
    assert path.read_bytes() == b""
