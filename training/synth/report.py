"""What a synthetic report says, before any rendering: agency, year, sections, values.

A `SynthReport` is rendering-independent; the styles in `training/synth/styles/` turn one into a
text file, HTML page, DOCX, digital PDF or scan, each with the same gold.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from extraction.templates import CellKind, Template, template_for_year
from training.synth.values import SampledValues, ValueOptions, sample_values

PHRASES_PATH = Path(__file__).resolve().parents[2] / "data" / "synth" / "phrases.yaml"


@cache
def load_phrases(path: Path = PHRASES_PATH) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass
class Section:
    number: str  # the printed numeral: 一, 二, …
    title: str
    canonical: str | None
    paragraphs: list[str] = field(default_factory=list)
    table: str | None = None  # the template table printed inside this section


@dataclass
class SynthReport:
    template: Template
    agency: str
    year: int
    title: str
    preamble: list[str]
    sections: list[Section]
    appended_tables: list[str]  # tables printed after the last section, each under a caption
    values: SampledValues
    fee_unit: str  # "" (plain number in a 万元 column), "万元" printed after it, or "元" (converted)

    def gold(self) -> dict:
        """The spec's gold format for this report."""
        return {
            "template": self.template.id,
            "agency": self.agency,
            "year": self.year,
            "fields": dict(self.values.fields),
            "sections": [{"number": s.number, "title": s.title, "canonical": s.canonical} for s in self.sections],
            "source_breaks": list(self.values.source_breaks),
        }


NUMERALS = "一二三四五六七八九十"


def _agency(rng: random.Random, places: dict) -> tuple[str, str]:
    """A publishing body's name as printed in the title, and a short name for slogans."""
    city, county, town = rng.choice(places["cities"]), rng.choice(places["counties"]), rng.choice(places["towns"])
    kind = rng.choice(["province", "city", "county", "district", "town", "town", "town", "department", "department", "zone"])
    if kind == "province":
        province = rng.choice(places["provinces"])
        return province + "人民政府", province[:2]
    if kind == "city":
        return city + "人民政府", city[:-1]
    if kind in ("county", "district"):
        return rng.choice([county + "人民政府", city + county + "人民政府", county]), county[:-1]
    if kind == "town":
        return rng.choice([county + town, town, county + town + "人民政府", town + "人民政府"]), town[:-1]
    if kind == "zone":
        zone = rng.choice(places["zones"])
        return rng.choice([city + zone, f"{zone}({town})"]), zone[:2]
    department = rng.choice(places["departments"])
    return rng.choice([city + department, county + department]), department[:2]


def fill_slots(rng: random.Random, text: str, agency: str, short: str, year: int, platform: str) -> str:
    return text.format(
        agency=agency, short=short, year=year, prev_year=year - 1, platform=platform,
        n=rng.randint(20, 3000), m=rng.randint(0, 200), k=rng.randint(1, 60),
        notice="国办公开办函〔2021〕30号" if year >= 2021 else "国办公开办函〔2019〕60号",
    )


def _overview_paragraphs(rng: random.Random, phrases: dict, fill) -> list[str]:
    items = rng.sample(phrases["overview_items"], k=rng.randint(3, len(phrases["overview_items"])))
    style = rng.choice(["parenthesised", "ordinal", "plain"])
    paragraphs = []
    for i, (heading, *sentences) in enumerate(items):
        chosen = [fill(s) for s in rng.sample(sentences, k=rng.randint(1, len(sentences)))]
        if style == "parenthesised":
            paragraphs.append(f"（{NUMERALS[i]}）{heading}情况。" + "".join(chosen))
        elif style == "ordinal":
            paragraphs.append(phrases["ordinals"][i] + "抓好" + heading + "。" + "".join(chosen))
        else:
            paragraphs.append("".join(chosen))
    return paragraphs


def _write_narrative(section: Section, rng: random.Random, phrases: dict, fill) -> None:
    """The paragraphs of a standard section that has no table (the tables' sections keep none)."""
    if section.canonical == "overview":
        section.paragraphs = _overview_paragraphs(rng, phrases, fill)
    elif section.canonical == "problems":
        section.paragraphs = [fill(p) for p in rng.sample(phrases["problems"], k=rng.randint(1, 3))]
    elif section.canonical == "other":
        section.paragraphs = [fill(rng.choice(phrases["other_matters"]))]


