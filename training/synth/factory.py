"""The synthetic report factory: N labelled documents across every style, deterministic per seed.

For each document it writes the document itself, its gold (`X.json`, the spec's gold format) and
its token annotations (`X.tokens.json`), plus one `manifest.jsonl` line. Document i depends only
on (seed, i, options), so a run can be extended or re-made exactly.
"""

from __future__ import annotations

import json
import random
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

from extraction.templates import Template, load_templates
from training.synth.report import SynthReport, compose_report, report_from_gold
from training.synth.styles.archive import render_scan_flatbed, render_scan_photo, render_scan_photocopy
from training.synth.styles.base import Rendered
from training.synth.styles.converted import render_doc, render_rtf, render_xls
from training.synth.styles.markup import render_docx, render_html, render_mhtml
from training.synth.styles.ofd import render_ofd
from training.synth.styles.pdf import render_pdf, render_scan
from training.synth.styles.sheets import render_xlsx
from training.synth.styles.text import (
    render_markdown,
    render_text_cells,
    render_text_garbled,
    render_text_pipes,
    render_text_tabs,
)
from training.synth.styles.web import render_web
from training.synth.values import ValueOptions

Renderer = Callable[[SynthReport, random.Random], Rendered]

STYLES: dict[str, Renderer] = {
    "text_tabs": render_text_tabs,
    "text_pipes": render_text_pipes,
    "text_cells": render_text_cells,
    "text_garbled": render_text_garbled,
    "web": render_web,
    "markdown": render_markdown,
    "html": render_html,
    "docx": render_docx,
    "pdf": render_pdf,
    "scan": render_scan,
    "scan_flatbed": render_scan_flatbed,
    "scan_photocopy": render_scan_photocopy,
    "scan_photo": render_scan_photo,
    "ofd": render_ofd,
    "doc": render_doc,
    "rtf": render_rtf,
    "xlsx": render_xlsx,
    "xls": render_xls,
    "mhtml": render_mhtml,
}


@dataclass(frozen=True)
class SynthOptions:
    n: int
    seed: int
    out: Path
    styles: tuple[str, ...] = tuple(STYLES)
    values: ValueOptions = field(default_factory=ValueOptions)

    def __post_init__(self) -> None:
        unknown = [s for s in self.styles if s not in STYLES]
        if unknown:
            raise ValueError(f"unknown style(s) {unknown}; known: {', '.join(STYLES)}")
        if self.n < 0:
            raise ValueError("n must be ≥ 0")


@dataclass(frozen=True)
class ManifestEntry:
    id: str
    style: str
    document: str
    gold: str
    tokens: str
    template: str
    year: int
    source_breaks: list[str]
    # How an archive scan was made (scan_flatbed, scan_photocopy, scan_photo); None for other styles.
    degradation: str | None = None
    dpi: int | None = None
    face: str | None = None
    body_face: str | None = None
    table_size: float | None = None
    skew: list[float] | None = None
    layout: str | None = None
    degradation_params: dict | None = None


def _year_for_style(style: str, rng: random.Random) -> int | None:
    # The garbled copies seen in the wild are of the old form; keep most of them 2019-template.
    return rng.choice([2019, 2020, 2019, None]) if style == "text_garbled" else None


def _values_for_style(style: str, values: ValueOptions) -> ValueOptions:
    # A crawled page keeps a table's printed zeros and loses its empty cells without a trace: one that
    # left most zeros blank is not readable from the text at all, so the web style prints them
    # (it lets an odd empty cell vanish itself).
    return replace(values, blank_share=0.0) if style == "web" else values


def synthesize_one(index: int, style: str, options: SynthOptions, templates: dict[str, Template]) -> tuple[SynthReport, Rendered]:
    rng = random.Random(f"govreport-synth:{options.seed}:{index}")
    report = compose_report(rng, templates, _values_for_style(style, options.values), year=_year_for_style(style, rng))
    return report, STYLES[style](report, rng)


def synthesize(options: SynthOptions, templates: dict[str, Template] | None = None,
               log: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> list[ManifestEntry]:
    """Write `options.n` documents to `options.out`, styles taken in turn so every style is covered."""
    templates = templates if templates is not None else load_templates()
    options.out.mkdir(parents=True, exist_ok=True)
    entries: list[ManifestEntry] = []
    started = time.monotonic()
    step = max(1, options.n // 10)
    with (options.out / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for index in range(options.n):
            style = options.styles[index % len(options.styles)]
            report, rendered = synthesize_one(index, style, options, templates)
            entry = _write_document(options.out, f"{index:05d}_{style}", style, report.gold(), report, rendered)
            manifest.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            entries.append(entry)
            if (index + 1) % step == 0 or index + 1 == options.n:
                log(f"synth: {index + 1}/{options.n} documents ({time.monotonic() - started:.1f} s)")
    return entries


def _write_document(out: Path, doc_id: str, style: str, gold: dict, report: SynthReport, rendered: Rendered) -> ManifestEntry:
    """The document, its gold and its annotations under `out`; the manifest line that lists them."""
    (suffix, payload), = rendered.files.items()
    (out / f"{doc_id}{suffix}").write_bytes(payload)
    gold["fields"].update({key: None for key in rendered.unprinted})  # cells the rendering left out
    (out / f"{doc_id}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / f"{doc_id}.tokens.json").write_text(
        json.dumps([a.to_json() for a in rendered.annotations], ensure_ascii=False), encoding="utf-8")
    scan = asdict(rendered.scan) if rendered.scan is not None else {}
    return ManifestEntry(doc_id, style, f"{doc_id}{suffix}", f"{doc_id}.json", f"{doc_id}.tokens.json",
                         report.template.id, report.year, list(gold["source_breaks"]), **scan)


@dataclass(frozen=True)
class FromGoldOptions:
    """Print labelled reports again from their gold: document i is `golds[i]` in style `styles[i % len]`."""

    golds: tuple[Path, ...]
    seed: int
    out: Path
    styles: tuple[str, ...]

    def __post_init__(self) -> None:
        unknown = [s for s in self.styles if s not in STYLES]
        if unknown:
            raise ValueError(f"unknown style(s) {unknown}; known: {', '.join(STYLES)}")


def synthesize_from_gold(options: FromGoldOptions, templates: dict[str, Template] | None = None,
                         log: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> list[ManifestEntry]:
    """Render each gold's report (its agency, year, template, values and sections; narrative from the
    phrase bank) and write it with that gold, unchanged, as its label."""
    templates = templates if templates is not None else load_templates()
    options.out.mkdir(parents=True, exist_ok=True)
    entries: list[ManifestEntry] = []
    started = time.monotonic()
    with (options.out / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for index, path in enumerate(options.golds):
            style = options.styles[index % len(options.styles)]
            gold = json.loads(path.read_text(encoding="utf-8"))
            rng = random.Random(f"govreport-from-gold:{options.seed}:{index}")
            report = report_from_gold(gold, templates, rng)
            entry = _write_document(options.out, f"{index:05d}_{style}_{path.stem}", style, gold, report,
                                    STYLES[style](report, rng))
            manifest.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            entries.append(entry)
            log(f"synth from gold: {index + 1}/{len(options.golds)} {path.stem} ({time.monotonic() - started:.1f} s)")
    return entries
