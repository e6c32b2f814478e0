"""Legacy word-processor files (.doc, WPS .wps, .rtf) → DOCX, through LibreOffice headless.

Each conversion runs in its own temporary folder with a fresh LibreOffice profile written here,
so no state leaks between files and the security settings are ours: macros disabled outright
(not merely "ask": headless cannot ask), links never updated, untrusted referer links blocked, and
every HTTP/HTTPS/FTP request sent to a proxy on a dead local port (the discard port), so a linked
picture or object is never fetched even if some import tried.
The import filter is named from the sniffed kind, so a damaged file is refused by that filter
instead of being opened as plain text. A conversion over the time limit is stopped (its whole
process group) and reported as `conversion_timeout`; without LibreOffice, `converter_missing`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extraction.ingest.errors import IngestError, IngestErrorCode

SOFFICE = "soffice"

# Import filters by input kind, and the code a file the filter refuses gets.
IMPORT_FILTERS = {
    "doc": ("MS Word 97", IngestErrorCode.DOC_CORRUPT),
    "rtf": ("Rich Text Format", IngestErrorCode.RTF_CORRUPT),
}

_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetProxyType" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetFTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetFTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
</oor:items>
"""


def soffice_path() -> str | None:
    return shutil.which(SOFFICE)


def convert_with_soffice(data: bytes, suffix: str, import_filter: str | None, export: str, timeout_s: float,
                         corrupt: IngestErrorCode) -> bytes:
    """`data` (a file ending in `suffix`) converted by LibreOffice to `export` (e.g. "docx:MS Word
    2007 XML"), read with `import_filter` when given; the converted file's bytes."""
    soffice = soffice_path()
    if soffice is None:
        raise IngestError(IngestErrorCode.CONVERTER_MISSING,
                          "LibreOffice (soffice) is not installed: scripts/bootstrap.sh installs libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="govreport-convert-") as folder:
        work = Path(folder)
        profile = work / "profile" / "user"
        profile.mkdir(parents=True)
        (profile / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
        source = work / f"input{suffix}"
        source.write_bytes(data)
        out = work / "out"
        command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--invisible",
                   "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                   *([f"--infilter={import_filter}"] if import_filter is not None else []),
                   "--convert-to", export, "--outdir", str(out), str(source)]
        _run(command, timeout_s, work)
        converted = sorted(out.glob("input.*")) if out.exists() else []
        if not converted or converted[0].stat().st_size == 0:
            raise IngestError(corrupt, f"LibreOffice could not read it as {import_filter or suffix}")
        return converted[0].read_bytes()


def _run(command: list[str], timeout_s: float, home: Path) -> None:
    # Its own session, so a stop on timeout reaches the soffice.bin it spawns too.
    environment = {**os.environ, "HOME": str(home), "SAL_USE_VCLPLUGIN": "svp"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               start_new_session=True, env=environment)
    try:
        process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise IngestError(IngestErrorCode.CONVERSION_TIMEOUT,
                          f"LibreOffice took longer than {timeout_s:.0f} s and was stopped") from exc


def legacy_to_docx(data: bytes, kind: str, timeout_s: float) -> bytes:
    """A .doc/.wps (`kind` "doc") or .rtf (`kind` "rtf") as DOCX bytes."""
    import_filter, corrupt = IMPORT_FILTERS[kind]
    return convert_with_soffice(data, f".{kind}", import_filter, "docx:MS Word 2007 XML", timeout_s, corrupt)
