"""TRS WCM lists: index.html then index_1 … index_{n-1}, n given by createPageHTML or countPage."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from crawler.items import ListPage, Page, PageRequest
from crawler.platforms import generic

NAME = "trs"

_MARKERS = ("TRS_Editor", "TRS_UEDITOR", "createPageHTML", "_trs_ta_js", "trsapi", "trs_paper")
_ARTICLE = re.compile(r"""href=["']?\.{0,2}/?(?:[\w-]+/)*\d{6}/t\d{8}_\d+\.s?html?""")
_CREATE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_VAR = r"""(?:var\s+|\b){name}\s*=\s*["']?(\w+)["']?"""
_RECORDS = re.compile(r"""recordCount\s*[:=]\s*["']?(\d+)""")
_MAX_PAGES = 2000


def detect(page: Page) -> bool:
    text = page.text
    return (any(marker in text for marker in _MARKERS) or ("countPage" in text and "currentPage" in text)
            or bool(_ARTICLE.search(text)))


def _var(text: str, name: str) -> str | None:
    m = re.search(_VAR.format(name=re.escape(name)), text)
    return m.group(1) if m else None


def pager(text: str) -> tuple[int, str, str] | None:
    """(page count, file prefix, extension) declared by the TRS pager script, if any."""
    m = _CREATE.search(text) if "createPageHTML" in text else None
    if m:
        # createPageHTML(n, i, "index", "html") or createPageHTML('page_div', countPage, currentPage, 'index', 'html')
        values = []
        for arg in (a.strip() for a in m.group(1).split(",")):
            if re.match(r"^[A-Za-z_]\w*$", arg):
                values.append(_var(text, arg) or arg)  # a variable such as countPage
            else:
                values.append(arg.strip("'\""))
        numbers = [i for i, v in enumerate(values) if v.isdigit()]
        if len(numbers) >= 2:
            first = numbers[0]
            words = [v for v in values[first + 2:] if v and not v.isdigit()]
            prefix = words[0] if words else "index"
            ext = words[1] if len(words) > 1 else "html"
            return int(values[first]), prefix, ext
    count = _var(text, "countPage") if "countPage" in text else None
    # countPage alone is a common variable name; with currentPage beside it it is the TRS pager.
    if count and count.isdigit() and _var(text, "currentPage") is not None:
        prefix = _var(text, "prefix") or "index"
        ext = _var(text, "suffix") or "html"
        return int(count), prefix, ext
    return None


def page_requests(url: str, count: int, prefix: str, ext: str) -> list[PageRequest]:
    """index_1 … index_{count-1} beside `url`; the same full set from every page (the spider de-duplicates)."""
    ext = ext.lstrip(".") or "html"
    return [PageRequest(url=urljoin(url, f"{prefix}_{n}.{ext}")) for n in range(1, min(count, _MAX_PAGES))]


def parse_list(page: Page) -> ListPage:
    root = page.selector.root
    if not isinstance(root, etree._Element):
        return ListPage()
    entries = generic.read_entries(root, page.url)
    declared = pager(page.text)
    more = page_requests(page.url, *declared) if declared else generic.next_pages(root, page.url)
    records = _RECORDS.search(page.text)
    total = int(records.group(1)) if records else generic.declared_total(page.text)
    return ListPage(entries=entries, more=more, total=total)
