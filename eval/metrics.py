"""Metrics as update/summary objects: feed each (gold, predicted record) pair, then read a summary.

Exactly as the spec defines them: a field is right when its value equals the gold value (`null`
and `0` differ; decimals compare rounded to 3 places). A document that is missing from the
predictions, or whose record is an error, counts every gold field wrong.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from extraction.decode.numbers import parse_cell
from extraction.templates import Template

COVERAGE_THRESHOLDS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)
CONFIDENT = 0.99  # the calibration figure: share right among the fields at confidence ≥ this
# How a generated document was made (its manifest entry) that results are broken down by.
BREAKDOWN = ("degradation", "dpi", "face")


def values_equal(predicted, gold) -> bool:
    if predicted is None or gold is None:
        return predicted is None and gold is None
    if isinstance(predicted, bool) or isinstance(gold, bool):
        return False
    if isinstance(predicted, float) or isinstance(gold, float):
        return round(float(predicted), 3) == round(float(gold), 3)
    return predicted == gold


def predicted_value(record: dict | None, key: str):
    """The predicted value of a field, or a marker that can never equal gold when there is none."""
    if record is None or record.get("status") != "ok" or key not in record.get("fields", {}):
        return _ABSENT
    return record["fields"][key].get("value")


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


_ABSENT = _Absent()


def _right(predicted, gold) -> bool:
    return predicted is not _ABSENT and values_equal(predicted, gold)


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    def add(self, right: bool) -> None:
        self.right += bool(right)
        self.total += 1

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None

    def to_json(self) -> dict:
        return {"right": self.right, "total": self.total, "accuracy": self.value}


@dataclass
class Scored:
    """One document of one system, as the metrics see it."""

    doc_id: str
    style: str
    gold: dict
    record: dict | None  # None: the system produced no record for this document
    template: Template  # the gold's
    made: dict | None = None  # a generated document's manifest entry (degradation, dpi, face, …)


class FieldAccuracy:
    """Field exact match overall, per table / row / column / style, on all gold fields and on the
    non-zero ones alone (guessing 0 everywhere already scores most of the all-field figure)."""

    def __init__(self) -> None:
        self.groups: dict[str, dict[str, tuple[Ratio, Ratio]]] = defaultdict(lambda: defaultdict(lambda: (Ratio(), Ratio())))
        self.wrong: dict[str, list[tuple[str, object, object]]] = {}

    def update(self, doc: Scored) -> None:
        wrong = []
        for key, gold in doc.gold["fields"].items():
            predicted = predicted_value(doc.record, key)
            right = _right(predicted, gold)
            spec = doc.template.fields.get(key)
            table, row, column = (spec.table, spec.row, spec.column) if spec else (key.split(".")[0], "?", "?")
            for group, name in (("overall", "all"), ("table", table), ("row", f"{table}.{row}"),
                                ("column", f"{table}.{column}"), ("style", doc.style)):
                every, non_zero = self.groups[group][name]
                every.add(right)
                if gold not in (None, 0):
                    non_zero.add(right)
            if not right:
                wrong.append((key, gold, None if predicted is _ABSENT else predicted))
        self.wrong[doc.doc_id] = wrong

    def summary(self) -> dict:
        return {group: {name: {"all": every.to_json(), "non_zero": non_zero.to_json()}
                        for name, (every, non_zero) in sorted(names.items())}
                for group, names in self.groups.items()}


class DocumentAccuracy:
    """Share of documents with every field right; agency, year and template accuracy."""

    def __init__(self) -> None:
        self.perfect, self.agency, self.year, self.template = Ratio(), Ratio(), Ratio(), Ratio()
        self.errors: dict[str, int] = defaultdict(int)

    def update(self, doc: Scored) -> None:
        record = doc.record if doc.record is not None and doc.record.get("status") == "ok" else None
        if doc.record is None:
            self.errors["missing"] += 1
        elif record is None:
            self.errors[(doc.record.get("error") or {}).get("code", "error")] += 1
        self.perfect.add(record is not None and all(_right(predicted_value(record, k), v)
                                                    for k, v in doc.gold["fields"].items()))
        self.agency.add(record is not None and record.get("agency") == doc.gold.get("agency"))
        self.year.add(record is not None and record.get("year") == doc.gold.get("year"))
        self.template.add(record is not None and record.get("template") == doc.gold.get("template"))

    def summary(self) -> dict:
        return {"documents": self.perfect.total, "document_perfect": self.perfect.to_json(),
                "agency": self.agency.to_json(), "year": self.year.to_json(), "template": self.template.to_json(),
                "not_extracted": dict(self.errors)}


def _heading_key(number: str, title: str) -> tuple[str, str]:
    return number.strip(), re.sub(r"[\s。.]", "", title).translate(str.maketrans("（）：，", "():,"))


class SectionAccuracy:
    """Heading precision and recall (a heading is found when its number and title match a gold
    heading, white space and punctuation width aside) and canonical-id accuracy of those found."""

    def __init__(self) -> None:
        self.found = self.predicted = self.gold = 0
        self.canonical = Ratio()

    def update(self, doc: Scored) -> None:
        gold = {_heading_key(s["number"], s["title"]): s.get("canonical") for s in doc.gold.get("sections", [])}
        self.gold += len(gold)
        if doc.record is None or doc.record.get("status") != "ok":
            return
        predicted = {_heading_key(s["number"], s["title"]): s.get("canonical") for s in doc.record.get("sections", [])}
        self.predicted += len(predicted)
        for key, canonical in predicted.items():
            if key in gold:
                self.found += 1
                self.canonical.add(canonical == gold[key])

    def summary(self) -> dict:
        return {"precision": self.found / self.predicted if self.predicted else None,
                "recall": self.found / self.gold if self.gold else None,
                "canonical_accuracy": self.canonical.value, "gold_headings": self.gold, "predicted_headings": self.predicted}


class IdentityChecks:
    """Identity satisfaction of the predicted values (blank = 0), and source-break detection:
    precision and recall of the breaks a system reports against the gold's `source_breaks`."""

    def __init__(self) -> None:
        self.satisfied = Ratio()
        self.reported = self.true_breaks = self.detected = 0

    def update(self, doc: Scored) -> None:
        if doc.record is None or doc.record.get("status") != "ok":
            return
        values = {k: f.get("value") for k, f in doc.record.get("fields", {}).items()}
        for identity in doc.template.identities:
            if any(k in doc.gold["fields"] for k in identity.fields):
                self.satisfied.add(identity.holds(values))
        reported = {c["identity"] for c in doc.record.get("checks", []) if c.get("source_breaks")}
        gold = set(doc.gold.get("source_breaks", []))
        self.reported += len(reported)
        self.true_breaks += len(gold)
        self.detected += len(reported & gold)

    def summary(self) -> dict:
        return {"identity_satisfaction": self.satisfied.to_json(),
                "source_break_precision": self.detected / self.reported if self.reported else None,
                "source_break_recall": self.detected / self.true_breaks if self.true_breaks else None,
                "source_breaks": {"reported": self.reported, "gold": self.true_breaks, "detected": self.detected}}


