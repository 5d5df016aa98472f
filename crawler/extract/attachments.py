"""Plain text of downloaded attachments (pdf, docx, xlsx, xls/et, doc/wps, zip) for the text checks; never raises."""

from __future__ import annotations

import io
import logging
import re
import time
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from crawler.extract import archives, ocr
from crawler.extract.office import read_docx, read_xls, read_xlsx
from crawler.extract.oldoffice import Unreadable, encrypted_package, open_ole, read_word

MAX_CHARS = 2_000_000
MAX_BYTES = 100 * 1024 * 1024
MAX_CELLS = 5_000_000  # spreadsheet cells visited, empty ones included
MAX_SECONDS = 30.0

KINDS = ("pdf", "docx", "xlsx", "xls", "doc", "wps", "zip", "image", "other")
# What the crawler could not read, as stored for `attachment.unreadable`: the file's own problem, or its parts'.
PROBLEMS = ("empty", "corrupt", "encrypted", "unsupported", "tool", "limit")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BY_EXTENSION = {
    "pdf": "pdf",
    "docx": "docx", "docm": "docx", "dotx": "docx",
    "xlsx": "xlsx", "xlsm": "xlsx", "xltx": "xlsx",
    "xls": "xls", "et": "xls",
    "doc": "doc", "dot": "doc",
    "wps": "wps",
    "zip": "zip",
    "png": "image", "jpg": "image", "jpeg": "image", "tif": "image", "tiff": "image", "bmp": "image", "gif": "image",
}
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")
_BY_CONTENT_TYPE = (
    ("pdf", "pdf"),
    ("wordprocessingml", "docx"),
    ("spreadsheetml", "xlsx"),
    ("ms-excel", "xls"),
    ("msword", "doc"),
    ("wps", "wps"),
    ("zip", "zip"),
)
_PLAIN = {"txt", "csv"}


@dataclass(frozen=True)
class AttachmentText:
    """What could be read: `error` says in one line why text is missing or partial; `truncated` that a cap cut it.

    `problem` (one of PROBLEMS) says why the file as a whole could not be read; `parts` lists the files inside an
    archive that could not be read, each {part, problem, detail}.
    """

    kind: str
    text: str
    error: str | None = None
    truncated: bool = False
    problem: str | None = None
    parts: tuple[dict, ...] = ()

    @property
    def unreadable(self) -> dict | None:
        """The stored fact (pages.unreadable): None when everything was read."""
        if not self.problem and not self.parts:
            return None
        return {"problem": self.problem, "detail": self.error if self.problem else None, "parts": list(self.parts)}


class _Stop(Exception):
    """A cap was reached; `hard` ones (time, cells) mean the file is pathological, not merely long."""

    def __init__(self, reason: str, hard: bool):
        super().__init__(reason)
        self.hard = hard


class _Sink:
    def __init__(self, max_chars: int, max_seconds: float):
        self.parts: list[str] = []
        self.room = max_chars
        self.deadline = time.monotonic() + max_seconds
        self.max_seconds = max_seconds
        self.cells = 0

    def tick(self, cells: int = 0) -> None:
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise _Stop(f"stopped after {MAX_CELLS} cells", hard=True)
        if time.monotonic() > self.deadline:
            raise _Stop(f"stopped after {self.max_seconds:g} s", hard=True)

    def add(self, text: str) -> None:
        self.tick()
        if not text:
            return
        if len(text) + 1 > self.room:
            self.parts.append(text[: max(self.room, 0)])
            self.room = 0
            raise _Stop("text cap reached", hard=False)
        self.parts.append(text)
        self.room -= len(text) + 1

    def retract(self, mark: int) -> None:
        """Take back a member's heading when nothing of it could be read."""
        if len(self.parts) == mark + 1:
            self.room += len(self.parts.pop()) + 1

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


