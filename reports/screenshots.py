"""Evidence screenshots at audit time: each page with findings opened once in Chromium, the evidence marked, numbers masked.

A reports-stage step: it reads the run's findings and pages from the store and opens again only pages the crawl
saw, on the site's own hosts (every other request is refused), with the page's scripts off.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from checks.textutil import mask_numbers
from govinspect.config import SiteConfig
from govinspect.progress import progress
from govinspect.store import Store, now_iso
from reports.rows import SEVERITY_ORDER, mask

log = logging.getLogger("govinspect.screenshots")
WIDTH, TALLEST, SHORTEST = 1280, 2000, 500
PAGES_PER_FINDING = 3     # a broken footer link is on every page: a few are evidence enough
NEEDLES_PER_PAGE = 30
HTML_KINDS = ("home", "column", "list", "article", "page")
MARKER = Path(__file__).resolve().parent / "mark_evidence.js"


def chromium_path() -> str | None:
    """Debian's Chromium (the package `chromium`); never a browser downloaded by Playwright."""
    return shutil.which("chromium") or next((p for p in ("/usr/bin/chromium",) if Path(p).exists()), None)


@dataclass
class PagePlan:
    url: str
    rank: int = len(SEVERITY_ORDER)                 # the most severe finding on it, for the page cap
    texts: dict[str, str] = field(default_factory=dict)   # wrong text (masked) → finding id
    links: dict[str, str] = field(default_factory=dict)   # link target → finding id
    findings: list[str] = field(default_factory=list)


def plan(store: Store, run_id: int, limit: int) -> list[PagePlan]:
    """The pages to photograph for a run's findings, most severe first, at most `limit`."""
    html = {r[0] for r in store.db.execute(
        f"select url from pages where run_id = ? and kind in ({', '.join('?' for _ in HTML_KINDS)}) "
        "and coalesce(http_status, 200) < 400 and error is null", [run_id, *HTML_KINDS])}
    plans: dict[str, PagePlan] = {}
    for fid, subject, severity, evidence, pages in store.db.execute(
            "select f.id, f.subject, fr.severity, f.evidence, f.pages from findings f join finding_runs fr "
            "on fr.finding_id = f.id where fr.run_id = ? and f.status != 'ignored'", [run_id]):
        evidence, pages = json.loads(evidence or "{}"), json.loads(pages or "[]")
        rank = SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)
        wrong = evidence.get("text") if isinstance(evidence.get("text"), str) else ""
        places = [u for u in dict.fromkeys([subject, *pages]) if u in html][:PAGES_PER_FINDING]
        for url in places:
            page = plans.setdefault(url, PagePlan(url))
            page.rank = min(page.rank, rank)
            page.findings.append(fid)
            if url == subject and wrong and len(page.texts) < NEEDLES_PER_PAGE:
                page.texts.setdefault(mask(wrong.strip()), fid)
            elif url != subject and len(page.links) < NEEDLES_PER_PAGE:
                page.links.setdefault(subject, fid)
    return sorted(plans.values(), key=lambda p: (p.rank, -len(p.findings), p.url))[:limit]


def take_screenshots(store: Store, run_id: int, config: SiteConfig) -> int:
    """Photograph the run's pages with findings into the store; the number stored. Never fails the audit."""
    if not config.report.screenshots:
        return 0
    run = store.run(run_id)
    if run is None or run["status"] != "completed" or run.get("health") in ("failed", "interrupted"):
        return 0  # a run cut short gets its reports and no extra minutes of browsing
    browser_path = chromium_path()
    if browser_path is None:
        log.warning("截图跳过：未找到 Chromium（Debian: apt-get install chromium）")
        return 0
    pages = plan(store, run_id, config.report.screenshot_pages)
    if not pages:
        return 0
    from playwright.sync_api import Error as PlaywrightError, sync_playwright

    hosts = {h.lower() for h in config.site.allowed_domains} | {config.site_host.lower()}
    stored = 0
    try:
        with sync_playwright() as playwright, progress("screenshots", len(pages), unit="pages") as advance:
            browser = playwright.chromium.launch(executable_path=browser_path, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                                                       "--disable-background-networking"])
            context = browser.new_context(viewport={"width": WIDTH, "height": 900}, java_script_enabled=False,
                                          user_agent=config.crawl.user_agent, ignore_https_errors=True,
                                          service_workers="block")
            context.route("**/*", lambda route: route.continue_()
                          if (urlsplit(route.request.url).hostname or "").lower() in hosts else route.abort())
            for page_plan in pages:
                try:
                    shot = _photograph(context, page_plan, config.crawl.timeout_seconds,
                                       config.report.screenshot_max_kb * 1024)
                except PlaywrightError as error:
                    log.warning("截图失败 %s：%s", page_plan.url, str(error).splitlines()[0])
                    shot = None
                if shot:
                    _store(store, run_id, page_plan.url, shot)
                    stored += 1
                advance(1)
            browser.close()
    except PlaywrightError as error:
        log.warning("截图中止：%s", str(error).splitlines()[0])
    return stored


def _photograph(context, page_plan: PagePlan, timeout: float, max_bytes: int) -> dict | None:
    page = context.new_page()
    try:
        page.goto(page_plan.url, wait_until="load", timeout=timeout * 1000)
        masked = [[i, mask_numbers(t)] for i, t in enumerate(_texts(page)) if mask_numbers(t) != t]
        result = page.evaluate(MARKER.read_text(encoding="utf-8"),
                               {"masked": masked, "texts": list(page_plan.texts), "links": list(page_plan.links)})
        marked = [page_plan.texts[t] for t in result["texts"]] + [page_plan.links[u] for u in result["links"]]
        top, full = result["top"], result["height"]
        height = min(TALLEST, full)
        while True:
            # The part of the page around the first mark, cut shorter until it fits the size cap.
            y = max(0, min(top - 150, full - height))
            png = page.screenshot(clip={"x": 0, "y": y, "width": WIDTH, "height": height}, full_page=True,
                                  type="png", animations="disabled")
            if len(png) <= max_bytes:
                return {"png": png, "width": WIDTH, "height": height, "marks": sorted(set(marked)),
                        "masked": len(masked)}
            if height <= SHORTEST:
                break
            height = max(SHORTEST, int(height * 0.7))
        log.warning("截图过大，未保存：%s", page_plan.url)
        return None
    finally:
        page.close()


def _texts(page) -> list[str]:
    return page.evaluate("""() => { const w = document.createTreeWalker(document.body || document.documentElement,
        NodeFilter.SHOW_TEXT); const out = []; while (w.nextNode()) out.push(w.currentNode.nodeValue); return out; }""")


def _store(store: Store, run_id: int, url: str, shot: dict) -> None:
    with store.db.atomic():
        store.db.execute("delete from screenshots where run_id = ? and url = ?", [run_id, url])
        store.db["screenshots"].insert({"run_id": run_id, "url": url, "png": shot["png"], "width": shot["width"],
                                        "height": shot["height"], "marks": json.dumps(shot["marks"]),
                                        "masked": shot["masked"], "taken_at": now_iso()})


def run_screenshots(store: Store, run_id: int) -> list[dict]:
    """The run's screenshots with their PNG bytes, for the reports that embed them."""
    return list(store.db.query("select id, url, png, width, height, marks from screenshots where run_id = ? "
                               "order by id", [run_id]))
