"""OCR of scans: Pillow draws a 公示 list in a CJK font (a PNG, a JPEG, an image-only PDF), tesseract reads it back,
the privacy check finds the ID number and says which scanned page it is on."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import Route
from textsite import article, crawl_and_check, findings, listing

from crawler.extract import ocr
from crawler.extract.attachments import extract_text

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
ID = "11010519491231002X"  # the GB 11643 sample, valid
LINES = ["青山县临时救助名单公示", "序号 姓名 身份证号码 救助金额", f"1 林晓峰 {ID} 600", "公示期为5个工作日。"]

pytestmark = pytest.mark.skipif(ocr.unavailable() is not None or not FONT.exists(),
                                reason=f"OCR needs tesseract-ocr, tesseract-ocr-chi-sim and fonts-wqy-zenhei "
                                       f"(.ci/run installs them): {ocr.unavailable() or 'no CJK font'}")


def scan(lines: list[str]):
    """One A5 page at 150 dpi, as a scanner makes it: text in a CJK font, a slight tilt, some dust."""
    import random

    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    image = Image.new("L", (874, 1240), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 30)
    for n, line in enumerate(lines):
        draw.text((60, 80 + 60 * n), line, fill=0, font=font)
    image = image.rotate(0.5, fillcolor=255, resample=Image.BICUBIC)
    dust = random.Random(15)
    pixels = image.load()
    for _ in range(3000):
        pixels[dust.randrange(874), dust.randrange(1240)] = dust.randint(0, 200)
    return image.filter(ImageFilter.GaussianBlur(0.5))


def image_bytes(image, kind: str) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, kind)
    return buffer.getvalue()


def image_pdf(pages) -> bytes:
    """An image-only PDF (no text layer), one scan a page, as a scanner's PDF export writes it."""
    buffer = io.BytesIO()
    first, *rest = [page.convert("RGB") for page in pages]
    first.save(buffer, "PDF", save_all=True, append_images=rest, resolution=150)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def pages():
    return scan(["青山县审计局", "第一页没有个人信息。"]), scan(LINES)


@pytest.mark.parametrize("kind, name", [("PNG", "名单.png"), ("JPEG", "名单.jpg")])
def test_scanned_image_read_by_ocr(pages, kind, name):
    result = extract_text(image_bytes(pages[1], kind), filename=name)
    assert (result.kind, result.error, result.parts) == ("image", None, ())
    assert result.text.splitlines()[0] == "【OCR 第1页】" and ID in result.text and "林晓峰" in result.text


def test_image_only_pdf_pages_marked_with_their_number(pages):
    result = extract_text(image_pdf(pages), filename="名单.pdf")
    assert (result.kind, result.error, result.parts) == ("pdf", None, ())
    assert "【OCR 第1页】" in result.text and "【OCR 第2页】" in result.text
    assert ocr.page_of(result.text, result.text.index(ID)) == 2
    assert ocr.page_of(result.text, result.text.index("【OCR 第2页】")) == 1


def test_pages_per_file_and_run_budget(pages, monkeypatch):
    monkeypatch.setattr(ocr, "MAX_PAGES", 1)
    result = extract_text(image_pdf(pages), filename="名单.pdf")
    assert ID not in result.text and [(p["part"], p["problem"]) for p in result.parts] == [("#2", "limit")]
    monkeypatch.setattr(ocr, "RUN_SECONDS", ocr.BUDGET.spent)
    result = extract_text(image_bytes(pages[1], "PNG"), filename="名单.png")
    assert result.text == "" and result.parts[0]["problem"] == "limit" and "OCR time" in result.parts[0]["detail"]


def test_missing_tesseract_is_a_missing_tool(pages, monkeypatch):
    monkeypatch.setattr(ocr, "TESSERACT", "tesseract-not-installed")
    result = extract_text(image_bytes(pages[1], "PNG"), filename="名单.png")
    assert result.text == "" and result.parts == ({"part": "#1", "problem": "tool",
                                                   "detail": "page 1: tesseract is not installed"},)


def test_icons_are_not_scans():
    from PIL import Image

    result = extract_text(image_bytes(Image.new("L", (64, 64), 255), "PNG"), filename="icon.png")
    assert (result.kind, result.text, result.parts, result.error) == ("image", "", (), None)


def test_privacy_finding_names_the_scanned_page(site_server, tmp_path, pages):
    links = '<a href="/files/mingdan.pdf">名单（扫描件）</a> <a href="/files/mingdan.jpg">名单图片</a>'
    base = site_server({
        "/": '<html><head><title>青山县民政局</title></head><body><a href="/news/list.html">公示公告</a></body></html>',
        "/news/list.html": listing([("/news/1.html", "临时救助名单公示", "2024-03-01")]),
        "/news/1.html": article("临时救助名单公示", "名单见附件。", "2024-03-01", extra=links),
        "/files/mingdan.pdf": Route(image_pdf(pages), headers={"Content-Type": "application/pdf"}),
        "/files/mingdan.jpg": Route(image_bytes(pages[1], "JPEG"), headers={"Content-Type": "image/jpeg"}),
    })
    found = {f["subject"].rsplit("/", 1)[-1]: f for f in findings(crawl_and_check(tmp_path, base))
             if f["check_id"] == "privacy.id_number"}
    assert set(found) == {"mingdan.pdf", "mingdan.jpg"}
    assert found["mingdan.pdf"]["evidence"]["ocr"] == {"page": 2}
    assert found["mingdan.jpg"]["evidence"]["ocr"] == {"page": 1}
    assert found["mingdan.pdf"]["evidence"]["attachment"] is True
