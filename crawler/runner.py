"""Run one crawl of a site in this process: open the run, start Scrapy, return the run id."""

from __future__ import annotations

import dataclasses
import logging

from scrapy import signals
from scrapy.crawler import CrawlerProcess

from crawler import scripted
from crawler.accessibility import observe_accessibility, sample_pages
from crawler.records import PageRecord
from crawler.settings import crawl_settings
from crawler.sitefacts import observe, recent_article, store_facts
from crawler.spiders.disclosure import DisclosureSpider
from govinspect.config import SiteConfig
from govinspect.progress import progress
from govinspect.store import Store, StoreError
from schedules.incremental import plan_incremental

log = logging.getLogger("govinspect.crawl")


def _browser_missing() -> str | None:
    reason = scripted.available()
    if reason:
        log.warning("browser_lists: %s; columns drawn by scripts stay as empty as their HTML", reason)
    return reason


def run_crawl(config: SiteConfig, db_path: str, *, mode: str = "full", as_of: str | None = None) -> int:
    """Crawl the site into the database; Twisted's reactor allows this once per process."""
    with Store(db_path) as store:
        plan = plan_incremental(store, config.site.base_url) if mode == "incremental" else None
        if mode == "incremental" and plan is None:
            log.info("no completed run of %s yet: this incremental run fetches everything", config.site.base_url)
        run_id = store.start_run(name=config.site.name, base_url=config.site.base_url, mode=mode, as_of=as_of,
                                 config=dataclasses.asdict(config))
    log.info("run %d: crawling %s", run_id, config.site.base_url)
    settings = crawl_settings(config, db_path=str(db_path), run_id=run_id, mode=mode, as_of=as_of)
    browser = config.crawl.browser_lists and not _browser_missing()
    if browser:
        settings.update(scripted.settings(config.crawl.timeout_seconds))
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(DisclosureSpider)
    process.crawl(crawler, config=config, plan=plan, browser_lists=browser)
    try:
        # The pipeline logs its own plain lines; the progress adds a live counter on a terminal only.
        with progress(f"crawl {config.site.base_url}", unit="pages", quiet=True) as advance:
            crawler.signals.connect(lambda item, **_: advance(1) if isinstance(item, PageRecord) else None,
                                    signal=signals.item_scraped, weak=False)
            process.start()
    except BaseException as error:
        with Store(db_path) as store:
            if isinstance(error, KeyboardInterrupt):  # a second Ctrl-C: Scrapy gave up its orderly close
                store.finish_run(run_id, "interrupted", error="crawl stopped early (a second interrupt)")
                store.set_health(run_id, "interrupted", ["检查被强行中止，结果不完整"])
            else:
                store.finish_run(run_id, "failed", error=f"{type(error).__name__}: {error}"[:500])
                store.set_health(run_id, "failed", [f"抓取程序出错：{type(error).__name__}"])
        raise
    error = crawler.stats.get_value("govinspect/store_error")
    if error:
        raise StoreError(error)
    with Store(db_path) as store:
        run = store.run(run_id)
        if run["status"] == "running":
            # The spider never opened (e.g. a start-up error Scrapy logged): nothing was crawled.
            store.finish_run(run_id, "failed", error="the crawler did not start; see the log above")
            store.set_health(run_id, "failed", ["抓取程序未能启动（见日志）"])
        elif run["status"] == "completed" and store.health(run_id)[0] != "failed":
            # Facts about the site as a whole (TLS, IPv6, search, accessibility): a site that is down has none.
            facts = observe(config, recent_article(store, run_id))
            if config.crawl.accessibility_pages:
                urls = sample_pages(store, run_id, config.site.base_url, config.crawl.accessibility_pages)
                facts["accessibility"] = observe_accessibility(config, urls)
            store_facts(store, run_id, facts)
    return run_id
