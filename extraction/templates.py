"""The report templates as data: `data/templates/*.yaml`, loaded and validated.

Generator, decoder, scorer and exporter all read templates through this module, so a field key,
printed label or identity exists in exactly one place. A YAML file that names an unknown key or an
identity over a missing field fails here, with a message naming the file and the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Literal, Mapping

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DEFAULT_TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "data" / "templates"

class TemplateError(ValueError):
    """A template file is malformed; the message names the file and the problem."""


class CellKind(str, Enum):
    COUNT = "count"
    SIGNED_COUNT = "signed_count"  # 本年增/减: may be negative
    MONEY = "money"  # decimal, always in 万元


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SectionSpec(_Strict):
    canonical: Literal["overview", "proactive", "requests", "review_litigation", "problems", "other"]
    number: str
    titles: list[str] = Field(min_length=1)


class GroupSpec(_Strict):
    """A printed header over several rows or columns (申请人情况, （三）不予公开), possibly nested."""

    key: str
    labels: list[str] = Field(min_length=1)
    parent: str | None = None


class ColumnSpec(_Strict):
    key: str
    labels: list[str] = Field(min_length=1)
    kind: CellKind
    group: str | None = None


class RowSpec(_Strict):
    key: str
    labels: list[str] = Field(min_length=1)
    group: str | None = None
    block: str | None = None  # the sub-table heading a `blocks` table prints this row under
    columns: list[str] | None = None  # the columns this row has; all of the table's when absent
    optional: bool = False  # the row's keys exist only where the document prints the row
    replaces: list[str] = []  # the rows an optional row stands for when printed instead of them


class TableSpec(_Strict):
    key: str
    section: str
    layout: Literal["blocks", "matrix", "wide"]
    corner_labels: list[str] = []
    column_groups: list[GroupSpec] = []
    columns: list[ColumnSpec] = Field(min_length=1)
    row_groups: list[GroupSpec] = []
    rows: list[RowSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_exist(self) -> "TableSpec":
        columns = {c.key for c in self.columns}
        column_groups = {g.key for g in self.column_groups}
        row_groups = {g.key for g in self.row_groups}
        rows = {r.key for r in self.rows}
        for c in self.columns:
            if c.group is not None and c.group not in column_groups:
                raise ValueError(f"table {self.key}: column {c.key} names unknown column group {c.group!r}")
        for g in self.column_groups:
            if g.parent is not None and g.parent not in column_groups:
                raise ValueError(f"table {self.key}: column group {g.key} names unknown parent {g.parent!r}")
        for g in self.row_groups:
            if g.parent is not None and g.parent not in row_groups:
                raise ValueError(f"table {self.key}: row group {g.key} names unknown parent {g.parent!r}")
        for r in self.rows:
            if r.group is not None and r.group not in row_groups:
                raise ValueError(f"table {self.key}: row {r.key} names unknown row group {r.group!r}")
            for c in r.columns or []:
                if c not in columns:
                    raise ValueError(f"table {self.key}: row {r.key} names unknown column {c!r}")
            for replaced in r.replaces:
                if replaced not in rows:
                    raise ValueError(f"table {self.key}: row {r.key} replaces unknown row {replaced!r}")
        if self.layout == "blocks" and any(r.block is None for r in self.rows):
            raise ValueError(f"table {self.key}: a `blocks` table needs a block on every row")
        return self

    def row_columns(self, row: RowSpec) -> list[ColumnSpec]:
        if row.columns is None:
            return list(self.columns)
        by_key = {c.key: c for c in self.columns}
        return [by_key[k] for k in row.columns]


class IdentitySpec(_Strict):
    name: str
    for_each: dict[str, str] = {}
    left: list[str] = Field(min_length=1)
    right: list[str] = Field(min_length=1)


class TemplateSpec(_Strict):
    id: str
    issued_by: str
    first_year: int
    last_year: int | None
    sections: list[SectionSpec] = Field(min_length=1)
    tables: list[TableSpec] = Field(min_length=1)
    sets: dict[str, list[str]] = {}
    identities: list[IdentitySpec] = []


@dataclass(frozen=True)
class FieldSpec:
    """One cell of a template: `table.row.column`."""

    key: str
    table: str
    row: str
    column: str
    kind: CellKind
    optional: bool


@dataclass(frozen=True)
class Identity:
    """sum(left) == sum(right), blank cells counting 0."""

    name: str
    left: tuple[str, ...]
    right: tuple[str, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return self.left + self.right

    @property
    def signed_terms(self) -> tuple[tuple[str, int], ...]:
        """(key, +1) for the left side, (key, -1) for the right: the identity is Σ sign·value = 0."""
        return tuple((k, 1) for k in self.left) + tuple((k, -1) for k in self.right)

    def sums(self, values: Mapping[str, float | int | None]) -> tuple[float, float]:
        def total(keys: tuple[str, ...]) -> float:
            return sum((values.get(k) or 0) for k in keys)

        return total(self.left), total(self.right)

    def holds(self, values: Mapping[str, float | int | None]) -> bool:
        left, right = self.sums(values)
        return abs(left - right) < 1e-6


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Template:
    """A validated template with its fields and identities expanded."""

    def __init__(self, spec: TemplateSpec, source: str):
        self.spec = spec
        self.source = source
        self.id = spec.id
        self.fields: dict[str, FieldSpec] = {}
        for table in spec.tables:
            for row in table.rows:
                for column in table.row_columns(row):
                    key = f"{table.key}.{row.key}.{column.key}"
                    self.fields[key] = FieldSpec(key, table.key, row.key, column.key, column.kind, row.optional)
        self.identities: list[Identity] = self._expand_identities()

    @property
    def tables(self) -> list[TableSpec]:
        return self.spec.tables

    @property
    def sections(self) -> list[SectionSpec]:
        return self.spec.sections

    def table(self, key: str) -> TableSpec:
        for table in self.spec.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def field_keys(self, include_optional: bool = False) -> list[str]:
        """Every field key in printed order; optional rows (printed by some reports only) on request."""
        return [k for k, f in self.fields.items() if include_optional or not f.optional]

    def covers_year(self, year: int) -> bool:
        return self.spec.first_year <= year and (self.spec.last_year is None or year <= self.spec.last_year)

    def _named_set(self, name: str) -> list[str] | None:
        if name in self.spec.sets:
            return self.spec.sets[name]
        table_key, _, what = name.rpartition(".")
        for table in self.spec.tables:
            if table.key == table_key and what == "rows":
                return [r.key for r in table.rows]
            if table.key == table_key and what == "columns":
                return [c.key for c in table.columns]
        return None

    def _expand_identities(self) -> list[Identity]:
        identities: list[Identity] = []
        for spec in self.spec.identities:
            bindings: list[dict[str, str]] = [{}]
            for variable, set_name in spec.for_each.items():
                members = self._named_set(set_name)
                if members is None:
                    raise TemplateError(f"{self.source}: identity {spec.name!r} iterates over unknown set {set_name!r}")
                bindings = [{**b, variable: m} for b in bindings for m in members]
            for binding in bindings:
                name = spec.name.format(**binding)
                left = self._expand_terms(spec, spec.left, binding)
                right = self._expand_terms(spec, spec.right, binding)
                identities.append(Identity(name, tuple(left), tuple(right)))
        names = [i.name for i in identities]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise TemplateError(f"{self.source}: identity names repeat: {duplicated}")
        return identities

    def _expand_terms(self, spec: IdentitySpec, terms: list[str], binding: dict[str, str]) -> list[str]:
        keys: list[str] = []
        for term in terms:
            expansions = [term]
            for placeholder in _PLACEHOLDER.findall(term):
                if placeholder in binding:
                    expansions = [t.replace("{" + placeholder + "}", binding[placeholder]) for t in expansions]
                    continue
                members = self._named_set(placeholder)
                if members is None:
                    raise TemplateError(
                        f"{self.source}: identity {spec.name!r} term {term!r} names unknown set {placeholder!r}"
                    )
                expansions = [t.replace("{" + placeholder + "}", m, 1) for t in expansions for m in members]
            for key in expansions:
                if key not in self.fields:
                    raise TemplateError(f"{self.source}: identity {spec.name!r} names missing field {key!r}")
                keys.append(key)
        return keys


def load_template(path: Path) -> Template:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TemplateError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise TemplateError(f"{path}: expected a mapping at the top level")
    try:
        spec = TemplateSpec.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}" for err in exc.errors()
        )
        raise TemplateError(f"{path}: {problems}") from exc
    return Template(spec, source=str(path))


def load_templates(directory: Path = DEFAULT_TEMPLATES_DIR) -> dict[str, Template]:
    """Every `*.yaml` template in `directory`, by template id."""
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise TemplateError(f"{directory}: no template files (*.yaml)")
    templates: dict[str, Template] = {}
    for path in paths:
        template = load_template(path)
        if template.id in templates:
            raise TemplateError(f"{path}: template id {template.id!r} already defined")
        templates[template.id] = template
    return templates


def template_for_year(templates: Mapping[str, Template], year: int) -> Template:
    """The template a report of `year` is expected to use (a report may still print the older one)."""
    for template in templates.values():
        if template.covers_year(year):
            return template
    raise KeyError(f"no template covers year {year}")
