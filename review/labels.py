"""Gold labels written by the review page: `LABELS/NAME.json` in the spec's gold format, with a
copy of the source document beside it (`LABELS/NAME.pdf`), so the labels folder is a training
folder as it stands (`govreport train --data LABELS`).

Names come from the source's file name, never from a request: a name is made safe (no folder
parts, no leading dot), and a name already taken by another document (a different file in the
labels folder, or another record of the same name) gets the document's hash or line number.
Files are written to a temporary name in the labels folder and renamed over the old one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from extraction.templates import CellKind, Template
from review.results import ReviewItem, Source

_UNSAFE = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")
_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,8}$")
MAX_NAME = 120


class LabelError(ValueError):
    """An edit that is no gold label: the message says which field and why."""


def safe_stem(name: str, fallback: str) -> str:
    stem = _UNSAFE.sub("_", Path(name.replace("\\", "/")).stem).strip().lstrip(".")
    return stem[:MAX_NAME] or fallback


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if _SUFFIX.match(suffix) and suffix != ".json" else ".bin"


def _documents_named(folder: Path, stem: str) -> list[Path]:
    return [p for p in folder.glob(f"{_glob_escape(stem)}.*") if p.suffix != ".json" and p.is_file()]


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def label_names(items: list[ReviewItem], folder: Path) -> dict[int, str]:
    """A label name per item: its source's stem; the line number added where two records share a
    stem, the document's hash where the labels folder holds another document of that name."""
    stems = {item.number: safe_stem(item.source, f"document-{item.number}") for item in items}
    counts: dict[str, int] = {}
    for stem in stems.values():
        counts[stem] = counts.get(stem, 0) + 1
    names = {}
    for item in items:
        stem = stems[item.number]
        name = stem if counts[stem] == 1 else f"{stem}-{item.number}"
        sha = str(item.record.get("sha256") or "")
        if sha and any(_sha256(p) != sha for p in _documents_named(folder, name)):
            name = f"{name}-{sha[:8]}"
        names[item.number] = name
    return names


@dataclass(frozen=True)
class LabelEdit:
    """What the page sends on "verified": the template it labelled and every field's value."""

    template: str
    agency: str | None
    year: int | None
    fields: dict[str, int | float | None]


def _checked_value(key: str, value, kind: CellKind) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LabelError(f"{key}: {value!r} is not a number or null")
    if kind is CellKind.MONEY:
        if value < 0:
            raise LabelError(f"{key}: money cannot be negative ({value})")
        return value
    if value != int(value):
        raise LabelError(f"{key}: a count is a whole number, not {value}")
    if kind is CellKind.COUNT and value < 0:
        raise LabelError(f"{key}: a count cannot be negative ({value})")
    return int(value)


def gold_from_edit(edit: LabelEdit, template: Template, expected: list[str], sections: list[dict]) -> dict:
    """The spec's gold JSON: every expected key (the template's, and the optional rows the page
    showed) with its value or null; `source_breaks` are the identities the verified values break."""
    unknown = sorted(set(edit.fields) - set(expected))
    missing = sorted(set(expected) - set(edit.fields))
    if unknown or missing:
        raise LabelError(f"fields do not match template {template.id}: unknown {unknown[:5]}, missing {missing[:5]}")
    fields = {key: _checked_value(key, edit.fields[key], template.fields[key].kind) for key in expected}
    return {
        "template": template.id,
        "agency": edit.agency or None,
        "year": edit.year,
        "fields": fields,
        "sections": [{"number": s.get("number"), "title": s.get("title"), "canonical": s.get("canonical")}
                     for s in sections if isinstance(s, dict)],
        "source_breaks": [i.name for i in template.identities if not i.holds(fields)],
    }


def _write_atomically(path: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".saving-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class LabelStore:
    """The labels folder: the only folder the review page writes."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, name: str, suffix: str) -> Path:
        path = self.folder / f"{name}{suffix}"
        if path.parent.resolve() != self.folder.resolve() or safe_stem(name + ".x", "") != name:
            raise LabelError(f"not a label name: {name!r}")
        return path

    def read(self, name: str) -> dict | None:
        path = self._path(name, ".json")
        if not path.is_file():
            return None
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None
        return gold if isinstance(gold, dict) else None

    def save(self, name: str, gold: dict, source: Source | None) -> Path:
        """The document first, then its gold: a label on disk always has its document beside it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if source is not None:
            copy = self._path(name, _suffix(source.name))
            if not copy.exists() or copy.read_bytes() != source.data:
                _write_atomically(copy, source.data)
        path = self._path(name, ".json")
        _write_atomically(path, (json.dumps(gold, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        return path

    def count(self) -> int:
        """Labels with their document beside them: what `govreport train --data` will read."""
        if not self.folder.is_dir():
            return 0
        return sum(1 for gold in self.folder.glob("*.json")
                   if not gold.name.endswith(".tokens.json") and _documents_named(self.folder, gold.stem))
