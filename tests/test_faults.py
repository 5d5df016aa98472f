"""Fault injection: a loopback site whose paths misbehave on purpose; the audit completes and names each fault."""

from __future__ import annotations

import functools
import io
import json
import socket
import struct
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import pytest

from govinspect.store import Store

from conftest import AS_OF, run_cli

SPACED = "/文件 目录/通知.html"
BIG_LIST = 100_000
STOP = threading.Event()


def page(title: str, body: str = "", charset: str = "utf-8") -> str:
    return (f'<html><head><meta charset="{charset}"><title>{title}</title></head>'
            f"<body><h1>{title}</h1>{body}</body></html>")


class Faults(BaseHTTPRequestHandler):
    """Each path is one fault. `hits` records every request line, so tests can count retries and pauses."""

    hits: list[tuple[float, str, str]] = []
    other = ""  # another site (localhost:PORT), where an off-site redirect lands
    firewall = ""  # a third host (127.0.0.2:PORT) that refuses everything
    closed = 0  # a port nobody listens on
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes | str = b"", content_type: str = "text/html; charset=utf-8",
             headers: dict | None = None) -> None:
        body = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parts.query
        self.hits.append((time.monotonic(), self.headers.get("Host", ""), self.path))
        handler = getattr(self, "on_" + path.strip("/").replace("-", "_").replace(".", "_").split(";")[0], None)
        if path == "/":
            self.home()
        elif path == SPACED:
            self.send(200, page("空格和中文路径", "<p>可以访问。</p>"))
        elif path.startswith("/forbidden/"):
            self.send(403, "Forbidden")
        elif path.startswith("/item/"):
            self.send(200, page("条目", "<p>内容。</p>"))
        elif path.startswith("/s/") or ";jsessionid=" in path:
            sid = str(len(self.hits))
            self.send(200, page("会话", f'<a href="/s;jsessionid={sid}/page.html">下一页</a>'))
        elif handler:
            handler(query)
        else:
            self.send(404, page("404 Not Found"))

    def home(self):
        links = ["/slow-past", "/slow-within", "/reset", "/hang", f"http://127.0.0.1:{self.closed}/gone.html",
                 "/e500", "/e502", "/e503", "/e503-after", "/r429", "/r412", "/r521", "/loop", "/to-private",
                 "/to-offsite", "/calendar?d=1", "/grow?q=a", "/s;jsessionid=0/page.html", "/huge", "/binary",
                 "/malformed", "/utf8-as-gbk", "/gbk-as-utf8", SPACED, "http://审计.中国/", "/many-forbidden",
                 "/bomb.zip"]
        body = "".join(f'<a href="{link}">{link}</a> ' for link in links)
        self.send(200, page("故障测试站点", body + '<a href="/biglist.html">大栏目</a>'))

    def on_slow_past(self, _):
        time.sleep(3)
        self.send(200, page("很慢"))

    def on_slow_within(self, _):
        time.sleep(1)
        self.send(200, page("稍慢但及时"))

    def on_reset(self, _):
        self.send_response(200)
        self.send_header("Content-Length", "10000")
        self.end_headers()
        self.wfile.write(b"<html><body>partial")
        self.wfile.flush()
        # SO_LINGER 0: the server's close becomes a reset, the way a firewall cuts a connection.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def on_hang(self, _):
        STOP.wait(20)

    def on_e500(self, _):
        self.send(500, "Internal Server Error")

    def on_e502(self, _):
        self.send(502, "Bad Gateway")

    def on_e503(self, _):
        self.send(503, "Service Unavailable")

    def on_e503_after(self, _):
        first = sum(1 for hit in self.hits if hit[2] == "/e503-after") == 1
        if first:
            self.send(503, "busy", headers={"Retry-After": "1"})
        else:
            self.send(200, page("稍后可用"))

    def on_r429(self, _):
        self.send(429, "Too Many Requests", headers={"Retry-After": "1"})

    def on_r412(self, _):
        self.send(412, '<html><script>var $_ts=window["$_ts"];$_ts.cd="qEt";</script></html>')

    def on_r521(self, _):
        self.send(521, "<script>document.cookie=('__jsl_clearance=1580000000.1|0|abc');location.href=location;</script>")

    def on_loop(self, _):
        self.send(302, headers={"Location": "/loop2"})

    def on_loop2(self, _):
        self.send(302, headers={"Location": "/loop"})

    def on_to_private(self, _):
        self.send(302, headers={"Location": "http://192.168.1.20/admin"})

    def on_to_offsite(self, _):
        self.send(302, headers={"Location": f"{self.other}offsite.html"})

    def on_offsite_html(self, _):
        self.send(200, page("别的网站", '<a href="/offsite-child.html">别的网站的子页</a>'))

    def on_calendar(self, query):
        day = int(query.split("=")[1])
        self.send(200, page(f"日历 {day}", f'<a href="/calendar?d={day + 1}">下一天</a>'
                                          f'<a href="/calendar?d={day + 2}">后天</a>'))

    def on_grow(self, query):
        self.send(200, page("查询", f'<a href="/grow?{query}&amp;q=a">更多</a>'))

    def on_huge(self, _):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(200 * 1024 * 1024))
        self.end_headers()
        chunk = b" " * 65536
        try:
            for _ in range(200 * 16):
                if STOP.is_set():
                    return
                self.wfile.write(chunk)
        except OSError:
            pass  # the crawler hung up at its size cap, as it should

    def on_binary(self, _):
        self.send(200, bytes(range(256)) * 64, content_type="text/html")

    def on_malformed(self, _):
        self.send(200, "<html><head><title>残缺页面</title><body><div><p>没有闭合<table><tr><td>单元格")

    def on_utf8_as_gbk(self, _):
        self.send(200, page("审计动态汇编", charset="gbk").encode("utf-8"), content_type="text/html; charset=gbk")

    def on_gbk_as_utf8(self, _):
        self.send(200, page("审计公告汇编", charset="utf-8").encode("gbk"), content_type="text/html; charset=utf-8")

    def on_many_forbidden(self, _):
        self.send(200, page("外部链接", "".join(f'<a href="{self.firewall}forbidden/{n}">外链{n}</a>'
                                               for n in range(60))))

    def on_bomb_zip(self, _):
        self.send(200, zip_bomb(), content_type="application/zip")

    def on_biglist_html(self, _):
        items = "".join(f'<li><a href="/item/{n}.html">审计结果公告第{n}号</a><span>2026-01-01</span></li>'
                        for n in range(BIG_LIST))
        self.send(200, page("审计结果公告", f"<ul>{items}</ul>"))


