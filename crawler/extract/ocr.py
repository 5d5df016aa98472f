"""OCR of scanned pages and images through Debian's tesseract (chi_sim), bounded per page, per file and per run.

Tesseract rather than RapidOCR (rapidocr-onnxruntime), measured by tests/benchmarks/ocr_engines.py on generated
scans of a 公示 list (A4, 200 dpi, 48 ID numbers): tesseract 1.26 pages/s, 99.0% of characters, 48/48 ID numbers
exact; RapidOCR 0.22 pages/s (5.7 times slower), 93.7%, and only 18/48 ID numbers stand apart: it runs an ID
number into the mobile number beside it, which hides both from the privacy checks. It also brings 180 MB of
wheels (onnxruntime, OpenCV); tesseract is a Debian package.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
import time
from functools import lru_cache

TESSERACT = "tesseract"
LANGUAGE = "chi_sim"
MAX_PAGES = 20  # pages of one file read by OCR at most
PAGE_SECONDS = 60.0
RUN_SECONDS = 900.0  # OCR time of one crawl (one process) in all
MIN_SIDE = 200  # smaller images are icons and stamps, not scans
MARK = "【OCR 第{page}页】"
_SLOTS = threading.BoundedSemaphore(2)  # tesseract processes at once, whatever the extraction threads


class _RunBudget:
    """What is left of the run's OCR time; extraction threads share it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.spent = 0.0

    def left(self) -> float:
        with self.lock:
            return RUN_SECONDS - self.spent

    def spend(self, seconds: float) -> None:
        with self.lock:
            self.spent += seconds


BUDGET = _RunBudget()


class OcrUnavailable(Exception):
    """OCR cannot run: `problem` is `tool` (tesseract or its Chinese data missing) or `limit` (time spent)."""

    def __init__(self, problem: str, reason: str):
        super().__init__(reason)
        self.problem = problem


@lru_cache(maxsize=1)
def _languages() -> tuple[str, ...]:
    if shutil.which(TESSERACT) is None:
        return ()
    done = subprocess.run([TESSERACT, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    return tuple(line.strip() for line in done.stdout.splitlines()[1:])


def unavailable() -> str | None:
    """Why OCR cannot run here, or None."""
    if shutil.which(TESSERACT) is None:
        return "tesseract is not installed"
    if LANGUAGE not in _languages():
        return f"tesseract has no {LANGUAGE} data (tesseract-ocr-chi-sim)"
    return None


def read_image(image, seconds: float = PAGE_SECONDS) -> str:
    """The text of one page image (a PIL image); OcrUnavailable when it cannot be read here."""
    reason = unavailable()
    if reason:
        raise OcrUnavailable("tool", reason)
    limit = min(seconds, PAGE_SECONDS, BUDGET.left())
    if limit <= 1:
        raise OcrUnavailable("limit", f"the run's OCR time ({RUN_SECONDS:g} s) is spent")
    buffer = io.BytesIO()
    image.convert("L").save(buffer, "PNG")
    with _SLOTS:
        return _tidy(_run(buffer.getvalue(), limit))


def _run(png: bytes, limit: float) -> str:
    started = time.monotonic()
    try:
        # One thread: the crawl and the other extractions share the machine's cores.
        done = subprocess.run([TESSERACT, "stdin", "stdout", "-l", LANGUAGE, "--psm", "6"], input=png,
                              capture_output=True, timeout=limit, check=False,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired as exc:
        raise OcrUnavailable("limit", f"OCR of a page took over {limit:g} s") from exc
    finally:
        BUDGET.spend(time.monotonic() - started)
    if done.returncode != 0:
        message = " ".join(done.stderr.decode("utf-8", "replace").split())[:200]
        raise OcrUnavailable("corrupt", message or "tesseract failed")
    return done.stdout.decode("utf-8", "replace")


def largest_image(images):
    """The page's scan: its largest embedded image big enough to hold text, as a PIL image, or None."""
    best, area = None, MIN_SIDE * MIN_SIDE - 1
    for found in images:
        try:
            image = found.image
        except Exception:  # an image pypdf cannot decode is no scan we can read
            continue
        if image is not None and min(image.size) >= MIN_SIDE and image.size[0] * image.size[1] > area:
            best, area = image, image.size[0] * image.size[1]
    return best


def _tidy(text: str) -> str:
    """Tesseract puts a space between Chinese characters; keep the lines, drop those spaces and blank lines."""
    lines = []
    for line in text.splitlines():
        words = line.split()
        out = ""
        for word in words:
            if out and (_wide(out[-1]) or _wide(word[0])):
                out += word
            else:
                out += (" " if out else "") + word
        if out:
            lines.append(out)
    return "\n".join(lines)


def _wide(char: str) -> bool:
    return ord(char) > 0x2E80


def page_of(text: str, offset: int) -> int | None:
    """The page number of the OCR mark before `offset` in an attachment's text, or None when it was not OCR'd."""
    head = MARK.split("{")[0]
    at = text.rfind(head, 0, offset)
    if at < 0:
        return None
    end = text.find("页】", at)
    number = text[at + len(head):end]
    return int(number) if number.isdigit() else None
