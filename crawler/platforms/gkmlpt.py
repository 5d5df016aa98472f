"""Guangdong's 政府信息公开目录 platform (`/gkmlpt/`): the catalogue page draws its lists with a script from a JSON
API by category, `/gkmlpt/api/all/{category}?page=N&sid={site}`; the JSON holds `articles` and `total`.

A column is the API URL itself, or a page whose markup names it (the catalogue's hash routes `index#N` never
reach the server, so they cannot name a category).
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.extract.dates import parse_date
from crawler.items import ListEntry, ListPage, Page, PageRequest

NAME = "gkmlpt"
MAX_PAGES = 2000
_API = re.compile(r"""(?:https?://[^\s'"<>]+)?/gkmlpt/api/all/\d+(?:\?[^\s'"<>]*)?""")
_TIME_KEYS = ("display_publish_time", "publish_time", "first_publish_time", "date", "created_at")
_CHINA = timezone(timedelta(hours=8))


def detect(page: Page) -> bool:
    return "/gkmlpt/" in page.url or "/gkmlpt/api/" in page.text


def is_answer(page: Page) -> bool:
    head = page.text.lstrip()[:1]
    return head == "{" and '"articles"' in page.text


def _date(article: dict) -> str | None:
    for key in _TIME_KEYS:
        value = article.get(key)
        if isinstance(value, (int, float)) and value > 0:
            seconds = value / 1000 if value > 1e11 else value  # some sites give milliseconds
            return datetime.fromtimestamp(seconds, _CHINA).date().isoformat()
        if isinstance(value, str) and value.strip():
            found = parse_date(value)
            if found:
                return found
    return None


def page_url(url: str, number: int) -> str:
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    return urlunsplit(parts._replace(query=urlencode([*pairs, ("page", str(number))]), fragment=""))


def answer(page: Page) -> ListPage:
    """One JSON page: its articles, and from the first page the others (`total` over the page size)."""
    try:
        data = json.loads(page.text)
    except ValueError:
        return ListPage()
    if not isinstance(data, dict):
        return ListPage()
    articles = [a for a in (data.get("articles") or []) if isinstance(a, dict)]
    entries = [ListEntry(title=" ".join(str(a["title"]).split()), url=urljoin(page.url, a["url"]), date=_date(a))
               for a in articles if a.get("title") and a.get("url")]
    total = data.get("total") if isinstance(data.get("total"), int) else None
    size = data.get("per_page") if isinstance(data.get("per_page"), int) else len(articles)
    first = dict(parse_qsl(urlsplit(page.url).query)).get("page", "1") == "1"
    pages = min(math.ceil(total / size), MAX_PAGES) if first and total and size else 1
    return ListPage(entries=entries, more=[PageRequest(url=page_url(page.url, n)) for n in range(2, pages + 1)],
                    total=total)


def parse_list(page: Page) -> ListPage:
    if is_answer(page):
        return answer(page)
    found = _API.search(page.text)
    if not found:
        return ListPage()
    return ListPage(more=[PageRequest(url=page_url(urljoin(page.url, found.group(0).replace("&amp;", "&")), 1))])
