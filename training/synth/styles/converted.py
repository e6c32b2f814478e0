"""Legacy office files, made from the modern renderings by LibreOffice headless (the same
converter the readers use): Word 97 `.doc` and `.rtf` from the DOCX style, Excel 97 `.xls` from
the spreadsheet style. Annotations are those of the rendering converted (grid positions)."""

from __future__ import annotations

import random

from extraction.ingest.convert import convert_with_soffice
from extraction.ingest.errors import IngestError, IngestErrorCode
from training.synth.report import SynthReport
from training.synth.styles.base import Rendered
from training.synth.styles.markup import render_docx
from training.synth.styles.sheets import render_xlsx

CONVERT_SECONDS = 120.0


def _converted(rendered: Rendered, export: str, suffix: str, unreadable: IngestErrorCode) -> Rendered:
    (source_suffix, data), = rendered.files.items()
    try:
        converted = convert_with_soffice(data, source_suffix, None, export, CONVERT_SECONDS, unreadable)
    except IngestError as exc:
        raise RuntimeError(f"cannot make a {suffix} rendering: {exc.message}") from exc
    return Rendered({suffix: converted}, rendered.annotations, unprinted=rendered.unprinted)


def render_doc(report: SynthReport, rng: random.Random) -> Rendered:
    return _converted(render_docx(report, rng), "doc:MS Word 97", ".doc", IngestErrorCode.DOCX_CORRUPT)


def render_rtf(report: SynthReport, rng: random.Random) -> Rendered:
    return _converted(render_docx(report, rng), "rtf:Rich Text Format", ".rtf", IngestErrorCode.DOCX_CORRUPT)


def render_xls(report: SynthReport, rng: random.Random) -> Rendered:
    return _converted(render_xlsx(report, rng), "xls:MS Excel 97", ".xls", IngestErrorCode.SPREADSHEET_CORRUPT)
