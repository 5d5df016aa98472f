"""Shared fixtures: loopback site servers, fresh databases, and the command line run as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, Route] = {}
    hits: list[str] = []

    def _answer(self, with_body: bool) -> None:
        self.hits.append(self.path)
        route = self.routes.get(self.path) or self.routes.get(self.path.split("?")[0])
        if route is None:
            route = Route(b"<html><head><title>404 Not Found</title></head><body>Not Found</body></html>", 404)
        body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
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


@pytest.fixture
def site_server():
    """Serve a dict of path → Route (or HTML text) on a free 127.0.0.1 port; yields a starter function."""
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

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


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


@pytest.fixture(scope="session")
def sample_crawl(sample_server, tmp_path_factory):
    """One discovery crawl of the sample site, shared by every test that only reads it."""
    folder = tmp_path_factory.mktemp("sample-crawl")
    config = write_config(folder / "site.toml", sample_server.base_url)
    db = folder / "govinspect.db"
    result = run_cli("crawl", "-c", str(config), "--db", str(db), "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    return db, int(result.stdout.strip().splitlines()[-1]), sample_server.site
