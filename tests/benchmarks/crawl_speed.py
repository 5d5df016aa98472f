"""Crawl benchmark: govinspect against a bare Scrapy spider on the same generated loopback site, in one run.

Prints pages per second for both, their ratio, peak RSS of each crawl process, the site's size and the
loopback server's own ceiling. Usage: python tests/benchmarks/crawl_speed.py [--articles 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SERVE = """
import sys, datetime
from govinspect.demo.server import SampleServer
server = SampleServer(datetime.date(2026, 11, 20), articles_per_column=int(sys.argv[1]))
server.start()
print(server.base_url, len(server.site.resources), sum(len(r.body) for r in server.site.resources.values()), flush=True)
server.serve_forever()
"""
# Runs a command and reports its wall time and the peak RSS of its process tree.
MEASURE = """
import resource, subprocess, sys, time
started = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.monotonic() - started
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(done.returncode, elapsed, peak_kb)
sys.stdout.write(done.stdout[-2000:])
sys.stderr.write(done.stderr[-2000:])
"""


def measure(command: list[str]) -> tuple[float, float, str]:
    answer = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, cwd=REPO)
    first, *rest = answer.stdout.splitlines()
    code, elapsed, peak_kb = first.split()
    if code != "0":
        sys.exit(f"benchmark command failed: {' '.join(command)}\n{answer.stderr}")
    return float(elapsed), int(peak_kb) / 1024, "\n".join(rest)


def server_ceiling(base_url: str, seconds: float = 3.0, threads: int = 8) -> float:
    """Requests per second the loopback server answers for one cached page, so it is known not to be the limit."""
    deadline = time.monotonic() + seconds

    def loop(_):
        count = 0
        while time.monotonic() < deadline:
            with urllib.request.urlopen(base_url + "index.html") as answer:
                answer.read()
            count += 1
        return count

    with ThreadPoolExecutor(threads) as pool:
        return sum(pool.map(loop, range(threads))) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500, help="items per regular column (500 ≈ 10,000 pages)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, "-c", SERVE, str(args.articles)], stdout=subprocess.PIPE, text=True,
                              cwd=REPO)
    try:
        base_url, resources, size = server.stdout.readline().split()
        print(f"site: {base_url}  {int(resources)} resources, {int(size) / 1e6:.1f} MB")
        print(f"server ceiling: {server_ceiling(base_url):.0f} requests/s (8 threads, one page)")
        ours, bare = [], []
        with tempfile.TemporaryDirectory() as folder:
            config = Path(folder) / "site.toml"
            config.write_text(f'[site]\nname = "benchmark"\nbase_url = "{base_url}"\n[crawl]\ndelay_seconds = 0\n'
                              f"concurrency_per_host = {args.concurrency}\nmax_pages = 200000\n", encoding="utf-8")
            for attempt in range(args.repeat):
                db = Path(folder) / f"run{attempt}.db"
                elapsed, peak, _ = measure([sys.executable, "-m", "govinspect", "crawl", "-c", str(config),
                                            "--db", str(db)])
                pages = json.loads(subprocess.run(
                    [sys.executable, "-c", f"import sqlite3; print(sqlite3.connect({str(db)!r}).execute("
                     "'select count(*) from pages').fetchone()[0])"], capture_output=True, text=True).stdout)
                ours.append((pages / elapsed, peak, pages))
                elapsed, peak, output = measure([
                    sys.executable, "-m", "scrapy", "runspider", str(HERE / "bare_spider.py"), "-a",
                    f"start_url={base_url}", "-s", f"CONCURRENT_REQUESTS={args.concurrency}", "-s",
                    f"CONCURRENT_REQUESTS_PER_DOMAIN={args.concurrency}", "-s", "LOG_LEVEL=ERROR", "-s",
                    "ROBOTSTXT_OBEY=False", "-s", "HTTPERROR_ALLOW_ALL=True", "-s", "TELNETCONSOLE_ENABLED=False"])
                bare_pages = int(output.split("bare-pages")[-1].split()[0])
                bare.append((bare_pages / elapsed, peak, bare_pages))
                print(f"  run {attempt + 1}: govinspect {ours[-1][0]:.0f} pages/s ({ours[-1][2]} pages, "
                      f"{ours[-1][1]:.0f} MB peak); bare Scrapy {bare[-1][0]:.0f} pages/s ({bare_pages} pages, "
                      f"{bare[-1][1]:.0f} MB peak)")
        ours_rate = statistics.median(r[0] for r in ours)
        bare_rate = statistics.median(r[0] for r in bare)
        print(f"median: govinspect {ours_rate:.0f} pages/s, bare Scrapy {bare_rate:.0f} pages/s, "
              f"ratio {ours_rate / bare_rate:.2f} (target >= 0.6)")
        print(f"peak RSS: govinspect {max(r[1] for r in ours):.0f} MB (target < 300), "
              f"bare {max(r[1] for r in bare):.0f} MB")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
