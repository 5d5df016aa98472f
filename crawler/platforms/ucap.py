"""UCAP-style consolidated platforms (Jiangxi, Hainan, …): recognised by their tags, read like any list."""

from __future__ import annotations

from crawler.items import ListPage, Page
from crawler.platforms import generic

NAME = "ucap"

_MARKERS = ("<ucaptitle", "<ucapcontent", "websiteCode", "webSiteCode", "UCAP-CONTENT", "ucap_")


def detect(page: Page) -> bool:
    text = page.text
    return any(marker in text for marker in _MARKERS)


def parse_list(page: Page) -> ListPage:
    # Their lists are plain dated <li>s with list_N pagers: the generic reader handles them.
    return generic.parse_list(page)
