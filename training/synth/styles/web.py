"""The `web` style: a report page as a web crawler saves it (`../shared/real-reports/crawled/`).

The whole body runs on one or a few lines, headings mid-line, with the site's navigation,
breadcrumbs, footer and stray CSS around it. Tables are glued as crawlers glue `<td>` cells:

- every cell's text follows the previous one with no separator: a row's digits follow its label
  (`行政规范性文件2159165` for 21 / 59 / 165) and the next label's numbering follows its last cell
  (`…00000002.其他法律…`); header cells glued or spaced (`结果维持 结果纠正 …`);
- spaces from `&nbsp;` or `<p>` inside cells fall between some cells and not others, so they do not
  mark cell boundaries (`1400000 14`, `10 0 1 200 0`); sometimes a space before a row's values;
- an empty `<td>` vanishes (`000000` for seven cells) — its gold is null;
- money as printed: decimals, `元` or `万元` glued to the 2019 form's item count (`2832995元`); 2019 本年增/减
  negatives (`-4`, `减4`);
- some pages lack the 规章 row and call the next row 规范性文件 (its gold null), and some print
  （六）其他处理's values once, spanning its three sub-rows: after the first sub-row's label.

A page may also restate a table number in its narrative (`全年共收到政府信息公开申请28件`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from training.synth.report import SynthReport, fill_slots, load_phrases
from training.synth.styles.base import Rendered, TableBlock, report_blocks
from training.synth.styles.text import TextWriter
from training.synth.tables import GridCell, PrintedTable


@dataclass(frozen=True)
class CrawlHabits:
    """How one crawled page glues its tables: drawn once per page, as one site's template is."""

    header_separator: str  # between header cells: "" or " "
    label_space: float  # chance of a space between a row label and its first value
    cell_space: float  # chance of an &nbsp; space between two value cells of a row
    without_rules_row: bool  # table 二 has no 规章 row, and 规范性文件 for 行政规范性文件
    spanned_other: bool  # （六）其他处理's values printed once, after its first sub-row's label
    vanished_cell: bool  # one empty cell (a zero left blank) disappears


def _habits(rng: random.Random, report: SynthReport) -> CrawlHabits:
    return CrawlHabits(
        header_separator=rng.choice(["", "", " "]),
        label_space=rng.choice([0.0, 0.0, 0.3, 1.0]),
        cell_space=rng.choice([0.0, 0.0, 0.0, 0.1, 0.3]),
        without_rules_row=rng.random() < 0.2,
        spanned_other=report.values.collapsed_other and rng.random() < 0.5,
        vanished_cell=rng.random() < 0.06,
    )


def _without_rules_row(table: PrintedTable) -> tuple[PrintedTable, list[str]]:
    """Table 二 without its 规章 row; the normative row's label as 规范性文件. Returns the keys left unprinted."""
    kept, unprinted = [], []
    for cell in table.cells:
        if cell.key == "rules" and cell.role == "row_label":
            continue
        if cell.role == "value" and cell.key and cell.key.startswith("proactive.rules."):
            unprinted.append(cell.key)
            continue
        if cell.key == "normative_docs" and cell.role == "row_label":
            cell = GridCell(cell.row, cell.col, "规范性文件", cell.role, cell.key, cell.rowspan, cell.colspan)
        kept.append(cell)
    return PrintedTable(table.table, table.n_rows, table.n_cols, kept), unprinted


def _vanish_one_zero(table: PrintedTable, rng: random.Random) -> tuple[PrintedTable, list[str]]:
    """An empty `<td>` (a zero cell the page left blank) vanishes from the crawl."""
    zeros = [c for c in table.cells if c.role == "value" and c.text == "0"]
    if not zeros:
        return table, []
    gone = rng.choice(zeros)
    return PrintedTable(table.table, table.n_rows, table.n_cols, [c for c in table.cells if c is not gone]), [gone.key]


def _sub_labels(report: SynthReport) -> list[str]:
    rows = {r.key: r for r in report.template.table("requests").rows}
    other = rows.get("other")
    return [rows[key].labels[0] for key in other.replaces] if other is not None else []


