"""Office documents read whole or streamed: docx (python-docx), xlsx (openpyxl, read-only), xls/et (xlrd).

Each reader adds lines to a sink (crawler/extract/attachments.py: `add(text)`, `tick(cells)`), which enforces
the caps; a docx or xlsx member that would unpack too large is refused first (zip-bomb guard).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

MAX_LOADED_MEMBER = 64 * 1024 * 1024  # a zip member the reader parses whole


def _check_members(body: bytes, streamed_prefix: str | None) -> None:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for info in archive.infolist():
            streamed = streamed_prefix and info.filename.startswith(streamed_prefix)
            if info.file_size > MAX_LOADED_MEMBER and not streamed:
                raise ValueError(f"{info.filename} unpacks to {info.file_size // 2**20} MB")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def read_docx(body: bytes, sink) -> None:
    from docx import Document

    _check_members(body, None)
    _blocks(Document(io.BytesIO(body)).element.body, sink)


def _blocks(parent, sink) -> None:
    for child in parent.iterchildren():
        if child.tag == f"{_W}p":
            sink.add(_inline(child, "\n").strip())
        elif child.tag == f"{_W}tbl":
            for row in child.iterchildren(f"{_W}tr"):
                cells = [_cell_text(cell) for cell in row.iterchildren(f"{_W}tc")]
                sink.add("\t".join(cells).rstrip("\t"))
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            _blocks(child, sink)


def _cell_text(cell) -> str:
    # A cell keeps to one line so a table row stays one tab-separated line.
    return " ".join(_inline(cell, " ").split())


def _inline(element, newline: str) -> str:
    out: list[str] = []
    _collect(element, out, newline)
    return "".join(out)


def _collect(element, out: list[str], newline: str) -> None:
    for node in element.iterchildren():
        tag = node.tag
        if tag == f"{_W}t":
            out.append(node.text or "")
        elif tag == f"{_W}tab":
            out.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            out.append(newline)
        elif tag == _MC_FALLBACK:
            continue  # the same text box again, for old Word versions
        elif tag in (f"{_W}p", f"{_W}tr"):
            if out:
                out.append(" ")
            _collect(node, out, newline)
        elif isinstance(tag, str):
            _collect(node, out, newline)


def read_xlsx(body: bytes, sink) -> None:
    from openpyxl import load_workbook

    # Sheets are streamed in read-only mode; shared strings and styles are loaded whole.
    _check_members(body, "xl/worksheets/")
    book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            sink.add(f"[{sheet.title}]")
            # The stored dimension may claim A1:XFD1048576; without it rows are only as wide as their cells.
            sheet.reset_dimensions()
            for row in sheet.iter_rows(values_only=True):
                sink.tick(len(row) or 1)
                line = "\t".join(_cell(value) for value in row).rstrip("\t")
                if line.strip():
                    sink.add(line)
    finally:
        book.close()


def read_xls(book, sink) -> None:
    import xlrd

    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            sink.add(f"[{sheet.name}]")
            for rowx in range(sheet.nrows):
                cells = sheet.row(rowx)
                sink.tick(len(cells) or 1)
                values = []
                for cell in cells:
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        values.append(_cell(_xls_date(cell.value, book.datemode)))
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        values.append("TRUE" if cell.value else "FALSE")
                    elif cell.ctype in (xlrd.XL_CELL_TEXT, xlrd.XL_CELL_NUMBER):
                        values.append(_cell(cell.value))
                    else:
                        values.append("")
                line = "\t".join(values).rstrip("\t")
                if line.strip():
                    sink.add(line)
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _xls_date(value: float, datemode: int):
    import xlrd

    try:
        return xlrd.xldate_as_datetime(value, datemode)
    except Exception:  # out-of-range serials are shown as the number
        return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            # Excel keeps 15 significant digits: show a long number (an ID typed as a number) as Excel does.
            return str(int(Decimal(f"{value:.15g}")))
        return f"{value:.15g}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == clock() else value.isoformat(sep=" ")
    if isinstance(value, (date, clock)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return " ".join(str(value).split())
