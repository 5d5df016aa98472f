"""Real binary attachments (xlsx, docx, pdf) generated deterministically for the sample site."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

# Zip writers stamp entries and docProps/core.xml with the wall clock; pin both so that
# the same as_of gives byte-identical files (the determinism test compares bytes).
_CORE_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _pin_zip(data: bytes, when: datetime.datetime) -> bytes:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_DATE.sub(rb"\g<1>" + stamp + rb"\g<2>", body)
            pinned = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = 0o644 << 16
            dst.writestr(pinned, body)
    return out.getvalue()


def _when(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 9, 30, 0)


def xlsx_table(title: str, header: list[str], rows: list[list[str]], day: datetime.date) -> bytes:
    """One sheet: a title row, a header row and the rows (all cells as text, IDs never as floats)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append([str(c) for c in row])
    for col, width in zip("ABCDEFG", (8, 12, 8, 24, 16, 20, 20)):
        ws.column_dimensions[col].width = width
    wb.properties.creator = "青山县审计局"
    wb.properties.created = wb.properties.modified = _when(day)
    buf = io.BytesIO()
    wb.save(buf)
    return _pin_zip(buf.getvalue(), _when(day))


def docx_document(title: str, paragraphs: list[str], day: datetime.date,
                  table: tuple[list[str], list[list[str]]] | None = None,
                  headings: frozenset[int] = frozenset()) -> bytes:
    """A Word file: title, paragraphs (indexes in `headings` become headings), optional table."""
    from docx import Document

    doc = Document()
    doc.add_heading(title, level=1)
    for i, text in enumerate(paragraphs):
        if i in headings:
            doc.add_heading(text, level=2)
        else:
            doc.add_paragraph(text)
    if table:
        header, rows = table
        grid = doc.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, header):
            cell.text = text
        for row in rows:
            for cell, text in zip(grid.add_row().cells, row):
                cell.text = str(text)
    props = doc.core_properties
    props.author = props.last_modified_by = "青山县审计局"
    props.title = title
    props.revision = 1
    props.created = props.modified = props.last_printed = _when(day)
    buf = io.BytesIO()
    doc.save(buf)
    return _pin_zip(buf.getvalue(), _when(day))


_FONT_READY = False


def pdf_document(title: str, lines: list[str]) -> bytes:
    """A PDF in the built-in CID font STSong-Light (no font file needed; pypdf reads the text back)."""
    global _FONT_READY
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if not _FONT_READY:
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        _FONT_READY = True
    buf = io.BytesIO()
    # invariant=1 fixes the creation date and document ID: identical bytes on every build.
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    pdf.setTitle(title)
    pdf.setAuthor("青山县审计局")
    width, height = A4
    y = height - 72
    pdf.setFont("STSong-Light", 16)
    pdf.drawCentredString(width / 2, y, title)
    y -= 36
    pdf.setFont("STSong-Light", 11)
    for line in lines:
        for start in range(0, max(len(line), 1), 40):
            if y < 72:
                pdf.showPage()
                pdf.setFont("STSong-Light", 11)
                y = height - 72
            pdf.drawString(60, y, line[start:start + 40])
            y -= 20
    pdf.save()
    return buf.getvalue()


# A 1x1 transparent PNG: logos and the 党政机关网站标识 image only need to exist.
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b4944415478da636000020000050001e9fadcd80000000049454e44ae426082"
)
