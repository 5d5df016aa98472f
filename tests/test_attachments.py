"""Attachment text: real pdf/docx/xlsx/xls files made on the spot, broken and hostile ones, and the caps."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from datetime import date

import pytest

from crawler.extract import attachments, office
from crawler.extract.attachments import AttachmentText, extract_text

ID_NUMBER = "110101199003070012"


# ---- makers -------------------------------------------------------------


def make_xlsx(path):
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "名单"
    first.append(["姓名", "身份证号", "手机", "日期", "金额"])
    first.append(["张三", ID_NUMBER, 13800138000, date(2021, 6, 6), 12.5])
    second = book.create_sheet("备注")
    second["C3"] = "第二页内容"
    book.save(path)
    return path.read_bytes()


def make_docx():
    from docx import Document

    document = Document()
    document.add_paragraph("关于公布补助名单的通知")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "补助名单"
    for col, text in enumerate(["姓名", "身份证号", "电话"]):
        table.cell(1, col).text = text
    for col, text in enumerate(["李四", ID_NUMBER, "13912345678"]):
        table.cell(2, col).text = text
    document.add_paragraph("联系人：王五")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_cid_pdf():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(72, 700, f"身份证号 {ID_NUMBER} 电话 13800138000")
    pdf.showPage()
    pdf.setFont("Helvetica", 12)
    pdf.drawString(72, 700, "Page two 6222020200112233445")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_raw_xlsx(sheet_xml: str) -> bytes:
    """A bare xlsx (no styles part, which openpyxl warns about) around one hand-written sheet."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


def sheet_xml(rows: str, dimension: str = "A1") -> str:
    return (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def ole2(streams: list[tuple[str, bytes]]) -> bytes:
    """A minimal OLE2 compound file; streams are padded to 4096 bytes so no mini-stream is needed."""
    sector = 512
    entries, payload, next_sector = [], b"", 0
    for name, body in streams:
        body = body.ljust(4096, b"\0")
        count = -(-len(body) // sector)
        entries.append((name, next_sector, len(body)))
        payload += body.ljust(count * sector, b"\0")
        next_sector += count
    dir_sector, fat_sector = next_sector, next_sector + 1
    fat: list[int] = []
    for _, start, size in entries:
        count = -(-size // sector)
        fat += [start + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFE, 0xFFFFFFFD]  # the directory's chain, then the FAT sector itself
    fat += [0xFFFFFFFF] * (128 - len(fat))

    def entry(name, kind, start, size, child=0xFFFFFFFF, right=0xFFFFFFFF):
        raw = (name + "\0").encode("utf-16-le")
        return (
            raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, right, child) + b"\0" * 36 + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)
    for index, (name, start, size) in enumerate(entries):
        directory += entry(name, 2, start, size, right=index + 2 if index + 1 < len(entries) else 0xFFFFFFFF)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6 + struct.pack("<9I", 0, 1, dir_sector, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<I", fat_sector) + b"\xff" * 4 * 108
    )
    return header + payload + directory.ljust(sector, b"\0") + struct.pack("<128I", *fat)


def biff8_xls(rows: list[list], sheet: str = "名单") -> bytes:
    """A tiny BIFF8 workbook (what xlwt would write) inside an OLE2 file: text via SST, numbers via NUMBER."""

    def record(rid, data=b""):
        return struct.pack("<HH", rid, len(data)) + data

    bof = lambda kind: record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0, 1997, 0, 6))  # noqa: E731
    xfs = b"".join(
        record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5 if i < 15 else 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0))
        for i in range(16)
    )
    strings = [v for row in rows for v in row if isinstance(v, str)]
    sst = record(
        0x00FC,
        struct.pack("<II", len(strings), len(strings))
        + b"".join(struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in strings),
    )
    cells, index = b"", 0
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                cells += record(0x00FD, struct.pack("<HHHI", r, c, 15, index))
                index += 1
            else:
                cells += record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
    sheet_stream = bof(0x0010) + cells + record(0x000A)

    def globals_(offset):
        name = struct.pack("<BB", len(sheet), 1) + sheet.encode("utf-16-le")
        return bof(0x0005) + xfs + record(0x0085, struct.pack("<IBB", offset, 0, 0) + name) + sst + record(0x000A)

    workbook = globals_(len(globals_(0)))
    return ole2([("Workbook", workbook + sheet_stream)])


