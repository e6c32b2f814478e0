"""The inputs of a batch: files named on the command line, folders expanded to their files."""

from __future__ import annotations

from pathlib import Path


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files as given, folders as their files (recursively, sorted; hidden files and gold labels beside
    their documents skipped).

    A path that does not exist is kept, so the batch reports it as an error record instead of
    dropping it silently.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            files += [p for p in found if not is_gold_label(p)]
        else:
            files.append(path)
    return files


def is_gold_label(path: Path) -> bool:
    """A label beside its document: the gold (`X.json` next to `X.pdf`, as the spec's gold format lays
    out) or the factory's token annotations (`X.tokens.json`)."""
    if path.suffix != ".json":
        return False
    stem = path.stem.removesuffix(".tokens")
    return any(sibling.stem == stem and sibling.suffix != ".json" for sibling in path.parent.glob(f"{stem}.*"))
