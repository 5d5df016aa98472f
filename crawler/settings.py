"""Scrapy settings built from a site configuration: politeness, limits, identity and our components."""

from __future__ import annotations

import os
from typing import Any

from govinspect.config import SiteConfig

# Retried once, slowly (RetryMiddleware backs off), before a page counts as broken.
RETRY_CODES = [500, 502, 503, 504, 408, 522, 524]


def crawl_settings(config: SiteConfig, *, db_path: str, run_id: int, mode: str = "full",
                   as_of: str | None = None, log_level: str = "WARNING") -> dict[str, Any]:
    crawl = config.crawl
    polite = crawl.delay_seconds > 0
    return {
        "BOT_NAME": "govinspect",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "CONCURRENT_REQUESTS": max(16, crawl.concurrency_per_host),
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_host,
        "DOWNLOAD_DELAY": crawl.delay_seconds,
        "RANDOMIZE_DOWNLOAD_DELAY": polite,
        "AUTOTHROTTLE_ENABLED": polite,
        "AUTOTHROTTLE_START_DELAY": max(crawl.delay_seconds, 0.1),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrency_per_host),
        "DOWNLOAD_TIMEOUT": crawl.timeout_seconds,
        "DNS_TIMEOUT": min(crawl.timeout_seconds, 10),
        "DOWNLOAD_MAXSIZE": crawl.max_download_mb * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 0,
        # Depth is counted by the spider: list paging must not eat into the link-following depth.
        "DEPTH_LIMIT": 0,
        "HTTPERROR_ALLOW_ALL": True,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 1,
        "RETRY_HTTP_CODES": RETRY_CODES,
        "GOVINSPECT_RETRY_DELAY": min(2.0, crawl.timeout_seconds / 5),
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.middlewares.ScopeMiddleware": 50,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawler.middlewares.PatientRetryMiddleware": 550,
            "crawler.middlewares.HostGuardMiddleware": 560,
            "crawler.middlewares.EncodingMiddleware": 585,  # after decompression (590)
        },
        "GOVINSPECT_SITE_HOST": config.site_host,
        "GOVINSPECT_ALLOW_PRIVATE": crawl.allow_private_targets,
        "GOVINSPECT_OFFLINE": crawl.offline,
        "GOVINSPECT_BACKOFF": crawl.backoff_seconds,
        # An async `host -> [addresses]` function for the scope check, e.g. a bureau's own intranet DNS view.
        "GOVINSPECT_RESOLVER": os.environ.get("GOVINSPECT_RESOLVER"),
        "RETRY_GIVE_UP_LOG_LEVEL": "DEBUG",
        "LOG_INSTALL_ROOT_HANDLER": False,
        "REDIRECT_MAX_TIMES": 10,
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": log_level,
        "LOGSTATS_INTERVAL": 0,
        "ITEM_PIPELINES": {"crawler.pipelines.StorePipeline": 300},
        "GOVINSPECT_DB": db_path,
        "GOVINSPECT_RUN_ID": run_id,
        "GOVINSPECT_MODE": mode,
        "GOVINSPECT_AS_OF": as_of,
        "GOVINSPECT_FLUSH_EVERY": 200,
    }
