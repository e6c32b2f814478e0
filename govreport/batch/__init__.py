"""Batch extraction of archives: inputs (files, folders, globs, zips) → an append-only, resumable
`extractions.jsonl` → tables (`fields.csv`, `fields.parquet`, `errors.csv`, `cross_year.csv`,
`summary.md`), run by local worker processes or on Ray."""
