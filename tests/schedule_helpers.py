"""Helpers for the scheduler's tests: a small bureau site, the daemon as real processes, the database read back."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from conftest import REPO, Route, write_config

PAGE = '<html><head><meta charset="utf-8"><title>{0}</title></head><body><h1>{0}</h1><p>{1}</p>{2}</body></html>'


def bureau_site(site_server, delay: float = 0.0, pages: int = 1) -> str:
    """A homepage and `pages` articles, each article answering after `delay` seconds."""
    links = "".join(f'<a href="/a{n}.html">审计动态{n}</a>' for n in range(pages))
    routes = {"/": PAGE.format("青山县审计局", "首页", links)}
    for n in range(pages):
        routes[f"/a{n}.html"] = Route(PAGE.format(f"工作动态{n}", "青山县审计局开展审计工作。", ""), delay=delay)
    return site_server(routes)


def schedule_config(folder: Path, base_url: str, schedule: str, name: str = "site.toml") -> Path:
    return write_config(folder / name, base_url, f"\n[schedule]\n{schedule}\n")


def rows(db: Path, sql: str, params=()) -> list[dict]:
    if not db.exists():
        return []
    with closing(sqlite3.connect(db, timeout=10)) as conn:
        conn.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in conn.execute(sql, params)]
        except sqlite3.OperationalError:  # the daemon has not created the table yet
            return []


def wait_for(predicate, timeout: float = 30, what: str = "the daemon"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Daemons:
    """`govinspect schedule run` processes this test started, each stopped (by its pid) at the end."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def start(self, *configs: Path, db: Path, jobstore: Path | None = None, env: dict | None = None,
              name: str | None = None) -> subprocess.Popen:
        name = name or f"daemon{len(self.started) + 1}"
        args = [sys.executable, "-m", "govinspect", "schedule", "run", "--db", str(db),
                "--log-file", str(self.folder / f"{name}.log"), "--out", str(self.folder / "reports")]
        for config in configs:
            args += ["-c", str(config)]
        if jobstore:
            args += ["--jobstore", str(jobstore)]
        output = open(self.folder / f"{name}.out", "w", encoding="utf-8")
        process = subprocess.Popen(args, cwd=REPO, stdout=output, stderr=subprocess.STDOUT, text=True,
                                   env={**os.environ, **(env or {})})
        output.close()
        self.started.append((process, self.folder / f"{name}.out"))
        return process

    def stop(self, process: subprocess.Popen, timeout: float = 60) -> int:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        return process.wait(timeout=timeout)

    def output(self, process: subprocess.Popen) -> str:
        path = next(out for p, out in self.started if p is process)
        return path.read_text(encoding="utf-8")

    def close(self) -> None:
        for process, _ in self.started:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.fixture
def daemons(tmp_path):
    started = Daemons(tmp_path)
    yield started
    started.close()


def audits(db: Path) -> list[dict]:
    return rows(db, "select * from schedule_runs where status != 'skipped' order by id")


def assert_no_overlap(records: list[dict]) -> None:
    spans = sorted((datetime.fromisoformat(r["started_at"]), datetime.fromisoformat(r["finished_at"]))
                   for r in records if r["finished_at"])
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert start >= end, f"two runs of the site overlapped: one ended {end}, the next started {start}"
