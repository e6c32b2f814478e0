"""Evaluation output: a table in the terminal, `metrics.json`, and `report.md` + `report.html` with
plots (accuracy per table and per style for each system, the confidence-coverage curve) and the
worst documents with their wrong fields."""

from __future__ import annotations

import html
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from eval.metrics import SystemScore  # noqa: E402

WORST_DOCUMENTS = 5
WRONG_FIELDS_SHOWN = 12


def _percent(value) -> str:
    return "—" if value is None else f"{value:.2%}"


def _number(value, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def headline_rows(summaries: dict[str, dict]) -> list[tuple[str, list[str]]]:
    """(metric, value per system) for the side-by-side table."""
    def per(get):
        return [get(s) for s in summaries.values()]

    rows = [
        ("fields, all", per(lambda s: _percent(s["fields"]["overall"]["all"]["all"]["accuracy"]))),
        ("fields, non-zero gold", per(lambda s: _percent(s["fields"]["overall"]["all"]["non_zero"]["accuracy"]))),
    ]
    tables = sorted({t for s in summaries.values() for t in s["fields"].get("table", {})})
    for table in tables:
        rows.append((f"  {table}", per(lambda s, t=table: _percent(s["fields"]["table"].get(t, {}).get("all", {}).get("accuracy")))))
    rows += [
        ("documents perfect", per(lambda s: _percent(s["documents"]["document_perfect"]["accuracy"]))),
        ("agency / year / template", per(lambda s: " / ".join(_percent(s["documents"][k]["accuracy"])
                                                                for k in ("agency", "year", "template")))),
        ("headings P / R", per(lambda s: f"{_percent(s['sections']['precision'])} / {_percent(s['sections']['recall'])}")),
        ("canonical section ids", per(lambda s: _percent(s["sections"]["canonical_accuracy"]))),
        ("identities satisfied", per(lambda s: _percent(s["identities"]["identity_satisfaction"]["accuracy"]))),
        ("source breaks P / R", per(lambda s: f"{_percent(s['identities']['source_break_precision'])} / "
                                              f"{_percent(s['identities']['source_break_recall'])}")),
        ("repairs P / R", per(lambda s: f"{_percent(s['repairs']['repair_precision'])} / "
                                        f"{_percent(s['repairs']['repair_recall'])}")),
        ("s / page", per(lambda s: _number(s["speed"]["s_per_page"], 3))),
        ("docs / s", per(lambda s: _number(s["speed"]["docs_per_s"], 2))),
    ]
    return rows


def breakdown_rows(summaries: dict[str, dict]) -> list[tuple[str, list[str]]]:
    """(slice, figures per system) for a generated set whose manifest says how each document was
    made: fields all / non-zero, documents perfect, and right at confidence ≥ 0.99 (of the share kept)."""
    def figures(piece: dict | None) -> str:
        if piece is None:
            return "—"
        fields, perfect, confident = piece["fields"], piece["document_perfect"], piece["confident"]
        return (f"{_percent(fields['all']['accuracy'])} / {_percent(fields['non_zero']['accuracy'])} · "
                f"{perfect['right']}/{perfect['total']} · {_percent(confident['accuracy'])} of {_percent(confident['kept'])}")

    rows = []
    dimensions = {d: None for s in summaries.values() for d in s.get("breakdown", {})}
    for dimension in dimensions:
        values = {v: None for s in summaries.values() for v in s["breakdown"].get(dimension, {})}
        for value in values:
            rows.append((f"{dimension} {value}", [figures(s.get("breakdown", {}).get(dimension, {}).get(value))
                                                  for s in summaries.values()]))
    return rows


BREAKDOWN_HEADING = "by how the scan was made: fields all / non-zero · documents perfect · right at confidence ≥ 0.99 of kept"


def print_table(title: str, summaries: dict[str, dict], console: Console | None = None) -> None:
    console = console or Console(width=max(120, Console().width))
    for caption, rows in ((title, headline_rows(summaries)), (f"{title}: {BREAKDOWN_HEADING}", breakdown_rows(summaries))):
        if not rows:
            continue
        table = Table(title=caption)
        table.add_column("metric" if caption == title else "slice")
        for system in summaries:
            table.add_column(system, justify="right")
        for metric, values in rows:
            table.add_row(metric, *values)
        console.print(table)


def _grouped_bars(path: Path, title: str, group: str, summaries: dict[str, dict]) -> None:
    names = sorted({n for s in summaries.values() for n in s["fields"].get(group, {})})
    figure, axis = plt.subplots(figsize=(max(6, 1.3 * len(names) * max(1, len(summaries)) / 2), 4))
    width = 0.8 / max(1, len(summaries))
    for i, (system, summary) in enumerate(summaries.items()):
        values = [(summary["fields"][group].get(n, {}).get("all", {}).get("accuracy") or 0) * 100 for n in names]
        bars = axis.bar([x + i * width for x in range(len(names))], values, width, label=system)
        axis.bar_label(bars, fmt="%.0f", fontsize=7)
    axis.set_xticks([x + width * (len(summaries) - 1) / 2 for x in range(len(names))], names, rotation=20, ha="right")
    axis.set_ylabel("field accuracy (%)")
    axis.set_ylim(0, 105)
    axis.set_title(title)
    axis.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))  # outside: never over a bar
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _coverage_plot(path: Path, summaries: dict[str, dict]) -> None:
    figure, axis = plt.subplots(figsize=(6, 4))
    for system, summary in summaries.items():
        curve = [p for p in summary["coverage"]["curve"] if p["accuracy"] is not None]
        if curve:
            axis.plot([p["kept"] * 100 for p in curve], [p["accuracy"] * 100 for p in curve], marker="o", label=system)
            labels: dict[tuple[float, float], list[str]] = {}  # thresholds that keep the same fields share a point
            for point in curve:
                labels.setdefault((point["kept"] * 100, point["accuracy"] * 100), []).append(f"{point['threshold']:g}")
            for (x, y), thresholds in labels.items():
                axis.annotate("τ≥" + "/".join(thresholds), (x, y), fontsize=7, textcoords="offset points", xytext=(4, 4))
    axis.set_xlabel("fields kept (%), confidence ≥ τ")
    axis.set_ylabel("accuracy of kept fields (%)")
    axis.set_title("Confidence–coverage")
    axis.grid(alpha=0.3)
    if axis.lines:
        axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def worst_documents(scores: dict[str, SystemScore], system: str) -> list[tuple[str, list]]:
    wrong = scores[system].fields.wrong
    return sorted(wrong.items(), key=lambda item: -len(item[1]))[:WORST_DOCUMENTS]


