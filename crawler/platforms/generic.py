"""Fallback list reader for home-made sites: dated anchors as entries, pager links as further pages."""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract.dates import parse_date
from crawler.extract.links import absolute
from crawler.items import ListEntry, ListPage, Page, PageRequest

NAME = "generic"

MIN_TITLE = 5  # 首页, 更多, 政务公开: menu words are shorter than any article title
MAX_FILLED_PAGES = 1000  # a pager that claims more than this is broken; the spider caps far lower anyway

# Page chrome whose anchors are menus, not items: matched on tag, role, class or id.
_CHROME_TAGS = {"header", "footer", "nav"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo"}
_CHROME_NAMES = re.compile(r"header|footer|nav|menu|crumb|copyright", re.I)
_STOP = {"body", "html", "ul", "ol", "table", "tbody", "thead", "form", "dl"}
_DATE_IN_TITLE = re.compile(r"[\[（(【]?\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
                            r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[\]）)】]?")
# Article URLs of the platforms we know, for lists that show no dates at all.
_ARTICLE_URL = re.compile(
    r"/t\d{8}_\d+\.|/art_\d+_\d+\.|/art/\d{4}/|/[0-9a-f]{32}\.s?html?|/info/\d+/\d+\.htm|content_\d+"
    r"|/\d{6,8}/[^/]+\.s?html?$|[?&](?:id|articleId|infoid|newsid|docid)=\w+",
    re.I,
)

_NEXT_WORDS = ("下一页", "下页", "后页", "尾页", "末页", "最后一页")
_NEXT_SIGNS = {">", ">>", "›", "»", "»»"}
_PAGE_URL = re.compile(
    r"(?:[_-](\d+)\.(?:s?html?|jsp|php|aspx?)$"
    r"|[?&](?:page|pageNo|pageNum|pageIndex|cur_page|curPage|currentPage|pn|p)=(\d+)"
    r"|column-index-(\d+)\.s?html?$)",
    re.I,
)
_TOTAL = re.compile(r"共\s*(\d+)\s*(?:条|篇)")


def detect(page: Page) -> bool:
    return True


def looks_like_article(url: str) -> bool:
    """True for the article URL shapes of the platforms we know (t20210606_1, art_1_2, 32-hex, …)."""
    return bool(_ARTICLE_URL.search(url))


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


def chrome_elements(root) -> list:
    """Headers, footers, menus and breadcrumbs (a plain loop beats an XPath of many contains())."""
    found = []
    for el in root.iter(etree.Element):
        attrib = el.attrib
        if el.tag in _CHROME_TAGS:
            found.append(el)
        elif attrib:
            cls, ident = attrib.get("class"), attrib.get("id")
            if ((cls and _CHROME_NAMES.search(cls)) or (ident and _CHROME_NAMES.search(ident))
                    or attrib.get("role") in _CHROME_ROLES):
                found.append(el)
    return found


def chrome_anchors(root) -> set:
    """Anchors that sit in headers, footers and menus."""
    found: set = set()
    for el in chrome_elements(root):
        found.update(el.iter("a"))
    return found


def _has_anchor(el) -> bool:
    if not isinstance(el.tag, str):
        return False
    return any(a.get("href") for a in el.iter("a"))


def _anchor_count(el, limit: int = 2) -> int:
    n = 0
    for a in el.iter("a"):
        if a.get("href"):
            n += 1
            if n >= limit:
                break
    return n


def _text(el) -> str:
    return "".join(el.itertext()) if isinstance(el.tag, str) else ""


def _date_after(node) -> str | None:
    """A date written after `node` and before the next link: `<a/> <span>2021-06-06</span>`."""
    parts = [node.tail or ""]
    for i, sib in enumerate(node.itersiblings()):
        if i >= 6 or _has_anchor(sib):
            break
        parts.append(_text(sib))
        parts.append(sib.tail or "")
    return parse_date(" ".join(parts))


