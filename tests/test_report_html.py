"""The HTML report in headless Chromium: findings shown, filters work, crawled markup stays text, nothing loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, Route
from test_reports import ATTRIBUTE, SCRIPT, audit, hostile_site, listed

CHROMIUM = shutil.which("chromium") or next((p for p in ("/usr/bin/chromium",) if Path(p).exists()), None)
ARTIFACTS = REPO / "tests" / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def served(module_site_server, tmp_path_factory):
    """The hostile site audited, and its report.html served alone by a second loopback server."""
    folder = tmp_path_factory.mktemp("html-report")
    base = module_site_server(hostile_site())
    site_hits = module_site_server.hits
    report = audit(folder, base)
    html = (folder / "reports" / "report.html").read_text(encoding="utf-8")
    url = module_site_server({"/report.html": Route(html)}) + "report.html"
    return {"report": report, "url": url, "hits": module_site_server.hits, "site_hits": site_hits}


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium not found: install Debian's chromium package (apt-get install -y chromium), "
                    "as .ci/run does")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Debian's Chromium, never a downloaded one; a profile of its own so nothing of the machine's is used.
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1400, "height": 1000})
        yield context
        context.close()


@pytest.fixture
def opened(browser, served):
    """The report opened in a fresh tab, with every request, dialog and console error it caused recorded."""
    page = browser.new_page()
    seen = {"requests": [], "dialogs": [], "errors": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    served["hits"].clear()
    before = len(served["site_hits"])
    page.goto(served["url"], wait_until="load")
    page.wait_for_timeout(300)  # anything deferred (a lazy image, a timer) would have started by now
    yield page, seen, before
    page.close()


def visible_rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#findings-table tbody tr", "rows => rows.filter(r => !r.hidden).map(r => ({...r.dataset}))")


def test_the_table_shows_the_findings(opened, served):
    page, seen, _ = opened
    expected = listed(served["report"])
    rows = visible_rows(page)
    assert sorted(r["id"] for r in rows) == sorted(f["id"] for f in expected)
    assert page.inner_text("#shown") == f"共 {len(expected)} 条"
    assert page.locator("#veto tbody tr").count() == len(served["report"]["summary"]["veto"])
    assert page.locator("#trend svg polyline").count() >= 3
    assert page.locator("mark", has_text="已示公开").count() == 4  # the wrong text highlighted in its context
    assert not seen["errors"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-html.png"), full_page=True)


def test_filters_hide_the_other_findings(opened, served):
    page, _, _ = opened
    expected = listed(served["report"])
    everything = visible_rows(page)
    page.select_option("#f-category", "链接可用性")
    rows = visible_rows(page)
    assert rows and {r["category"] for r in rows} == {"链接可用性"}
    assert len(rows) == sum(1 for f in expected if f["check"].startswith("link."))
    assert page.inner_text("#shown") == f"显示 {len(rows)} / {len(expected)} 条"
    page.select_option("#f-category", "")
    page.select_option("#f-severity", "minor")
    assert {r["severity"] for r in visible_rows(page)} == {"minor"}
    page.select_option("#f-severity", "")
    page.fill("#f-search", "gone.html")
    assert [r["category"] for r in visible_rows(page)] == ["链接可用性"]
    page.fill("#f-search", "")
    page.select_option("#f-column", "工作动态")
    in_column = [r for r in everything if r["column"] == "工作动态"]
    assert in_column and visible_rows(page) == in_column
    page.select_option("#f-status", "open")
    assert visible_rows(page) == [r for r in in_column if r["status"] == "open"]


def test_crawled_markup_is_shown_as_text_and_never_runs(opened):
    page, seen, _ = opened
    titles = page.locator(".page-title").all_inner_texts()
    assert SCRIPT in titles and ATTRIBUTE in titles
    assert page.locator("script").count() == 1  # the report's own
    assert page.locator("img").count() == 0 and page.locator("[onerror]").count() == 0
    assert seen["dialogs"] == [] and not seen["errors"]


def test_no_request_leaves_the_file(opened, served):
    page, seen, site_hits_before = opened
    assert seen["requests"] == [served["url"]]
    assert served["hits"] == ["/report.html"]
    assert len(served["site_hits"]) == site_hits_before, "viewing the report never touched the audited site"
    assert page.locator("a[href^='http://127.0.0.1']").count() > 0  # the links are there, for a person to click