def extract_text(
    body: bytes,
    *,
    filename: str = "",
    content_type: str = "",
    max_chars: int = MAX_CHARS,
    max_seconds: float = MAX_SECONDS,
) -> AttachmentText:
    """Read the text of an attachment; the kind comes from its magic bytes, then its name, then its content type."""
    kind = _hinted_kind(filename, content_type)
    if len(body) > MAX_BYTES:
        return AttachmentText(kind, "", f"file too large ({len(body) // 2**20} MB)", problem="limit")
    sink = _Sink(max_chars, max_seconds)
    budget = archives.Budget()
    partial_error = None
    try:
        with _quiet():
            kind, reader = _detect(body, kind, _is_plain(filename, content_type), sink, budget, 0)
            partial_error = reader()
    except _Stop as stop:
        return AttachmentText(kind, sink.text, str(stop) if stop.hard else None, truncated=True,
                              problem="limit" if stop.hard else None, parts=tuple(budget.problems))
    except Unreadable as exc:
        return AttachmentText(exc.kind or kind, sink.text, str(exc), problem=exc.problem, parts=tuple(budget.problems))
    except Exception as exc:  # any reader failure on a hostile or broken file ends here, by design
        return AttachmentText(kind, sink.text, _one_line(exc), problem="corrupt", parts=tuple(budget.problems))
    return AttachmentText(kind, sink.text, partial_error, parts=tuple(budget.problems))


def _is_plain(filename: str, content_type: str) -> bool:
    return _extension(filename) in _PLAIN or content_type.lower().startswith(("text/plain", "text/csv"))


