"""A fleet on one machine for tests and the benchmark: redis-server on a free loopback port, sample sites that
count the requests they serve at once, and `govinspect fleet` worker processes (each its own process group)."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import redis

from govinspect.demo.server import SampleServer

REPO = Path(__file__).resolve().parents[1]
AS_OF = datetime.date(2026, 11, 20)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """Debian's redis-server with its own data folder and append-only file (fsync on every write)."""

    def __init__(self, folder: Path):
        if not shutil.which("redis-server"):
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
             "--protected-mode", "yes", "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start: {(self.folder / 'redis.log').read_text()}")
                time.sleep(0.05)

    def kill(self) -> None:
        """kill -9: no shutdown save; what survives is what the append-only file holds."""
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)


class Gauge:
    """Requests being answered at this moment, and the most ever at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = self.peak = self.total = 0

    def __enter__(self):
        with self.lock:
            self.now += 1
            self.total += 1
            self.peak = max(self.peak, self.now)

    def __exit__(self, *exc):
        with self.lock:
            self.now -= 1


class Sites:
    """The sites of one politeness group with a request being answered at this moment, and the most at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.active: dict[str, int] = {}
        self.peak = 0

    def enter(self, site: str) -> None:
        with self.lock:
            self.active[site] = self.active.get(site, 0) + 1
            self.peak = max(self.peak, len(self.active))

    def exit(self, site: str) -> None:
        with self.lock:
            self.active[site] -= 1
            if not self.active[site]:
                del self.active[site]


def counting(server: SampleServer, gauge: Gauge, group: Sites | None = None) -> None:
    """Count, at the server, every request it answers (`gauge`) and, in its politeness group, that it is busy."""
    base = server._httpd.RequestHandlerClass
    site = server.base_url

    def counted(method):
        def handle(self):
            with gauge:
                if group:
                    group.enter(site)
                try:
                    method(self)
                finally:
                    if group:
                        group.exit(site)
        return handle

    server._httpd.RequestHandlerClass = type("Counted", (base,), {
        name: counted(getattr(base, name)) for name in ("do_GET", "do_HEAD", "do_POST")})


def site_toml(path: Path, name: str, base_url: str, concurrency: int, extra: str = "", delay: float = 0) -> Path:
    path.write_text(f'[site]\nname = "{name}"\nbase_url = "{base_url}"\n\n[crawl]\ndelay_seconds = {delay}\n'
                    f"concurrency_per_host = {concurrency}\noffline = true\n{extra}", encoding="utf-8")
    return path


def fleet_toml(folder: Path, redis_url: str, sites: list[dict], groups: list[dict], **fleet) -> Path:
    lines = ["[fleet]", 'name = "测试市政府网站群"', f'redis_url = "{redis_url}"', f'as_of = "{AS_OF}"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in fleet.items()]
    for site in sites:
        lines += ["", "[[sites]]", f'config = "{site["config"]}"', f'group = "{site.get("group", "")}"']
    for group in groups:
        lines += ["", "[[politeness]]", f"hosts = {json.dumps(group['hosts'])}",
                  f"concurrency = {group['concurrency']}"]
    path = folder / "fleet.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start(args: list[str], log: Path, cwd: Path) -> subprocess.Popen:
    """A `govinspect` command in its own session: killing its process group is a machine going down."""
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "govinspect", *args], cwd=cwd, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def board(client: redis.Redis, name: str = "测试市政府网站群") -> dict[str, dict]:
    return {k.decode(): json.loads(v) for k, v in client.hgetall(f"govinspect:fleet:{name}:sites").items()}


def wait_until(predicate, timeout: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
