"""Old binary Office/WPS files (OLE2): Word and WPS text through Debian's catdoc, encryption read from the container.

catdoc rather than antiword: antiword (upstream unchanged since 2005) refuses short documents ("the text stream
of this file is too small to handle"), which a one-page 通知 often is; catdoc reads them, writes UTF-8 without
wrapping (-w) and takes about a millisecond a file. olefile (a maintained OLE2 reader) opens the container first,
so a truncated or broken file and a password-protected one are told apart before any text is read.
"""

from __future__ import annotations

import io
import shutil
import subprocess

CATDOC = "catdoc"


class Unreadable(Exception):
    """The file cannot be read: `problem` is empty, corrupt, encrypted, unsupported, tool (a reader is missing)."""

    def __init__(self, problem: str, detail: str, kind: str | None = None):
        super().__init__(detail)
        self.problem = problem
        self.kind = kind  # what the file turned out to be, when known before reading failed


def open_ole(body: bytes):
    """The OLE2 container, or Unreadable(corrupt) when its sectors or directory are broken."""
    import olefile

    try:
        return olefile.OleFileIO(io.BytesIO(body))
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError… on hostile files
        raise Unreadable("corrupt", f"broken OLE2 container: {' '.join(str(exc).split())}"[:200]) from exc


def encrypted_package(ole) -> bool:
    """A password-protected docx/xlsx is an OLE2 container holding EncryptionInfo and EncryptedPackage."""
    return ole.exists("EncryptedPackage") and ole.exists("EncryptionInfo")


def read_word(ole, body: bytes, kind: str, seconds: float) -> str:
    """The text of a .doc or WPS document (Kingsoft .wps files are Word 97 binaries), or Unreadable."""
    fib = ole.openstream("WordDocument").read(0x20)
    if len(fib) < 0x20 or fib[:2] not in (b"\xec\xa5", b"\xdc\xa5"):
        raise Unreadable("corrupt", f"{kind}: WordDocument stream has no valid header")
    if fib[0x0B] & 0x01:  # FIB flag fEncrypted
        raise Unreadable("encrypted", f"{kind}: password-protected")
    if shutil.which(CATDOC) is None:
        raise Unreadable("tool", f"{kind}: catdoc is not installed")
    try:
        done = subprocess.run([CATDOC, "-w", "-d", "utf-8", "-"], input=body, capture_output=True,
                              timeout=max(seconds, 1.0), check=False)
    except subprocess.TimeoutExpired as exc:
        raise Unreadable("limit", f"{kind}: catdoc took over {max(seconds, 1.0):g} s") from exc
    if done.returncode != 0:
        message = " ".join(done.stderr.decode("utf-8", "replace").split()) or f"exit code {done.returncode}"
        raise Unreadable("corrupt", f"{kind}: catdoc: {message}"[:200])
    return done.stdout.decode("utf-8", "replace")