@contextmanager
def _quiet():
    """Mute what the readers say about harmless oddities of real files (pytest makes warnings errors)."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)  # pypdf logs, rather than warns, about broken xref tables
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or "unreadable"
    return f"{type(exc).__name__}: {message}"[:200]


def _extension(filename: str) -> str:
    parts = urlsplit(filename.strip().lower())
    # Hanweb downloads are downfile.jsp?filename=<hash>.pdf: the query holds the real extension.
    for candidate in [parts.path, *(value for _, value in parse_qsl(parts.query))]:
        match = re.search(r"\.([a-z0-9]{2,5})$", candidate.strip())
        if match and (match.group(1) in _BY_EXTENSION or match.group(1) in _PLAIN):
            return match.group(1)
    return ""


def _hinted_kind(filename: str, content_type: str) -> str:
    ext = _extension(filename)
    if ext in _BY_EXTENSION:
        return _BY_EXTENSION[ext]
    ctype = content_type.lower()
    for needle, kind in _BY_CONTENT_TYPE:
        if needle in ctype:
            return kind
    return "other"


def _detect(body: bytes, hinted: str, plain: bool, sink: _Sink, budget: archives.Budget, depth: int, path: str = ""):
    """Return (kind, reader): calling the reader adds the text to `sink` and returns a partial error or None."""
    if not body:
        raise Unreadable("empty", "empty file")
    if b"%PDF-" in body[:1024]:
        return "pdf", lambda: _read_pdf(body, sink, budget, path)
    if body.startswith(_IMAGE_MAGIC):
        return "image", lambda: _read_image(body, sink, budget, path)
    if body[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        try:
            names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise Unreadable("corrupt", _one_line(exc)) from exc
        if archives.is_office_zip(names) and any(name.startswith("word/") for name in names):
            return "docx", lambda: read_docx(body, sink)
        if archives.is_office_zip(names):
            return "xlsx", lambda: read_xlsx(body, sink)

        def member(data: bytes, inner: str, level: int) -> None:
            _read_member(data, inner, sink, budget, level)

        return "zip", lambda: archives.read_zip(body, path + "/" if path else "", depth, budget, member)
    if body.startswith(_OLE2):
        return _detect_ole2(body, hinted, sink)
    if hinted in ("pdf", "docx", "xlsx", "xls", "doc", "wps", "zip"):
        raise Unreadable("corrupt", f"not a {hinted} file (starts with {body[:16]!r})")
    if plain:
        return "other", lambda: _read_plain(body, sink)
    raise Unreadable("unsupported", "unsupported attachment type")


def _read_member(data: bytes, path: str, sink: _Sink, budget: archives.Budget, depth: int) -> None:
    """One file inside an archive, its text headed by its path; what it lacks is noted, the caps still stop all."""
    hinted = _hinted_kind(path, "")
    mark = len(sink.parts)
    sink.tick()
    try:
        kind, reader = _detect(data, hinted, _is_plain(path, ""), sink, budget, depth, path)
        if kind != "zip":
            sink.add(f"【{path}】")
        partial = reader()
    except Unreadable as exc:
        sink.retract(mark)
        if exc.problem != "unsupported":  # images, programs… in an archive are no document left unread
            budget.note(path, exc.problem, str(exc))
    except _Stop:
        raise
    except Exception as exc:  # a broken member leaves the other members readable
        sink.retract(mark)
        budget.note(path, "corrupt", _one_line(exc))
    else:
        if partial:
            budget.note(path, "corrupt", partial)


def _detect_ole2(body: bytes, hinted: str, sink: _Sink):
    import xlrd

    ole = open_ole(body)
    if encrypted_package(ole):
        kind = hinted if hinted in ("docx", "xlsx") else "docx"
        raise Unreadable("encrypted", f"{kind}: password-protected", kind=kind)
    if ole.exists("WordDocument"):
        kind = hinted if hinted in ("doc", "wps") else "doc"
        return kind, lambda: sink.add(read_word(ole, body, kind, sink.deadline - time.monotonic()).strip())
    try:
        book = xlrd.open_workbook(
            file_contents=body,
            logfile=io.StringIO(),  # xlrd writes diagnostics to stdout otherwise
            on_demand=True,
            ignore_workbook_corruption=True,
        )
    except Exception as exc:
        problem = "encrypted" if "encrypted" in str(exc).lower() else "corrupt"
        raise Unreadable(problem, _one_line(exc), kind="xls") from exc
    return "xls", lambda: read_xls(book, sink)


def _read_plain(body: bytes, sink: _Sink) -> None:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = body.decode("gb18030", errors="replace")
    sink.add(text)


def _read_pdf(body: bytes, sink: _Sink, budget: archives.Budget, path: str) -> str | None:
    """The text layer of each page; a page without one that holds a scan is read by OCR, marked with its number."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    if reader.is_encrypted and not reader.decrypt(""):
        raise Unreadable("encrypted", "encrypted pdf")
    first_error, scanned = None, 0
    for number, page in enumerate(reader.pages, start=1):
        sink.tick()
        try:
            text = page.extract_text() or ""
        except Exception as exc:  # one bad page should not hide the others
            first_error = first_error or f"page {number}: {_one_line(exc)}"[:200]
            continue
        if not text.strip():
            scanned += 1
            if scanned > ocr.MAX_PAGES:
                budget.note(f"{path}#{number}", "limit", f"OCR stops after {ocr.MAX_PAGES} scanned pages of a file")
                break
            _ocr(ocr.largest_image(page.images), number, sink, budget, path)
            continue
        sink.add(text.strip())
    return first_error


def _read_image(body: bytes, sink: _Sink, budget: archives.Budget, path: str) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(body))
    image.load()
    if min(image.size) >= ocr.MIN_SIDE:
        _ocr(image, 1, sink, budget, path)


def _ocr(image, number: int, sink: _Sink, budget: archives.Budget, path: str) -> None:
    """OCR one page image into the sink under its mark; what stops it is noted. OCR time has its own bounds."""
    if image is None:
        return
    started = time.monotonic()
    try:
        text = ocr.read_image(image, ocr.PAGE_SECONDS)
    except ocr.OcrUnavailable as exc:
        budget.note(f"{path}#{number}", exc.problem, f"page {number}: {exc}")
        return
    finally:
        sink.deadline += time.monotonic() - started
    if text.strip():
        sink.add(ocr.MARK.format(page=number))
        sink.add(text)
