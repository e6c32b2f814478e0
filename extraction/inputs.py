"""The inputs of a batch: files named on the command line, folders expanded to their files."""

from __future__ import annotations

from pathlib import Path


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files as given, folders as their files (recursively, sorted, hidden ones skipped).

    A path that does not exist is kept, so the batch reports it as an error record instead of
    dropping it silently.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file()
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            files.append(path)
    return files
