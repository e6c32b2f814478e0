"""Ways to read one unit: as printed, as another digit string (OCR confusions, a dropped or doubled
digit, a lost decimal point), or as a glued run of several cells' digits split apart.

Costs are negative log-likelihoods relative to reading the unit exactly as printed (cost 0).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from extraction.decode.evidence import Unit

# Digits PP-OCR confuses on degraded scans (stack-facts: 0/8/6/9/3, 1/7/4, 5/6), as look-alike
# groups: a confusion goes both ways, so each digit's alternatives are the others in its groups.
LOOK_ALIKES = ("08693", "3859", "5638", "174", "27")
CONFUSIONS: dict[str, str] = {
    digit: "".join(sorted({other for group in LOOK_ALIKES if digit in group for other in group} - {digit}))
    for digit in "0123456789"
}
# Letters and marks PP-OCR prints for a digit in a small or degraded table cell (a `0` as `。` or
# `o`, a blurred one as `e`, a faded `0` that lost its foot or its top as `n` or `u`, a `0` with a
# speck or a copier's streak inside as a circled digit `①`, a `1` as `l`, `|` or `J`). No printed
# count holds them, so such a character is the digit it stands for; only the cost differs, by how
# sure the engine was of the letter.
LETTER_DIGITS: dict[str, str] = {
    **dict.fromkeys("oODQCc°。○〇aenuUθσ⓪①②③④⑤⑥⑦⑧⑨", "0"), **dict.fromkeys("lI|i!丨一Jj", "1"), **dict.fromkeys("Zz", "2"),
    **dict.fromkeys("Ss", "5"), **dict.fromkeys("bG", "6"), "T": "7", "B": "8", **dict.fromkeys("gq", "9"),
}
# What OCR prints for a speck of toner or dust, or a rule's stub, beside a digit: points, colons,
# commas, quotes and dot clusters (`0.`, `: 4`, `…0`, `∴1`). No printed count begins or ends in one.
SPECK_MARKS = ".:;,'`·…∴∵・•˙：；，"
# Marks that stand for a digit only as a whole token: a `4` whose loop faded reads `+`, but `+6` is a
# signed count (本年增/减).
LONE_LOOK_ALIKES: dict[str, str] = {"+": "4"}
LETTER_COST = 0.7  # per letter read as its digit: the print as read is not a number at all
# Two upright strokes read as letters (`II`, `1J`, `IJ`): a serif 0 whose thin arcs the copier lost
# more often than an 11 (OCR reads a whole 11 as digits), so 0 is read first, 11 after.
_TWO_STROKES = re.compile(r"^[Il|1iJj!]{2}$")
BROKEN_ZERO_COST = 1.0
# Read as the digits `11`, unsurely: the same 0 without its arcs, where the identities need it.
BROKEN_ZERO_AS_DIGITS_COST = 2.5
BROKEN_ZERO_AS_DIGITS_BELOW = 0.9
# A lone dash-like mark may be the dash a cell prints for none (`—`, read `一`) rather than a `1`.
DASH_LIKE = "一-_~－"
DASH_COST = LETTER_COST + 0.3
POINT_LIKE = ",，:：;；"  # what PP-OCR prints for a small decimal point
# The unread mark: a value cell whose ink no reading made out (`ingest.cells`). Some count is printed
# there; 0 is the likeliest (most cells of the form are 0), any other only where identities need it.
UNREAD = "\ufffd"
UNREAD_COSTS = {1: 1.0, 2: 4.0}  # by the value's digit count (0 the cheapest one-digit reading)
UNREAD_NONZERO_COST = 1.5  # on top, for a one-digit value other than 0
UNSURE_BELOW = 0.97  # characters read with less confidence than this get alternatives
EDIT_COST = {"drop_digit": 3.5, "double_digit": 3.0, "lost_point": 3.0, "rule_as_one": 3.0}
# A glued run: deciding a unit is glued at all costs more than a blank cell (blanks are everywhere,
# glue only in crawled pages: `256` beside a blank is 256, not 2 and 56); each further cut costs
# less than the blank cell it saves (a crawl prints its zero cells, so a glued run holds them).
GLUED_COST = 1.0
EXTRA_CUT_COST = 0.05
MAX_OCR_READINGS = 80  # a lost digit alone has 10 × (length + 1) readings
_DIGITS = re.compile(r"^\d+$")
# A look-alike with a speck beside it (`σ.`, `o :`, `.o`, `…o`).
_SPECKS = f"[{re.escape(SPECK_MARKS)}]"
_SPECK_BESIDE = re.compile(rf"^(?=\D){_SPECKS}*\s*(?P<digits>\d+)\s*{_SPECKS}*$|^(?P<before>\d+)\s*{_SPECKS}+$")
_POINT_WITHIN = re.compile(r"^[1-9]\d*\.\d+$")
# Digits glued with decimals or signs among them (`00.5948` = 0 | 0.5948, `10-4` = 10 | -4, `减1348` = 减1 | 348), maybe a unit after.
_GLUED_RUN = re.compile(r"^(?P<digits>(?:[-+减增])?\d[\d.\-+减增]*)(?P<unit>万元|元)?$")
# A glued run's part: a number without a leading zero (`0.5` aside), maybe signed.
_PART = re.compile(r"^(?:[-+减增])?(?:0|0\.\d+|[1-9]\d*(?:\.\d+)?)$")


@dataclass(frozen=True)
class Reading:
    parts: tuple[str, ...]  # the cell texts this unit stands for (several for a split glued run)
    cost: float
    changed: bool  # the digits differ from the print (an OCR repair)
    note: str = ""


def as_digits(text: str) -> str:
    """The text with each letter OCR prints for a digit replaced by that digit (`l2` → `12`, a
    lone `+` → `4`)."""
    if text in LONE_LOOK_ALIKES:
        return LONE_LOOK_ALIKES[text]
    return "".join(LETTER_DIGITS.get(ch, ch) for ch in text)


def stands_for_digits(text: str) -> bool:
    """Whether OCR text holds a mark standing for digits: a letter OCR prints for one, a lone `+`,
    or the unread mark."""
    return text in LONE_LOOK_ALIKES or any(ch in LETTER_DIGITS or ch == UNREAD for ch in text)


def _substitution_cost(confidence: float, n_alternatives: int) -> float:
    q = min(max(confidence, 1e-4), 1 - 1e-6)
    return math.log(q) - math.log((1 - q) / n_alternatives)


def ocr_readings(unit: Unit) -> list[Reading]:
    """Readings of an OCR unit: confusions at unsure characters (up to two), dropped/doubled digits,
    a lost decimal point; best first."""
    printed = unit.text
    if printed == UNREAD:
        return unread_readings()
    readings = [Reading((printed,), 0.0, False)]
    if unit.confident or not printed:
        return readings
    scores = list(unit.char_confidences or [unit.confidence] * len(printed))
    if len(scores) != len(printed):
        scores = [unit.confidence] * len(printed)
    # Letters standing for digits are read as those digits first; every other reading starts there.
    text = as_digits(printed)
    base = LETTER_COST * sum(a != b for a, b in zip(text, printed))
    if text != printed:
        readings.append(Reading((text,), base, True, f"read {printed!r}"))
    if _TWO_STROKES.match(printed) and not printed.isdigit():
        readings.append(Reading(("0",), BROKEN_ZERO_COST, True, f"read {printed!r}"))
    elif printed == "11" and unit.confidence < BROKEN_ZERO_AS_DIGITS_BELOW:
        readings.append(Reading(("0",), BROKEN_ZERO_AS_DIGITS_COST, True, f"read {printed!r}"))
    for mark in POINT_LIKE:  # a decimal point read as a comma or colon (`32,6533` for 32.6533)
        if text.count(mark) == 1 and text.count(".") == 0:
            readings.append(Reading((text.replace(mark, "."),), base + LETTER_COST, True, f"read {printed!r}"))
    speck = _SPECK_BESIDE.match(text)
    if speck:  # no count begins or ends in a point or a colon
        readings.append(Reading((speck.group("digits") or speck.group("before"),), base + LETTER_COST, True,
                                f"read {printed!r}"))
    if _POINT_WITHIN.match(text):  # a speck between a count's digits read as a point (`47.4` for 474)
        readings.append(Reading((text.replace(".", ""),), base + LETTER_COST, True, f"read {printed!r}"))
    if printed in DASH_LIKE:
        readings.append(Reading(("—",), DASH_COST, True, f"read {printed!r} as a none mark"))
    unsure = [i for i, (ch, q) in enumerate(zip(text, scores)) if q < UNSURE_BELOW and ch in CONFUSIONS]
    for count in (1, 2):
        for positions in itertools.combinations(unsure, count):
            options = [[(alt, _substitution_cost(scores[i], len(CONFUSIONS[text[i]]))) for alt in CONFUSIONS[text[i]]]
                       for i in positions]
            for choice in itertools.product(*options):
                chars = list(text)
                cost = base
                for i, (alt, c) in zip(positions, choice):
                    chars[i] = alt
                    cost += c
                readings.append(Reading(("".join(chars),), cost, True, f"read {printed!r}"))
    weakness = -math.log(max(min(scores), 1e-4)) if scores else 0.0
    # A lost, doubled or misplaced digit leaves no unsure character behind; only an unsure token
    # (the engine's own score) is read with one, or a confident print could be "repaired" — unless
    # the print is no count at all (`00`: a `0` read twice, a speck beside it).
    if _DIGITS.match(text) and (unit.confidence < UNSURE_BELOW or (len(text) > 1 and text[0] == "0")):
        for i in range(len(text) + 1):  # a digit lost in the scan
            for digit in "0123456789":
                candidate = text[:i] + digit + text[i:]
                if candidate[0] != "0" or candidate == "0":
                    readings.append(Reading((candidate,), base + EDIT_COST["drop_digit"], True, f"read {printed!r}"))
        for i in range(1, len(text)):  # a digit read twice
            if text[i] == text[i - 1]:
                candidate = text[:i] + text[i + 1:]
                readings.append(Reading((candidate,), base + max(0.5, EDIT_COST["double_digit"] - weakness), True,
                                        f"read {printed!r}"))
        for end in (0, -1):  # a cell's rule (or a copier's streak) beside the digits, read as a `1`
            if len(text) > 1 and text[end] == "1":
                rest = text[1:] if end == 0 else text[:-1]
                if rest[0] != "0" or rest == "0":
                    readings.append(Reading((rest,), base + EDIT_COST["rule_as_one"], True, f"read {printed!r}"))
        for i in range(1, len(text)):  # a decimal point lost (money cells)
            readings.append(Reading((text[:i] + "." + text[i:],), base + EDIT_COST["lost_point"], True,
                                    f"read {printed!r}"))
    unique: dict[tuple[str, ...], Reading] = {}
    for r in sorted(readings, key=lambda r: r.cost):
        unique.setdefault(r.parts, r)
    return list(unique.values())[:MAX_OCR_READINGS]


def unread_readings() -> list[Reading]:
    """The counts an unread mark may stand for, 0 first, then one digit, then two: a cell three
    digits wide reads as something, and a count beyond 99 would be a guess no identity pins."""
    readings = [Reading(("0",), UNREAD_COSTS[1], True, "unread")]
    readings += [Reading((str(v),), UNREAD_COSTS[1] + UNREAD_NONZERO_COST, True, "unread") for v in range(1, 10)]
    readings += [Reading((str(v),), UNREAD_COSTS[2], True, "unread") for v in range(10, 100)]
    return readings


def glued_splits(text: str, max_parts: int, min_parts: int = 2, limit: int = 3000) -> list[Reading]:
    """Ways to cut a digit run into min_parts..max_parts numbers (no part with a leading zero), those
    with the most parts first: a crawl prints zero cells too, so a glued run usually holds every cell
    of its row. A money unit printed after the run (`2832995元`: 2 items, 832995 元) stays with the
    last part, a sign (`10-4`) with the part it opens. At most `limit` splits (a long run has
    exponentially many)."""
    match = _GLUED_RUN.match(text)
    if not match or max_parts < 2:
        return []
    digits, unit = match.group("digits"), match.group("unit") or ""
    if len(digits) < 2:
        return []
    readings: list[Reading] = []
    for parts_count in range(min(max_parts, len(digits)), max(min_parts, 2) - 1, -1):
        for cuts in itertools.combinations(range(1, len(digits)), parts_count - 1):
            bounds = (0, *cuts, len(digits))
            parts = [digits[a:b] for a, b in zip(bounds, bounds[1:])]
            if any(not _PART.match(p) for p in parts):
                continue
            parts[-1] += unit
            readings.append(Reading(tuple(parts), GLUED_COST + EXTRA_CUT_COST * (parts_count - 2), False,
                                    f"split glued {text!r}"))
            if len(readings) >= limit:
                return readings
    return readings
