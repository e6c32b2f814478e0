"""Checks across the years of one agency (the spec's identities across documents): the requests
carried forward at the end of year N against those carried over into year N+1, column by column;
and, where both years print them (template 2021), the documents in force at the end of year N+1
against those of year N plus the year's issued minus repealed (only a hint: bodies recount).
Blank cells count 0, as in every identity; each pair agrees or differs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from extraction.templates import Template

CROSS_YEAR_COLUMNS = ["agency", "check", "item", "year", "next_year", "expected", "found", "result",
                      "source", "next_source"]
CARRY_CHECK = "requests.carried_forward_to_carried_over"
IN_FORCE_CHECK = "proactive.in_force_continuity"
TOLERANCE = 1e-6


def cross_year_rows(records: Iterable[dict], templates: dict[str, Template]) -> list[dict]:
    """One row per (agency, year N, year N+1, item) over the `ok` records with an agency and a year,
    agencies and years in order."""
    by_year: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for record in records:
        if record["status"] == "ok" and record["agency"] and record["year"]:
            by_year[(record["agency"].strip(), record["year"])].append(record)
    rows: list[dict] = []
    for (agency, year), earlier in sorted(by_year.items()):
        for before in earlier:
            for after in by_year.get((agency, year + 1), []):
                rows += _pair_rows(agency, before, after, templates[after["template"]])
    return rows


def cross_year_keys(templates: dict[str, Template]) -> frozenset[str]:
    """The field keys the checks read."""
    return frozenset(spec.key for template in templates.values() for spec in template.fields.values()
                     if spec.row in ("carried_over", "carried_forward") or spec.column in ("in_force", "issued", "repealed"))


def cross_year_view(record: dict, keys: frozenset[str]) -> dict:
    """The record with only what the checks read, so a whole archive's views fit in memory."""
    fields = {k: {"value": f["value"]} for k, f in record["fields"].items() if k in keys}
    return {name: record[name] for name in ("source", "status", "agency", "year", "template")} | {"fields": fields}


def _pair_rows(agency: str, before: dict, after: dict, template: Template) -> list[dict]:
    pair = {"agency": agency, "year": before["year"], "next_year": after["year"],
            "source": before["source"], "next_source": after["source"]}
    rows = []
    for spec in template.fields.values():
        if spec.row == "carried_over":
            forward = f"{spec.table}.carried_forward.{spec.column}"
            if forward in before["fields"] and spec.key in after["fields"]:
                rows.append(_row(pair, CARRY_CHECK, spec.column, _value(before, forward), _value(after, spec.key)))
        if spec.column == "in_force":
            prefix = f"{spec.table}.{spec.row}."
            keys = [spec.key] + [prefix + c for c in ("issued", "repealed")]
            if all(k in after["fields"] for k in keys) and spec.key in before["fields"]:
                expected = _add(_value(before, spec.key), _value(after, keys[1]), _negate(_value(after, keys[2])))
                rows.append(_row(pair, IN_FORCE_CHECK, spec.row, expected, _value(after, spec.key)))
    return rows


def _value(record: dict, key: str) -> float | int | None:
    return record["fields"][key]["value"]


def _negate(value: float | int | None) -> float | int | None:
    return None if value is None else -value


def _add(*values: float | int | None) -> float | int:
    return sum(v or 0 for v in values)


def _row(pair: dict, check: str, item: str, expected: float | int | None, found: float | int | None) -> dict:
    agrees = abs((expected or 0) - (found or 0)) <= TOLERANCE
    return pair | {"check": check, "item": item, "expected": expected, "found": found,
                   "result": "agrees" if agrees else "differs"}
