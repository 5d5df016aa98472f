"""OCR engines on generated scans of a 公示 list: tesseract (what govinspect uses) and, when installed, RapidOCR.

    python tests/benchmarks/ocr_engines.py [--pages 4]

Draws A4 pages at 200 dpi in a CJK font (fonts-wqy-zenhei), 12 people a page with valid ID and mobile numbers,
tilted and dusted like a scan, then prints per engine: pages per second, character accuracy (1 - edit distance /
length, whitespace ignored) and how many ID numbers came back exactly (what the privacy check needs), and
RapidOCR's speed as a ratio of tesseract's in the same run. RapidOCR is not a dependency:
`pip install rapidocr-onnxruntime` beside it to compare.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
NAMES = ("林晓峰", "陈思远", "周雨桐", "郑佳怡", "王建国", "李秀英", "张伟", "刘洋", "赵敏", "黄磊")


def id_number(r: random.Random) -> str:
    body = f"330782{r.randint(1960, 2000)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}{r.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def page(r: random.Random, n: int) -> list[str]:
    lines = [f"青山县2024年度困难群众临时救助名单公示（第{n}页）", "序号  姓名  身份证号码  联系电话  救助金额（元）"]
    for i in range(12):
        phone = f"1{r.choice('3578')}{r.randint(0, 9)}{r.randint(10000000, 99999999)}"
        lines.append(f"{i + 1}  {r.choice(NAMES)}  {id_number(r)}  {phone}  {r.randint(5, 30) * 100}")
    return lines + ["公示期为5个工作日，如有异议请向县民政局反映。"]


def render(lines: list[str], r: random.Random):
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    title, body = ImageFont.truetype(FONT, 44), ImageFont.truetype(FONT, 34)
    y = 150
    for i, line in enumerate(lines):
        draw.text((120, y), line, fill=0, font=title if i == 0 else body)
        y += 90 if i == 0 else 70
    image = image.rotate(r.uniform(-0.8, 0.8), fillcolor=255, resample=Image.BICUBIC)
    pixels = image.load()
    for _ in range(20000):
        pixels[r.randrange(1654), r.randrange(2339)] = r.randint(0, 200)
    return image.filter(ImageFilter.GaussianBlur(0.6))


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(str.maketrans("（），", "(),"))


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def score(truth: list[list[str]], texts: list[str]) -> tuple[float, int, int]:
    chars = errors = ids = exact = 0
    for lines, text in zip(truth, texts):
        expected, got = _plain("".join(lines)), _plain(text)
        chars, errors = chars + len(expected), errors + _distance(expected, got)
        for line in lines[2:-1]:
            ids += 1
            # exactly, and not run into the phone number beside it (the privacy check needs its boundaries)
            exact += bool(re.search(rf"(?<!\d){line.split()[2]}(?![\dXx])", text))
    return 1 - errors / chars, exact, ids


def run_tesseract(images) -> list[str]:
    from crawler.extract import ocr

    reason = ocr.unavailable()
    if reason:
        raise SystemExit(f"tesseract: {reason}")
    return [ocr.read_image(image) for image in images]


def run_rapidocr(images) -> list[str] | None:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return None
    import numpy

    engine = RapidOCR()
    texts = []
    for image in images:
        result, _ = engine(numpy.array(image.convert("RGB")))
        texts.append("\n".join(line[1] for line in result or []))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4)
    args = parser.parse_args()
    r = random.Random(15)
    truth = [page(r, n) for n in range(1, args.pages + 1)]
    images = [render(lines, r) for lines in truth]
    seconds = {}
    for name, engine in (("tesseract", run_tesseract), ("rapidocr", run_rapidocr)):
        started = time.monotonic()
        texts = engine(images)
        if texts is None:
            print(f"{name}: not installed")
            continue
        seconds[name] = time.monotonic() - started
        accuracy, exact, ids = score(truth, texts)
        print(f"{name}: {len(images) / seconds[name]:.2f} pages/s ({seconds[name] / len(images):.2f} s/page), "
              f"character accuracy {accuracy:.3f}, ID numbers exact {exact}/{ids}")
    if len(seconds) == 2:
        print(f"rapidocr takes {seconds['rapidocr'] / seconds['tesseract']:.2f}x tesseract's time")


if __name__ == "__main__":
    main()
