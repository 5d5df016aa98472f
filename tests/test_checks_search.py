"""`search.broken`: a loopback site whose search works, finds nothing, answers 500, or has no form at all."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from conftest import AS_OF, planted, run_cli, write_config
from crawlcheck import Crawl, html, listing

from crawler.sitesearch import find_form

ARTICLES = {"/news/1.html": ("县审计局召开审计工作会议", "2024-03-08"), "/news/2.html": ("县审计局开展普法宣传", "2024-02-20")}
FORM = ('<form action="/search" method="{method}"><input type="hidden" name="siteid" value="7">'
        '<input type="text" name="q"><input type="submit" value="搜索"></form>')


class SearchSite(BaseHTTPRequestHandler):
    mode = "works"

    def do_GET(self):
        self.answer(urlsplit(self.path).query)

    def do_POST(self):
        self.answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())

    def answer(self, query: str):
        path, status = unquote(urlsplit(self.path).path), 200
        items = [(url, title, day) for url, (title, day) in ARTICLES.items()]
        if path == "/":
            form = FORM.format(method="post" if self.mode == "post" else "get")
            chrome = {"noform": "", "link": '<a href="/search.html">站内搜索</a>'}.get(self.mode, form)
            body = html("青山县审计局", chrome + '<a href="/news/list.html">工作动态</a>')
        elif path == "/search.html":
            body = html("站内搜索", FORM.format(method="get"))
        elif path == "/news/list.html":
            body = listing("工作动态", items)
        elif path in ARTICLES:
            title, day = ARTICLES[path]
            body = html(title, f"<h1>{title}</h1><p>发布日期：{day}</p><p>会议要求做好审计工作。</p>",
                        f'<meta name="PubDate" content="{day} 09:00">')
        elif path == "/search":
            words = parse_qs(query).get("q", [""])[0]
            assert parse_qs(query).get("siteid") == ["7"]
            status = 500 if self.mode == "error" else 200
            hits = [] if self.mode == "empty" else [(u, t) for u, (t, _) in ARTICLES.items() if words and words in t]
            body = html("搜索结果", f"<p>您搜索的是：{words}</p>"
                        + ("".join(f'<a href="{u}">{t}</a>' for u, t in hits) or "<p>没有找到相关结果</p>"))
        else:
            status, body = 404, html("404", "Not Found")
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def search_findings(tmp_path, mode: str) -> list[dict]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (SearchSite,), {"mode": mode}))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        config = write_config(tmp_path / "site.toml", base,
                              f'\n[[columns]]\nname = "工作动态"\nurl = "{base}news/list.html"\ncategory = "dynamic"\n')
        db = tmp_path / "govinspect.db"
        result = run_cli("crawl", "-c", str(config), "--db", str(db), "--as-of", AS_OF.isoformat())
        assert result.returncode == 0, result.stderr
        crawl = Crawl(tmp_path, config, db, int(result.stdout.strip().splitlines()[-1]))
        return [f for f in crawl.check() if f["check"] == "search.broken"]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("mode", ["works", "post", "link"])
def test_working_search_is_quiet(tmp_path, mode):
    assert search_findings(tmp_path, mode) == []


@pytest.mark.parametrize("mode, message", [
    ("empty", "搜索最近发布的文章标题「县审计局召开审计工作会议」，结果中没有该文章"),
    ("error", "搜索最近发布的文章标题「县审计局召开审计工作会议」，搜索返回 HTTP 500"),
    ("noform", "首页没有站内搜索框"),
])
def test_broken_search_is_found(tmp_path, mode, message):
    [found] = search_findings(tmp_path, mode)
    assert found["message"] == message and found["severity"] == "major"


def test_login_form_is_not_a_search_form():
    login = '<form action="/login"><input name="user"><input type="password" name="pw"></form>'
    assert find_form(f"<html><body>{login}</body></html>", "http://127.0.0.1/") is None
    form = find_form(f"<html><body>{login}{FORM.format(method='get')}</body></html>", "http://127.0.0.1/a/")
    assert form == {"action": "http://127.0.0.1/search", "method": "GET", "field": "q", "fields": {"siteid": "7"}}


def test_sample_site_search_page_refused(sample_checked):
    card = planted(sample_checked, "search.broken")
    assert card["defects"] == 1 and card["missed"] == [] and card["fired"] == []
