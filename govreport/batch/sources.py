"""What a batch reads: each input document as a `Source` (a file, or a member of a zip archive),
its content hash, and its extraction by a worker."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from extraction.inputs import expand_inputs
from extraction.pipeline import Extraction, Extractor, error_record
from govreport.batch.archives import ArchiveError, ArchiveLimits, is_archive, list_archive, read_member

HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class Source:
    """One input document: `name` is its record's `source`."""

    name: str
    path: Path  # the file, or the outermost archive holding the member
    members: tuple[str, ...] = ()  # member names from the outermost archive in; () for a plain file
    refusal: ArchiveError | None = None  # an archive member that is not read (unsafe name, zip bomb, …)


def plan_sources(paths: list[Path], limits: ArchiveLimits) -> list[Source]:
    """Every input document once, in input order: files, folders and globs expanded, zips listed."""
    sources: list[Source] = []
    for path in expand_inputs(paths):
        if is_archive(path) and path.is_file():
            sources += [Source(e.name, path, e.members, e.refusal) for e in list_archive(path, limits)]
        else:
            sources.append(Source(str(path), path))
    first_by_name: dict[str, Source] = {}
    for source in sources:  # a file named twice (a folder and a glob over it) is one input
        first_by_name.setdefault(source.name, source)
    return list(first_by_name.values())


def content_sha256(source: Source, limits: ArchiveLimits) -> str | None:
    """The hash of the document's bytes (the record's `sha256`), or None where they cannot be read."""
    if source.refusal is not None:
        return None
    digest = hashlib.sha256()
    try:
        if source.members:
            digest.update(read_member(source.path, source.members, limits))
        else:
            with source.path.open("rb") as stream:
                while chunk := stream.read(HASH_CHUNK):
                    digest.update(chunk)
    except (ArchiveError, OSError):
        return None
    return digest.hexdigest()


def extract_source(extractor: Extractor, source: Source, limits: ArchiveLimits) -> Extraction:
    """The source's extraction; an archive member is read into memory, never onto disk."""
    if source.refusal is not None:
        return Extraction(error_record(source.name, None, source.refusal.code, source.refusal.message))
    if not source.members:
        return extractor.run(source.path)
    try:
        data = read_member(source.path, source.members, limits)
    except ArchiveError as exc:
        return Extraction(error_record(source.name, None, exc.code, exc.message))
    return extractor.run_data(source.name, data)
