"""大汉 Hanweb JCMS lists: items in a `<datastore>` script, further pages by POST to dataproxy.jsp (or jpaas JSON,
or `?uid=…&pageNum=N`)."""

from __future__ import annotations

import html
import json
import math
import re
from urllib.parse import parse_qs, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from parsel import Selector

from crawler.extract.dates import parse_date
from crawler.items import ListEntry, ListPage, Page, PageRequest
from crawler.platforms import generic

NAME = "hanweb"

_MARKERS = ("<datastore", "ZJEG_RSS", "hiddenLocation", "/module/web/jpage", "/module/jslib/jquery/jpage",
            "/module/jpage/", "jpaas-publish-server", "/module/visitcount", "/module/download/downfile.jsp")
_URL = re.compile(r"/col/col\d+/|/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+")

_RECORD = re.compile(r"<record>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>", re.S | re.I)
_TOTAL_TAG = re.compile(r"<totalrecord>\s*(\d+)", re.I)
_PROXY_QUERY = re.compile(r"dataproxy\.jsp\?([^'\"<>\s\]]+)", re.I)
_PROXY_PATH = re.compile(r"/module/(?:web/jpage|jslib/jquery/jpage|jpage)/dataproxy\.jsp")
_UNIT_DIV = re.compile(r"""<div[^>]*\bid=["']?(\d{3,})["']?[^>]*>\s*<script[^>]*text/xml""", re.I)
_COLUMN_URL = re.compile(r"/col/col(\d+)/")
_SS_WEBID = re.compile(r"""id=["']?ss_webid["']?>\s*(\d+)""")
_FORM_KEYS = ("col", "appid", "webid", "path", "columnid", "sourcecontenttype", "unitid", "webname", "permissiontype")
_FORM_NAMES = {"sourcecontenttype": "sourceContentType"}
_DEFAULTS = {"col": "1", "appid": "1", "path": "/", "permissiontype": "0"}
GROUP = 3  # jpage fetches three pages per request
DEFAULT_PER_PAGE = 15

_UNIT = re.compile(r"""(?:https?://[^\s'"<>]+)?/api-gateway/jpaas-publish-server/front/page/build/unit\?"""
                   r"""(?:[^'"\s<>{\\]|\{[^}]*\}|\\")*""")
_COUNT = re.compile(r"""["']?(?:count|totalCount|total)["']?\s*[:=]\s*["']?(\d+)""")
_PAGE_NUM = re.compile(r"""[?&](?:amp;)?uid=(\d+)&(?:amp;)?pageNum=(\d+)""")
MAX_PAGE_NUM = 2000


def detect(page: Page) -> bool:
    text = page.text
    return (any(marker in text for marker in _MARKERS) or bool(_URL.search(page.url))
            or "jpaas-publish-server" in page.url)


def _value(text: str, key: str) -> str | None:
    m = re.search(rf"""\b{key}\s*[:=]\s*(?:'([^']*)'|"([^"]*)"|([^,;&\s}}<'"]+))""", text, re.I)
    if not m:
        return None
    return next(g for g in m.groups() if g is not None).strip()


def jpage_params(page: Page) -> dict[str, str]:
    """Lower-cased jpage parameters: the dataproxy link's query first, then the init script's `key: value`."""
    text = page.text
    params: dict[str, str] = {}
    m = _PROXY_QUERY.search(text)
    if m:
        for key, values in parse_qs(html.unescape(m.group(1))).items():
            params.setdefault(key.lower(), values[0])
    # path, col, appid and permissiontype are too common as words to read from free script text.
    for key in ("columnid", "unitid", "webid", "webname", "sourcecontenttype", "perpage", "totalrecord"):
        if key not in params:
            found = _value(text, key)
            if found:
                params[key] = found
    tag = _TOTAL_TAG.search(text)
    if tag:
        params["totalrecord"] = tag.group(1)
    if "columnid" not in params and (col := _COLUMN_URL.search(page.url)):
        params["columnid"] = col.group(1)
    if "unitid" not in params and (div := _UNIT_DIV.search(text)):
        params["unitid"] = div.group(1)
    if "webid" not in params and (web := _SS_WEBID.search(text)):
        params["webid"] = web.group(1)
    return params


def proxy_url(page: Page) -> str:
    m = _PROXY_PATH.search(page.text)
    if m:
        path = m.group(0)
    elif "/module/jslib/jquery/jpage" in page.text:
        path = "/module/jslib/jquery/jpage/dataproxy.jsp"
    else:
        path = "/module/web/jpage/dataproxy.jsp"
    return urljoin(page.url, path)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def record_entries(records: list[str], base_url: str) -> list[ListEntry]:
    """One entry per `<record>`: its longest-titled link, dated by any date in the record."""
    if not records:
        return []
    doc = Selector(text="".join(f'<div class="hw-record">{r}</div>' for r in records)).root
    entries = []
    for rec in doc.iter("div"):
        if rec.get("class") != "hw-record":
            continue
        # A record is one item whatever its title's length (公告 is a real title here, not a menu word).
        found = generic.read_entries(rec, base_url, skip_chrome=False, need_date=False, min_title=1)
        if not found:
            continue
        # `<a>[通知]</a><a>公示</a>`: the article link is the item, not the column tag beside it.
        best = max(found, key=lambda e: (generic.looks_like_article(e.url), len(e.title)))
        if not best.date:
            best.date = parse_date("".join(rec.itertext()).replace(best.title, " "))
        entries.append(best)
    return entries


