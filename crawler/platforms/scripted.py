"""Lists a script draws from a JSON API (found by rendering the column once in Chromium, crawler/scripted.py):
the API's answers read without the browser. Chosen by name only (`scripted`): no page is detected as one.

A JSON answer is read generically: its longest array of objects that carry a title and a link is the list.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

from crawler.extract.dates import parse_date
from crawler.items import ListEntry, ListPage, Page

NAME = "scripted"
TITLE_KEYS = ("title", "docTitle", "DOCTITLE", "articleTitle", "name", "subject", "bt")
URL_KEYS = ("url", "link", "href", "docUrl", "DOCPUBURL", "articleUrl", "path", "pageUrl")
DATE_KEYS = ("publishTime", "publishDate", "pubDate", "date", "releaseTime", "DOCRELTIME", "createTime", "time",
             "publish_time", "created_at")


def detect(page: Page) -> bool:
    return False


def _pick(item: dict, keys: tuple[str, ...]):
    return next((item[key] for key in keys if item.get(key) not in (None, "")), None)


def _arrays(value, depth: int = 0):
    """Every array of objects inside a JSON value (a few levels deep)."""
    if depth > 6:
        return
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            yield value
        for item in value:
            yield from _arrays(item, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _arrays(item, depth + 1)


def entries_of(data, base_url: str) -> list[ListEntry]:
    """The list a JSON answer holds: the longest array whose objects have a title and a link."""
    best: list[ListEntry] = []
    for array in _arrays(data):
        found = []
        for item in array:
            title, url = _pick(item, TITLE_KEYS), _pick(item, URL_KEYS)
            if isinstance(title, str) and isinstance(url, str) and title.strip():
                date = _pick(item, DATE_KEYS)
                found.append(ListEntry(" ".join(title.split()), urljoin(base_url, url),
                                       parse_date(str(date)) if date is not None else None))
        if len(found) > len(best):
            best = found
    return best


def parse_list(page: Page) -> ListPage:
    try:
        data = json.loads(page.text)
    except ValueError:
        return ListPage()
    return ListPage(entries=entries_of(data, page.url))
