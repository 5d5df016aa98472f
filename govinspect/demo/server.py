"""Loopback HTTP server for the sample site: GET/HEAD from the resources, POST dataproxy.jsp, planted behaviours."""

from __future__ import annotations

import datetime
import hashlib
import signal
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from govinspect.demo.model import Resource, Site
from govinspect.demo.site import build_site

DATAPROXY = "/module/web/jpage/dataproxy.jsp"
OUTAGE_BODY = "<html><head><title>服务暂不可用</title></head><body>服务暂不可用</body></html>"


class _Handler(BaseHTTPRequestHandler):
    server_version = "nginx"   # what county sites usually show
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet: no request log on stderr
        pass

    def _count(self) -> bool:
        """Count the request; False when a planted outage answers it instead of the site."""
        owner: SampleServer = self.server.owner  # type: ignore[attr-defined]
        with owner._lock:
            owner._requests += 1
            down = owner.refuse_after is not None and owner._requests > owner.refuse_after
        if down:
            # The server goes away mid-crawl: this connection is dropped, later ones are refused.
            threading.Thread(target=owner.stop, daemon=True).start()
            self.close_connection = True
            return False
        if owner.outage_status:
            body = OUTAGE_BODY.encode("utf-8")
            self.send_response(owner.outage_status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return False
        return True

    def _send(self, res: Resource, head_only: bool = False) -> None:
        if res.delay:
            time.sleep(res.delay)
        # Validators like a real CMS's static files, so that incremental runs can ask "changed since?".
        etag = '"%s"' % hashlib.sha1(res.body).hexdigest()[:16]
        if res.status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(res.status)
        if res.status == 200:
            self.send_header("ETag", etag)
        self.send_header("Content-Type", res.content_type)
        self.send_header("Content-Length", str(len(res.body)))
        for key, value in {**res.headers, **self.server.owner.extra_headers}.items():  # type: ignore[attr-defined]
            self.send_header(key, value)
        self.end_headers()
        if not head_only:
            self.wfile.write(res.body)

    def _dataproxy(self, query: dict[str, list[str]], form: dict[str, list[str]]) -> Resource:
        def arg(name: str, default: str) -> str:
            return (form.get(name) or query.get(name) or [default])[0]

        try:
            perpage = int(arg("perpage", "15"))
            start = int(arg("startrecord", "1"))
            end = int(arg("endrecord", str(start + perpage - 1)))
            columnid = int(arg("columnid", "0"))
        except ValueError:
            return Resource(b"bad request", "text/plain; charset=utf-8", status=400)
        body = self.server.owner.site.dataproxy(columnid, start, end, perpage)  # type: ignore[attr-defined]
        return Resource(body, "text/xml; charset=UTF-8")

    def _answer(self, head_only: bool = False) -> None:
        if not self._count():
            return
        owner: SampleServer = self.server.owner  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        if parts.path in ("/", "/index.html") and owner.homepage_delay:
            time.sleep(owner.homepage_delay)
        if parts.path == DATAPROXY:
            self._send(self._dataproxy(parse_qs(parts.query), {}), head_only)
            return
        target = parts.path + ("?" + parts.query if parts.query else "")
        self._send(owner.site.lookup(target), head_only)

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer(head_only=True)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        if parts.path != DATAPROXY:
            self._answer()
            return
        if not self._count():
            return
        form = parse_qs(raw.decode("utf-8", "replace"))
        self._send(self._dataproxy(parse_qs(parts.query), form))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        # Quiet by design: clients that hang up (timeouts in tests) are normal. Anything else is
        # kept for tests to inspect (SampleServer.errors) instead of being printed to stderr.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        with self.owner._lock:  # type: ignore[attr-defined]
            self.owner.errors.append(traceback.format_exc())  # type: ignore[attr-defined]


class SampleServer:
    """The sample site on a free loopback port: bound first, so the site is built with its real base_url."""

    def __init__(self, as_of: datetime.date, *, host: str = "127.0.0.1", port: int = 0,
                 articles_per_column: int | None = None, homepage_delay: float = 0.0,
                 extra_headers: dict[str, str] | None = None, outage_status: int | None = None,
                 refuse_after: int | None = None):
        """`outage_status` (e.g. 500, or a firewall's 412) answers every request; `refuse_after` N requests
        the server stops and refuses connections: the planted outages of the run-health fault suite."""
        self.homepage_delay = homepage_delay
        self.outage_status = outage_status
        self.refuse_after = refuse_after
        # Sent with every answer: the benchmark's `LinkChecker: maxrated` lifts LinkChecker's own politeness.
        self.extra_headers = dict(extra_headers or {})
        self._lock = threading.Lock()
        self._requests = 0
        self.errors: list[str] = []   # tracebacks of handler failures (never printed)
        self._thread: threading.Thread | None = None
        self._httpd = _Server((host, port), _Handler)
        self._httpd.owner = self  # type: ignore[attr-defined]
        self.host, self.port = self._httpd.server_address[:2]
        self.base_url = f"http://{self.host}:{self.port}/"
        self.site: Site = build_site(as_of, base_url=self.base_url, articles_per_column=articles_per_column)

    @property
    def requests(self) -> int:
        with self._lock:
            return self._requests

    def start(self) -> "SampleServer":
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, name="sample-site", daemon=True)
            self._thread.start()
        return self

    def serve_forever(self) -> str:
        """Serve until Ctrl-C or SIGTERM arrives (for `govinspect demo --keep-serving`); the signal's name.

        Our own handlers of both, for the wait: after a crawl in this process, Scrapy's are still installed, and
        they only log and ask a reactor that no longer runs to stop.
        """
        self.start()
        received: list[str] = []
        arrived = threading.Event()

        def on_signal(number: int, frame: object) -> None:
            received.append(signal.Signals(number).name)
            arrived.set()

        previous = {number: signal.signal(number, on_signal) for number in (signal.SIGINT, signal.SIGTERM)}
        try:
            while not arrived.wait(0.5):  # a timed wait: the handler runs between two of them at the latest
                pass
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        return received[0]

    def stop(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._httpd.shutdown()
            thread.join()
        self._httpd.server_close()

    def __enter__(self) -> "SampleServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
