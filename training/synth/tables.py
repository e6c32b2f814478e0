"""The printed form of each statistics table: a grid of cells with row and column spans.

Built from the template's layout (`blocks`, `matrix`, `wide`), so every style renders the same
grid: text styles flatten it, HTML/DOCX keep the spans, PDF/scan styles rule it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from extraction.templates import CellKind, TableSpec
from training.synth.report import SynthReport

Role = Literal["block_heading", "corner", "column_header", "row_label", "value"]


@dataclass
class GridCell:
    row: int
    col: int
    text: str
    role: Role
    key: str | None = None  # field key for values; row/column (group) key for labels
    rowspan: int = 1
    colspan: int = 1


@dataclass
class PrintedTable:
    table: str  # the template table key
    n_rows: int
    n_cols: int
    cells: list[GridCell]

    def cell_at(self) -> dict[tuple[int, int], GridCell]:
        """Every grid position → the cell covering it (a spanned cell covers several)."""
        covering: dict[tuple[int, int], GridCell] = {}
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    covering[(r, c)] = cell
        return covering

    def rows(self) -> list[list[GridCell]]:
        """The cells that start in each grid row, left to right."""
        by_row: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            by_row[cell.row].append(cell)
        return by_row


def format_count(value: int | None, kind: CellKind, rng: random.Random) -> str:
    if value is None:
        return ""
    if kind is CellKind.SIGNED_COUNT and value < 0:
        return rng.choice([f"-{-value}", f"减{-value}", f"－{-value}"])
    if kind is CellKind.SIGNED_COUNT and value > 0 and rng.random() < 0.3:
        return rng.choice([f"+{value}", f"增{value}"])
    return str(int(value))


def format_money(value: float | None, fee_unit: str) -> str:
    """Money as printed: 万元 in the table, optionally with its unit, or converted back to 元."""
    if value is None:
        return ""
    if fee_unit == "元":
        return _plain_decimal(round(value * 10000, 2)) + "元"
    return _plain_decimal(value) + fee_unit


def _plain_decimal(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def format_cell(report: SynthReport, key: str, rng: random.Random) -> str:
    field = report.template.fields[key]
    value = report.values.fields.get(key)
    if field.kind is CellKind.MONEY:
        return format_money(value, report.fee_unit)
    return format_count(value, field.kind, rng)


def _label(rng: random.Random, labels: list[str]) -> str:
    return labels[0] if rng.random() < 0.85 else rng.choice(labels)


def _tree_cells(chains: list[list[tuple[str, str]]], depth: int) -> list[tuple[int, int, int, int, str, str]]:
    """Lay out label chains (root … leaf) as header cells: (level, position, level_span, run, key, text).

    Consecutive positions sharing a node at a level merge into one cell; a chain shorter than
    `depth` lets its leaf span the remaining levels. Used for column headers (levels are rows) and,
    transposed, for row labels (levels are columns).
    """
    cells = []
    for level in range(depth):
        position = 0
        while position < len(chains):
            chain = chains[position]
            if level >= len(chain):
                position += 1
                continue
            node = chain[level]
            is_leaf = level == len(chain) - 1
            run = 1
            if not is_leaf:
                while (position + run < len(chains) and len(chains[position + run]) > level + 1
                       and chains[position + run][level] == node):
                    run += 1
            level_span = depth - level if is_leaf else 1
            cells.append((level, position, level_span, run, node[0], node[1]))
            position += run
    return cells


def _group_chain(groups: dict, key: str | None, rng: random.Random) -> list[tuple[str, str]]:
    chain = []
    while key is not None:
        group = groups[key]
        chain.insert(0, (group.key, _label(rng, group.labels)))
        key = group.parent
    return chain


def _blocks_table(report: SynthReport, table: TableSpec, rng: random.Random) -> PrintedTable:
    n_value_cols = max(len(table.row_columns(r)) for r in table.rows)
    n_cols = 1 + n_value_cols
    cells: list[GridCell] = []
    row = 0
    blocks: dict[str, list] = {}
    for spec in table.rows:
        blocks.setdefault(spec.block, []).append(spec)
    for heading, specs in blocks.items():
        cells.append(GridCell(row, 0, heading, "block_heading", colspan=n_cols))
        row += 1
        columns = table.row_columns(specs[0])
        cells.append(GridCell(row, 0, _label(rng, table.corner_labels), "corner"))
        for i, column in enumerate(columns):
            span = n_value_cols - i if i == len(columns) - 1 else 1
            cells.append(GridCell(row, 1 + i, _label(rng, column.labels), "column_header", column.key, colspan=span))
        row += 1
        for spec in specs:
            cells.append(GridCell(row, 0, _label(rng, spec.labels), "row_label", spec.key))
            for i, column in enumerate(table.row_columns(spec)):
                key = f"{table.key}.{spec.key}.{column.key}"
                span = n_value_cols - i if i == len(columns) - 1 else 1
                cells.append(GridCell(row, 1 + i, format_cell(report, key, rng), "value", key, colspan=span))
            row += 1
    return PrintedTable(table.key, row, n_cols, cells)


def _printed_rows(report: SynthReport, table: TableSpec) -> list:
    """The rows this report prints: an optional row replaces its sub-rows where the report collapses them."""
    rows = []
    for spec in table.rows:
        replaced_by_optional = any(spec.key in r.replaces for r in table.rows if r.optional)
        if spec.optional and not report.values.collapsed_other:
            continue
        if replaced_by_optional and report.values.collapsed_other:
            continue
        rows.append(spec)
    return rows


def _matrix_table(report: SynthReport, table: TableSpec, rng: random.Random) -> PrintedTable:
    column_groups = {g.key: g for g in table.column_groups}
    row_groups = {g.key: g for g in table.row_groups}
    column_chains = [_group_chain(column_groups, c.group, rng) + [(c.key, _label(rng, c.labels))] for c in table.columns]
    rows = _printed_rows(report, table)
    row_chains = [_group_chain(row_groups, r.group, rng) + [(r.key, _label(rng, r.labels))] for r in rows]
    header_depth = max(len(c) for c in column_chains)
    label_depth = max(len(c) for c in row_chains)
    cells = [GridCell(0, 0, _label(rng, table.corner_labels), "corner", rowspan=header_depth, colspan=label_depth)]
    for level, position, level_span, run, key, text in _tree_cells(column_chains, header_depth):
        cells.append(GridCell(level, label_depth + position, text, "column_header", key, rowspan=level_span, colspan=run))
    for level, position, level_span, run, key, text in _tree_cells(row_chains, label_depth):
        cells.append(GridCell(header_depth + position, level, text, "row_label", key, rowspan=run, colspan=level_span))
    for i, spec in enumerate(rows):
        for j, column in enumerate(table.columns):
            key = f"{table.key}.{spec.key}.{column.key}"
            cells.append(GridCell(header_depth + i, label_depth + j, format_cell(report, key, rng), "value", key))
    return PrintedTable(table.key, header_depth + len(rows), label_depth + len(table.columns), cells)


def _wide_table(report: SynthReport, table: TableSpec, rng: random.Random) -> PrintedTable:
    row_groups = {g.key: g for g in table.row_groups}
    chains = []
    keys = []
    for spec in table.rows:
        group_chain = _group_chain(row_groups, spec.group, rng) + [(spec.key, _label(rng, spec.labels))]
        for column in table.columns:
            chains.append(group_chain + [(column.key, _label(rng, column.labels))])
            keys.append(f"{table.key}.{spec.key}.{column.key}")
    depth = max(len(c) for c in chains)
    cells = [GridCell(level, position, text, "column_header", key, rowspan=level_span, colspan=run)
             for level, position, level_span, run, key, text in _tree_cells(chains, depth)]
    for j, key in enumerate(keys):
        cells.append(GridCell(depth, j, format_cell(report, key, rng), "value", key))
    return PrintedTable(table.key, depth + 1, len(keys), cells)


def printed_tables(report: SynthReport, rng: random.Random) -> dict[str, PrintedTable]:
    """Every statistics table of the report as printed, by table key."""
    builders = {"blocks": _blocks_table, "matrix": _matrix_table, "wide": _wide_table}
    return {t.key: builders[t.layout](report, t, rng) for t in report.template.tables}


def table_caption(report: SynthReport, table_key: str) -> str:
    """The caption a report prints over a table appended after its sections."""
    section = next(s for s in report.template.sections if s.canonical == table_key)
    return f"{report.year}年{section.titles[0]}表"

