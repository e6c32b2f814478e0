"""Printed cell text → value, as the spec reads it.

- counts: `24`, `1,234`; `减4` / `-4` / `－4` is -4, `增4` / `+4` is 4 (本年增/减);
- `无`, `—`, `/` in a count cell mean none (0); an empty cell is None;
- money is in 万元: `697.449万元` is 697.449, `75394432.52元` is converted to 7539.443252.
"""

from __future__ import annotations

import re
from extraction.templates import CellKind

NONE_MARKS = {"无", "—", "–", "-", "/", "／", "－", "——", "\\"}
# No printed number has a leading zero (`007`): such a run is several glued cells, not one value.
_NUMBER = re.compile(
    r"^(?P<sign>[-+－＋]|减|增)?(?P<digits>[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*|0)(?P<fraction>\.\d+)?(?P<unit>万元|元)?$")


def parse_cell(text: str, kind: CellKind) -> int | float | None:
    """The value a cell's printed text stands for; raises ValueError for text that is not one."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if text in NONE_MARKS:
        return 0
    match = _NUMBER.match(text)
    if not match:
        raise ValueError(f"not a number: {text!r}")
    digits = match.group("digits").replace(",", "")
    fraction = match.group("fraction") or ""
    negative = match.group("sign") in ("-", "－", "减")
    unit = match.group("unit")
    if kind is CellKind.MONEY:
        value = float(digits + fraction)
        if unit == "元":
            value = round(value / 10000, 6)
        return -value if negative else value
    if fraction or unit:
        raise ValueError(f"not a count: {text!r}")
    value = int(digits)
    return -value if negative else value