def compose_report(
    rng: random.Random, templates: dict[str, Template], value_options: ValueOptions, year: int | None = None
) -> SynthReport:
    phrases = load_phrases()
    year = year if year is not None else rng.randint(2019, 2025)
    template = template_for_year(templates, year)
    if year >= 2021 and rng.random() < 0.03:
        template = templates["2019"]  # some bodies kept the old form after 2021
    agency, short = _agency(rng, phrases["places"])
    platform = rng.choice(phrases["places"]["platforms"]).format(short=short)

    def fill(text: str) -> str:
        return fill_slots(rng, text, agency, short, year, platform)

    values = sample_values(rng, template, value_options)
    title = f"{agency}{year}年政府信息公开工作年度报告"
    preamble = [fill(p) for p in rng.sample(phrases["preamble"], k=rng.randint(0, 3))]
    standard = {s.canonical: s for s in template.sections}
    custom_headings = rng.random() < 0.15
    sections: list[Section] = []
    appended: list[str] = []
    if custom_headings:
        # Own headings first (canonical null), then 问题 and 其他; the tables appended at the end.
        for heading in rng.sample(phrases["custom_headings"], k=rng.randint(1, 3)):
            sections.append(Section("", heading, None, [fill(p) for p in rng.sample(phrases["custom_paragraphs"], k=2)]))
        for canonical in ("problems", "other"):
            sections.append(Section("", standard[canonical].titles[0], canonical))
        appended = [t.key for t in template.tables]
    else:
        for spec in template.sections:
            section = Section(spec.number, rng.choice(spec.titles), spec.canonical)
            if spec.canonical in {t.key for t in template.tables}:
                section.table = spec.canonical
            sections.append(section)
    for number, section in zip(NUMERALS, sections):
        section.number = number
        _write_narrative(section, rng, phrases, fill)
    fee_unit = rng.choices(["", "万元", "元"], weights=[0.85, 0.1, 0.05])[0]
    if fee_unit == "元":
        # Printed in 元 to the fen; the value is what that print says, in 万元.
        for key, field in template.fields.items():
            if field.kind is CellKind.MONEY and values.fields.get(key) is not None:
                values.fields[key] = round(round(values.fields[key] * 10000, 2) / 10000, 6)
    return SynthReport(template, agency, year, title, preamble, sections, appended, values, fee_unit)


def report_from_gold(gold: dict, templates: dict[str, Template], rng: random.Random) -> SynthReport:
    """The report a gold label describes — its agency, year, template, sections and every value as
    printed (a document's own broken totals included) — with narrative from the phrase bank, so a
    labelled report can be printed again in any style. A table whose section the gold lacks (a report
    with its own headings) is appended after the sections, as such reports print them."""
    phrases = load_phrases()
    template = templates[gold["template"]]
    agency, year = gold["agency"], gold["year"]
    short = agency[:2]
    platform = rng.choice(phrases["places"]["platforms"]).format(short=short)

    def fill(text: str) -> str:
        return fill_slots(rng, text, agency, short, year, platform)

    table_keys = [t.key for t in template.tables]
    sections = []
    for spec in gold["sections"]:
        section = Section(spec["number"], spec["title"], spec["canonical"],
                          table=spec["canonical"] if spec["canonical"] in table_keys else None)
        if section.canonical is None:
            section.paragraphs = [fill(p) for p in rng.sample(phrases["custom_paragraphs"], k=2)]
        _write_narrative(section, rng, phrases, fill)
        sections.append(section)
    in_sections = {s.table for s in sections}
    fields = dict(gold["fields"])
    optional_rows = [r for r in template.table("requests").rows if r.optional]
    collapsed_other = any(fields.get(f"requests.{r.key}.{c.key}") is not None
                          for r in optional_rows for c in template.table("requests").columns)
    values = SampledValues(fields=fields, source_breaks=list(gold["source_breaks"]), collapsed_other=collapsed_other)
    return SynthReport(template, agency, year, f"{agency}{year}年政府信息公开工作年度报告",
                       [fill(p) for p in rng.sample(phrases["preamble"], k=rng.randint(0, 3))], sections,
                       [k for k in table_keys if k not in in_sections], values, fee_unit="")
