"""Scale benchmark: a full audit of a generated ~100,000-page loopback site, then a check pass and an xlsx export.

Prints pages per second, peak RSS (target < 400 MB), database size per 1,000 pages, the check pass and export
times, and where the time goes (the top functions of a profiled crawl of a smaller site).
Usage: python tests/benchmarks/scale.py [--articles 6500] [--profile-articles 500]
"""

from __future__ import annotations

import argparse
import pstats
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crawl_speed import Server, measure  # noqa: E402  (a script beside this one, not a package)


def config_for(folder: Path, base_url: str) -> Path:
    config = folder / "site.toml"
    config.write_text(f'[site]\nname = "benchmark"\nbase_url = "{base_url}"\n[crawl]\ndelay_seconds = 0\n'
                      "concurrency_per_host = 16\nmax_pages = 500000\nmax_items_per_column = 20000\n"
                      "max_list_pages = 2000\noffline = true\n", encoding="utf-8")
    return config


def timed(command: list[str]) -> tuple[float, float]:
    elapsed, peak, _ = measure(command)
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=6500, help="items per regular column (6500 ≈ 100,000 pages)")
    parser.add_argument("--profile-articles", type=int, default=500)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        server = Server(args.articles)
        try:
            print(f"site: {server.resources} resources, {server.size / 1e6:.0f} MB")
            config, db = config_for(folder, server.base_url), folder / "scale.db"
            elapsed, peak = timed([python, "-m", "govinspect", "audit", "-c", str(config), "--db", str(db),
                                   "--out", str(folder / "out")])
            with sqlite3.connect(db) as connection:
                pages = connection.execute("select count(*) from pages").fetchone()[0]
                findings = connection.execute("select count(*) from findings").fetchone()[0]
            size = db.stat().st_size + sum(p.stat().st_size for p in folder.glob("scale.db-*"))
            print(f"full audit: {pages} pages in {elapsed:.0f} s = {pages / elapsed:.0f} pages/s; "
                  f"peak RSS {peak:.0f} MB (target < 400); {findings} findings")
            print(f"database: {size / 1e6:.0f} MB, {size / pages * 1000 / 1e6:.1f} MB per 1,000 pages")
            elapsed, peak = timed([python, "-m", "govinspect", "check", "-c", str(config), "--db", str(db)])
            print(f"check pass: {elapsed:.1f} s, peak RSS {peak:.0f} MB")
            elapsed, peak = timed([python, "-m", "govinspect", "report", "--db", str(db), "--format", "xlsx",
                                   "--out", str(folder / "list.xlsx")])
            print(f"xlsx export: {elapsed:.1f} s, peak RSS {peak:.0f} MB")
        finally:
            server.stop()
        server = Server(args.profile_articles)
        try:
            profile, small = folder / "crawl.prof", folder / "small.db"
            measure([python, "-m", "cProfile", "-o", str(profile), "-m", "govinspect", "crawl", "-c",
                     str(config_for(folder, server.base_url)), "--db", str(small)])
        finally:
            server.stop()
        stats = pstats.Stats(str(profile))
        print(f"where the time goes (profiled crawl of {args.profile_articles} items per column), top five by own time:")
        rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:5]
        total = sum(value[2] for value in stats.stats.values())
        for (file, line, function), (_, calls, own, cumulative, _) in rows:
            print(f"  {own:6.1f} s own ({own / total:4.0%}), {cumulative:6.1f} s cumulative, {calls:>9} calls  "
                  f"{Path(file).name}:{line} {function}")


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"benchmark took {time.monotonic() - started:.0f} s")
