"""The disclosure spider: homepage, columns (configured or discovered), list pages, articles, attachments, links."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler import columns as column_discovery
from crawler import platforms
from crawler.extract.article import parse_article, read_labels
from crawler.extract.attachments import extract_text
from crawler.extract.links import extract_links, is_attachment
from crawler.extract.tables import read_tables
from crawler.items import Link, Page, PageRequest
from crawler.platforms import scripted
from crawler.scripted import ApiRecorder, further_pages, list_call, looks_scripted
from crawler.traps import TrapGuard, without_session
from crawler.records import (ColumnRecord, EntriesRecord, PageRecord, TargetRecord, clean_url, link_row,
                             page_row, requested_url, target_row)
from crawler.verify import classify, failure_verdict, probe_url
from govinspect.config import SiteConfig

# Links to these are resources to verify, not pages to read (attachments are told apart by `is_attachment`).
NOT_PAGES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".ico", ".css", ".js", ".mp4", ".mp3",
             ".flv", ".swf", ".apk", ".exe", ".7z", ".ppt", ".pptx", ".csv")
# An image a page links to (rather than shows) is a document: a scanned list, read by OCR.
SCANS = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")
PAGE_KINDS = ("home", "column", "list", "article", "page", "attachment")


class DisclosureSpider(scrapy.Spider):
    name = "disclosure"

    def __init__(self, config: SiteConfig, plan=None, browser_lists: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.config = config
        self.plan = plan  # an IncrementalPlan (schedules.incremental) or None for a full crawl
        self.listed: set[str] = set()
        self.vanished_checked = False
        self.allowed_domains = [host.lower() for host in config.site.allowed_domains]
        self.home_url = config.site.base_url
        self.columns: dict[str, dict] = {}
        self.requested: set[str] = set()
        self.list_keys: set[str] = set()
        self.list_pages: Counter[str] = Counter()
        self.list_scheduled: Counter[str] = Counter()
        self.items_seen: Counter[str] = Counter()
        self.traps = TrapGuard(config.crawl.max_urls_per_shape, config.crawl.max_url_length)
        self.caps: dict[str, list[str]] = defaultdict(list)
        self.not_found: dict[str, dict] = {}
        self.home_page: Page | None = None
        self.waiting_links: list[tuple[list[Link], int]] = []
        self.discovery_open = not config.columns
        # Given by the crawl runner when the browser fallback can run here (crawler/scripted.py).
        self.recorder: ApiRecorder | None = ApiRecorder() if browser_lists else None
        # Known before anything is fetched, so a page linking a configured column cannot claim it as a page.
        for column in config.columns:
            self._register_column(column.url, column.name, column.category, "config", column.max_age_days)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    # scheduling --------------------------------------------------------------

    async def start(self):
        if self.plan:
            for url, _ in self.plan.due:
                kind = "resource" if self._internal(url) else "external"
                request = self._request(url, kind, 1, self.parse_verify, method="GET" if kind == "resource" else "HEAD")
                if request:
                    yield request
        yield Request(probe_url(self.home_url), callback=self.parse_probe, errback=self.probe_failed,
                      meta={"kind": "probe", "dont_retry": True}, dont_filter=True)
        yield self._request(self.home_url, "home", 0, self.parse_home)
        for url in list(self.columns):
            request = self._request(url, "column", 1, self.parse_list, column_url=url, page_no=0)
            if request:
                yield request

    def _request(self, url: str, kind: str, depth: int, callback, method: str = "GET", **meta) -> Request | None:
        if url in self.requested and method != "POST":
            return None
        if len(self.requested) >= self.config.crawl.max_pages:
            self._cap("max_pages", url)
            return None
        self.requested.add(url)
        meta.update(kind=kind, hops=depth)
        if kind == "attachment":
            meta["download_maxsize"] = self.config.crawl.max_attachment_mb * 1024 * 1024
        # The spider de-duplicates by itself (`requested`); Scrapy's filter would also swallow the second hop of
        # a redirect loop or an off-site redirect silently, leaving the link without a verdict.
        return Request(url, method=method, callback=callback, errback=self.failed, meta=meta, dont_filter=True)

    def _cap(self, name: str, where: str) -> None:
        if len(self.caps[name]) < 20 and where not in self.caps[name]:
            self.caps[name].append(where)

    def _register_column(self, url, name, category, source, max_age_days=None) -> str | None:
        url = clean_url(url)
        if url in self.columns:
            return None
        self.columns[url] = {"url": url, "name": name, "category": category, "source": source,
                             "max_age_days": max_age_days}
        return url

    def _column_request(self, url, name, category, source) -> Request | None:
        url = self._register_column(url, name, category, source)
        return url and self._request(url, "column", 1, self.parse_list, column_url=url, page_no=0)

    def _internal(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def _may_request(self, url: str) -> bool:
        return (url.startswith(("http://", "https://")) and self._internal(url)
                and self.config.may_contact(urlsplit(url).hostname or ""))

    def idle(self):
        """Once every list is read: items that left their lists are fetched again, to see whether they are gone."""
        if not self.plan or self.vanished_checked:
            return
        self.vanished_checked = True
        vanished = [url for url in self.plan.items if url not in self.listed and url not in self.requested]
        requests = [r for r in (self._request(url, "article", 2, self.parse_document) for url in vanished) if r]
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def _carried(self, url: str) -> bool:
        """In an incremental run, a page the last run stored and nothing says has changed is not fetched."""
        return bool(self.plan) and url in self.plan.known

    def _follow(self, links: list[Link], depth: int):
        """Read internal pages and attachments; verify everything else once; never crawl another site."""
        for link in links:
            url = link.url
            if (not url.startswith(("http://", "https://")) or url in self.requested or url in self.columns
                    or self._carried(url)):
                continue
            if not self.config.may_contact(urlsplit(url).hostname or ""):
                self.requested.add(url)
                yield TargetRecord(target_row(url, "skipped-private",
                                              "内网或本机地址，只记录，不访问"))
                continue
            path = urlsplit(url).path.lower()
            if self._internal(url) and link.tag == "a":
                url = without_session(url)
                trap = url in self.requested or self.traps.refuse(url)
                if trap:
                    if isinstance(trap, str):
                        self._cap(trap, url)
                    continue
            if not self._internal(url):
                if not self.config.crawl.check_external:
                    continue
                request = self._request(url, "external", depth + 1, self.parse_verify, method="HEAD")
            elif link.tag == "attachment" or is_attachment(url) or (link.tag == "a" and path.endswith(SCANS)):
                request = self._request(url, "attachment", depth + 1, self.parse_attachment)
            elif link.tag == "a" and not path.endswith(NOT_PAGES) and depth + 1 <= self.config.crawl.max_depth:
                request = self._request(url, "page", depth + 1, self.parse_document)
            else:
                if link.tag == "a" and not path.endswith(NOT_PAGES):
                    self._cap("max_depth", url)
                request = self._request(url, "resource", depth + 1, self.parse_verify)
            if request:
                yield request

    # callbacks ---------------------------------------------------------------

    def parse_probe(self, response):
        if response.status == 200 and isinstance(response, TextResponse):
            article = parse_article(Page(url=response.url, text=response.text, selector=response.selector))
            self.not_found[urlsplit(response.url).hostname] = {"title": article.title or "",
                                                               "chars": len(article.main_text)}

    def probe_failed(self, failure):
        """A probe that gets no answer teaches nothing; the site's pages are judged without it."""

    def parse_home(self, response):
        record, page, links = self._document_record(response)
        yield record
        if page is None:
            return
        self.home_page = page
        if not self.discovery_open:
            yield from self._follow(links, 0)
            return
        self.waiting_links.append((links, 0))
        catalogues = [url for url in column_discovery.find_catalogue_links(page) if self._may_request(url)]
        request = catalogues and self._request(catalogues[0], "page", 1, self.parse_catalogue)
        if request:
            yield request
        else:
            yield from self._discover([page])

    def parse_catalogue(self, response):
        record, page, links = self._document_record(response)
        yield record
        if page is not None:
            self.waiting_links.append((links, 1))
        yield from self._discover([p for p in (self.home_page, page) if p is not None])

    def _discover(self, pages: list[Page]):
        for found in column_discovery.discover_columns(pages, set(self.allowed_domains)):
            request = self._column_request(found.url, found.name, found.category, "discovered")
            if request:
                yield request
        self.discovery_open = False
        for links, depth in self.waiting_links:
            yield from self._follow(links, depth)
        self.waiting_links.clear()

    def parse_list(self, response):
        column_url, page_no = response.meta["column_url"], response.meta["page_no"]
        kind = "column" if page_no == 0 else "list"
        depth = response.meta["hops"]
        if not isinstance(response, TextResponse) or response.status >= 400:
            column = self.columns[column_url]
            if page_no == 0 and column["source"] == "discovered":
                # A guessed column whose list does not open was only a link: a broken one, not a column.
                yield PageRecord(page_row(response, "page", depth), [], self._target(response))
                return
            if page_no == 0:
                yield ColumnRecord(dict(column, http_status=response.status, error=f"HTTP {response.status}"))
            yield self._bare_record(response, kind)
            return
        page = Page(url=response.url, text=response.text, selector=response.selector)
        adapter = platforms.by_name(response.meta["platform"]) if page_no else platforms.detect(page)
        listing = adapter.parse_list(page)
        self.list_pages[column_url] += 1
        column = {"url": column_url, "list_pages": self.list_pages[column_url]}
        if page_no == 0:
            column.update(self.columns[column_url], platform=adapter.NAME, http_status=response.status,
                          declared_total=listing.total)
        yield ColumnRecord(column)
        entries = [{"title": e.title, "url": clean_url(e.url), "date": e.date} for e in listing.entries]
        room = self.config.crawl.max_items_per_column - self.items_seen[column_url]
        if len(entries) > room:
            entries = entries[:max(room, 0)]
            self._cap("max_items_per_column", column_url)
        self.items_seen[column_url] += len(entries)
        yield EntriesRecord(column_url, entries, start=page_no * 10000)
        row = page_row(response, kind, depth)
        markup = page.selector.type != "json"  # a JSON list answer (gkmlpt, jpaas) has no labels, title or links
        meta, footer = read_labels(page) if markup else ({}, {})
        row.update(platform=adapter.NAME, column_url=column_url, meta=meta, footer=footer,
                   title=page.selector.xpath("normalize-space(//title)").get() or None if markup else None)
        entry_links = [Link(e["url"], "a", e["title"]) for e in entries]
        # Every item the list shows, kept or past the cap: none of them is followed as an ordinary link.
        listed = {clean_url(e.url) for e in listing.entries}
        others = [link for link in extract_links(page) if link.url not in listed] if markup else []
        links = entry_links + others
        yield PageRecord(row, [link_row(link) for link in links], self._target(response))
        if page_no == 0 and not listing.entries and not listing.more and self.recorder and looks_scripted(page.text):
            # Drawn by a script: render it once in Chromium, then page through the API it called.
            yield Request(response.url, callback=self.parse_rendered, errback=self.failed, dont_filter=True, meta={
                "playwright": True, "playwright_page_event_handlers": {"response": self.recorder.handler(column_url)},
                "column_url": column_url, "kind": "list", "hops": depth})
        yield from self._listed(listing.more, entries, column_url, adapter.NAME, depth)
        yield from self._follow(others, depth)

    def parse_rendered(self, response):
        """A scripted column as Chromium drew it: its entries, and the further pages of the JSON API it called."""
        column_url, depth = response.meta["column_url"], response.meta["hops"]
        page = Page(url=response.url, text=response.text, selector=response.selector)
        rendered = platforms.generic.parse_list(page).entries
        call = list_call(self.recorder.calls.pop(column_url, []))
        found = rendered or (scripted.entries_of(call["data"], call["url"]) if call else [])
        entries = [{"title": e.title, "url": clean_url(e.url), "date": e.date} for e in found]
        entries = entries[:max(self.config.crawl.max_items_per_column - self.items_seen[column_url], 0)]
        self.items_seen[column_url] += len(entries)
        yield ColumnRecord({"url": column_url, "platform": scripted.NAME})
        yield EntriesRecord(column_url, entries, start=0)
        yield from self._listed(further_pages(call) if call else [], entries, column_url, scripted.NAME, depth)

    def _listed(self, more: list[PageRequest], entries: list[dict], column_url: str, platform: str, depth: int):
        """Requests for a list's further pages and for its entries."""
        for further in more:
            request = self._list_request(further, column_url, platform, depth)
            if request:
                yield request
        for entry in entries:
            self.listed.add(entry["url"])
            if self._may_request(entry["url"]):
                request = self._entry_request(entry, column_url, depth)
                if request:
                    yield request

    def _entry_request(self, entry: dict, column_url: str, depth: int) -> Request | None:
        url = entry["url"]
        kind, callback = (("attachment", self.parse_attachment) if is_attachment(url)
                          else ("article", self.parse_document))
        headers = {}
        if self.plan and url in self.plan.items:
            if self.plan.unchanged_item(url, entry["title"], entry["date"]):
                self.requested.add(url)
                return None
            etag, modified = self.plan.validators.get(url, (None, None))
            headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        request = self._request(url, kind, depth + 1, callback, column_url=column_url, list_date=entry["date"])
        if request and headers:
            request.headers.update(headers)
        return request

    def _list_request(self, more: PageRequest, column_url: str, platform: str, depth: int) -> Request | None:
        if more.key in self.list_keys:
            return None
        self.list_keys.add(more.key)
        if self.list_scheduled[column_url] + 1 >= self.config.crawl.max_list_pages:
            self._cap("max_list_pages", column_url)
            return None
        self.list_scheduled[column_url] += 1
        meta = {"column_url": column_url, "page_no": self.list_scheduled[column_url], "platform": platform}
        request = self._request(more.url, "list", depth, self.parse_list, method=more.method, **meta)
        if request and more.method == "POST":
            return scrapy.FormRequest(more.url, formdata=more.formdata or {}, callback=self.parse_list,
                                      errback=self.failed, meta=request.meta, dont_filter=True)
        return request

    def parse_document(self, response):
        if response.status == 304:
            return  # unchanged since the last run: its stored page carries forward
        record, page, links = self._document_record(response)
        yield record
        if page is not None:
            yield from self._follow(links, response.meta["hops"])

    async def parse_attachment(self, response):
        row = page_row(response, "attachment", response.meta["hops"])
        if response.status < 400:
            name = urlsplit(response.url).path.rsplit("/", 1)[-1]
            content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
            # In a thread: a big archive or an old Word file must not hold up the downloads and their timeouts.
            extracted = await maybe_deferred_to_future(deferToThread(
                extract_text, response.body, filename=name, content_type=content_type))
            unreadable = extracted.unreadable
            row.update(text=extracted.text, platform=extracted.kind, error=extracted.error,
                       truncated=int(extracted.truncated),
                       unreadable=json.dumps(unreadable, ensure_ascii=False) if unreadable else None)
        yield PageRecord(row, [], self._target(response))

    def parse_verify(self, response):
        """A link target checked, not read: HEAD first off-site, then GET where HEAD is not answered well."""
        if response.request.method == "HEAD" and not 200 <= response.status < 300:
            yield response.request.replace(method="GET", dont_filter=True)
            return
        yield TargetRecord(self._target(response))

    def failed(self, failure):
        request = failure.request
        kind = request.meta.get("kind", "page")
        verdict, reason = failure_verdict(failure, self.config.crawl.timeout_seconds)
        url = clean_url((request.meta.get("redirect_urls") or [request.url])[0])
        target = target_row(url, verdict, reason)
        if kind not in PAGE_KINDS:
            yield TargetRecord(target)
            return
        row = {"url": url, "kind": kind, "error": reason, "fetched_at": target["checked_at"],
               "depth": request.meta.get("hops")}
        column_url = request.meta.get("column_url")
        if column_url and kind in ("column", "list"):
            row["column_url"] = column_url
            if kind == "column":
                yield ColumnRecord(dict(self.columns[column_url], error=reason))
        yield PageRecord(row, [], target)

    # records -----------------------------------------------------------------

    def _document_record(self, response):
        """An HTML page with what the article reader finds; non-HTML and error answers are stored bare."""
        kind = response.meta["kind"]
        if not isinstance(response, TextResponse) or response.status >= 400:
            return self._bare_record(response, kind), None, []
        if not self._internal(response.url):
            # Redirected off-site: the link is verified, the other site is not read or crawled.
            return TargetRecord(self._target(response)), None, []
        page = Page(url=response.url, text=response.text, selector=response.selector)
        article = parse_article(page)
        links = extract_links(page)
        # Attachments some templates write with script are not in the DOM, only in what the article reader found.
        linked = {link.url for link in links}
        links += [Link(a.url, "attachment", a.name) for a in article.attachments if a.url not in linked]
        row = page_row(response, kind, response.meta["hops"])
        row.update(
            title=article.title, published=article.published, published_source=article.published_source,
            document_date=article.document_date, url_date=article.url_date, meta=article.meta,
            footer=article.footer, text=article.main_text, column_chain=article.column_chain,
            attachments=[{"url": a.url, "name": a.name} for a in article.attachments],
            related=[{"url": r.url, "title": r.title} for r in article.related],
            tables=read_tables(page),
        )
        if response.meta.get("column_url"):
            row.update(column_url=response.meta["column_url"], list_date=response.meta.get("list_date"))
        target = self._target(response, article.title or "", article.main_text)
        return PageRecord(row, [link_row(link) for link in links], target), page, links

    def _bare_record(self, response, kind: str) -> PageRecord:
        row = page_row(response, kind, response.meta.get("hops"))
        if response.meta.get("column_url"):
            row["column_url"] = response.meta["column_url"]
        return PageRecord(row, [], self._target(response))

    def _target(self, response, title: str | None = None, text: str | None = None) -> dict:
        verdict, reason = classify(response, title, text)
        return target_row(requested_url(response), verdict, reason, response)
