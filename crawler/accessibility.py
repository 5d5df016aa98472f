"""Accessibility, observed after the crawl: axe-core (shipped in crawler/assets, from the npm registry) run in
Debian's Chromium through Playwright on the homepage and a sample of the crawled articles. Observed, never judged.

The fact `accessibility` holds, per page, axe's violations (rule id, impact, help, node count, a few selectors),
or why the browser could not run; and `blocked`, what the browser was kept from loading: in offline mode it loads
nothing but the site and loopback.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from crawler.sitesearch import may_fetch
from govinspect.config import SiteConfig

AXE = Path(__file__).resolve().parent / "assets" / "axe.min.js"
CHROMIUM = "chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_RUN = """async tags => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
                                      targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def sample_pages(store, run_id: int, base_url: str, count: int) -> list[str]:
    """The homepage and the newest articles of the run, `count` pages in all."""
    rows = store.db.query("select url from pages where run_id = ? and kind = 'article' and http_status < 400 "
                          "order by coalesce(published, '') desc, id desc limit ?", [run_id, max(count - 1, 0)])
    return [base_url, *(row["url"] for row in rows)][:count]


def observe_accessibility(config: SiteConfig, urls: list[str]) -> dict:
    """axe-core's violations on each page: {engine, pages: [{url, violations, error}], unavailable}."""
    fact = {"engine": "axe-core " + _axe_version(), "tags": TAGS, "pages": [], "blocked": [], "unavailable": None}
    executable = shutil.which(CHROMIUM)
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        fact["unavailable"] = "playwright is not installed (pip install 'govinspect[browser]')"
        return fact
    if executable is None:
        fact["unavailable"] = "chromium is not installed (Debian package chromium)"
        return fact
    timeout_ms = config.crawl.timeout_seconds * 1000
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        try:
            context = browser.new_context(user_agent=config.crawl.user_agent)
            # Nothing the crawl itself may not contact: offline, the site and loopback only.
            context.route("**/*", lambda route: _guard(route, config, fact["blocked"]))
            for url in urls:
                page = context.new_page()
                try:
                    page.goto(url, wait_until="load", timeout=timeout_ms)
                    page.add_script_tag(path=str(AXE))
                    fact["pages"].append({"url": url, "violations": page.evaluate(_RUN, TAGS), "error": None})
                except Error as exc:
                    fact["pages"].append({"url": url, "violations": [], "error": " ".join(str(exc).split())[:200]})
                finally:
                    page.close()
        finally:
            browser.close()
    return fact


def _guard(route, config: SiteConfig, blocked: list[str]) -> None:
    if may_fetch(route.request.url, config):
        route.continue_()
    else:
        if len(blocked) < 50:
            blocked.append(route.request.url)
        route.abort()


def _axe_version() -> str:
    with AXE.open(encoding="utf-8") as head:
        first = head.readline()
    return first.split("axe v", 1)[1].strip() if "axe v" in first else "unknown"
