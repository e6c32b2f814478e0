"""`summary.md`: what a batch holds, in a few lines a person reads first — documents and errors by
code, templates and years, identities the documents break themselves, fields the decoder repaired,
and the cross-year checks. Built from the records alone (no clock), so the same journal always gives
the same summary."""

from __future__ import annotations

from collections import Counter


def summary_markdown(records: list[dict], cross_year: list[dict]) -> str:
    ok = [r for r in records if r["status"] == "ok"]
    errors = Counter(r["error"]["code"] for r in records if r["status"] != "ok")
    years = sorted(r["year"] for r in ok if r["year"])
    breaking = [r for r in ok if any(c["source_breaks"] for c in r["checks"])]
    repaired = [sum(1 for f in r["fields"].values() if f["repaired"]) for r in ok]
    results = Counter(row["result"] for row in cross_year)
    lines = [
        "# Batch summary", "",
        f"- documents: {len(records)} — {len(ok)} extracted, {len(records) - len(ok)} error records (`errors.csv`)",
        "- templates: " + (", ".join(f"{t}: {n}" for t, n in sorted(Counter(r["template"] for r in ok).items())) or "none"),
        f"- report years: {years[0]}–{years[-1]}" if years else "- report years: none",
        f"- identities the documents break themselves (a mistyped total, values kept as printed): "
        f"{sum(sum(c['source_breaks'] for c in r['checks']) for r in breaking)} in {len(breaking)} documents",
        f"- fields repaired by the decoder (a misread cell): {sum(repaired)} in {sum(1 for n in repaired if n)} documents",
        f"- cross-year checks (`cross_year.csv`): {len(cross_year)} — {results['agrees']} agree, {results['differs']} differ",
    ]
    if errors:
        lines += ["", "| error code | documents |", "|---|---:|"]
        lines += [f"| `{code}` | {count} |" for code, count in sorted(errors.items(), key=lambda item: (-item[1], item[0]))]
    lines += ["", "Tables: `fields.csv` (one row per document), `fields.parquet` (one row per field), "
                  "`errors.csv`, `cross_year.csv`; all rebuilt from `extractions.jsonl` by `govreport export`."]
    return "\n".join(lines) + "\n"