def write_report(out: Path, title: str, description: str, scores: dict[str, SystemScore]) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    summaries = {system: score.summary() for system, score in scores.items()}
    (out / "metrics.json").write_text(json.dumps({"bench": title, "description": description, "systems": summaries},
                                                 ensure_ascii=False, indent=1), encoding="utf-8")
    plots = {"tables": out / "accuracy_by_table.png", "styles": out / "accuracy_by_style.png",
             "coverage": out / "coverage.png"}
    _grouped_bars(plots["tables"], f"{title}: field accuracy per table", "table", summaries)
    _grouped_bars(plots["styles"], f"{title}: field accuracy per style", "style", summaries)
    _coverage_plot(plots["coverage"], {s: v for s, v in summaries.items() if v["coverage"]["curve"][0]["kept"]})
    reference = "full" if "full" in scores else next(iter(scores))
    worst = worst_documents(scores, reference)
    rows = headline_rows(summaries)

    md = [f"# Evaluation: {title}", "", description, "", "| metric | " + " | ".join(summaries) + " |",
          "|---|" + "---|" * len(summaries)]
    md += [f"| {metric} | " + " | ".join(values) + " |" for metric, values in rows]
    slices = breakdown_rows(summaries)
    if slices:
        md += ["", f"## {BREAKDOWN_HEADING[0].upper()}{BREAKDOWN_HEADING[1:]}", "",
               "| slice | " + " | ".join(summaries) + " |", "|---|" + "---|" * len(summaries)]
        md += [f"| {name} | " + " | ".join(values) + " |" for name, values in slices]
    md += ["", "![accuracy per table](accuracy_by_table.png)", "", "![accuracy per style](accuracy_by_style.png)", "",
           "![confidence-coverage](coverage.png)", "", f"## Worst documents ({reference})", ""]
    for doc_id, wrong in worst:
        md.append(f"### {doc_id}: {len(wrong)} wrong fields")
        md += ["", "| field | gold | predicted |", "|---|---|---|"]
        md += [f"| {k} | {g} | {p} |" for k, g, p in wrong[:WRONG_FIELDS_SHOWN]]
        md.append("")
    (out / "report.md").write_text("\n".join(md), encoding="utf-8")

    cells = "".join(f"<th>{html.escape(s)}</th>" for s in summaries)
    body = [f"<h1>Evaluation: {html.escape(title)}</h1><p>{html.escape(description)}</p>",
            f"<table border='1' cellspacing='0' cellpadding='4'><tr><th>metric</th>{cells}</tr>"]
    body += ["<tr><td>" + html.escape(m) + "</td>" + "".join(f"<td>{html.escape(v)}</td>" for v in values) + "</tr>"
             for m, values in rows]
    body.append("</table>")
    if slices:
        body.append(f"<h2>{html.escape(BREAKDOWN_HEADING)}</h2><table border='1' cellspacing='0' cellpadding='4'>"
                    f"<tr><th>slice</th>{cells}</tr>")
        body += ["<tr><td>" + html.escape(m) + "</td>" + "".join(f"<td>{html.escape(v)}</td>" for v in values) + "</tr>"
                 for m, values in slices]
        body.append("</table>")
    body += [f"<p><img src='{p.name}' alt='{k}'></p>" for k, p in plots.items()]
    body.append(f"<h2>Worst documents ({html.escape(reference)})</h2>")
    for doc_id, wrong in worst:
        body.append(f"<h3>{html.escape(doc_id)}: {len(wrong)} wrong fields</h3><table border='1' cellspacing='0' "
                    "cellpadding='3'><tr><th>field</th><th>gold</th><th>predicted</th></tr>")
        body += [f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(g))}</td><td>{html.escape(str(p))}</td></tr>"
                 for k, g, p in wrong[:WRONG_FIELDS_SHOWN]]
        body.append("</table>")
    (out / "report.html").write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
                                     f"{html.escape(title)}</title></head><body>" + "\n".join(body) + "</body></html>",
                                     encoding="utf-8")
    return {"metrics": out / "metrics.json", "markdown": out / "report.md", "html": out / "report.html", **plots}
