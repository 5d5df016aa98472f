"""The site's search, observed once per run: the search form of the homepage (or of the page its 搜索 link opens),
and whether searching for the title of a recent article lists that article. Observed, never judged.

Results that a script renders after the page loads are not seen here (the page lists nothing without a browser);
the fact says whether the result page holds scripts, so a reader can tell.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import urljoin, urlsplit

from lxml import html as lhtml

from govinspect.config import SiteConfig, private_kind

MAX_BYTES = 2 * 1024 * 1024
_TEXT_TYPES = ("", "text", "search")


def _fetch(url: str, timeout: float, data: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers={"User-Agent": "govinspect (+site self-inspection)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only, checked)
            status, body, charset = response.status, response.read(MAX_BYTES), response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    for encoding in filter(None, (charset, "utf-8", "gb18030")):
        try:
            return status, body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return status, body.decode("utf-8", "replace")


def find_form(page: str, url: str) -> dict | None:
    """The first form with a text or search field and no password field: {action, method, field, fields}."""
    root = lhtml.fromstring(page or "<html/>")
    for form in root.iter("form"):
        inputs = [i for i in form.iter("input") if i.get("name")]
        if any((i.get("type") or "").lower() == "password" for i in inputs):
            continue
        text = next((i for i in inputs if (i.get("type") or "").lower() in _TEXT_TYPES), None)
        if text is None:
            continue
        hidden = {i.get("name"): i.get("value") or "" for i in inputs
                  if (i.get("type") or "").lower() == "hidden"}
        return {"action": urljoin(url, form.get("action") or url), "method": (form.get("method") or "get").upper(),
                "field": text.get("name"), "fields": hidden}
    return None


def _search_link(page: str, url: str) -> str | None:
    root = lhtml.fromstring(page or "<html/>")
    for anchor in root.iter("a"):
        if "搜索" in anchor.text_content() and anchor.get("href"):
            return urljoin(url, anchor.get("href"))
    return None


def may_fetch(url: str, config: SiteConfig) -> bool:
    """Offline, only the site itself and loopback are contacted; http(s) only, always."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    return not config.crawl.offline or parts.hostname == config.site_host or private_kind(parts.hostname or "") == "loopback"


def observe_search(config: SiteConfig, recent: tuple[str, str] | None) -> dict:
    """{page, form, query, article, http_status, found, scripts, error}: `recent` is (title, url) of an article."""
    timeout = config.crawl.timeout_seconds
    fact = {"page": config.site.base_url, "form": None, "query": None, "article": None, "http_status": None,
            "found": False, "scripts": False, "error": None}
    try:
        status, page = _fetch(config.site.base_url, timeout)
        form = find_form(page, config.site.base_url)
        link = None if form else _search_link(page, config.site.base_url)
        if link and may_fetch(link, config):
            fact["page"] = link
            status, page = _fetch(link, timeout)
            fact["http_status"] = status
            form = find_form(page, link) if status < 400 else None
        fact["form"] = form
        if form is None or recent is None:
            return fact
        title, article = recent
        fact.update(query=title, article=article)
        if not may_fetch(form["action"], config):
            fact["error"] = "offline mode: the search is on another host"
            return fact
        query = urllib.parse.urlencode({**form["fields"], form["field"]: title})
        if form["method"] == "POST":
            status, result = _fetch(form["action"], timeout, query.encode())
        else:
            status, result = _fetch(form["action"] + ("&" if "?" in form["action"] else "?") + query, timeout)
    except (OSError, ValueError) as exc:
        fact["error"] = f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:200]
        return fact
    path = urlsplit(article).path
    fact.update(http_status=status, scripts="<script" in result.lower(),
                # The query comes back in the search box: only a link to the article counts, never its title.
                found=status < 400 and (article in result or (len(path) > 1 and path in result)))
    return fact
