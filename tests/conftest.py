"""Shared fixtures: loopback site servers, fresh databases, and the command line run as a real process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
REALPAGES = REPO.parent / "shared" / "realpages"
SEEDS = REPO.parent / "shared" / "seeds"
AS_OF = date(2026, 11, 20)


def realpage(name: str) -> Path:
    path = REALPAGES / name
    if not path.exists():
        pytest.skip(f"real page {name} not available: ../shared/realpages is not beside this checkout")
    return path


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300, env: dict | None = None):
    """`python -m govinspect ARGS` in a child process, as a person would run it."""
    return subprocess.run([sys.executable, "-m", "govinspect", *args], cwd=cwd or REPO, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


@dataclass
class Route:
    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay: float = 0.0  # seconds to wait before answering: a slow page


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, Route] = {}
    hits: list[str] = []

    def _answer(self, with_body: bool) -> None:
        self.hits.append(self.path)
        # "*" answers every other path: a site whose not-found page is its own 200 template.
        route = self.routes.get(self.path) or self.routes.get(self.path.split("?")[0]) or self.routes.get("*")
        if route is None:
            route = Route(b"<html><head><title>404 Not Found</title></head><body>Not Found</body></html>", 404)
        body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
        if route.delay:
            time.sleep(route.delay)
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self):
        self._answer(True)

    def do_HEAD(self):
        self._answer(False)

    def log_message(self, *args):
        pass


def _site_servers():
    """A starter of loopback servers for path → Route (or HTML text) maps, and the function that stops them."""
    servers = []

    def start(routes: dict[str, Route | str]) -> str:
        handler = type("Handler", (_Handler,), {
            "routes": {path: r if isinstance(r, Route) else Route(r) for path, r in routes.items()}, "hits": []})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        start.hits = handler.hits
        return f"http://127.0.0.1:{server.server_address[1]}/"

    def stop() -> None:
        for server in servers:
            server.shutdown()
            server.server_close()

    return start, stop


@pytest.fixture
def site_server():
    """Serve a dict of path → Route (or HTML text) on a free 127.0.0.1 port; yields a starter function.

    Route objects are served as they are at each request: change one between two crawls to change the site.
    """
    start, stop = _site_servers()
    yield start
    stop()


@pytest.fixture(scope="module")
def module_site_server():
    """`site_server` for a site that a whole test module crawls once and many parametrized tests read."""
    start, stop = _site_servers()
    yield start
    stop()


@pytest.fixture
def fresh_db(tmp_path) -> Path:
    return tmp_path / "govinspect.db"


@pytest.fixture(scope="session")
def sample_server():
    from govinspect.demo.server import SampleServer

    with SampleServer(AS_OF) as server:
        yield server


def write_config(path: Path, base_url: str, extra: str = "") -> Path:
    path.write_text(
        f'[site]\nname = "青山县审计局"\nbase_url = "{base_url}"\n\n'
        f"[crawl]\ndelay_seconds = 0\nconcurrency_per_host = 8\noffline = true\n{extra}", encoding="utf-8")
    return path


def audit_site(folder: Path, base_url: str, extra: str = "", *args: str, expect: int = 0) -> dict:
    """`govinspect audit` of a loopback site with the fast test settings, as of AS_OF; its JSON report.

    `expect`: the exit code (0 a healthy run, 4 a degraded one: a limit reached, a check that failed).
    """
    config = write_config(folder / "site.toml", base_url, extra)
    result = run_cli("audit", "-c", str(config), "--db", str(folder / "govinspect.db"),
                     "--out", str(folder / "reports"), "--as-of", AS_OF.isoformat(), *args)
    assert result.returncode == expect, result.stdout + result.stderr
    return json.loads((folder / "reports" / "report.json").read_text(encoding="utf-8"))


def fired(report: dict) -> set[tuple[str, str]]:
    """(check id, path and query of the subject) of every finding a JSON report lists."""
    def where(url: str) -> str:
        parts = urlsplit(url)
        if parts.hostname != "127.0.0.1":
            return url
        return parts.path + (f"?{parts.query}" if parts.query else "")

    return {(f["check"], where(f["url"])) for f in report["findings"]}


@pytest.fixture(scope="session")
def sample_crawl(sample_server, tmp_path_factory):
    """One discovery crawl of the sample site, shared by every test that only reads it."""
    folder = tmp_path_factory.mktemp("sample-crawl")
    config = write_config(folder / "site.toml", sample_server.base_url)
    db = folder / "govinspect.db"
    result = run_cli("crawl", "-c", str(config), "--db", str(db), "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    return db, int(result.stdout.strip().splitlines()[-1]), sample_server.site


@pytest.fixture(scope="session")
def sample_checked(sample_crawl, tmp_path_factory):
    """The checks run (`govinspect check`) over a copy of the sample crawl: database, run id, the site's truth."""
    db, run_id, site = sample_crawl
    copy = tmp_path_factory.mktemp("sample-checked") / "govinspect.db"
    with closing(sqlite3.connect(db)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    result = run_cli("check", "-c", str(db.parent / "site.toml"), "--db", str(copy), "--run", str(run_id))
    assert result.returncode == 0, result.stderr
    return copy, run_id, site


def planted(sample_checked, check_id: str) -> dict:
    """The sample site's scorecard for one check: planted defects no finding names, near misses one does."""
    from govinspect.demo.scorecard import score
    from govinspect.store import Store

    db, run_id, site = sample_checked
    with Store(db) as store:
        result = score(store, run_id, site, [check_id])
    return {"defects": result["defects"], "missed": [url for _, url in result["missed"]],
            "fired": [url for _, url in result["fired"]]}
