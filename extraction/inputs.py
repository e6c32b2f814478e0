"""The inputs of a batch: files named on the command line, globs, folders expanded to their files."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path, PurePath

GLOB_CHARACTERS = frozenset("*?[")


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files as given, globs (`archive/**/*.pdf`, quoted so the shell leaves them) as the paths they
    match, folders as their files (recursively, sorted; hidden files and gold labels beside their
    documents skipped).

    A path that does not exist (or a glob matching nothing) is kept, so the batch reports it as an
    error record instead of dropping it silently.
    """
    files: list[Path] = []
    for given in paths:
        for path in _matches(given):
            if path.is_dir():
                found = sorted(p for p in path.rglob("*") if p.is_file()
                               and not any(part.startswith(".") for part in p.relative_to(path).parts))
                files += [p for p in found if not is_gold_label(p)]
            else:
                files.append(path)
    return files


def _matches(path: Path) -> list[Path]:
    if path.exists() or not GLOB_CHARACTERS & set(str(path)):
        return [path]
    return [Path(p) for p in sorted(glob.glob(str(path), recursive=True))] or [path]


def is_gold_label(path: Path) -> bool:
    """A label beside its document: the gold (`X.json` next to `X.pdf`, as the spec's gold format lays
    out) or the factory's token annotations (`X.tokens.json`)."""
    if path.suffix != ".json":
        return False
    return is_label_among(path.name, (p.name for p in path.parent.glob(f"{_labelled_stem(path.name)}.*")))


def is_label_among(name: str, sibling_names: Iterable[str]) -> bool:
    """`X.json` or `X.tokens.json` where a document `X.*` (not a JSON file) is among the names in its folder."""
    if not name.endswith(".json"):
        return False
    stem = _labelled_stem(name)
    return any(PurePath(s).stem == stem and not s.endswith(".json") for s in sibling_names)


def _labelled_stem(name: str) -> str:
    return name.removesuffix(".json").removesuffix(".tokens")
