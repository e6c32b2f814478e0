"""Zip archives as inputs, read safely: members are listed and read into memory, never extracted.

A member is refused — it becomes an error record, the rest of the archive goes on — when its name
would leave the archive (`../x.pdf`, `/etc/x`, `C:\\x`), when it unpacks beyond the byte limit or
compresses beyond any real document's ratio (a zip bomb; the declared sizes are checked before
reading and the bytes actually read again while reading), or when a zip inside a zip is nested
deeper than allowed.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from extraction.inputs import is_label_among

ARCHIVE_SUFFIX = ".zip"
MEMBER_SEPARATOR = "!/"


@dataclass(frozen=True)
class ArchiveLimits:
    max_member_bytes: int = 200 * 1024 * 1024  # one member unpacked (a document or a nested zip)
    max_compression_ratio: float = 200.0  # a member this much bigger than its packed size is a bomb
    max_members: int = 100_000  # entries of one archive
    max_depth: int = 2  # archives inside archives: the outermost is depth 1


class ArchiveError(Exception):
    """A member or archive that cannot be read safely; `code` goes into its error record."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def __reduce__(self):  # travels to worker processes inside a Source
        return ArchiveError, (self.code, self.message)


@dataclass(frozen=True)
class ArchiveEntry:
    """A member of an archive, as found by listing: its record name and where it lies, or why it is refused."""

    name: str  # `archive.zip!/a/b.pdf`, nested `a.zip!/b.zip!/c.pdf`
    members: tuple[str, ...]  # member names from the outermost archive in
    refusal: ArchiveError | None = None


def is_archive(path: Path) -> bool:
    return path.suffix.lower() == ARCHIVE_SUFFIX


def list_archive(path: Path, limits: ArchiveLimits) -> list[ArchiveEntry]:
    """Every document member of the archive at `path` (nested archives opened), each refused member
    and an unreadable archive as entries with their refusal."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _list(archive, str(path), (), 1, limits)
    except (zipfile.BadZipFile, OSError) as exc:
        return [ArchiveEntry(str(path), (), ArchiveError("archive_corrupt", f"cannot open the archive: {exc}"))]


def _list(archive: zipfile.ZipFile, name: str, chain: tuple[str, ...], depth: int,
          limits: ArchiveLimits) -> list[ArchiveEntry]:
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > limits.max_members:
        return [ArchiveEntry(name, chain, ArchiveError(
            "too_large", f"{len(infos)} members, over the limit of {limits.max_members}"))]
    by_folder: dict[PurePosixPath, list[str]] = {}
    for info in infos:
        by_folder.setdefault(_member_path(info).parent, []).append(_member_path(info).name)
    entries: list[ArchiveEntry] = []
    for info in sorted(infos, key=lambda i: i.filename):
        member = _member_path(info)
        if _skipped(member, by_folder[member.parent]):
            continue
        entry = ArchiveEntry(f"{name}{MEMBER_SEPARATOR}{info.filename}", chain + (info.filename,))
        try:
            check_member(info, limits)
            if member.suffix.lower() != ARCHIVE_SUFFIX:
                entries.append(entry)
            elif depth >= limits.max_depth:
                raise ArchiveError("too_large", f"an archive nested deeper than {limits.max_depth} levels")
            else:
                entries += _list_inner(read_checked(archive, info, limits), entry, depth + 1, limits)
        except ArchiveError as exc:
            entries.append(replace(entry, refusal=exc))
    return entries


def _list_inner(data: bytes, entry: ArchiveEntry, depth: int, limits: ArchiveLimits) -> list[ArchiveEntry]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            return _list(inner, entry.name, entry.members, depth, limits)
    except zipfile.BadZipFile as exc:
        raise ArchiveError("archive_corrupt", f"a broken archive inside the archive: {exc}") from exc


def _member_path(info: zipfile.ZipInfo) -> PurePosixPath:
    return PurePosixPath(info.filename.replace("\\", "/"))


def _skipped(member: PurePosixPath, siblings: list[str]) -> bool:
    """Hidden files, macOS resource forks and gold labels beside their documents are not inputs."""
    return (any(part.startswith(".") and part not in (".", "..") for part in member.parts)
            or "__MACOSX" in member.parts or is_label_among(member.name, siblings))


def check_member(info: zipfile.ZipInfo, limits: ArchiveLimits) -> None:
    """Refuses, before reading, a member whose name leaves the archive or whose declared sizes are too big."""
    name = info.filename.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in name.split("/"):
        raise ArchiveError("unsafe_path", f"member name {info.filename!r} points outside the archive")
    if info.flag_bits & 0x1:
        raise ArchiveError("archive_encrypted", f"member {info.filename!r} is encrypted")
    if info.file_size > limits.max_member_bytes:
        raise ArchiveError("too_large", f"member unpacks to {info.file_size} bytes, over the limit of "
                                        f"{limits.max_member_bytes}")
    _check_ratio(info, info.file_size, limits)


def _check_ratio(info: zipfile.ZipInfo, unpacked: int, limits: ArchiveLimits) -> None:
    if unpacked > max(info.compress_size, 1) * limits.max_compression_ratio:
        raise ArchiveError("too_large", f"member is compressed {unpacked // max(info.compress_size, 1)}:1 "
                                        f"(a zip bomb; limit {limits.max_compression_ratio:.0f}:1)")


def read_checked(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ArchiveLimits) -> bytes:
    """The member's bytes, read no further than the limits allow (declared sizes can lie)."""
    check_member(info, limits)
    cap = min(limits.max_member_bytes, int(max(info.compress_size, 1) * limits.max_compression_ratio))
    try:
        with archive.open(info) as stream:
            data = stream.read(cap + 1)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise ArchiveError("archive_corrupt", f"cannot read member {info.filename!r}: {exc}") from exc
    if len(data) > limits.max_member_bytes:
        raise ArchiveError("too_large", f"member unpacks past the limit of {limits.max_member_bytes} bytes")
    _check_ratio(info, len(data), limits)
    return data


def read_member(path: Path, members: tuple[str, ...], limits: ArchiveLimits) -> bytes:
    """The bytes of a member (`members`: its names from the outermost archive in), in memory."""
    try:
        with zipfile.ZipFile(path) as outer:
            data = read_checked(outer, outer.getinfo(members[0]), limits)
        for member in members[1:]:
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                data = read_checked(inner, inner.getinfo(member), limits)
        return data
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ArchiveError("archive_corrupt", f"cannot read {MEMBER_SEPARATOR.join(members)} from {path}: {exc}") from exc
