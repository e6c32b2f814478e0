"""An `extract` output folder read for review: one `ReviewItem` per line of `extractions.jsonl`.

Records are read defensively: only what the spec fixes is relied on (`source`, `status`, `error`,
`template`, `agency`, `year`, `sections`, `fields`, `checks`, `warnings`); a line that is not a
JSON object becomes an item with status `error` and code `malformed_record`, so nothing is lost.
Items are known by their line number: a document id never becomes a path.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from govreport.batch.archives import MEMBER_SEPARATOR, ArchiveError, ArchiveLimits, read_member

RESULTS_FILE = "extractions.jsonl"
MAX_SOURCE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class ReviewItem:
    number: int  # 1-based line of extractions.jsonl: the document's id in the web page
    record: dict

    @property
    def status(self) -> str:
        return "ok" if self.record.get("status") == "ok" else "error"

    @property
    def source(self) -> str:
        return str(self.record.get("source") or "")

    @property
    def fields(self) -> dict[str, dict]:
        fields = self.record.get("fields")
        return {k: v for k, v in fields.items() if isinstance(v, dict)} if isinstance(fields, dict) else {}

    @property
    def error(self) -> dict | None:
        error = self.record.get("error")
        return error if isinstance(error, dict) else None


class ResultsError(ValueError):
    """The results folder cannot be reviewed (no extractions.jsonl)."""


def _item(number: int, line: str) -> ReviewItem:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        record = None
        message = f"line {number} of {RESULTS_FILE} is not JSON: {exc}"
    else:
        message = f"line {number} of {RESULTS_FILE} is not a JSON object"
    if not isinstance(record, dict):
        record = {"source": None, "status": "error", "error": {"code": "malformed_record", "message": message}}
    return ReviewItem(number, record)


def read_results(folder: Path) -> list[ReviewItem]:
    path = folder / RESULTS_FILE
    if not path.is_file():
        raise ResultsError(f"{folder}: no {RESULTS_FILE} (give the --out folder of `govreport extract`)")
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [_item(number, line) for number, line in enumerate(lines, start=1) if line.strip()]


@dataclass(frozen=True)
class Source:
    """The document a record names: a file, or a member of a zip archive."""

    name: str  # the file (or member) name, for the label copied beside the gold
    data: bytes


def resolve_source(source: str, base: Path) -> Path | None:
    """A record's source file: an absolute path as written; a relative one (as `extract` writes
    the paths it was given) under `base` (where `extract` ran: `govreport review --sources`),
    never outside it."""
    if not source or "\0" in source:
        return None
    path = Path(source)
    if not path.is_absolute():
        path = (base / path).resolve()
        if not path.is_relative_to(base.resolve()):
            return None
    return path if path.is_file() else None


def _archive_member(source: str, base: Path) -> Source | None:
    """A member of a zip archive, named as the batch names it (`archive.zip!/a/b.pdf`, nested
    archives chained the same way), read with the batch's safety limits (size, zip-bomb ratio)."""
    archive, *members = source.split(MEMBER_SEPARATOR)
    archive_path = resolve_source(archive, base) if members else None
    if archive_path is None:
        return None
    try:
        data = read_member(archive_path, tuple(members), ArchiveLimits(max_member_bytes=MAX_SOURCE_BYTES))
    except ArchiveError:
        return None
    return Source(PurePosixPath(members[-1]).name, data)


def read_source(item: ReviewItem, base: Path) -> Source | None:
    """The document a record names, or None when it is not to be found or is not the document
    the record was made from (its sha256 differs: the boxes would not fit)."""
    path = resolve_source(item.source, base)
    if path is not None:
        found = Source(path.name, path.read_bytes()) if path.stat().st_size <= MAX_SOURCE_BYTES else None
    else:
        found = _archive_member(item.source, base)
    expected = item.record.get("sha256")
    if found is not None and isinstance(expected, str) and hashlib.sha256(found.data).hexdigest() != expected:
        return None
    return found