def _records(text: str) -> list[str]:
    out = []
    for cdata, plain in _RECORD.findall(text):
        fragment = cdata or plain
        out.append(html.unescape(fragment) if not cdata and "&lt;" in fragment else fragment)
    return out


def is_dataproxy_answer(page: Page) -> bool:
    head = page.text.lstrip()[:200].lower()
    return head.startswith(("<?xml", "<datastore")) and "<html" not in head


def is_jpaas_answer(page: Page) -> bool:
    head = page.text.lstrip()[:1]
    return head == "{" and '"html"' in page.text


def proxy_requests(page: Page, shown: int) -> tuple[list[PageRequest], int | None]:
    params = jpage_params(page)
    total = _int(params.get("totalrecord"))
    per = _int(params.get("perpage")) or DEFAULT_PER_PAGE
    if not total:
        return [], total
    form = dict(_DEFAULTS)
    form.update({k: v for k, v in params.items() if k in _FORM_KEYS})
    form = {_FORM_NAMES.get(k, k): v for k, v in form.items()}
    url = proxy_url(page)
    more = []
    for start in range(shown + 1, total + 1, GROUP * per):
        end = min(start + GROUP * per - 1, total)
        more.append(PageRequest(url=f"{url}?startrecord={start}&endrecord={end}&perpage={per}", method="POST",
                                formdata=dict(form)))
    return more, total


def _unit_url(url: str, page_no: int, size: int) -> str:
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    param: dict = {}
    for key, value in pairs:
        if key == "paramJson":
            try:
                param = json.loads(value)
            except ValueError:
                param = {}
    param.update(pageNo=page_no, pageSize=size)
    pairs = [(k, v) for k, v in pairs if k != "paramJson"]
    pairs.append(("paramJson", json.dumps(param, separators=(",", ":"), ensure_ascii=False)))
    return urlunsplit(parts._replace(query=urlencode(pairs)))


def _page_size(url: str) -> int | None:
    for key, value in parse_qsl(urlsplit(url).query):
        if key == "paramJson":
            try:
                return int(json.loads(value).get("pageSize"))
            except (ValueError, TypeError, AttributeError):
                return None
    return None


def jpaas_column(page: Page, entries: list[ListEntry]) -> tuple[list[PageRequest], int | None] | None:
    """GET requests for the JSON pages a jpaas column page loads; page 1 too when the page shows no items."""
    m = _UNIT.search(page.text)
    if not m:
        return None
    found = urljoin(page.url, html.unescape(m.group(0)).replace('\\"', '"'))
    size = _page_size(found) or DEFAULT_PER_PAGE
    count = _int((_COUNT.search(page.text) or [None, None])[1]) or generic.declared_total(page.text)
    last = math.ceil(count / size) if count else 1
    first = 2 if entries else 1
    return [PageRequest(url=_unit_url(found, n, size)) for n in range(first, last + 1)], count


def jpaas_answer(page: Page) -> ListPage:
    """The JSON answer: items from `data.html`, the other pages from `data.count`."""
    try:
        data = json.loads(page.text).get("data") or {}
    except (ValueError, AttributeError):
        return ListPage()
    if not isinstance(data, dict):
        return ListPage()
    fragment = data.get("html") or ""
    entries = []
    if fragment:
        entries = generic.read_entries(Selector(text=fragment).root, page.url, skip_chrome=False, need_date=False)
    count = _int(str(data.get("count") or data.get("total") or ""))
    size = _page_size(page.url) or len(entries) or DEFAULT_PER_PAGE
    pages = math.ceil(count / size) if count else 0
    more = [PageRequest(url=_unit_url(page.url, n, size)) for n in range(2, pages + 1)]
    return ListPage(entries=entries, more=more, total=count)


def parse_list(page: Page) -> ListPage:
    if is_jpaas_answer(page):
        return jpaas_answer(page)
    records = _records(page.text)
    entries = record_entries(records, page.url)
    if is_dataproxy_answer(page):
        tag = _TOTAL_TAG.search(page.text)
        return ListPage(entries=entries, total=int(tag.group(1)) if tag else None)
    if not entries:
        root = page.selector.root
        entries = generic.read_entries(root, page.url) if isinstance(root, etree._Element) else []
    jpaas = jpaas_column(page, entries)
    if jpaas is not None:
        more, total = jpaas
        return ListPage(entries=entries, more=more, total=total)
    more, total = proxy_requests(page, shown=len(records))
    if not more:
        more = page_num_requests(page)
    return ListPage(entries=entries, more=more, total=total)


def page_num_requests(page: Page) -> list[PageRequest]:
    """`?uid={unitid}&pageNum=N` paging: pages 2 to the highest number the pager shows (or declares), from any page."""
    found = _PAGE_NUM.findall(page.text)
    if not found:
        return []
    uid = found[0][0]
    last = max(int(number) for _, number in found)
    declared = _int(_value(page.text, "totalPage") or _value(page.text, "pageCount"))
    last = min(max(last, declared or 0), MAX_PAGE_NUM)
    parts = urlsplit(page.url)
    base = urlunsplit(parts._replace(query="", fragment=""))
    return [PageRequest(url=f"{base}?uid={uid}&pageNum={n}") for n in range(2, last + 1)]
