"""How a template's labels are found in a document's text stream: exactly (any white space between
their characters), as damaged prints (characters lost or misread by a text layer or OCR), and as the
captions of tables appended at a report's end."""

from __future__ import annotations

import re
from functools import lru_cache

from extraction.locate.align import label_similarity
from extraction.locate.stream import half_width

FUZZY_LABEL_SHARE = 0.6  # of a label's characters a damaged print must still show
CAPTION_LIKENESS = 0.8  # of a section title's characters a damaged caption line still shows


def compact(text: str) -> str:
    return re.sub(r"\s+", "", half_width(text))


@lru_cache(maxsize=4096)
def label_pattern(label: str) -> re.Pattern:
    """A label matched with any white space between its characters (cells wrap, copies add spaces),
    and its sub-item numbering written either way (`1.` or `1、`)."""
    chars = compact(label)
    numbering = re.match(r"^(\d+)[.、]", chars)
    head = ""
    if numbering:
        head = re.escape(numbering.group(1)) + r"\s*[.、,，]\s*"
        chars = chars[numbering.end():]
    return re.compile(head + r"\s*".join(re.escape(ch) for ch in chars))


def fuzzy_label_match(text: str, label: str, start: int, end: int) -> tuple[int, int] | None:
    """Where a damaged print of a numbered label (a text layer that lost characters: `2.其他法律行政止公开`)
    starts and ends: its numbering, then a stretch of label text sharing most of its characters."""
    chars = compact(label)
    numbering = re.match(r"^(\d+[.、]|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)", chars)
    if not numbering:
        return None
    number = re.escape(numbering.group(1)[:-1]) + r"\s*[.、,，]" if numbering.group(1)[0].isdigit() else re.escape(numbering.group(1))
    core = set(chars[numbering.end():])
    region = text[start:end]
    for match in re.finditer(number + r"([^\t\n\d]{2,60})", region):
        found = set(re.sub(r"\s", "", match.group(1)))
        if core and len(core & found) >= FUZZY_LABEL_SHARE * len(core) and len(found - core) <= 0.3 * len(found):
            # The label ends at its last own character: what follows may be a value OCR printed as
            # a letter (`o` for 0), not more label.
            stop = match.end()
            while stop > match.start(1) and region[stop - 1] not in core:
                stop -= 1
            return start + match.start(), start + stop
    return None


_CAPTION = re.compile(r"^(?:20\d\d年度?)?(.{4,40}?)(?:统计)?(?:表|$)")
_YEAR = re.compile(r"20\d\d年")


def caption_positions(text: str, titles: list[str]) -> list[int]:
    """Where captions start that name a table with a section's title, however damaged: `2021年主动公开
    政府信息情况表` read as `2021年动公开政府信息情况表`. The caption shows most of a title's
    characters, in order, and little else, up to its `表`. It starts a line, or — on a page read by
    OCR, where a caption may join the line of the row above — its year does."""
    compact_titles = [compact(title) for title in titles]
    positions = []
    line_start = 0
    for line in text.split("\n"):
        for start in [0] + [m.start() for m in _YEAR.finditer(line) if m.start() > 0]:
            caption = _CAPTION.match(compact(line[start:].split("\t")[0]))
            if caption and any(label_similarity(title, caption.group(1)) >= CAPTION_LIKENESS
                               and len(caption.group(1)) <= len(title) + 2 for title in compact_titles):
                positions.append(line_start + start)
                break
        line_start += len(line) + 1
    return positions
