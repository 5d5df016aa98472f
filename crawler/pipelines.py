"""The store pipeline: the spider's records into SQLite, in batched transactions, and the run's closing."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from datetime import datetime, timezone

from scrapy import signals

from crawler.records import ColumnRecord, EntriesRecord, PageRecord, TargetRecord
from crawler.middlewares import PAUSED_HOSTS
from crawler.verify import mark_soft404
from govinspect.health import assess_crawl, homepage_failure
from govinspect.progress import Heartbeat
from govinspect.store import Store
from schedules.incremental import carry_forward

log = logging.getLogger("govinspect.crawl")

# Scrapy's close reasons that mean the crawl was cut short, not finished.
INTERRUPTED_REASONS = {"shutdown", "cancelled"}


class StorePipeline:
    def __init__(self, db_path: str, run_id: int, flush_every: int, crawler):
        self.store = Store(db_path)
        self.run_id = run_id
        self.flush_every = flush_every
        self.crawler = crawler
        self.pending: dict[str, list] = {"pages": [], "columns": [], "items": [], "links": [], "targets": []}
        self.pending_count = 0
        self.pages_seen = 0
        self.store_error: str | None = None
        self.last_flush = time.monotonic()
        self.targets_seen = 0
        self.started = time.monotonic()
        self.heartbeat = Heartbeat(self._progress_line)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        pipeline = cls(settings.get("GOVINSPECT_DB"), settings.getint("GOVINSPECT_RUN_ID"),
                       settings.getint("GOVINSPECT_FLUSH_EVERY", 200), crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def _progress_line(self) -> str:
        requests = self.crawler.stats.get_value("downloader/request_count", 0)
        return (f"crawl: {self.pages_seen} pages stored, {self.targets_seen} links verified, {requests} requests, "
                f"{time.monotonic() - self.started:.0f} s")

    def process_item(self, item):
        pending = self.pending
        if isinstance(item, PageRecord):
            row = dict(item.row)
            pending["pages"].append(row)
            pending["links"].extend(dict(link, source_url=row["url"]) for link in item.links)
            if item.target:
                pending["targets"].append(item.target)
            self.pages_seen += 1
        elif isinstance(item, ColumnRecord):
            pending["columns"].append(item.row)
        elif isinstance(item, EntriesRecord):
            pending["items"].append({"column_url": item.column_url, "entries": item.entries, "start": item.start})
        elif isinstance(item, TargetRecord):
            pending["targets"].append(item.row)
            self.targets_seen += 1
        self.pending_count += 1
        if self.pending_count >= self.flush_every or time.monotonic() - self.last_flush > 2:
            self.flush()
        return item

    def flush(self) -> None:
        pending = self.pending
        if self.pending_count and not self.store_error:
            try:
                self.store.write_batch(self.run_id, columns=pending["columns"], pages=pending["pages"],
                                       items=pending["items"], links=pending["links"], targets=pending["targets"])
            except sqlite3.Error as error:
                # A full disk or a broken file: stop at once; what was committed before stays as it was.
                self.store_error = f"{self.store.path}: cannot write to the database ({error})"
                self.crawler.stats.set_value("govinspect/store_error", self.store_error)
                log.error("%s; stopping the crawl", self.store_error)
                asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="store_error"))
        for rows in pending.values():
            rows.clear()
        self.pending_count = 0
        self.last_flush = time.monotonic()

    def _record_outage(self) -> None:
        """The audit could not open the homepage: that is an availability observation like a probe's."""
        run = self.store.run(self.run_id)
        home = next(self.store.db.query("select * from pages where run_id = ? and kind = 'home' order by id limit 1",
                                        [self.run_id]), None)
        self.store.add_probe(run["site_id"], {
            "url": run["base_url"], "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "http_status": home and home["http_status"], "elapsed": home and home["elapsed"], "ok": 0,
            "error": homepage_failure(self.store, self.run_id),
            "limit_seconds": self.crawler.settings.getfloat("DOWNLOAD_TIMEOUT"), "source": "audit"})
    def open_spider(self):
        self.heartbeat.start()

    def close_spider(self):
        self.flush()

    def spider_closed(self, spider, reason):
        self.heartbeat.stop()
        self.flush()
        if self.store_error:
            self.store.close()
            return  # the run stays `running`; the next command finds its process gone and marks it interrupted
        status = "interrupted" if reason in INTERRUPTED_REASONS else "completed"
        # A run that could not open the homepage saw nothing: carrying the last run forward would pass it off as seen.
        if getattr(spider, "plan", None) and status == "completed" and not homepage_failure(self.store, self.run_id):
            carried = carry_forward(self.store, spider.plan, self.run_id)
            log.info("incremental: %d unchanged pages carried forward from run %d", carried, spider.plan.base_run)
        self.store.finalize_crawl(self.run_id)
        with self.store.db.atomic():
            mark_soft404(self.store.db, self.run_id, getattr(spider, "not_found", {}))
        self.store.finish_run(
            self.run_id, status,
            requests=self.crawler.stats.get_value("downloader/request_count", 0),
            caps=dict(getattr(spider, "caps", {})),
            error=None if status == "completed" else f"crawl stopped early ({reason})",
        )
        health, reasons = assess_crawl(self.store, self.run_id, self.crawler.stats.get_value(PAUSED_HOSTS, []))
        self.store.set_health(self.run_id, health, reasons)
        if health == "failed":
            self._record_outage()
        log.info("crawl %s: %d pages stored", status, self.pages_seen)
        self.store.close()