@functools.cache
def zip_bomb() -> bytes:
    """Ten zips, each holding 100 MB of zeros: 1 GB unpacked from 1 MB. Made once, before the crawl needs it."""
    def packed(members: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, body in members.items():
                archive.writestr(name, body)
        return buffer.getvalue()

    inner = packed({"zeros.bin": b"\0" * (100 * 2**20)})
    return packed({f"{n}.zip": inner for n in range(10)})


def serve(host: str = "127.0.0.1") -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, 0), Faults)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def fault_audit(tmp_path_factory):
    """One audit of the misbehaving site: its database, its targets by path, its stderr and the server's hits."""
    STOP.clear()
    Faults.hits = []
    zip_bomb()
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        Faults.closed = spare.getsockname()[1]
    site, other, firewall = serve(), serve(), serve("127.0.0.2")
    Faults.other = f"http://localhost:{other.server_address[1]}/"
    Faults.firewall = f"http://127.0.0.2:{firewall.server_address[1]}/"
    base = f"http://127.0.0.1:{site.server_address[1]}/"
    folder = tmp_path_factory.mktemp("faults")
    config = folder / "site.toml"
    config.write_text(
        f'[site]\nname = "故障站"\nbase_url = "{base}"\n\n[crawl]\ndelay_seconds = 0\nconcurrency_per_host = 8\n'
        "offline = true\ntimeout_seconds = 2\nmax_download_mb = 10\nmax_items_per_column = 1000\n"
        "backoff_seconds = 0.01\n"
        f'max_urls_per_shape = 20\n\n[[columns]]\nname = "审计结果公告"\nurl = "{base}biglist.html"\n'
        'category = "audit_result"\n', encoding="utf-8")
    db = folder / "govinspect.db"
    result = run_cli("audit", "-c", str(config), "--db", str(db), "--out", str(folder / "out"),
                     "--as-of", AS_OF.isoformat(), timeout=300)
    STOP.set()
    for server in (site, other, firewall):
        server.shutdown()
        server.server_close()
    with Store(db) as store:
        run = store.run()
        targets = {}
        for row in store.db.query("select * from targets where run_id = ?", [run["id"]]):
            parts = urlsplit(row["url"])
            key = parts.path + (f"?{parts.query}" if parts.query else "") if parts.port == site.server_address[1] \
                else row["url"]
            targets[key] = row
        pages = {urlsplit(p["url"]).path: p for p in store.pages(run["id"])}
    return {"result": result, "run": run, "targets": targets, "pages": pages, "hits": list(Faults.hits),
            "firewall": Faults.firewall, "closed": Faults.closed, "db": db}


def test_audit_completes_without_a_traceback(fault_audit):
    result = fault_audit["result"]
    # Its limits (items per column, URLs of one shape) cut the crawl short: a degraded run, exit 4, said why.
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr and fault_audit["run"]["status"] == "completed"
    assert fault_audit["run"]["health"] == "degraded" and "栏目条目数上限" in fault_audit["run"]["health_reasons"]
    assert result.stdout.startswith("运行状态：部分未检查（")
    with Store(fault_audit["db"]) as store:
        assert store.integrity() == "ok"


