"""The tables of a batch, rebuilt from its journal (`extractions.jsonl`) — after every run, and by
`govreport export`. The journal is read once, a record at a time (an archive's journal need not
fit in memory); each file is written under a temporary name, then renamed into place, so a reader
never sees half a table.

- `fields.csv`: wide, one row per document (the last record of each source), one column per field
  key of every template, plus source / status / error_code / agency / year / template / sha256;
  UTF-8 with a byte-order mark, so Excel shows the Chinese;
- `fields.parquet`: long, one row per field of every `ok` document: document, key, value, text,
  confidence, repaired, page;
- `errors.csv`: source, sha256, code, message of every error record;
- `cross_year.csv` and `summary.md` (`cross_year.py`, `summary.py`).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

from extraction.templates import Template
from govreport.batch.cross_year import CROSS_YEAR_COLUMNS, cross_year_keys, cross_year_rows, cross_year_view
from govreport.batch.summary import SummaryTally

JOURNAL_NAME = "extractions.jsonl"
DOCUMENT_COLUMNS = ["source", "status", "error_code", "agency", "year", "template", "sha256"]
ERROR_COLUMNS = ["source", "sha256", "code", "message"]
DOCUMENTS_PER_ROW_GROUP = 500  # fields.parquet is written a row group at a time
EXCEL_CSV = "utf-8-sig"  # a byte-order mark: Excel then reads the CSV as UTF-8
LONG_SCHEMA = pa.schema([("document", pa.string()), ("key", pa.string()), ("value", pa.float64()),
                         ("text", pa.string()), ("confidence", pa.float64()), ("repaired", pa.bool_()),
                         ("page", pa.int32())])


def iter_records(journal: Path) -> Iterator[dict]:
    """The journal's records, the last one of each source (a source redone under other options), in
    the order the sources first appear; a torn last line is left out. Two passes, one record in
    memory at a time: the first finds where each source's last record lies."""
    last: dict[str, tuple[int, int]] = {}
    offset = 0
    with journal.open("rb") as stream:
        for line in stream:
            if line.endswith(b"\n"):
                last[json.loads(line)["source"]] = (offset, len(line))
            offset += len(line)
        for place, length in last.values():
            stream.seek(place)
            yield json.loads(stream.read(length))


def export_tables(journal: Path, out: Path, templates: dict[str, Template]) -> list[Path]:
    """Writes every table from the journal into `out` in one pass over it; returns their paths."""
    summary = SummaryTally()
    views: list[dict] = []  # the few fields the cross-year checks read, per document
    keep = cross_year_keys(templates)
    paths = [out / name for name in ("fields.csv", "errors.csv", "fields.parquet", "cross_year.csv", "summary.md")]
    with _atomic(paths[0], EXCEL_CSV) as wide, _atomic(paths[1], EXCEL_CSV) as errors, _atomic(paths[2], None) as long:
        wide_rows = _csv_writer(wide, DOCUMENT_COLUMNS + field_columns(templates))
        error_rows = _csv_writer(errors, ERROR_COLUMNS)
        with pq.ParquetWriter(long, LONG_SCHEMA) as parquet:
            pending: list[dict] = []
            for record in iter_records(journal):
                wide_rows.writerow(wide_row(record))
                if record["status"] != "ok":
                    error_rows.writerow({"source": record["source"], "sha256": record["sha256"], **record["error"]})
                summary.add(record)
                views.append(cross_year_view(record, keep))
                pending.append(record)
                if len(pending) == DOCUMENTS_PER_ROW_GROUP:
                    parquet.write_table(long_table(pending))
                    pending = []
            if pending:
                parquet.write_table(long_table(pending))
    cross_year = cross_year_rows(views, templates)
    with _atomic(paths[3], EXCEL_CSV) as stream:
        _csv_writer(stream, CROSS_YEAR_COLUMNS).writerows(cross_year)
    with _atomic(paths[4], "utf-8") as stream:
        stream.write(summary.markdown(cross_year))
    return paths


def field_columns(templates: dict[str, Template]) -> list[str]:
    """Every field key of every template in printed order (newest template first)."""
    return list(dict.fromkeys(k for tid in sorted(templates, reverse=True) for k in templates[tid].field_keys(True)))


def wide_row(record: dict) -> dict:
    error = record["error"] or {}
    row = {"source": record["source"], "status": record["status"], "error_code": error.get("code"),
           "agency": record["agency"], "year": record["year"], "template": record["template"], "sha256": record["sha256"]}
    return row | {key: field["value"] for key, field in record["fields"].items()}


def long_table(records: Iterable[dict]) -> pa.Table:
    columns: dict[str, list] = {name: [] for name in LONG_SCHEMA.names}
    for record in records:
        for key, field in record["fields"].items():
            for name, value in (("document", record["source"]), ("key", key), ("value", field["value"]),
                                ("text", field["text"]), ("confidence", field["confidence"]),
                                ("repaired", field["repaired"]), ("page", field["page"])):
                columns[name].append(value)
    return pa.table(columns, schema=LONG_SCHEMA)


def _csv_writer(stream: IO[str], columns: list[str]) -> csv.DictWriter:
    writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    return writer


@contextmanager
def _atomic(path: Path, encoding: str | None) -> Iterator[IO]:
    """A temporary file beside `path` (text in `encoding`, or bytes where None), renamed to `path`
    once written whole; removed if writing fails."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with (temporary.open("wb") if encoding is None else temporary.open("w", encoding=encoding, newline="")) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
