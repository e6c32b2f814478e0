"""Zip containers (DOCX, XLSX, OFD): checked before anything is unpacked, and their member names
for sniffing, read even from a damaged zip."""

from __future__ import annotations

import io
import re
import struct
import zipfile

from extraction.ingest.errors import IngestError, IngestErrorCode
from extraction.ingest.options import IngestLimits

_LOCAL_HEADER = re.compile(rb"PK\x03\x04")


def check_zip(data: bytes, limits: IngestLimits, corrupt: IngestErrorCode) -> None:
    """Refuse a zip that is no zip (`corrupt`), unpacks to too many bytes, or holds a member
    compressed beyond any real document's ratio (a zip bomb: `too_large`), before it is opened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise IngestError(corrupt, f"not a valid zip container: {exc}") from exc
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked_bytes:
        raise IngestError(IngestErrorCode.TOO_LARGE,
                          f"unpacks to {unpacked} bytes, over the limit of {limits.max_unpacked_bytes}")
    for member in members:
        if member.compress_size and member.file_size / member.compress_size > limits.max_compression_ratio:
            raise IngestError(IngestErrorCode.TOO_LARGE,
                              f"member {member.filename} is compressed {member.file_size // member.compress_size}:1 "
                              f"(a zip bomb; limit {limits.max_compression_ratio:.0f}:1)")


def zip_member_names(data: bytes) -> list[str]:
    """The members' names: from the central directory, or, when that is lost (a truncated
    download), from the local headers still present."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except zipfile.BadZipFile:
        pass
    names = []
    for match in _LOCAL_HEADER.finditer(data):
        header = data[match.start(): match.start() + 30]
        if len(header) < 30:
            break
        name_length = struct.unpack("<H", header[26:28])[0]
        names.append(data[match.start() + 30: match.start() + 30 + name_length].decode("utf-8", "replace"))
    return names
