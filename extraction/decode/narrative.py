"""Numbers a report's own narrative states about quantities its tables hold (`全年共收到政府信息公开申请
28件`, `制定规范性文件15件`, `引发行政复议1起`, `采购…197批次…3601627.4元`): evidence for the table cell, and
a warning where table and text disagree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extraction.decode.numbers import parse_cell
from extraction.templates import CellKind, Template

_NO_CLAUSE_END = r"[^。；;，,\d]"  # the number must belong to the same clause as its subject


@dataclass(frozen=True)
class StatementPattern:
    templates: tuple[str, ...]
    keys: tuple[str, ...]  # the field each captured group states, in group order
    pattern: re.Pattern


PATTERNS = (
    StatementPattern(("2019", "2021"), ("requests.new.total",), re.compile(
        rf"(?:新收|收到|受理){_NO_CLAUSE_END}{{0,20}}?信息公开申请(?:共计|合计|共)?(\d+)件")),
    StatementPattern(("2021",), ("proactive.normative_docs.issued",), re.compile(
        r"(?:制发|制定|出台)了?(?:行政)?规范性文件(?:共)?(\d+)件")),
    StatementPattern(("2019",), ("proactive.normative_docs.new_made",), re.compile(
        r"(?:制发|制定|出台)了?(?:行政)?规范性文件(?:共)?(\d+)件")),
    StatementPattern(("2021",), ("proactive.normative_docs.repealed",), re.compile(
        r"废止了?(?:行政)?规范性文件(?:共)?(\d+)件")),
    StatementPattern(("2019", "2021"), ("review_litigation.review.total",), re.compile(
        r"行政复议(?:案件)?(?:共)?(\d+)(?:件|起)")),
    StatementPattern(("2019",), ("proactive.procurement.items", "proactive.procurement.amount"), re.compile(
        r"采购[^。；;]{0,40}?(\d+)(?:个|批次|项)[^。；;\d]{0,40}?(\d+(?:\.\d+)?(?:万元|元))")),
)


@dataclass(frozen=True)
class Statement:
    key: str
    value: int | float
    text: str  # the sentence piece that states it


def narrative_statements(text: str, template: Template) -> dict[str, Statement]:
    """Per field, the one value the text states about it; a field stated with two different values
    is left out (the text then speaks of two things)."""
    text = re.sub(r"\s+", "", text)  # positioned text joins tokens with spaces; crawls add &nbsp;
    found: dict[str, list[Statement]] = {}
    for spec in PATTERNS:
        if template.id not in spec.templates:
            continue
        for match in spec.pattern.finditer(text):
            for group, key in enumerate(spec.keys, start=1):
                kind = template.fields[key].kind
                try:
                    value = parse_cell(match.group(group), kind)
                except ValueError:
                    continue
                if value is not None and (kind is CellKind.MONEY or float(value).is_integer()):
                    found.setdefault(key, []).append(Statement(key, value, match.group(0)))
    return {key: statements[0] for key, statements in found.items()
            if all(abs(s.value - statements[0].value) < 1e-6 for s in statements)}
