"""The tables of a batch, rebuilt from its journal (`extractions.jsonl`) — after every run, and by
`govreport export`. Each file is written beside the journal under a temporary name, then renamed
into place, so a reader never sees half a table.

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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

from extraction.templates import Template
from govreport.batch.cross_year import CROSS_YEAR_COLUMNS, cross_year_rows
from govreport.batch.summary import summary_markdown

JOURNAL_NAME = "extractions.jsonl"
DOCUMENT_COLUMNS = ["source", "status", "error_code", "agency", "year", "template", "sha256"]
ERROR_COLUMNS = ["source", "sha256", "code", "message"]
EXCEL_CSV = "utf-8-sig"  # a byte-order mark: Excel then reads the CSV as UTF-8
LONG_SCHEMA = pa.schema([("document", pa.string()), ("key", pa.string()), ("value", pa.float64()),
                         ("text", pa.string()), ("confidence", pa.float64()), ("repaired", pa.bool_()),
                         ("page", pa.int32())])


def read_records(journal: Path) -> list[dict]:
    """The journal's records, the last one of each source (a source redone under other options),
    in the order the sources first appear; a torn last line is left out."""
    records: dict[str, dict] = {}
    with journal.open(encoding="utf-8") as lines:
        for line in lines:
            if line.endswith("\n"):
                record = json.loads(line)
                records[record["source"]] = record
    return list(records.values())


def export_tables(journal: Path, out: Path, templates: dict[str, Template]) -> list[Path]:
    """Writes every table from the journal into `out`; returns their paths."""
    records = read_records(journal)
    keys = field_columns(templates, records)
    cross_year = cross_year_rows(records, templates)
    written = [
        _write_atomic(out / "fields.csv", lambda f: _write_csv(f, DOCUMENT_COLUMNS + keys, (wide_row(r) for r in records)),
                      EXCEL_CSV),
        _write_atomic(out / "errors.csv", lambda f: _write_csv(f, ERROR_COLUMNS, error_rows(records)), EXCEL_CSV),
        _write_atomic(out / "cross_year.csv", lambda f: _write_csv(f, CROSS_YEAR_COLUMNS, cross_year), EXCEL_CSV),
        _write_atomic(out / "fields.parquet", lambda f: pq.write_table(long_table(records), f), None),
        _write_atomic(out / "summary.md", lambda f: f.write(summary_markdown(records, cross_year)), "utf-8"),
    ]
    return written


def field_columns(templates: dict[str, Template], records: Iterable[dict]) -> list[str]:
    """Every field key of every template in printed order (newest template first), then any key a
    record holds that no template has."""
    keys = dict.fromkeys(k for tid in sorted(templates, reverse=True) for k in templates[tid].field_keys(True))
    extra = sorted({k for r in records for k in r["fields"]} - keys.keys())
    return list(keys) + extra


def wide_row(record: dict) -> dict:
    error = record["error"] or {}
    row = {"source": record["source"], "status": record["status"], "error_code": error.get("code"),
           "agency": record["agency"], "year": record["year"], "template": record["template"], "sha256": record["sha256"]}
    return row | {key: field["value"] for key, field in record["fields"].items()}


def error_rows(records: Iterable[dict]) -> Iterable[dict]:
    for record in records:
        if record["status"] != "ok":
            yield {"source": record["source"], "sha256": record["sha256"], **record["error"]}


def long_table(records: Iterable[dict]) -> pa.Table:
    columns: dict[str, list] = {name: [] for name in LONG_SCHEMA.names}
    for record in records:
        for key, field in record["fields"].items():
            for name, value in (("document", record["source"]), ("key", key), ("value", field["value"]),
                                ("text", field["text"]), ("confidence", field["confidence"]),
                                ("repaired", field["repaired"]), ("page", field["page"])):
                columns[name].append(value)
    return pa.table(columns, schema=LONG_SCHEMA)


def _write_csv(stream: IO[str], columns: list[str], rows: Iterable[dict]) -> None:
    writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def _write_atomic(path: Path, write: Callable[[IO], object], encoding: str | None) -> Path:
    """`write` fills a temporary file (text in `encoding`, or bytes where None), renamed to `path` when whole."""
    temporary = path.with_name(f".{path.name}.tmp")
    with (temporary.open("wb") if encoding is None else temporary.open("w", encoding=encoding, newline="")) as stream:
        write(stream)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)
    return path
