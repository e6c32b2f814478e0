"""The decoder's explanation of each cell, from the record: the warnings that name the field, its
row (`requests.denied.third_party+denied.internal_affairs: …`) or an identity over it, and the
identities the document breaks as printed that the cell is part of."""

from __future__ import annotations

from extraction.templates import Template


def _subject(warning: str) -> str:
    return warning.split(": ", 1)[0] if ": " in warning else ""


def cell_notes(record: dict, template: Template) -> dict[str, list[str]]:
    """Per field key, the record's warnings about it (in the record's order)."""
    notes: dict[str, list[str]] = {}
    identities = {i.name: i for i in template.identities}
    rows: dict[str, list[str]] = {}
    for key, spec in template.fields.items():
        rows.setdefault(f"{spec.table}.{spec.row}", []).append(key)
    warnings = record.get("warnings") if isinstance(record.get("warnings"), list) else []
    for warning in (w for w in warnings if isinstance(w, str)):
        subject = _subject(warning)
        if subject in template.fields:
            keys = [subject]
        elif subject in identities:
            keys = list(identities[subject].fields)
        else:
            table, _, row_list = subject.partition(".")
            keys = [k for row in row_list.split("+") for k in rows.get(f"{table}.{row}", [])]
        for key in keys:
            notes.setdefault(key, []).append(warning)
    return notes


def source_break_identities(record: dict, template: Template) -> dict[str, list[str]]:
    """Per field key, the identities over it that the document itself breaks."""
    broken = {c.get("identity") for c in record.get("checks") or [] if isinstance(c, dict) and c.get("source_breaks")}
    marks: dict[str, list[str]] = {}
    for identity in template.identities:
        if identity.name in broken:
            for key in identity.fields:
                marks.setdefault(key, []).append(identity.name)
    return marks