class Repairs:
    """Repair precision (repaired fields now right) and recall (of the fields whose text as read
    was wrong, those repaired to the right value)."""

    def __init__(self) -> None:
        self.repaired = self.repaired_right = self.misread = self.misread_fixed = 0

    def update(self, doc: Scored) -> None:
        if doc.record is None or doc.record.get("status") != "ok":
            return
        for key, gold in doc.gold["fields"].items():
            predicted = doc.record["fields"].get(key)
            spec = doc.template.fields.get(key)
            if predicted is None or spec is None:
                continue
            try:
                as_read = parse_cell(predicted.get("text") or "", spec.kind)
            except ValueError:
                as_read = _ABSENT
            right = values_equal(predicted.get("value"), gold)
            if predicted.get("repaired"):
                self.repaired += 1
                self.repaired_right += right
            if predicted.get("text") is not None and not _right(as_read, gold):
                self.misread += 1
                self.misread_fixed += right and bool(predicted.get("repaired"))

    def summary(self) -> dict:
        return {"repaired": self.repaired,
                "repair_precision": self.repaired_right / self.repaired if self.repaired else None,
                "repair_recall": self.misread_fixed / self.misread if self.misread else None,
                "misread_fields": self.misread}


class Coverage:
    """Accuracy against confidence: keep the fields with confidence ≥ τ → their accuracy and the
    share of fields kept."""

    def __init__(self) -> None:
        self.points: list[tuple[float, bool]] = []
        self.unscored = 0  # gold fields with no predicted confidence (missing or errored documents)

    def update(self, doc: Scored) -> None:
        for key, gold in doc.gold["fields"].items():
            predicted = None if doc.record is None or doc.record.get("status") != "ok" else doc.record["fields"].get(key)
            if predicted is None or predicted.get("confidence") is None:
                self.unscored += 1
                continue
            self.points.append((float(predicted["confidence"]), values_equal(predicted.get("value"), gold)))

    def curve(self, thresholds=COVERAGE_THRESHOLDS) -> list[dict]:
        total = len(self.points) + self.unscored
        rows = []
        for tau in thresholds:
            kept = [right for confidence, right in self.points if confidence >= tau]
            rows.append({"threshold": tau, "kept": len(kept) / total if total else None,
                         "accuracy": sum(kept) / len(kept) if kept else None})
        return rows

    def summary(self) -> dict:
        return {"curve": self.curve(), "unscored_fields": self.unscored}


