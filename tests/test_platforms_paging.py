"""Lists paged by JSON or by query: Guangdong's gkmlpt catalogue API and Hanweb's `?uid=…&pageNum=N`, read from
synthetic pages and crawled from loopback sites."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone

import pytest

from conftest import Route, run_cli, write_config
from crawlcheck import html

from crawler import platforms
from crawler.items import Page
from crawler.platforms import gkmlpt, hanweb
from govinspect.store import Store

CHINA = timezone(timedelta(hours=8))
GKML_TOTAL, GKML_SIZE = 23, 10


def gkml_answer(page_no: int, *, base: str = "") -> str:
    first = (page_no - 1) * GKML_SIZE
    articles = [{"id": n, "title": f"广州市某区审计局关于第{n}号审计结果的公告",
                 "url": f"{base}/gkmlpt/content/2/2783/post_{n}.html#2783",
                 "display_publish_time": int(datetime(2024, 3, 1 + n % 28, 10, tzinfo=CHINA).timestamp())}
                for n in range(first + 1, min(first + GKML_SIZE, GKML_TOTAL) + 1)]
    return json.dumps({"articles": articles, "total": GKML_TOTAL, "per_page": GKML_SIZE, "page": page_no},
                      ensure_ascii=False)


GKML_INDEX = html("政府信息公开目录", '<div id="app"></div><script>var api = "/gkmlpt/api/all/2783?sid=757";</script>')


def test_gkmlpt_index_page_asks_for_the_first_json_page():
    page = Page.from_html("http://www.test.gov.cn/gkmlpt/index", GKML_INDEX)
    assert platforms.detect(page) is gkmlpt
    listing = gkmlpt.parse_list(page)
    assert listing.entries == [] and [r.url for r in listing.more] == [
        "http://www.test.gov.cn/gkmlpt/api/all/2783?sid=757&page=1"]


def test_gkmlpt_json_answer_entries_dates_and_pages():
    url = "http://www.test.gov.cn/gkmlpt/api/all/2783?sid=757&page=1"
    listing = gkmlpt.parse_list(Page.from_html(url, gkml_answer(1)))
    assert len(listing.entries) == 10 and listing.total == 23
    assert listing.entries[0].url == "http://www.test.gov.cn/gkmlpt/content/2/2783/post_1.html#2783"
    assert listing.entries[0].date == "2024-03-02"
    assert [r.url for r in listing.more] == [url.replace("page=1", "page=2"), url.replace("page=1", "page=3")]
    later = gkmlpt.parse_list(Page.from_html(url.replace("page=1", "page=3"), gkml_answer(3)))
    assert len(later.entries) == 3 and later.more == []


@pytest.mark.parametrize("text", ["[]", "{broken", json.dumps({"articles": "x", "total": "many"})])
def test_gkmlpt_odd_answers_give_nothing(text):
    url = "http://www.test.gov.cn/gkmlpt/api/all/2783?page=1"
    assert gkmlpt.parse_list(Page.from_html(url, text)).entries == []


HANWEB_TOTAL, HANWEB_PER = 40, 15


def hanweb_page(page_no: int) -> str:
    first = (page_no - 1) * HANWEB_PER
    records = "".join(
        f'<record><![CDATA[<li><a href="/art/2024/3/{n % 28 + 1}/art_1229123_{500 + n}.html" title="审计动态第{n}期">'
        f'审计动态第{n}期</a><span>2024-03-{n % 28 + 1:02d}</span></li>]]></record>'
        for n in range(first + 1, min(first + HANWEB_PER, HANWEB_TOTAL) + 1))
    last = math.ceil(HANWEB_TOTAL / HANWEB_PER)
    pager = (f'<a href="?uid=4567&amp;pageNum={page_no + 1}">下一页</a>' if page_no < last else "") + \
        f'<a href="/col/col1229123/index.html?uid=4567&amp;pageNum={last}">尾页</a>'
    return html("审计动态", f'<div id="4567"><script type="text/xml"><datastore><recordset>{records}'
                            f'</recordset></datastore></script></div><div class="pager">{pager}</div>')


def test_hanweb_page_num_paging_from_the_pager():
    page = Page.from_html("http://www.test.gov.cn/col/col1229123/index.html", hanweb_page(1))
    listing = hanweb.parse_list(page)
    assert len(listing.entries) == 15
    assert [r.url for r in listing.more] == [f"http://www.test.gov.cn/col/col1229123/index.html?uid=4567&pageNum={n}"
                                             for n in (2, 3)]



@pytest.fixture
def crawled(site_server, tmp_path):
    def run(routes: dict[str, Route | str], column: str) -> tuple[dict, list[str]]:
        base = site_server(routes)
        config = write_config(tmp_path / "site.toml", base,
                              f'\n[[columns]]\nname = "目录"\nurl = "{base}{column.lstrip("/")}"\ncategory = "audit_result"\n')
        db = tmp_path / "govinspect.db"
        result = run_cli("crawl", "-c", str(config), "--db", str(db))
        assert result.returncode == 0, result.stderr
        with Store(db) as store:
            run_id = store.run()["id"]
            [column_row] = store.columns(run_id)
            items = [item["url"] for item in store.column_items(column_row["id"])]
        return column_row, items
    return run


def article_routes(urls: list[str]) -> dict[str, str]:
    return {url: html("公告", "<h1>公告</h1><p>内容。</p>") for url in urls}


def test_gkmlpt_column_crawled_through_its_api(crawled):
    routes = {"/": html("首页", '<a href="/gkmlpt/index">信息公开</a>'), "/gkmlpt/index": GKML_INDEX}
    for n in (1, 2, 3):
        routes[f"/gkmlpt/api/all/2783?sid=757&page={n}"] = Route(
            gkml_answer(n), headers={"Content-Type": "application/json; charset=utf-8"})
    routes.update(article_routes([f"/gkmlpt/content/2/2783/post_{n}.html" for n in range(1, 24)]))
    column, items = crawled(routes, "/gkmlpt/index")
    assert column["platform"] == "gkmlpt" and column["declared_total"] is None and len(items) == GKML_TOTAL
    assert column["list_pages"] == 4  # the catalogue page and three JSON pages


def test_hanweb_page_num_column_crawled(crawled):
    routes = {"/": html("首页", '<a href="/col/col1229123/index.html">审计动态</a>'),
              "/col/col1229123/index.html": hanweb_page(1)}
    for n in (2, 3):
        routes[f"/col/col1229123/index.html?uid=4567&pageNum={n}"] = hanweb_page(n)
    column, items = crawled(routes, "/col/col1229123/index.html")
    assert column["platform"] == "hanweb" and len(items) == HANWEB_TOTAL and column["list_pages"] == 3
