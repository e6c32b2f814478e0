"""`summary.md`: what a batch holds, in a few lines a person reads first — documents and errors by
code, templates and years, identities the documents break themselves, fields the decoder repaired,
and the cross-year checks. Built from the records alone (no clock), so the same journal always gives
the same summary."""

from __future__ import annotations

from collections import Counter


class SummaryTally:
    """Counts a batch's records one at a time (the journal is read once, never held whole)."""

    def __init__(self) -> None:
        self.documents = 0
        self.errors: Counter[str] = Counter()
        self.templates: Counter[str] = Counter()
        self.years: set[int] = set()
        self.breaking_documents = 0
        self.broken_identities = 0
        self.repaired_documents = 0
        self.repaired_fields = 0

    def add(self, record: dict) -> None:
        self.documents += 1
        if record["status"] != "ok":
            self.errors[record["error"]["code"]] += 1
            return
        self.templates[record["template"]] += 1
        if record["year"]:
            self.years.add(record["year"])
        broken = sum(1 for c in record["checks"] if c["source_breaks"])
        repaired = sum(1 for f in record["fields"].values() if f["repaired"])
        self.breaking_documents += broken > 0
        self.broken_identities += broken
        self.repaired_documents += repaired > 0
        self.repaired_fields += repaired

    def markdown(self, cross_year: list[dict]) -> str:
        ok = self.documents - sum(self.errors.values())
        results = Counter(row["result"] for row in cross_year)
        lines = [
            "# Batch summary", "",
            f"- documents: {self.documents} — {ok} extracted, {self.documents - ok} error records (`errors.csv`)",
            "- templates: " + (", ".join(f"{t}: {n}" for t, n in sorted(self.templates.items())) or "none"),
            f"- report years: {min(self.years)}–{max(self.years)}" if self.years else "- report years: none",
            f"- identities the documents break themselves (a mistyped total, values kept as printed): "
            f"{self.broken_identities} in {self.breaking_documents} documents",
            f"- fields repaired by the decoder (a misread cell): {self.repaired_fields} in {self.repaired_documents} documents",
            f"- cross-year checks (`cross_year.csv`): {len(cross_year)} — {results['agrees']} agree, {results['differs']} differ",
        ]
        if self.errors:
            lines += ["", "| error code | documents |", "|---|---:|"]
            lines += [f"| `{code}` | {count} |" for code, count in sorted(self.errors.items(), key=lambda i: (-i[1], i[0]))]
        lines += ["", "Tables: `fields.csv` (one row per document), `fields.parquet` (one row per field), "
                      "`errors.csv`, `cross_year.csv`; all rebuilt from `extractions.jsonl` by `govreport export`."]
        return "\n".join(lines) + "\n"