# ---- readable files ------------------------------------------------------


def test_xlsx_every_sheet_tab_separated(tmp_path):
    result = extract_text(make_xlsx(tmp_path / "名单.xlsx"), filename="名单.xlsx")
    assert result == AttachmentText("xlsx", result.text, None)
    lines = result.text.splitlines()
    assert "姓名\t身份证号\t手机\t日期\t金额" in lines
    assert f"张三\t{ID_NUMBER}\t13800138000\t2021-06-06\t12.5" in lines
    assert "[备注]" in lines and "\t\t第二页内容" in lines


def test_xlsx_kind_from_magic_bytes_despite_name(tmp_path):
    result = extract_text(make_xlsx(tmp_path / "a.xlsx"), filename="download.jsp", content_type="application/octet-stream")
    assert result.kind == "xlsx" and ID_NUMBER in result.text


def test_xlsx_without_styles_part_warns_nothing():
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>13800138000</t></is></c></row>'
    result = extract_text(make_raw_xlsx(sheet_xml(rows)))
    assert result.error is None and "13800138000" in result.text


def test_xlsx_number_typed_id_shown_as_excel_shows_it():
    rows = '<row r="1"><c r="A1"><v>1.10101199003070E+17</v></c><c r="B1"><v>6222020200112233445</v></c></row>'
    result = extract_text(make_raw_xlsx(sheet_xml(rows)), filename="x.xlsx")
    assert result.text.splitlines()[1] == "110101199003070000\t6222020200112233445"


def test_docx_paragraphs_and_table_in_document_order():
    result = extract_text(make_docx(), filename="附件.docx")
    assert (result.kind, result.error) == ("docx", None)
    assert result.text.splitlines() == [
        "关于公布补助名单的通知",
        "补助名单",  # a merged cell once, not three times
        "姓名\t身份证号\t电话",
        f"李四\t{ID_NUMBER}\t13912345678",
        "联系人：王五",
    ]


def test_pdf_cid_font_chinese_and_digits_all_pages():
    result = extract_text(make_cid_pdf(), filename="公示.pdf")
    assert (result.kind, result.error) == ("pdf", None)
    assert ID_NUMBER in result.text and "13800138000" in result.text
    assert "6222020200112233445" in result.text  # second page
    # pypdf maps reportlab's STSong-Light (UniGB-UCS2-H) back to Unicode.
    assert "身份证号" in result.text and "电话" in result.text


def test_xls_read_with_xlrd():
    body = biff8_xls([["姓名", "身份证号", "电话"], ["张三", ID_NUMBER, 13800138000]])
    result = extract_text(body, filename="名单.xls")
    assert (result.kind, result.error) == ("xls", None)
    assert result.text.splitlines() == ["[名单]", "姓名\t身份证号\t电话", f"张三\t{ID_NUMBER}\t13800138000"]


def test_plain_text_gbk():
    result = extract_text("姓名,电话\n张三,13800138000\n".encode("gbk"), filename="名单.csv")
    assert result.kind == "other" and "张三,13800138000" in result.text


# ---- unreadable, broken, hostile ----------------------------------------


@pytest.mark.parametrize(
    ("filename", "kind"),
    [("通知.doc", "doc"), ("通知.wps", "wps"), ("", "doc"), ("mislabelled.xls", "doc")],
)
def test_ole2_word_file_is_an_error_not_an_exception(filename, kind):
    result = extract_text(ole2([("WordDocument", b"\xec\xa5" + b"x" * 100)]), filename=filename)
    assert result.kind == kind and result.text == "" and result.error
    assert "\n" not in result.error


