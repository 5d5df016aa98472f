"""The disclosure spider: homepage, columns (configured or discovered), every list page, articles, attachments."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from datetime import datetime, timezone
from urllib.parse import urldefrag, urlsplit

import scrapy
from scrapy.http import Request, TextResponse

from crawler import columns as column_discovery
from crawler import platforms
from crawler.extract.article import parse_article
from crawler.extract.attachments import extract_text
from crawler.extract.links import extract_links
from crawler.items import Page, PageRequest
from crawler.records import ColumnRecord, EntriesRecord, PageRecord, TargetRecord
from crawler.verify import failure_reason, verdict_for_status
from govinspect.config import SiteConfig

ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".zip", ".rar", ".7z",
                         ".ofd", ".txt", ".csv", ".ppt", ".pptx")
NOT_PAGES = ATTACHMENT_EXTENSIONS + (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".ico", ".css",
                                     ".js", ".mp4", ".mp3", ".flv", ".swf", ".apk", ".exe")


def clean_url(url: str) -> str:
    return urldefrag(url)[0]


class DisclosureSpider(scrapy.Spider):
    name = "disclosure"

    def __init__(self, config: SiteConfig, **kwargs):
        super().__init__(**kwargs)
        self.config = config
        self.allowed_domains = [host.lower() for host in config.site.allowed_domains]
        self.home_url = config.site.base_url
        self.columns: dict[str, dict] = {}
        self.list_keys: set[str] = set()
        self.list_pages: Counter[str] = Counter()
        self.list_scheduled: Counter[str] = Counter()
        self.scheduled = 0
        self.caps: dict[str, list[str]] = defaultdict(list)
        self.home_page: Page | None = None
        self.waiting_links: list[tuple[str, int]] = []
        self.discovery_open = not config.columns

    # scheduling --------------------------------------------------------------

    async def start(self):
        yield self._request(self.home_url, "home", 0, self.parse_home)
        for column in self.config.columns:
            request = self._column_request(column.url, column.name, column.category, "config",
                                           max_age_days=column.max_age_days)
            if request:
                yield request

    def _request(self, url: str, kind: str, depth: int, callback, **meta) -> Request | None:
        if self.scheduled >= self.config.crawl.max_pages:
            self._cap("max_pages", url)
            return None
        self.scheduled += 1
        meta.update(kind=kind, hops=depth)
        if kind == "attachment":
            meta["download_maxsize"] = self.config.crawl.max_attachment_mb * 1024 * 1024
        return Request(url, callback=callback, errback=self.failed, meta=meta)

    def _cap(self, name: str, where: str) -> None:
        if len(self.caps[name]) < 20:
            self.caps[name].append(where)

    def _column_request(self, url, name, category, source, max_age_days=None) -> Request | None:
        url = clean_url(url)
        if url in self.columns:
            return None
        self.columns[url] = {"url": url, "name": name, "category": category, "source": source,
                             "max_age_days": max_age_days}
        return self._request(url, "column", 1, self.parse_list, column_url=url, page_no=0)

    def _internal(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def _may_request(self, url: str) -> bool:
        return (url.startswith(("http://", "https://")) and self._internal(url)
                and self.config.may_contact(urlsplit(url).hostname or ""))

    def _skipped_private(self, url: str) -> bool:
        return url.startswith(("http://", "https://")) and not self.config.may_contact(urlsplit(url).hostname or "")

    def _follow(self, links, depth: int):
        """Internal pages and attachments linked from a page; off-site targets are never crawled."""
        for link in links:
            url = link.url
            if not self._may_request(url):
                if self._skipped_private(url):
                    yield TargetRecord({"url": url, "verdict": "skipped-private", "checked_at": _now(),
                                        "reason": "private or intranet address: recorded, never requested"})
                continue
            if url in self.columns:
                continue
            path = urlsplit(url).path.lower()
            if link.tag == "attachment" or path.endswith(ATTACHMENT_EXTENSIONS):
                request = self._request(url, "attachment", depth + 1, self.parse_attachment)
            elif link.tag == "a" and not path.endswith(NOT_PAGES):
                if depth + 1 > self.config.crawl.max_depth:
                    self._cap("max_depth", url)
                    continue
                request = self._request(url, "page", depth + 1, self.parse_document)
            else:
                continue
            if request:
                yield request

    # callbacks ---------------------------------------------------------------

    def parse_home(self, response):
        record, page, links = self._document_record(response)
        yield record
        if page is None:
            return
        self.home_page = page
        if not self.discovery_open:
            yield from self._follow(links, 0)
            return
        catalogues = [url for url in column_discovery.find_catalogue_links(page) if self._may_request(url)]
        self.waiting_links.append((links, 0))
        if catalogues:
            request = self._request(catalogues[0], "page", 1, self.parse_catalogue)
            if request:
                yield request
                return
        yield from self._discover([page])

    def parse_catalogue(self, response):
        record, page, links = self._document_record(response)
        yield record
        pages = [p for p in (self.home_page, page) if p is not None]
        if page is not None:
            self.waiting_links.append((links, 1))
        yield from self._discover(pages)

    def _discover(self, pages: list[Page]):
        hosts = set(self.allowed_domains)
        for found in column_discovery.discover_columns(pages, hosts):
            request = self._column_request(found.url, found.name, found.category, "discovered")
            if request:
                yield request
        self.discovery_open = False
        for links, depth in self.waiting_links:
            yield from self._follow(links, depth)
        self.waiting_links.clear()

    def parse_list(self, response):
        column_url = response.meta["column_url"]
        page_no = response.meta["page_no"]
        kind = "column" if page_no == 0 else "list"
        column = dict(self.columns[column_url])
        if not isinstance(response, TextResponse) or response.status >= 400:
            if page_no == 0:
                column.update(http_status=response.status, error=f"HTTP {response.status}")
                yield ColumnRecord(column)
            yield self._bare_record(response, kind)
            return
        page = Page(url=response.url, text=response.text, selector=response.selector)
        adapter = platforms.by_name(response.meta["platform"]) if page_no else platforms.detect(page)
        listing = adapter.parse_list(page)
        self.list_pages[column_url] += 1
        if page_no == 0:
            column.update(platform=adapter.NAME, http_status=response.status, declared_total=listing.total,
                          list_pages=1)
            yield ColumnRecord(column)
        else:
            yield ColumnRecord({"url": column_url, "list_pages": self.list_pages[column_url]})
        entries = [{"title": e.title, "url": clean_url(e.url), "date": e.date} for e in listing.entries]
        yield EntriesRecord(column_url, entries, start=page_no * 10000)
        row = self._page_row(response, kind, depth=response.meta["hops"])
        row.update(platform=adapter.NAME, column_url=column_url, title=_title(page))
        links = [{"target_url": e["url"], "tag": "a", "anchor": e["title"], "hidden": 0} for e in entries]
        seen = {e["url"] for e in entries}
        links += [_link_row(link) for link in extract_links(page) if link.url not in seen]
        yield PageRecord(row, links, self._target(response))
        for more in listing.more:
            request = self._list_request(more, column_url, adapter.NAME, response.meta["hops"])
            if request:
                yield request
        for entry in entries:
            if self._may_request(entry["url"]):
                path = urlsplit(entry["url"]).path.lower()
                kind, callback = (("attachment", self.parse_attachment) if path.endswith(ATTACHMENT_EXTENSIONS)
                                  else ("article", self.parse_document))
                request = self._request(entry["url"], kind, response.meta["hops"] + 1, callback,
                                        column_url=column_url, list_date=entry["date"])
                if request:
                    yield request

    def _list_request(self, more: PageRequest, column_url: str, platform: str, depth: int) -> Request | None:
        if more.key in self.list_keys:
            return None
        self.list_keys.add(more.key)
        if self.list_scheduled[column_url] + 1 >= self.config.crawl.max_list_pages:
            self._cap("max_list_pages", column_url)
            return None
        self.list_scheduled[column_url] += 1
        meta = {"column_url": column_url, "page_no": self.list_scheduled[column_url], "platform": platform}
        if more.method == "POST":
            request = self._request(more.url, "list", depth, self.parse_list, **meta)
            return request and scrapy.FormRequest(more.url, formdata=more.formdata or {}, callback=self.parse_list,
                                                  errback=self.failed, meta=request.meta, dont_filter=True)
        return self._request(more.url, "list", depth, self.parse_list, **meta)

    def parse_document(self, response):
        record, page, links = self._document_record(response)
        yield record
        if page is not None:
            yield from self._follow(links, response.meta["hops"])

    def parse_attachment(self, response):
        row = self._page_row(response, "attachment", depth=response.meta["hops"])
        if response.status < 400:
            name = urlsplit(response.url).path.rsplit("/", 1)[-1]
            content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
            extracted = extract_text(response.body, filename=name, content_type=content_type)
            row.update(text=extracted.text, platform=extracted.kind, error=extracted.error)
        yield PageRecord(row, [], self._target(response))

    def failed(self, failure):
        request = failure.request
        reason = failure_reason(failure, self.config.crawl.timeout_seconds)
        row = {"url": clean_url(request.url), "kind": request.meta.get("kind", "page"), "error": reason,
               "fetched_at": _now(), "depth": request.meta.get("hops")}
        if request.meta.get("column_url") and row["kind"] in ("column", "list"):
            row["column_url"] = request.meta["column_url"]
            if row["kind"] == "column":
                yield ColumnRecord(dict(self.columns[request.meta["column_url"]], error=reason))
        yield PageRecord(row, [], {"url": row["url"], "verdict": "broken", "reason": reason, "checked_at": _now()})

    # records -----------------------------------------------------------------

    def _document_record(self, response):
        """Store an HTML page with what the article reader finds; non-HTML and error answers are stored bare."""
        kind = response.meta["kind"]
        if not isinstance(response, TextResponse) or response.status >= 400:
            return self._bare_record(response, kind), None, []
        page = Page(url=response.url, text=response.text, selector=response.selector)
        article = parse_article(page)
        links = extract_links(page)
        row = self._page_row(response, kind, depth=response.meta["hops"])
        row.update(
            title=article.title, published=article.published, published_source=article.published_source,
            document_date=article.document_date, url_date=article.url_date, meta=article.meta,
            footer=article.footer, text=article.main_text, column_chain=article.column_chain,
            attachments=[{"url": a.url, "name": a.name} for a in article.attachments],
            related=[{"url": r.url, "title": r.title} for r in article.related],
        )
        if response.meta.get("column_url"):
            row.update(column_url=response.meta["column_url"], list_date=response.meta.get("list_date"))
        return PageRecord(row, [_link_row(link) for link in links], self._target(response)), page, links

    def _bare_record(self, response, kind: str) -> PageRecord:
        row = self._page_row(response, kind, depth=response.meta.get("hops"))
        if response.meta.get("column_url"):
            row["column_url"] = response.meta["column_url"]
        return PageRecord(row, [], self._target(response))

    def _page_row(self, response, kind: str, depth: int | None) -> dict:
        headers = response.headers
        return {
            "url": clean_url(response.url), "kind": kind, "http_status": response.status,
            "content_type": headers.get(b"Content-Type", b"").decode("latin-1") or None,
            "encoding": getattr(response, "encoding", None), "size": len(response.body),
            "etag": (headers.get(b"ETag") or b"").decode("latin-1") or None,
            "last_modified": (headers.get(b"Last-Modified") or b"").decode("latin-1") or None,
            "elapsed": response.meta.get("download_latency"), "fetched_at": _now(), "depth": depth,
        }

    def _target(self, response) -> dict:
        redirects = response.meta.get("redirect_urls") or []
        original = clean_url(redirects[0]) if redirects else clean_url(response.url)
        return {"url": original, "verdict": verdict_for_status(response.status, bool(redirects)),
                "http_status": response.status, "final_url": clean_url(response.url) if redirects else None,
                "elapsed": response.meta.get("download_latency"), "checked_at": _now()}

    def closed(self, reason):
        self.crawler.stats.set_value("govinspect/caps", dict(self.caps))
        self.crawler.stats.set_value("govinspect/pid", os.getpid())


def _link_row(link) -> dict:
    return {"target_url": link.url, "tag": link.tag, "anchor": link.anchor[:200], "hidden": int(link.hidden)}


def _title(page: Page) -> str | None:
    title = page.selector.xpath("normalize-space(//title)").get()
    return title or None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")

