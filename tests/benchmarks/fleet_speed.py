"""Fleet benchmark: sites per minute with 1, 2 and 4 worker processes under a per-host politeness limit, and the
ingest rate (pages merged per second). Everything on 127.0.0.1: a redis-server of its own, one sample site per
host (`govinspect/demo`), `govinspect fleet worker` and `fleet ingest` as real processes.

Usage: python tests/benchmarks/fleet_speed.py [--sites 50] [--workers 1 2 4] [--delay 0.25] [--articles 1]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fleet_helpers import (AS_OF, RedisServer, SampleServer, board, fleet_toml, site_toml, start,  # noqa: E402
                           stop, wait_until)
from govinspect.fleet.ingest import ingest_shard  # noqa: E402


def night(folder: Path, servers: list, workers: int, delay: float) -> tuple[float, int]:
    """One night of every site with `workers` processes of one thread each: wall seconds, pages stored."""
    redis_server = RedisServer(folder / "redis").start()
    (folder / "sites").mkdir(parents=True)
    sites = []
    for index, server in enumerate(servers):
        site_toml(folder / "sites" / f"s{index}.toml", f"基准单位{index}", server.base_url, 1, delay=delay)
        sites.append({"config": f"sites/s{index}.toml"})
    config = fleet_toml(folder, redis_server.url, sites, [], politeness_retry_seconds=1)
    ingest = start(["fleet", "ingest", "-c", str(config)], folder / "ingest.log", folder)
    worker = start(["fleet", "worker", "-c", str(config), "--processes", str(workers), "--threads", "1"],
                   folder / "worker.log", folder)
    try:
        time.sleep(3)  # workers booted: the clock measures audits, not interpreter start-up
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "govinspect", "fleet", "enqueue", "-c", str(config)], check=True,
                       cwd=folder, capture_output=True)
        client = redis_server.client()
        wait_until(lambda: sum(bool(r.get("ingested")) for r in board(client, "测试市政府网站群").values())
                   == len(servers), 7200, "every site ingested", interval=0.2)
        seconds = time.monotonic() - started
        pages = sum(r.get("pages") or 0 for r in board(client, "测试市政府网站群").values())
    finally:
        stop(worker)
        stop(ingest)
        redis_server.stop()
    return seconds, pages


def ingest_rate(shards: list[Path], folder: Path) -> tuple[float, int]:
    """Merge every shard into a fresh fleet database, in this process: seconds, pages merged."""
    fleet_db = folder / "ingest-bench.db"
    started = time.monotonic()
    pages = sum(ingest_shard(fleet_db, shard, key=shard.stem).pages_copied for shard in shards)
    return time.monotonic() - started, pages


def queue_memory(folder: Path, sites: int) -> tuple[int, int]:
    """Redis memory and append-only file bytes for `sites` queued audits with their status board (no worker)."""
    redis_server = RedisServer(folder / "redis").start()
    try:
        before = redis_server.client().info("memory")["used_memory"]
        (folder / "sites").mkdir()
        entries = []
        for index in range(sites):
            site_toml(folder / "sites" / f"site{index:04d}.toml", f"某县第{index}单位",
                      f"https://site{index}.example.gov.cn/", 2)
            entries.append({"config": f"sites/site{index:04d}.toml", "group": f"县{index % 30}"})
        config = fleet_toml(folder, redis_server.url, entries, [])
        subprocess.run([sys.executable, "-m", "govinspect", "fleet", "enqueue", "-c", str(config)], check=True,
                       cwd=folder, capture_output=True)
        used = redis_server.client().info("memory")["used_memory"] - before
        return used, sum(p.stat().st_size for p in (folder / "redis").rglob("*.aof"))
    finally:
        redis_server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--delay", type=float, default=0.25, help="seconds between requests to one host")
    parser.add_argument("--articles", type=int, default=1, help="articles per column of each sample site")
    parser.add_argument("--queued", type=int, default=1000, help="sites queued for the Redis memory figure")
    args = parser.parse_args()
    servers = [SampleServer(AS_OF, articles_per_column=args.articles).start() for _ in range(args.sites)]
    print(f"{args.sites} sites, {len(servers[0].site.resources)} resources each, one host each, "
          f"concurrency_per_host = 1, delay_seconds = {args.delay}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as tmp:
        try:
            for workers in args.workers:
                seconds, pages = night(Path(tmp) / f"w{workers}", servers, workers, args.delay)
                results[workers] = seconds
                print(f"{workers} worker process(es): {args.sites} sites in {seconds:.0f} s = "
                      f"{args.sites / seconds * 60:.1f} sites/min, {pages / seconds:.1f} pages/s, "
                      f"speed-up {results[args.workers[0]] / seconds * args.workers[0]:.2f}x against "
                      f"{args.workers[0]}")
        finally:
            for server in servers:
                server.stop()
        shards = sorted((Path(tmp) / f"w{args.workers[-1]}" / "shards").glob("*.db"))
        seconds, pages = ingest_rate(shards, Path(tmp))
        print(f"ingest: {len(shards)} shards, {pages} pages in {seconds:.1f} s = {pages / seconds:.0f} pages/s "
              f"({len(shards) / seconds:.1f} shards/s)")
        used, aof = queue_memory(Path(tmp) / "queue", args.queued)
        print(f"redis: {args.queued} queued audits with their board: {used / 1e6:.2f} MB of memory, "
              f"append-only file {aof / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
