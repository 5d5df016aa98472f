"""Planted cases of the site-function checks: unreadable attachments beside a clean zip, a slow homepage, no HTTPS,
no IPv6, a search that never answers, a photo without alt text."""

from __future__ import annotations

import datetime
import io
import zipfile

from govinspect.demo import attachments as att
from govinspect.demo.plan import Builder


def _encrypted_pdf(title: str) -> bytes:
    """A PDF that asks for a password on opening (reportlab `invariant=1` keeps it byte-identical)."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=1, encrypt=pdfencrypt.StandardEncryption("qs2024", canPrint=0))
    pdf.setTitle(title)
    pdf.drawString(72, 700, "confidential")
    pdf.save()
    return buf.getvalue()


def _zip(members: dict[str, bytes], day: datetime.date) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 9, 30, 0)), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def unreadable_attachments(b: Builder) -> None:
    """Attachments of one existing notice: an empty .doc, an HTML error page saved as .xls, a PDF with a password,
    and a zip of a docx and an xlsx that opens fine."""
    doc = next(d for d in b.cols["tzgg"].docs if d.paras and not d.attachments and not d.script_attachments)
    folder = doc.path.rsplit("/", 1)[0] + "/att/"
    error_page = "<html><head><title>500 Internal Server Error</title></head><body>nginx</body></html>".encode()
    zipped = _zip({
        "报名须知.docx": att.docx_document("报名须知", ["请按要求填写报名表。"], doc.day),
        "岗位表.xlsx": att.xlsx_table("岗位表", ["序号", "岗位"], [["1", "综合文秘"]], doc.day),
    }, doc.day)
    for name, body, ctype, label, problem in (
        ("bmb.doc", b"", "application/msword", "报名表.doc", "0-byte file"),
        ("gwb.xls", error_page, "application/vnd.ms-excel", "岗位表.xls", "an HTML error page saved as .xls"),
        ("mx.pdf", _encrypted_pdf("明细"), "application/pdf", "明细.pdf", "a PDF that asks for a password"),
        ("cl.zip", zipped, "application/zip", "报名材料.zip", None),
    ):
        url = b.binary(folder + name, body, ctype)
        doc.attachments.append(("att/" + name, label))
        if problem:
            b.defect("attachment.unreadable", url, problem, page=doc.url)
        else:
            b.near_miss("attachment.unreadable", url, "a zip of a docx and an xlsx, both readable", page=doc.url)


def sitewide(b: Builder) -> None:
    """The sample site is served over plain HTTP at an IPv4 address: no HTTPS, no IPv6, as on many county sites."""
    b.defect("security.https", b.base_url, "served over plain HTTP only: nothing answers HTTPS")
    b.defect("ipv6.unsupported", b.base_url, "served at an IPv4 address: no IPv6")
    b.defect("search.broken", b.base_url, "no search form on the homepage; its 站内搜索 link answers 429 every time")
    b.defect("homepage.slow", b.base_url, "only when the server runs with homepage_delay > 3 s and a week of probes records it",
             requires="SampleServer(homepage_delay>3) and a week of probes")


def accessibility(b: Builder) -> None:
    """The newest article (axe-core samples the homepage and the newest articles) shows a photo without alt text."""
    newest = max((d for col in b.cols.values() for d in col.docs if d.pub), key=lambda d: (d.pub, d.extra["id"]))
    photo = b.binary("/images/hyxc.png", att.PNG_1PX, "image/png")
    newest.body_html += f'<p><img src="{photo}" width="600" height="400"></p>'
    b.defect("accessibility.violations", newest.url, "a photo without alt text (axe-core rule image-alt)")
    b.near_miss("accessibility.violations", b.base_url, "homepage: every image has alt text, the language is declared")
