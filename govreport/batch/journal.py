"""`extractions.jsonl` as an append-only journal: what makes a batch resumable and lossless.

Each record is appended as one whole line in one write, then flushed to disk (fsync), so a
`kill -9` leaves at most a torn last line; opening the journal again drops that torn tail and
indexes what is done. A document is done when a record with its source, content hash and options
fingerprint is in the journal; a document whose content and options match another source's record
is copied from that record instead of recomputed. Records already written are never rewritten.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from govreport.batch.records import FINGERPRINT_KEY


@dataclass(frozen=True)
class Written:
    """Where a record lies in the journal, and its status."""

    offset: int
    length: int
    status: str


class Journal:
    def __init__(self, path: Path, fresh: bool = False):
        """Opens (creating) the journal at `path`; `fresh` empties it first (`--force`)."""
        self.path = path
        self.dropped_tail = 0  # bytes of a torn last line dropped on opening
        self.skipped_lines = 0  # complete lines that are no JSON record (hand edits): not indexed
        self._done: dict[tuple[str, str | None, str | None], Written] = {}
        self._by_content: dict[tuple[str, str], Written] = {}
        if fresh:
            path.unlink(missing_ok=True)
        self._index_and_repair()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._size = os.fstat(self._fd).st_size

    def _index_and_repair(self) -> None:
        """Indexes every whole line, reading line by line (a national journal does not fit in
        memory); a torn last line is cut off."""
        if not self.path.exists():
            return
        offset = 0
        with self.path.open("rb") as stream:
            for line in stream:
                if not line.endswith(b"\n"):
                    self.dropped_tail = len(line)
                    break
                try:
                    self._index(json.loads(line), offset, len(line))
                except (ValueError, KeyError, TypeError):
                    self.skipped_lines += 1
                offset += len(line)
        if self.dropped_tail:
            os.truncate(self.path, offset)

    def _index(self, record: dict, offset: int, length: int) -> None:
        written = Written(offset, length, record["status"])
        fingerprint = record.get(FINGERPRINT_KEY)
        self._done[(record["source"], record["sha256"], fingerprint)] = written
        if record["sha256"] is not None and fingerprint is not None:
            self._by_content.setdefault((record["sha256"], fingerprint), written)

    def done(self, source: str, sha256: str | None, fingerprint: str) -> Written | None:
        return self._done.get((source, sha256, fingerprint))

    def same_content(self, sha256: str | None, fingerprint: str) -> dict | None:
        """A record of another source with these bytes and options, read back from the journal."""
        written = self._by_content.get((sha256, fingerprint)) if sha256 is not None else None
        if written is None:
            return None
        with self.path.open("rb") as stream:
            stream.seek(written.offset)
            return json.loads(stream.read(written.length))

    def append(self, line: str) -> Written:
        """Writes one record line whole, flushed to disk, and indexes it."""
        data = line.encode("utf-8")
        if not data.endswith(b"\n") or data.count(b"\n") != 1:
            raise ValueError("a journal line is one record ending in one newline")
        offset = self._size
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view):]
        os.fsync(self._fd)
        self._size += len(data)
        record = json.loads(data)
        self._index(record, offset, len(data))
        return self._done[(record["source"], record["sha256"], record.get(FINGERPRINT_KEY))]

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
