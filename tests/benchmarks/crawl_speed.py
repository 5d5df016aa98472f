"""Crawl benchmark: govinspect against a bare Scrapy spider (and LinkChecker) on one generated loopback site.

Prints pages per second for each side, their ratio, peak RSS of each process tree, the site's size and the
loopback server's own ceiling; medians over --repeat runs. Everything targets 127.0.0.1 only.
Usage: python tests/benchmarks/crawl_speed.py [--articles 700] [--repeat 3] [--command audit] [--linkchecker]
"""

from __future__ import annotations

import argparse
import re
import sqlite3
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
headers = {"LinkChecker": "maxrated"} if sys.argv[2] == "maxrated" else {}
server = SampleServer(datetime.date(2026, 11, 20), articles_per_column=int(sys.argv[1]), extra_headers=headers)
server.start()
print(server.base_url, len(server.site.resources), sum(len(r.body) for r in server.site.resources.values()), flush=True)
server.serve_forever()
"""
# Runs a command and reports its wall time and the peak RSS of its process tree.
MEASURE = """
import resource, subprocess, sys, time
started = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(done.returncode, time.monotonic() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stdout.write(done.stdout[-3000:])
sys.stderr.write(done.stderr[-3000:])
"""


def measure(command: list[str], cwd: Path = REPO) -> tuple[float, float, str]:
    answer = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, cwd=cwd)
    first, *rest = answer.stdout.splitlines()
    code, elapsed, peak_kb = first.split()
    if code != "0" and "linkchecker" not in command[0]:
        sys.exit(f"benchmark command failed: {' '.join(command)}\n{answer.stderr}")
    return float(elapsed), int(peak_kb) / 1024, "\n".join(rest)


class Server:
    def __init__(self, articles: int, mode: str = "plain"):
        self.process = subprocess.Popen([sys.executable, "-c", SERVE, str(articles), mode], stdout=subprocess.PIPE,
                                        text=True, cwd=REPO)
        base_url, resources, size = self.process.stdout.readline().split()
        self.base_url, self.resources, self.size = base_url, int(resources), int(size)

    def ceiling(self, seconds: float = 3.0, threads: int = 8) -> float:
        """Requests per second the server answers for one page, so it is known not to be the limit."""
        deadline = time.monotonic() + seconds

        def loop(_):
            count = 0
            while time.monotonic() < deadline:
                with urllib.request.urlopen(self.base_url + "index.html") as answer:
                    answer.read()
                count += 1
            return count

        with ThreadPoolExecutor(threads) as pool:
            return sum(pool.map(loop, range(threads))) / seconds

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


def run_ours(base_url: str, folder: Path, attempt: int, command: str, concurrency: int) -> tuple[float, float, int]:
    config = folder / "site.toml"
    config.write_text(f'[site]\nname = "benchmark"\nbase_url = "{base_url}"\n[crawl]\ndelay_seconds = 0\n'
                      f"concurrency_per_host = {concurrency}\nmax_pages = 200000\noffline = true\n",
                      encoding="utf-8")
    db = folder / f"run{attempt}.db"
    extra = ["--out", str(folder / f"out{attempt}")] if command == "audit" else []
    elapsed, peak, _ = measure([sys.executable, "-m", "govinspect", command, "-c", str(config), "--db", str(db),
                                *extra])
    with sqlite3.connect(db) as connection:
        pages = connection.execute("select count(*) from pages").fetchone()[0]
    return pages / elapsed, peak, pages


def run_bare(base_url: str, concurrency: int) -> tuple[float, float, int]:
    settings = {"CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
                "LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False, "HTTPERROR_ALLOW_ALL": True,
                "TELNETCONSOLE_ENABLED": False}
    flags = [part for name, value in settings.items() for part in ("-s", f"{name}={value}")]
    elapsed, peak, output = measure([sys.executable, "-m", "scrapy", "runspider", str(HERE / "bare_spider.py"),
                                     "-a", f"start_url={base_url}", *flags])
    pages = int(output.split("bare-pages")[-1].split()[0])
    return pages / elapsed, peak, pages


def run_linkchecker(base_url: str, folder: Path, fast: bool, seconds: int) -> tuple[float, float, int]:
    """LinkChecker 10 with its own defaults, or with its rate limit lifted (`maxrated` server, 32 threads)."""
    rc = folder / ("fast.rc" if fast else "default.rc")
    rc.write_text("[checking]\n" + ("maxrequestspersecond=1000\nthreads=32\n" if fast else "")
                  + f"maxrunseconds={seconds}\n[output]\nstatus=0\n", encoding="utf-8")
    binary = str(Path(sys.executable).with_name("linkchecker"))
    elapsed, peak, output = measure([binary, "-f", str(rc), *(["-t", "32"] if fast else []), "--no-warnings",
                                     base_url], cwd=folder)
    found = re.search(r"(\d+) links? in (\d+) URLs? checked", output)
    urls = int(found.group(2)) if found else 0
    return urls / elapsed, peak, urls


def median_line(name: str, runs: list[tuple[float, float, int]], unit: str) -> float:
    rate = statistics.median(r[0] for r in runs)
    print(f"  {name:<28} {rate:7.0f} {unit}/s  ({runs[0][2]} {unit}, peak RSS {max(r[1] for r in runs):.0f} MB)")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=700, help="items per regular column (700 ≈ 10,000 pages)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--command", choices=["crawl", "audit"], default="audit",
                        help="what govinspect runs: the crawl alone, or crawl + checks + reports")
    parser.add_argument("--linkchecker", action="store_true", help="also run LinkChecker (pip install linkchecker)")
    parser.add_argument("--linkchecker-seconds", type=int, default=60, help="LinkChecker's maxrunseconds")
    args = parser.parse_args()
    server = Server(args.articles)
    ours, bare = [], []
    try:
        print(f"site: {server.base_url}  {server.resources} resources, {server.size / 1e6:.1f} MB; "
              f"server ceiling {server.ceiling():.0f} requests/s (8 threads, one page)")
        with tempfile.TemporaryDirectory() as folder:
            for attempt in range(args.repeat):
                ours.append(run_ours(server.base_url, Path(folder), attempt, args.command, args.concurrency))
                bare.append(run_bare(server.base_url, args.concurrency))
                print(f"  run {attempt + 1}: govinspect {args.command} {ours[-1][0]:.0f} pages/s, "
                      f"bare Scrapy {bare[-1][0]:.0f} pages/s")
            print(f"medians over {args.repeat} runs, concurrency {args.concurrency}, politeness off:")
            ours_rate = median_line(f"govinspect {args.command}", ours, "pages")
            bare_rate = median_line("bare Scrapy spider", bare, "pages")
            print(f"  ratio {ours_rate / bare_rate:.2f} (target >= 0.6); govinspect peak RSS "
                  f"{max(r[1] for r in ours):.0f} MB (target < 300)")
            if args.linkchecker:
                default = [run_linkchecker(server.base_url, Path(folder), False, args.linkchecker_seconds)]
                server.stop()
                server = Server(args.articles, "maxrated")
                fast = [run_linkchecker(server.base_url, Path(folder), True, args.linkchecker_seconds)
                        for _ in range(args.repeat)]
                median_line("LinkChecker 10, defaults", default, "URLs")
                median_line("LinkChecker 10, maxrated -t 32", fast, "URLs")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
