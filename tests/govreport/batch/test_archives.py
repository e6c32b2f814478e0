import io
import zipfile

from govreport.batch.archives import ArchiveLimits, list_archive, read_member
from tests.govreport.batch.conftest import zip_of

REPORT = "一、总体情况\n规章\t0\t2\n".encode("utf-8")


def test_members_are_named_inside_their_archive_and_labels_hidden_files_skipped(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("c.txt", REPORT)
    path = zip_of(tmp_path / "a.zip", {"x/b.txt": REPORT, "x/b.json": b"{}", "x/b.tokens.json": b"{}",
                                       ".hidden.txt": REPORT, "__MACOSX/x/._b.txt": b"", "in.zip": inner.getvalue()})
    entries = list_archive(path, ArchiveLimits())
    assert [(e.name, e.members, e.refusal) for e in entries] == [
        (f"{path}!/in.zip!/c.txt", ("in.zip", "c.txt"), None), (f"{path}!/x/b.txt", ("x/b.txt",), None)]
    assert read_member(path, ("in.zip", "c.txt"), ArchiveLimits()) == REPORT


def test_paths_leaving_the_archive_bombs_and_deep_nesting_are_refused(tmp_path):
    level2 = io.BytesIO()
    with zipfile.ZipFile(level2, "w") as archive:
        archive.writestr("deep.txt", REPORT)
    path = zip_of(tmp_path / "bad.zip", {"../evil.txt": REPORT, "/etc/evil.txt": REPORT, "ok/../../up.txt": REPORT,
                                         "bomb.txt": b"0" * 5_000_000, "inner.zip": level2.getvalue()})
    refusals = {e.name.split("!/", 1)[1]: e.refusal.code for e in list_archive(path, ArchiveLimits(max_depth=1))}
    assert refusals == {"../evil.txt": "unsafe_path", "/etc/evil.txt": "unsafe_path", "ok/../../up.txt": "unsafe_path",
                        "bomb.txt": "too_large", "inner.zip": "too_large"}


def test_a_member_over_the_byte_limit_and_a_broken_archive_are_refused(tmp_path):
    path = zip_of(tmp_path / "big.zip", {"big.txt": REPORT * 10})
    (entry,) = list_archive(path, ArchiveLimits(max_member_bytes=len(REPORT)))
    assert entry.refusal.code == "too_large" and "over the limit" in entry.refusal.message
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    (entry,) = list_archive(broken, ArchiveLimits())
    assert entry.name == str(broken) and entry.refusal.code == "archive_corrupt"
    holder = zip_of(tmp_path / "holder.zip", {"inner.zip": b"PK\x03\x04 not really either"})
    (entry,) = list_archive(holder, ArchiveLimits())
    assert entry.name == f"{holder}!/inner.zip" and entry.refusal.code == "archive_corrupt"