def date_beside(a) -> str | None:
    """The date a list shows next to an item: same `<li>`/`<tr>`/`<dl>`, a sibling, or the parent."""
    node = a
    own = _text(a)
    for _ in range(4):
        found = _date_after(node)
        if found:
            return found
        parent = node.getparent()
        if parent is None or parent.tag in _STOP:
            return None
        count = _anchor_count(parent)
        if count > 1:
            return None
        if count == 1:
            found = parse_date(_text(parent).replace(own, " ", 1))
            if found:
                return found
        node = parent
    return None


def choose_title(text: str, title_attr: str) -> str:
    """The item's title: the `title` attribute when the text is cut (`...`) or shorter."""
    cut = text.endswith(("...", "…", "..", "。。。"))
    if title_attr and (not text or cut or len(title_attr) >= len(text)):
        return title_attr
    return text


def read_entries(root, base_url: str, *, skip_chrome: bool = True, need_date: bool = True,
                 min_title: int = MIN_TITLE) -> list[ListEntry]:
    """Content anchors of a list with the dates beside them; undated article-like anchors if no item is dated."""
    chrome = chrome_anchors(root) if skip_chrome else set()
    entries: dict[str, ListEntry] = {}
    for a in root.iter("a"):
        if a in chrome:
            continue
        url = absolute(a.get("href"), base_url)
        if url is None:
            continue
        text = squash(_text(a))
        date = None
        m = _DATE_IN_TITLE.search(text)
        # Only a date that opens or closes the anchor is the item's date, not one the title mentions.
        if m and (m.start() == 0 or m.end() == len(text)):
            date = parse_date(m.group(0))
            text = squash(text[: m.start()] + " " + text[m.end():])
        title = choose_title(text, squash(a.get("title"))).strip(" ·•●▪")
        if len(title) < min_title:
            continue
        date = date or date_beside(a)
        known = entries.get(url)
        if known is None:
            entries[url] = ListEntry(title=title, url=url, date=date)
        elif date and not known.date:
            known.date = date
    if not need_date:
        return list(entries.values())
    dated = [e for e in entries.values() if e.date]
    return dated or [e for e in entries.values() if looks_like_article(e.url)]


def _pager_number(url: str) -> tuple[str, int] | None:
    m = _PAGE_URL.search(url)
    if not m:
        return None
    group = next(i for i in range(1, 4) if m.group(i) is not None)
    start, end = m.span(group)
    return url[:start] + "\x00" + url[end:], int(m.group(group))


def next_pages(root, base_url: str) -> list[PageRequest]:
    """Further list pages from 下一页/尾页/numbered pager links, the gaps between them filled in."""
    groups: dict[str, set[int]] = {}
    plain: list[str] = []
    for a in root.iter("a"):
        text = squash(_text(a)) or squash(a.get("title"))
        is_word = any(w in text for w in _NEXT_WORDS) or text in _NEXT_SIGNS
        if not (is_word or text.isdecimal()):
            continue
        url = absolute(a.get("href"), base_url)
        if url is None or url == base_url:
            continue
        numbered = _pager_number(url)
        # A numbered link is a pager link only if its URL carries its number give or take one (TRS shows
        # index_1 as 2); otherwise "1" "2" "3" of a hot-list pointing at content_123.html would pass for pages.
        if numbered and (is_word or abs(numbered[1] - int(text)) <= 1):
            groups.setdefault(numbered[0], set()).add(numbered[1])
        elif is_word:
            plain.append(url)
    urls: list[str] = []
    for template, numbers in groups.items():
        low, high = min(numbers), max(numbers)
        span = range(low, min(high, low + MAX_FILLED_PAGES) + 1) if len(numbers) > 1 else [low]
        urls += [template.replace("\x00", str(n)) for n in span]
    seen = {base_url}
    out = []
    for url in urls + plain:
        if url not in seen:
            seen.add(url)
            out.append(PageRequest(url=url))
    return out


def declared_total(text: str) -> int | None:
    m = _TOTAL.search(text)
    return int(m.group(1)) if m else None


def parse_list(page: Page) -> ListPage:
    root = page.selector.root
    if not isinstance(root, etree._Element):
        return ListPage()
    return ListPage(entries=read_entries(root, page.url), more=next_pages(root, page.url),
                    total=declared_total(page.text))