def _web_table(w: TextWriter, table: PrintedTable, rng: random.Random, habits: CrawlHabits,
               sub_labels: list[str]) -> None:
    for cells in table.rows():
        previous_role = None
        trailing = ""
        for cell in cells:
            if cell.role == "value" and not cell.text:
                continue  # an empty cell: nothing of it reaches the text
            if cell.role in ("column_header", "corner", "block_heading") and previous_role is not None:
                w.write(habits.header_separator)
            elif cell.role == "value" and previous_role == "row_label" and rng.random() < habits.label_space:
                w.write(" ")
            elif cell.role == "value" and previous_role == "value" and rng.random() < habits.cell_space:
                w.write(" ")
            if cell.role == "row_label" and cell.key == "other" and habits.spanned_other and sub_labels:
                # Values spanning the three sub-rows: printed after the first, the others after them.
                w.write_cell(cell)
                w.write(sub_labels[0])
                trailing = "".join(sub_labels[1:])
            else:
                w.write_cell(cell)
            previous_role = cell.role
        w.write(trailing)


def _narrative_restatement(report: SynthReport, rng: random.Random) -> str:
    """A sentence restating a table number, as many pages do in 三、 or 二、."""
    fields = report.values.fields
    sentences = []
    new_total = fields.get("requests.new.total")
    if new_total is not None and rng.random() < 0.5:
        sentences.append(rng.choice([f"{report.year}年共收到政府信息公开申请{new_total}件。",
                                     f"全年受理信息公开申请{new_total}件，均在法定期限内答复。"]))
    issued = fields.get("proactive.normative_docs.issued", fields.get("proactive.normative_docs.new_made"))
    if issued is not None and rng.random() < 0.3:
        sentences.append(f"本年度制定规范性文件{issued}件，均已按规定公开。")
    return "".join(sentences)


def render_web(report: SynthReport, rng: random.Random) -> Rendered:
    web = load_phrases()["web"]
    short = report.agency[:2]
    habits = _habits(rng, report)
    sub_labels = _sub_labels(report)

    w = TextWriter(half_width=rng.random() < 0.3)
    extras = dict(site_code=str(rng.randint(3200000000, 3299999999)), icp=f"苏ICP备{rng.randint(10000000, 99999999)}号",
                  phone=f"0517-{rng.randint(80000000, 89999999)}", date=f"{report.year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}",
                  views=str(rng.randint(10, 5000)))

    def chrome(text: str) -> str:
        for name, value in extras.items():
            text = text.replace("{" + name + "}", value)
        return fill_slots(rng, text, report.agency, short, report.year, "政府门户网站")

    sep = rng.choice(["", " ", "  "])
    w.write(" ".join(rng.sample(web["css"], k=rng.randint(0, 2))) + sep)  # CSS is not filled: it has braces
    w.write(sep.join(chrome(n) for n in web["nav"]) + sep + chrome(rng.choice(web["breadcrumbs"])) + sep)
    lines_left = rng.randint(0, 2)  # a crawl keeps a few line breaks at most
    unprinted: list[str] = []
    restated = False
    for block in report_blocks(report, rng):
        if isinstance(block, TableBlock):
            table = block.table
            if table.table == "proactive" and habits.without_rules_row:
                table, missing = _without_rules_row(table)
                unprinted += missing
            if table.table == "requests" and habits.vanished_cell:
                table, missing = _vanish_one_zero(table, rng)
                unprinted += missing
            _web_table(w, table, rng, habits, sub_labels)
        else:
            kind = {"title": "title", "section_heading": "section_heading"}.get(block.kind)
            w.write(block.text, kind, block.key)
            if block.kind == "title":
                w.write(sep + sep.join(chrome(m) for m in rng.sample(web["meta"], k=3)))
            elif block.kind == "body" and not restated:
                w.write(_narrative_restatement(report, rng))
                restated = True
        if lines_left and rng.random() < 0.1:
            w.write("\n")
            lines_left -= 1
        else:
            w.write(sep)
    w.write(sep.join(chrome(f) for f in rng.sample(web["footer"], k=rng.randint(2, len(web["footer"])))))
    w.write(" " + rng.choice(web["css"]))
    return Rendered({".txt": w.text().encode("utf-8")}, w.annotations, unprinted=unprinted)
