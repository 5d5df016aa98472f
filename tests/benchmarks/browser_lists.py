"""The cost of the browser fallback per column: one scripted column (rendered once in Chromium, then its JSON API
paged without the browser) against the same 25 items listed in plain HTML, crawled in the same run.

    python tests/benchmarks/browser_lists.py [--rounds 3]

Prints the median crawl time of each site and the difference: what rendering one column costs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from crawlcheck import html  # noqa: E402
from test_scripted_lists import COLUMN, TOTAL, api_page  # noqa: E402

STATIC = html("通知公告", "<ul>" + "".join(f'<li><a href="/art/{n}.html">关于做好第{n}项审计整改工作的通知</a>'
                                        f"<span>2024-02-{n:02d}</span></li>" for n in range(1, TOTAL + 1)) + "</ul>")


def serve(column: str) -> ThreadingHTTPServer:
    pages = {"/": html("首页", '<a href="/tzgg/index.html">通知公告</a>'), "/tzgg/index.html": column}
    pages.update({f"/api/list?columnId=77&pageNo={n}&pageSize=10": api_page(n) for n in (1, 2, 3)})
    pages.update({f"/art/{n}.html": html(f"通知{n}", f"<h1>通知{n}</h1>") for n in range(1, TOTAL + 1)})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path)
            data = (body or "not found").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/json" if self.path.startswith("/api/") else "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def crawl_seconds(column: str, folder: Path) -> float:
    server = serve(column)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    config = folder / "site.toml"
    config.write_text(f'[site]\nname = "测试"\nbase_url = "{base}"\n[crawl]\ndelay_seconds = 0\noffline = true\n'
                      f'browser_lists = true\n[[columns]]\nname = "通知公告"\nurl = "{base}tzgg/index.html"\n',
                      encoding="utf-8")
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "govinspect", "crawl", "-c", str(config), "--db", str(folder / "g.db")],
                   check=True, capture_output=True, cwd=TESTS.parent)
    server.shutdown()
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    times = {"static": [], "scripted": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            for name, column in (("static", STATIC), ("scripted", COLUMN)):
                folder = Path(tmp) / f"{name}{n}"
                folder.mkdir()
                times[name].append(crawl_seconds(column, folder))
    static, scripted = (statistics.median(times[k]) for k in ("static", "scripted"))
    print(f"static column: {static:.2f} s, scripted column: {scripted:.2f} s (medians of {args.rounds}); "
          f"the browser fallback costs {scripted - static:.2f} s per column ({scripted / static:.2f}x the crawl)")


if __name__ == "__main__":
    main()
