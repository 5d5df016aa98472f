"""A column drawn by a script from a JSON API: rendered once in Debian's Chromium (scrapy-playwright), its API
recorded, the other pages read from the API without the browser. Served on loopback."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import Route, run_cli, write_config
from crawlcheck import html

from crawler.scripted import available, further_pages, looks_scripted
from govinspect.store import Store

pytestmark = pytest.mark.skipif(available() is not None, reason=f"browser fallback unavailable: {available()}")

TOTAL, SIZE = 25, 10
COLUMN = html("通知公告", """<ul id="list"></ul><script>
fetch('/api/list?columnId=77&pageNo=1&pageSize=10').then(r => r.json()).then(d => {
  document.getElementById('list').innerHTML = d.data.list.map(
    i => '<li><a href="' + i.url + '">' + i.title + '</a><span>' + i.publishTime + '</span></li>').join('');
});</script>""")


def api_page(number: int) -> str:
    first = (number - 1) * SIZE
    items = [{"title": f"关于做好第{n}项审计整改工作的通知", "url": f"/art/{n}.html", "publishTime": f"2024-02-{n:02d}"}
             for n in range(first + 1, min(first + SIZE, TOTAL) + 1)]
    return json.dumps({"code": 0, "data": {"list": items, "total": TOTAL}}, ensure_ascii=False)


def test_looks_scripted():
    assert looks_scripted(COLUMN) and looks_scripted("<script>$.ajax({url: '/x'})</script>")
    assert not looks_scripted("<ul></ul><script>var a = 1;</script>") and not looks_scripted("fetch(")


def test_further_pages_from_the_recorded_call():
    call = {"url": "http://127.0.0.1/api/list?columnId=77&pageNo=1&pageSize=10", "method": "GET", "post": None,
            "data": json.loads(api_page(1))}
    assert [r.url for r in further_pages(call)] == [f"http://127.0.0.1/api/list?columnId=77&pageNo={n}&pageSize=10"
                                                    for n in (2, 3)]
    form = dict(call, url="http://127.0.0.1/api/list", method="POST", post="col=77&currentPage=1")
    assert [r.formdata for r in further_pages(form)] == [{"col": "77", "currentPage": "2"},
                                                        {"col": "77", "currentPage": "3"}]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_scripted_column_rendered_once_then_paged_through_its_api(site_server, tmp_path):
    routes = {"/": html("首页", '<a href="/tzgg/index.html">通知公告</a>'), "/tzgg/index.html": COLUMN}
    for n in (1, 2, 3):
        routes[f"/api/list?columnId=77&pageNo={n}&pageSize=10"] = Route(
            api_page(n), headers={"Content-Type": "application/json; charset=utf-8"})
    routes.update({f"/art/{n}.html": html(f"通知{n}", f"<h1>通知{n}</h1><p>内容。</p>") for n in range(1, TOTAL + 1)})
    base = site_server(routes)
    hits = site_server.hits
    config = write_config(tmp_path / "site.toml", base, "browser_lists = true\n\n[[columns]]\nname = \"通知公告\"\n"
                          f'url = "{base}tzgg/index.html"\ncategory = "notice"\n')
    result = run_cli("crawl", "-c", str(config), "--db", str(tmp_path / "g.db"))
    assert result.returncode == 0, result.stderr
    with Store(tmp_path / "g.db") as store:
        [column] = store.columns(store.run()["id"])
        items = store.column_items(column["id"])
    assert column["platform"] == "scripted" and len(items) == TOTAL
    assert items[0]["title"] == "关于做好第1项审计整改工作的通知" and items[0]["date"] == "2024-02-01"
    api_hits = [hit for hit in hits if hit.startswith("/api/")]
    # page 1 once, by the browser; pages 2 and 3 by the crawler alone
    assert sorted(api_hits) == [f"/api/list?columnId=77&pageNo={n}&pageSize=10" for n in (1, 2, 3)]
    assert hits.count("/tzgg/index.html") == 2  # read as HTML, then rendered once


def test_without_the_option_the_column_stays_empty(site_server, tmp_path):
    base = site_server({"/": html("首页", ""), "/tzgg/index.html": COLUMN})
    config = write_config(tmp_path / "site.toml", base, f'\n[[columns]]\nname = "通知公告"\nurl = "{base}tzgg/index.html"\n'
                          'category = "notice"\n')
    assert run_cli("crawl", "-c", str(config), "--db", str(tmp_path / "g.db")).returncode == 0
    with Store(tmp_path / "g.db") as store:
        [column] = store.columns(store.run()["id"])
        assert store.column_items(column["id"]) == []
