"""Field values like real reports': mostly 0, a long tail of counts, fees as decimals.

Every identity of the template holds by construction; a configurable share of documents then gets
a mistyped total, as published reports do, and the identities that this breaks are recorded as the
document's `source_breaks`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from extraction.templates import CellKind, Template

Value = int | float | None


@dataclass(frozen=True)
class ValueOptions:
    source_break_share: float = 0.1  # documents that print a total which breaks an identity
    all_zero_share: float = 0.15  # documents whose every table cell is 0 (common for townships)
    blank_share: float = 0.08  # documents that leave most zero cells blank instead of printing 0
    collapsed_other_share: float = 0.2  # 2021 documents printing （六）其他处理 as one row


@dataclass
class SampledValues:
    fields: dict[str, Value]
    source_breaks: list[str]
    collapsed_other: bool  # a 2021 report printing （六）其他处理 as one row


def _long_tail(rng: random.Random, scale: float, zero_share: float = 0.6) -> int:
    """A count: 0 with probability `zero_share`, otherwise log-uniform from 1 up to 10**scale."""
    if rng.random() < zero_share:
        return 0
    return int(round(10 ** rng.uniform(0, max(0.0, scale))))


def _money(rng: random.Random) -> float:
    if rng.random() < 0.35:
        return 0.0
    magnitude = 10 ** rng.uniform(-1, 5)
    return round(magnitude, rng.choice([1, 2, 2, 3, 4, 6]))


def _sample_requests(rng: random.Random, template: Template, collapsed_other: bool) -> dict[str, Value]:
    table = template.table("requests")
    applicants = template.spec.sets["applicants"]
    outcome_rows = [
        r.key
        for r in table.rows
        if r.key in template.spec.sets["outcomes"]
        and not (collapsed_other and r.key.startswith("other."))
        and not (not collapsed_other and r.optional)
    ]
    scale = rng.choice([0.7, 1.0, 1.3, 1.8, 2.5, 3.2])  # township … big city
    # Natural persons file most requests; organisations a few; rare outcomes stay rare.
    column_weight = {"natural_person": 1.0, "commercial": 0.35, "research": 0.08, "social_org": 0.08,
                     "legal_service": 0.15, "other_org": 0.2}
    common = {"granted", "partial", "unable.not_held", "not_handled.petition", "other", "other.other",
              "denied.process_info", "not_handled.duplicate", "unable.needs_creation"}
    values: dict[str, Value] = {}
    for row in outcome_rows:
        # Most outcome rows of a real table are all zero; an active row has a few non-zero cells.
        active = rng.random() < (0.6 if row in common else 0.12)
        row_scale = scale if row in common else scale * 0.45
        for col in applicants:
            zero_share = 1.0 - 0.9 * column_weight[col] if active else 1.0
            values[f"requests.{row}.{col}"] = _long_tail(rng, row_scale * column_weight[col], zero_share)
    for col in applicants:
        total = sum(values[f"requests.{row}.{col}"] for row in outcome_rows)
        carried_over = _long_tail(rng, scale * 0.5 * column_weight[col], 1.0 - 0.5 * column_weight[col])
        carried_forward = _long_tail(rng, scale * 0.5 * column_weight[col], 1.0 - 0.5 * column_weight[col])
        # 一 + 二 = 三(七) + 四: choose 一 last so that the balance holds; a negative 一 means more
        # was carried forward than came in, so carry less forward.
        new = total + carried_forward - carried_over
        if new < 0:
            carried_forward -= new
            new = 0
        values[f"requests.new.{col}"] = new
        values[f"requests.carried_over.{col}"] = carried_over
        values[f"requests.total.{col}"] = total
        values[f"requests.carried_forward.{col}"] = carried_forward
    for row in [r.key for r in table.rows]:
        if f"requests.{row}.natural_person" in values:
            values[f"requests.{row}.total"] = sum(values[f"requests.{row}.{c}"] for c in applicants)
    if collapsed_other:
        for row in ("other.no_correction", "other.no_fee", "other.other"):
            for col in table.columns:
                values[f"requests.{row}.{col.key}"] = None
    return values


def _sample_review_litigation(rng: random.Random, template: Template) -> dict[str, Value]:
    values: dict[str, Value] = {}
    parts = template.spec.sets["review_parts"]
    for row in template.table("review_litigation").rows:
        for part in parts:
            values[f"review_litigation.{row.key}.{part}"] = _long_tail(rng, 1.2, 0.8)
        values[f"review_litigation.{row.key}.total"] = sum(values[f"review_litigation.{row.key}.{p}"] for p in parts)
    return values


def _sample_proactive(rng: random.Random, template: Template) -> dict[str, Value]:
    values: dict[str, Value] = {}
    scale = {"rules": 0.6, "normative_docs": 1.5, "licensing": 4.2, "other_services": 3.0, "penalty": 4.0,
             "coercion": 2.2, "fees": 2.0, "procurement": 2.0}
    table = template.table("proactive")
    for row in table.rows:
        for column in table.row_columns(row):
            key = f"proactive.{row.key}.{column.key}"
            if column.kind is CellKind.MONEY:
                values[key] = _money(rng)
            elif column.kind is CellKind.SIGNED_COUNT:  # 本年增/减: mostly none, else a few items
                values[key] = 0 if rng.random() < 0.7 else rng.choice([-1, 1]) * _long_tail(rng, 1.3, 0.0)
            else:
                values[key] = _long_tail(rng, scale.get(row.key, 1.5))
    # Stocks are at least this year's flows: 现行有效件数 ≥ 本年制发件数, 对外公开总数量 ≥ 本年新公开数量;
    # what a body makes in a year it mostly publishes (2019: 新制作 → 新公开).
    for row in ("rules", "normative_docs"):
        made, published = f"proactive.{row}.new_made", f"proactive.{row}.new_published"
        if made in values and values[made] and rng.random() < 0.7:
            values[published] = values[made] if rng.random() < 0.7 else rng.randint(0, values[made])
        for flow, stock in (("issued", "in_force"), ("new_published", "total_published")):
            if f"proactive.{row}.{stock}" in values and f"proactive.{row}.{flow}" in values:
                values[f"proactive.{row}.{stock}"] = max(values[f"proactive.{row}.{stock}"], values[f"proactive.{row}.{flow}"])
    # 政府集中采购: an amount goes with its items, mostly some ten thousand 元 each (log-normal).
    if "proactive.procurement.amount" in values:
        items = values["proactive.procurement.items"]
        per_item_yuan = 10 ** rng.gauss(4.3, 0.8)
        values["proactive.procurement.amount"] = round(items * per_item_yuan / 10000, rng.choice([2, 4, 4, 6])) if items else 0.0
    return values


def _mistype_total(rng: random.Random, values: dict[str, Value], key: str) -> None:
    """Mistype a printed total, as published reports do (a total left 0, a digit off, a sum off by one)."""
    old = int(values[key] or 0)
    candidates = [old + rng.choice([-2, -1, 1, 1, 2, 10]), 0 if old else rng.randint(1, 9), old * 10 + rng.randint(0, 9)]
    new = rng.choice([c for c in candidates if c >= 0 and c != old] or [old + 1])
    values[key] = new


def sample_values(rng: random.Random, template: Template, options: ValueOptions) -> SampledValues:
    collapsed_other = any(r.optional for r in template.table("requests").rows) and rng.random() < options.collapsed_other_share
    values: dict[str, Value] = {}
    values.update(_sample_proactive(rng, template))
    values.update(_sample_requests(rng, template, collapsed_other))
    values.update(_sample_review_litigation(rng, template))
    if rng.random() < options.all_zero_share:
        values = {k: (None if v is None else type(v)(0)) for k, v in values.items()}
    if rng.random() < options.blank_share:
        # Blank instead of 0 in most cells: the value is null, and identities count it as 0.
        values = {k: (None if v == 0 and rng.random() < 0.85 else v) for k, v in values.items()}
    if rng.random() < options.source_break_share:
        # Distinct cells: two mistypes of one cell could cancel out.
        totals = [k for k in values if k.endswith(".total") and values[k] is not None]
        for key in rng.sample(totals, k=min(rng.choice([1, 1, 2]), len(totals))):  # a blank page may print none
            _mistype_total(rng, values, key)
    # The fields a document of this template has: every key, plus the optional row when printed.
    keys = template.field_keys(include_optional=collapsed_other)
    fields = {k: values.get(k) for k in keys}
    breaks = [i.name for i in template.identities if not i.holds(fields)]
    return SampledValues(fields=fields, source_breaks=breaks, collapsed_other=collapsed_other)
