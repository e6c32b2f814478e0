"""The review queue: what each document needs from a human, and the documents in that order.

Order: documents not yet verified first; among them errors (nothing was read), then documents with
tables not read at all, then by the lowest field confidence, then by the number of repaired
cells, identities the document breaks and low-confidence cells. Verified documents go last.
"""

from __future__ import annotations

from dataclasses import dataclass

from extraction.templates import Template
from review.results import ReviewItem


@dataclass(frozen=True)
class Needs:
    error: str | None  # the record's error code
    min_confidence: float | None  # over every field of the record
    low_confidence: int  # fields under the review's threshold
    repaired: int
    source_breaks: int  # identities the document breaks as printed
    unread_tables: int  # tables of the template with no value at all
    warnings: int


@dataclass(frozen=True)
class QueueFilter:
    agency: str = ""  # part of the agency's name
    year: int | None = None
    status: str = ""  # "", "ok", "error", "verified" or "to_review"


@dataclass(frozen=True)
class QueueEntry:
    item: ReviewItem
    needs: Needs
    verified: bool


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def needs_of(item: ReviewItem, templates: dict[str, Template], low_confidence: float) -> Needs:
    if item.status == "error":
        error = item.error or {}
        return Needs(str(error.get("code") or "error"), None, 0, 0, 0, 0, 0)
    fields = item.fields
    confidences = [c for f in fields.values() if (c := _number(f.get("confidence"))) is not None]
    checks = item.record.get("checks") if isinstance(item.record.get("checks"), list) else []
    template = templates.get(str(item.record.get("template")))
    unread = 0
    if template is not None:
        for table in template.tables:
            keys = [k for k, spec in template.fields.items() if spec.table == table.key and not spec.optional]
            unread += all((fields.get(k) or {}).get("value") is None for k in keys)
    warnings = item.record.get("warnings")
    return Needs(
        error=None,
        min_confidence=min(confidences) if confidences else None,
        low_confidence=sum(1 for c in confidences if c < low_confidence),
        repaired=sum(1 for f in fields.values() if f.get("repaired") is True),
        source_breaks=sum(1 for c in checks if isinstance(c, dict) and c.get("source_breaks") is True),
        unread_tables=unread,
        warnings=len(warnings) if isinstance(warnings, list) else 0,
    )


def _order(entry: QueueEntry) -> tuple:
    needs = entry.needs
    confidence = needs.min_confidence if needs.min_confidence is not None else 0.0
    return (entry.verified, needs.error is None, -needs.unread_tables, confidence, -needs.repaired,
            -needs.source_breaks, -needs.low_confidence, entry.item.number)


def _matches(entry: QueueEntry, where: QueueFilter) -> bool:
    record = entry.item.record
    if where.agency and where.agency not in str(record.get("agency") or ""):
        return False
    if where.year is not None and record.get("year") != where.year:
        return False
    status = {"ok": entry.item.status == "ok", "error": entry.item.status == "error",
              "verified": entry.verified, "to_review": not entry.verified}
    return status.get(where.status, True)


def review_queue(items: list[ReviewItem], templates: dict[str, Template], verified: set[int],
                 low_confidence: float, where: QueueFilter = QueueFilter()) -> list[QueueEntry]:
    entries = [QueueEntry(item, needs_of(item, templates, low_confidence), item.number in verified) for item in items]
    return sorted((e for e in entries if _matches(e, where)), key=_order)