@pytest.mark.parametrize("path, verdict, words", [
    ("/slow-past", "broken", "超时"),
    ("/slow-within", "ok", None),
    ("/reset", "broken", "连接在响应完成前被关闭"),
    ("/hang", "broken", "超时"),
    ("/e500", "broken", "HTTP 500"),
    ("/e502", "broken", "HTTP 502"),
    ("/e503", "broken", "HTTP 503"),
    ("/e503-after", "ok", None),
    ("/r429", "blocked", "429"),
    ("/r412", "blocked", "人机验证"),
    ("/r521", "blocked", "人机验证"),
    ("/loop", "broken", "重定向"),
    ("/to-private", "skipped-private", "内网或本机地址"),
    ("/huge", "skipped", "下载大小上限"),
    ("/binary", "ok", None),
    ("/malformed", "ok", None),
    ("/utf8-as-gbk", "ok", None),
    (SPACED, "ok", None),
])
def test_each_fault_gets_its_verdict_and_reason(fault_audit, path, verdict, words):
    key = next(k for k in fault_audit["targets"] if unquote(k) == path)
    target = fault_audit["targets"][key]
    assert target["verdict"] == verdict, target
    if words:
        assert words in (target["reason"] or ""), target


def test_closed_port_is_broken_with_connection_refused(fault_audit):
    target = fault_audit["targets"][f"http://127.0.0.1:{fault_audit['closed']}/gone.html"]
    assert target["verdict"] == "broken" and "连接被拒绝" in target["reason"]


def test_5xx_retried_once_slowly_and_retry_after_honoured(fault_audit):
    hits = fault_audit["hits"]
    for path in ("/e500", "/e502", "/e503", "/r429"):
        assert sum(1 for h in hits if h[2] == path) == 2, path
    first, second = [h[0] for h in hits if h[2] == "/e503-after"]
    assert second - first >= 1.0  # its Retry-After: 1


def test_circuit_breaker_pauses_a_host_that_refuses_everything(fault_audit):
    firewall = urlsplit(fault_audit["firewall"]).netloc
    asked = [h for h in fault_audit["hits"] if h[1] == firewall and h[2].startswith("/forbidden/")]
    forbidden = [t for url, t in fault_audit["targets"].items() if "/forbidden/" in url]
    assert len(forbidden) == 60 and all(t["verdict"] == "blocked" for t in forbidden)
    assert len(asked) < 2 * 60 and any("已暂停对它的请求" in (t["reason"] or "") for t in forbidden)


def test_offsite_redirect_is_verified_but_never_crawled(fault_audit):
    paths = [h[2] for h in fault_audit["hits"]]
    assert "/offsite.html" in paths and "/offsite-child.html" not in paths
    assert fault_audit["targets"]["/to-offsite"]["verdict"] in ("ok", "redirected")


def test_spider_traps_are_capped_and_reported(fault_audit):
    caps = json.loads(fault_audit["run"]["caps"])
    hits = [h[2] for h in fault_audit["hits"]]
    assert sum(1 for h in hits if h.startswith("/calendar")) <= 25
    assert sum(1 for h in hits if h.startswith("/grow")) <= 25
    assert sum(1 for h in hits if h.startswith("/s/") or ";jsessionid=" in h) <= 2  # a session id is no new page
    trapped = caps.get("max_urls_per_shape", []) + caps.get("max_depth", [])
    assert any("/calendar" in where for where in trapped) and any("/grow" in where for where in trapped)
    assert "抓取上限：" in fault_audit["result"].stdout and "max_items_per_column" in fault_audit["result"].stdout


def test_big_list_is_capped_per_column(fault_audit):
    with Store(fault_audit["db"]) as store:
        column = store.columns(fault_audit["run"]["id"])[0]
    assert column["items"] == 1000
    caps = json.loads(fault_audit["run"]["caps"])
    assert any(where.endswith("/biglist.html") for where in caps["max_items_per_column"])
    assert sum(1 for h in fault_audit["hits"] if h[2].startswith("/item/")) <= 1000


@pytest.mark.parametrize("path, title", [("/utf8-as-gbk", "审计动态汇编"), ("/gbk-as-utf8", "审计公告汇编")])
def test_lying_encodings_are_read_right(fault_audit, path, title):
    assert fault_audit["pages"][path]["title"] == title


def test_idn_and_spaces_do_not_break_anything(fault_audit):
    idn = [t for url, t in fault_audit["targets"].items() if "xn--" in url or "审计" in url]
    assert idn and idn[0]["verdict"] == "skipped"


def test_zip_bomb_is_read_within_limits(fault_audit):
    bomb = fault_audit["pages"]["/bomb.zip"]
    fact = json.loads(bomb["unreadable"])
    assert bomb["http_status"] == 200 and bomb["platform"] == "zip" and fact["problem"] is None
    assert {part["problem"] for part in fact["parts"]} == {"limit"}
    assert [part["detail"] for part in fact["parts"]] == ["unpacks to 100 MB, over 64 MB"] * 10
