"""Zip attachments: every file inside read like an attachment of its own, recursively, within size, count and depth.

A zip bomb (a member that unpacks to gigabytes, or archives nested without end) meets a limit and is recorded
as such; no member is trusted for its declared size: each is read through a bounded stream.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Callable

from crawler.extract.oldoffice import Unreadable

MAX_DEPTH = 3  # an archive inside an archive inside an archive, no deeper
MAX_MEMBERS = 500  # files read from one attachment, all levels together
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_UNPACKED = 256 * 1024 * 1024  # bytes unpacked from one attachment, all levels together
_UTF8_NAMES = 0x800
_ENCRYPTED = 0x1


@dataclass
class Budget:
    """What one attachment may still unpack; shared by the archives nested in it."""

    members: int = field(default_factory=lambda: MAX_MEMBERS)  # read at use, so a configured limit applies
    unpacked: int = field(default_factory=lambda: MAX_UNPACKED)
    problems: list[dict] = field(default_factory=list)

    def note(self, part: str, problem: str, detail: str) -> None:
        self.problems.append({"part": part, "problem": problem, "detail": detail[:200]})


def is_office_zip(names: list[str]) -> bool:
    return any(name.startswith(("word/", "xl/")) for name in names) and "[Content_Types].xml" in names


def member_name(info: zipfile.ZipInfo) -> str:
    """The name as the packer meant it: Chinese Windows zips store GBK names without the UTF-8 flag."""
    if info.flag_bits & _UTF8_NAMES:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def read_zip(body: bytes, prefix: str, depth: int, budget: Budget,
             read_member: Callable[[bytes, str, int], None]) -> None:
    """Call `read_member(data, path, depth + 1)` for every file inside; note what cannot be read in `budget`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise Unreadable("corrupt", f"broken zip archive: {' '.join(str(exc).split())}"[:200]) from exc
    if not infos:
        raise Unreadable("empty", "zip archive holds no file")
    if depth >= MAX_DEPTH:
        budget.note(prefix.rstrip("/"), "limit", f"archive nested deeper than {MAX_DEPTH} levels, not opened")
        return
    with archive:
        for info in infos:
            path = prefix + member_name(info)
            if budget.members <= 0:
                budget.note(path, "limit", f"more than {MAX_MEMBERS} files in the archive, the rest not read")
                return
            budget.members -= 1
            data = _unpack(archive, info, path, budget)
            if data is not None:
                read_member(data, path, depth + 1)


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, budget: Budget) -> bytes | None:
    if info.flag_bits & _ENCRYPTED:
        budget.note(path, "encrypted", "password-protected file in the archive")
        return None
    if info.file_size > MAX_MEMBER_BYTES:
        budget.note(path, "limit", f"unpacks to {info.file_size // 2**20} MB, over {MAX_MEMBER_BYTES // 2**20} MB")
        return None
    if info.file_size > budget.unpacked:
        budget.note(path, "limit", f"over {MAX_UNPACKED // 2**20} MB unpacked from one attachment")
        return None
    limit = min(MAX_MEMBER_BYTES, budget.unpacked)
    try:
        with archive.open(info) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        budget.note(path, "corrupt", f"cannot unpack: {' '.join(str(exc).split())}")
        return None
    if len(data) > limit:  # the declared size lied
        budget.note(path, "limit", f"unpacks to over {limit // 2**20} MB")
        return None
    budget.unpacked -= len(data)
    return data
