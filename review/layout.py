"""The three statistics tables laid out as the form prints them, from the template alone.

A table becomes rows of `Cell`s with row and column spans: group headers over their members
(申请人情况 over 法人或其他组织 over 商业企业…, 三、本年度办理结果 over （三）不予公开 over
1.属于国家秘密), the `blocks` table (二) as one heading row, one header row and the rows of each
block, and the `wide` table (四) with its rows printed side by side as column groups over one row
of numbers. Value cells carry their field key and a place (`row`, `column`) for keyboard moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from extraction.templates import ColumnSpec, GroupSpec, RowSpec, TableSpec, Template


@dataclass(frozen=True)
class Cell:
    kind: str  # "corner", "group", "label", "column", "block", "value" or "none" (no cell in the form)
    text: str = ""
    key: str | None = None  # value cells: the field key
    row: int = 0  # value cells: the line of values and the place in it (arrow keys move by these)
    column: int = 0
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class TableLayout:
    key: str
    title: str
    rows: list[list[Cell]]

    @property
    def keys(self) -> list[str]:
        return [cell.key for row in self.rows for cell in row if cell.key is not None]


def _chain(group: str | None, groups: dict[str, GroupSpec]) -> tuple[str, ...]:
    """A member's groups from the outermost to its own."""
    chain: list[str] = []
    while group is not None:
        chain.insert(0, group)
        group = groups[group].parent
    return tuple(chain)


def _runs(chains: Sequence[tuple[str, ...]], level: int) -> dict[int, int]:
    """Where a run of members sharing their groups down to `level` starts, and its length."""
    starts: dict[int, int] = {}
    start = None
    for n, chain in enumerate(chains):
        prefix = chain[:level + 1] if len(chain) > level else None
        if prefix is None:
            start = None
            continue
        if start is None or chains[start][:level + 1] != prefix:
            start = n
            starts[n] = 0
        starts[start] += 1
    return starts


def _opened_groups(chains: Sequence[tuple[str, ...]], groups: dict[str, GroupSpec]) -> list[dict[int, tuple[str, int]]]:
    """Per member, the groups it opens by level: the group's label and how many members it spans."""
    depth = max((len(c) for c in chains), default=0)
    opened: list[dict[int, tuple[str, int]]] = [{} for _ in chains]
    for level in range(depth):
        for start, length in _runs(chains, level).items():
            opened[start][level] = (groups[chains[start][level]].labels[0], length)
    return opened


def _title(template: Template, table: TableSpec) -> str:
    section = next((s for s in template.sections if s.canonical == table.section), None)
    return f"{section.number}、{section.titles[0]}" if section else table.key


def _printed_rows(table: TableSpec, keys: set[str]) -> list[RowSpec]:
    """The table's rows, an optional row only where the document has its fields."""
    return [r for r in table.rows if not r.optional or any(f"{table.key}.{r.key}.{c.key}" in keys
                                                            for c in table.row_columns(r))]


def _matrix(table: TableSpec, rows: list[RowSpec]) -> list[list[Cell]]:
    column_groups = {g.key: g for g in table.column_groups}
    row_groups = {g.key: g for g in table.row_groups}
    column_chains = [_chain(c.group, column_groups) for c in table.columns]
    row_chains = [_chain(r.group, row_groups) for r in rows]
    header_depth = max((len(c) for c in column_chains), default=0) + 1
    label_width = max((len(c) for c in row_chains), default=0) + 1
    header: list[list[Cell]] = [[] for _ in range(header_depth)]
    header[0].append(Cell("corner", table.corner_labels[0] if table.corner_labels else "",
                          rowspan=header_depth, colspan=label_width))
    for column, chain, opened in zip(table.columns, column_chains, _opened_groups(column_chains, column_groups)):
        for level, (label, span) in opened.items():
            header[level].append(Cell("group", label, colspan=span))
        header[len(chain)].append(Cell("column", column.labels[0], rowspan=header_depth - len(chain)))
    body: list[list[Cell]] = []
    for line, (row, chain, opened) in enumerate(zip(rows, row_chains, _opened_groups(row_chains, row_groups))):
        cells = [Cell("group", label, rowspan=span) for _, (label, span) in sorted(opened.items())]
        cells.append(Cell("label", row.labels[0], colspan=label_width - len(chain)))
        present = {c.key for c in table.row_columns(row)}
        cells += [Cell("value", key=f"{table.key}.{row.key}.{c.key}", row=line, column=n) if c.key in present
                  else Cell("none") for n, c in enumerate(table.columns)]
        body.append(cells)
    return header + body


def _blocks(table: TableSpec, rows: list[RowSpec]) -> list[list[Cell]]:
    blocks: dict[str, list[RowSpec]] = {}
    for row in rows:
        blocks.setdefault(row.block or "", []).append(row)
    block_columns = {block: [c for c in table.columns if any(c.key in {x.key for x in table.row_columns(r)}
                                                              for r in members)]
                     for block, members in blocks.items()}
    width = 1 + max(len(columns) for columns in block_columns.values())
    lines: list[list[Cell]] = []
    line = 0
    for block, members in blocks.items():
        columns: list[ColumnSpec] = block_columns[block]
        lines.append([Cell("block", block, colspan=width)])
        fill = width - 1 - len(columns)
        header = [Cell("corner", table.corner_labels[0] if table.corner_labels else "")]
        header += [Cell("column", c.labels[0], colspan=1 + (fill if n == len(columns) - 1 else 0))
                   for n, c in enumerate(columns)]
        lines.append(header)
        for row in members:
            present = {c.key for c in table.row_columns(row)}
            cells = [Cell("label", row.labels[0])]
            cells += [Cell("value", key=f"{table.key}.{row.key}.{c.key}", row=line, column=n,
                           colspan=1 + (fill if n == len(columns) - 1 else 0)) if c.key in present
                      else Cell("none") for n, c in enumerate(columns)]
            lines.append(cells)
            line += 1
    return lines


def _wide(table: TableSpec, rows: list[RowSpec]) -> list[list[Cell]]:
    """The rows side by side: each a column group over the table's columns, one line of values."""
    row_groups = {g.key: g for g in table.row_groups}
    chains = [_chain(r.group, row_groups) for r in rows]
    depth = max((len(c) for c in chains), default=0) + 1
    width = len(table.columns)
    header: list[list[Cell]] = [[] for _ in range(depth)]
    for row, chain, opened in zip(rows, chains, _opened_groups(chains, row_groups)):
        for level, (label, span) in opened.items():
            header[level].append(Cell("group", label, colspan=span * width))
        header[len(chain)].append(Cell("label", row.labels[0], rowspan=depth - len(chain), colspan=width))
    columns = [Cell("column", c.labels[0]) for _ in rows for c in table.columns]
    values = [Cell("value", key=f"{table.key}.{row.key}.{c.key}", row=0, column=n * width + m)
              for n, row in enumerate(rows) for m, c in enumerate(table.columns)]
    return header + [columns, values]


def table_layouts(template: Template, keys: set[str]) -> list[TableLayout]:
    """Every table of the template as the form prints it; `keys` (the document's fields) decide
    whether optional rows are shown."""
    arrange = {"matrix": _matrix, "blocks": _blocks, "wide": _wide}
    return [TableLayout(table.key, _title(template, table), arrange[table.layout](table, _printed_rows(table, keys)))
            for table in template.tables]