def test_wps_from_content_type():
    result = extract_text(ole2([("WordDocument", b"x")]), content_type="application/kswps")
    assert result.kind == "wps" and result.error


@pytest.mark.parametrize(
    ("body", "filename", "kind"),
    [
        (b"%PDF-1.4\n1 0 obj<<>>\ngarbage", "a.pdf", "pdf"),
        (b"", "a.pdf", "pdf"),
        (b"<html><title>404</title></html>", "a.pdf", "pdf"),
        (b"PK\x03\x04" + b"\0" * 40, "a.docx", "docx"),
        (b"\x00\x01garbage" * 10, "a.xlsx", "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls", "xls"),
        (b"\x89PNG\r\n\x1a\n", "a.png", "image"),  # a PNG cut after its signature
        (b"garbage", "/module/download/downfile.jsp?classid=0&filename=3f2a.pdf", "pdf"),
    ],
)
def test_broken_files_give_an_error(body, filename, kind):
    result = extract_text(body, filename=filename)
    assert result.kind == kind and result.error and "\n" not in result.error
    assert len(result.error) <= 200


def test_truncated_pdf_and_docx_give_an_error():
    pdf, docx = make_cid_pdf(), make_docx()
    assert extract_text(pdf[: len(pdf) // 3], filename="a.pdf").error
    assert extract_text(docx[: len(docx) // 2], filename="a.docx").error


def test_zip_without_office_document_is_read_as_an_archive():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    result = extract_text(buffer.getvalue(), filename="附件.zip")
    assert (result.kind, result.error, result.text) == ("zip", None, "【readme.txt】\nhello")


def test_huge_compressible_sheet_is_capped():
    cells = "".join(f'<c t="inlineStr"><is><t>{"数据" * 50}</t></is></c>' for _ in range(5))
    rows = f"<row>{cells}</row>" * 20_000  # about 10 M characters of text from well under 1 MB of zip
    body = make_raw_xlsx(sheet_xml(rows))
    assert len(body) < 1_000_000
    started = time.monotonic()
    result = extract_text(body, filename="bomb.xlsx")
    assert time.monotonic() - started < 20
    assert result.truncated and result.error is None
    assert attachments.MAX_CHARS - 1000 < len(result.text) <= attachments.MAX_CHARS


def test_lying_sheet_dimension_does_not_pad_rows():
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row>'
    result = extract_text(make_raw_xlsx(sheet_xml(rows, "A1:XFD1048576")), filename="a.xlsx")
    assert result.text == "[Sheet1]\n甲"


def test_cell_budget_is_a_hard_stop(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_CELLS", 100)
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 500))
    result = extract_text(make_raw_xlsx(sheet_xml(rows)), filename="a.xlsx")
    assert result.truncated and "cells" in result.error and result.text.startswith("[Sheet1]\n1\n2")


def test_time_budget_is_a_hard_stop():
    result = extract_text(make_docx(), filename="a.docx", max_seconds=0)
    assert result.truncated and result.error.startswith("stopped after")


def test_max_chars_cuts_text():
    result = extract_text(make_docx(), max_chars=15)
    assert result.truncated and result.error is None and len(result.text) <= 15


def test_oversized_zip_member_refused(monkeypatch):
    monkeypatch.setattr(office, "MAX_LOADED_MEMBER", 1000)
    result = extract_text(make_docx(), filename="a.docx")
    assert result.kind == "docx" and "unpacks to" in result.error


def test_oversized_body_refused(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_BYTES", 10)
    result = extract_text(b"%PDF-1.4 " + b"0" * 20, filename="a.pdf")
    assert result.kind == "pdf" and "too large" in result.error


def test_broken_pdf_logs_nothing(caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    assert extract_text(b"%PDF-1.4\n1 0 obj<<>>\ngarbage", filename="a.pdf").error
    assert not [r for r in caplog.records if r.name.startswith("pypdf") and r.levelno >= logging.WARNING]