@dataclass
class _Slice:
    documents: int = 0
    every: Ratio = field(default_factory=Ratio)
    non_zero: Ratio = field(default_factory=Ratio)
    perfect: Ratio = field(default_factory=Ratio)
    confident: Ratio = field(default_factory=Ratio)  # right, among fields at confidence ≥ CONFIDENT
    fields: int = 0

    def summary(self) -> dict:
        return {"documents": self.documents, "fields": {"all": self.every.to_json(), "non_zero": self.non_zero.to_json()},
                "document_perfect": self.perfect.to_json(),
                "confident": {"threshold": CONFIDENT, "accuracy": self.confident.value,
                              "kept": self.confident.total / self.fields if self.fields else None}}


class Breakdown:
    """Field accuracy (all / non-zero), documents perfect and calibration per value of each of
    `BREAKDOWN` — for generated sets whose manifest says how each document was made."""

    def __init__(self) -> None:
        self.slices: dict[str, dict[str, _Slice]] = defaultdict(lambda: defaultdict(_Slice))

    def update(self, doc: Scored) -> None:
        slices = [self.slices[name][str(doc.made[name])] for name in BREAKDOWN
                  if doc.made is not None and doc.made.get(name) is not None]
        if not slices:
            return
        record = doc.record if doc.record is not None and doc.record.get("status") == "ok" else None
        rights = []
        for key, gold in doc.gold["fields"].items():
            right = _right(predicted_value(record, key), gold)
            rights.append(right)
            confidence = (record["fields"].get(key) or {}).get("confidence") if record is not None else None
            for piece in slices:
                piece.fields += 1
                piece.every.add(right)
                if gold not in (None, 0):
                    piece.non_zero.add(right)
                if confidence is not None and confidence >= CONFIDENT:
                    piece.confident.add(right)
        for piece in slices:
            piece.documents += 1
            piece.perfect.add(all(rights))

    def summary(self) -> dict:
        return {name: {value: piece.summary() for value, piece in sorted(values.items(), key=lambda kv: _natural(kv[0]))}
                for name, values in self.slices.items()}


def _natural(text: str) -> tuple:
    """Sort dpi 100 < 120 < 150 < 200 as numbers, names as names."""
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


@dataclass
class Speed:
    seconds: float = 0.0
    pages: int = 0
    documents: int = 0

    def summary(self) -> dict:
        return {"seconds": round(self.seconds, 3), "documents": self.documents, "pages": self.pages,
                "s_per_page": self.seconds / self.pages if self.pages else None,
                "docs_per_s": self.documents / self.seconds if self.seconds else None}


@dataclass
class SystemScore:
    """Every metric of one system over one benchmark set."""

    fields: FieldAccuracy = field(default_factory=FieldAccuracy)
    documents: DocumentAccuracy = field(default_factory=DocumentAccuracy)
    sections: SectionAccuracy = field(default_factory=SectionAccuracy)
    identities: IdentityChecks = field(default_factory=IdentityChecks)
    repairs: Repairs = field(default_factory=Repairs)
    coverage: Coverage = field(default_factory=Coverage)
    breakdown: Breakdown = field(default_factory=Breakdown)
    speed: Speed = field(default_factory=Speed)

    def update(self, doc: Scored) -> None:
        for metric in (self.fields, self.documents, self.sections, self.identities, self.repairs, self.coverage,
                       self.breakdown):
            metric.update(doc)

    def summary(self) -> dict:
        return {"fields": self.fields.summary(), "documents": self.documents.summary(),
                "sections": self.sections.summary(), "identities": self.identities.summary(),
                "repairs": self.repairs.summary(), "coverage": self.coverage.summary(),
                "breakdown": self.breakdown.summary(), "speed": self.speed.summary()}
