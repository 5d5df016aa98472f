"""Columns whose list a script draws from a JSON API: render the column once in Debian's Chromium (scrapy-playwright),
record the JSON the page fetched, and page further through that API without the browser.

Only with `[crawl] browser_lists = true`, Chromium and scrapy-playwright present; otherwise such a column stays
as empty as its HTML.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import shutil
from collections import defaultdict
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.items import PageRequest
from crawler.platforms.scripted import entries_of

CHROMIUM = "chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run"]
PAGE_KEYS = ("page", "pageNo", "pageNum", "pageIndex", "currentPage", "curPage", "current", "pn", "p")
TOTAL_KEYS = ("total", "totalCount", "totalRecord", "recordCount", "totalElements", "count")
PAGES_KEYS = ("pages", "totalPage", "totalPages", "pageCount")
_CALLS = re.compile(r"\$\.(?:ajax|get|post|getJSON)\b|\bfetch\s*\(|XMLHttpRequest|\baxios\b")
MAX_PAGES = 200


def available() -> str | None:
    """Why the browser fallback cannot run here, or None."""
    if importlib.util.find_spec("scrapy_playwright") is None:
        return "scrapy-playwright is not installed (pip install 'govinspect[browser]')"
    if shutil.which(CHROMIUM) is None:
        return "chromium is not installed (Debian package chromium)"
    return None


def settings(timeout_seconds: float) -> dict:
    """Scrapy settings that route requests marked `playwright` through Chromium; all others go on as before."""
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": shutil.which(CHROMIUM), "headless": True, "args": FLAGS},
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": timeout_seconds * 1000,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 2,
    }


def looks_scripted(text: str) -> bool:
    """A page that fetches something by script: its empty list may be drawn later."""
    return "<script" in text.lower() and bool(_CALLS.search(text))


class ApiRecorder:
    """The JSON answers each rendered column fetched, by column URL."""

    def __init__(self):
        self.calls: dict[str, list[dict]] = defaultdict(list)

    def handler(self, column_url: str):
        async def record(response) -> None:
            request = response.request
            if request.resource_type not in ("xhr", "fetch") or response.status >= 400:
                return
            try:
                data = json.loads(await response.text())
            except Exception:  # not JSON, or a body the page could not give us: no list API
                return
            self.calls[column_url].append({"url": response.url, "method": request.method,
                                           "post": request.post_data, "data": data})
        return record


def _find(value, keys: tuple[str, ...], depth: int = 0) -> int | None:
    if depth > 4 or not isinstance(value, dict):
        return None
    for key in keys:
        found = value.get(key)
        if isinstance(found, int) or (isinstance(found, str) and found.isdigit()):
            return int(found)
    return next((n for v in value.values() if (n := _find(v, keys, depth + 1)) is not None), None)


def list_call(calls: list[dict]) -> dict | None:
    """The recorded call that answered with the longest list."""
    scored = [(len(entries_of(call["data"], call["url"])), index) for index, call in enumerate(calls)]
    best = max(scored, default=(0, -1))
    return calls[best[1]] if best[0] else None


def further_pages(call: dict) -> list[PageRequest]:
    """The API's other pages: its page parameter (query or form) counted up to what its total allows."""
    size = len(entries_of(call["data"], call["url"]))
    pages = _find(call["data"], PAGES_KEYS)
    total = _find(call["data"], TOTAL_KEYS)
    last = pages or (math.ceil(total / size) if total and size else 1)
    parts = urlsplit(call["url"])
    query = parse_qsl(parts.query, keep_blank_values=True)
    form = parse_qsl(call["post"] or "", keep_blank_values=True) if call["method"] == "POST" else []
    for fields, in_form in ((query, False), (form, True)):
        key = next((k for k, v in fields if k in PAGE_KEYS and v.isdigit()), None)
        if key is None:
            continue
        first = int(dict(fields)[key])
        out = []
        for n in range(first + 1, first + min(last, MAX_PAGES)):
            changed = [(k, str(n) if k == key else v) for k, v in fields]
            if in_form:
                out.append(PageRequest(url=call["url"], method="POST", formdata=dict(changed)))
            else:
                out.append(PageRequest(url=urlunsplit(parts._replace(query=urlencode(changed)))))
        return out
    return []
