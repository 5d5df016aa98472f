"""Export benchmark: 100,000 findings of one run, written as xlsx, csv, html, json (and docx); seconds and peak RSS.

The database is made here through the real APIs: a site crawled into `--pages` pages (the store's write_batch,
so rectification rows get page titles and columns), then one check pass of `--findings` sightings recorded
with govinspect/findings.py's `record_pass`, a mix of text, link, column and meta findings with realistic
evidence. Each export is then a `govinspect report --format F` process of its own, so that its peak RSS
(from wait4) is its own; the time is that process's wall time, Python's start-up included.

Usage: python tests/benchmarks/export_speed.py [--findings 100000] [--pages 20000] [--formats xlsx,csv,html,json]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from govinspect.findings import Sighting, record_pass  # noqa: E402
from govinspect.store import Store  # noqa: E402

BASE = "http://sjj.example.gov.cn/"
COLUMNS = ["审计动态", "通知公告", "政策文件", "政策解读", "审计结果公告", "人事信息"]
TYPOS = [("已示公开", "以示公开"), ("中华人民共合国", "中华人民共和国"), ("工作,积极", "工作，积极")]


def page_url(i: int) -> str:
    return f"{BASE}art/2026/{i % 12 + 1}/{i % 28 + 1}/art_1229_{i}.html"


def make_database(path: Path, findings: int, pages: int, seed: int = 7) -> int:
    chance = random.Random(seed)
    with Store(path) as store:
        run_id = store.start_run(name="某县审计局", base_url=BASE, mode="full", as_of="2026-11-20")
        columns = [{"url": f"{BASE}col/col{i}/index.html", "name": name, "category": "dynamic"}
                   for i, name in enumerate(COLUMNS)]
        for start in range(0, pages, 2000):
            batch = [{"url": page_url(i), "kind": "article", "http_status": 200, "title": f"县审计局工作动态第{i}期",
                      "column_url": columns[i % len(columns)]["url"], "text": ""}
                     for i in range(start, min(start + 2000, pages))]
            store.write_batch(run_id, columns=columns if not start else [], pages=batch)
        store.finish_run(run_id, "completed")
        sightings = []
        for i in range(findings):
            kind = i % 4
            page = page_url(chance.randrange(pages))
            if kind == 0:
                wrong, right = TYPOS[i % len(TYPOS)]
                sightings.append(Sighting("text.typo", "错别字", f"{page}#t{i}", "major", f"正文中「{wrong}」应为「{right}」",
                                          {"text": wrong, "suggestion": right, "where": "text", "count": 1,
                                           "context": f"形成审计结果通报，分发至县直各有关单位，{wrong}。二是公告年度审计工作"},
                                          [page], COLUMNS[i % len(COLUMNS)]))
            elif kind == 1:
                target = f"{BASE}missing/{i}.html"
                sightings.append(Sighting("link.broken", "链接不可用", target, "major", "页面链接返回 HTTP 404，3 个页面引用",
                                          {"kind": "page", "http_status": 404, "reason": "HTTP 404"},
                                          [page, page_url(i % pages), page_url((i * 7) % pages)]))
            elif kind == 2:
                sightings.append(Sighting("meta.tags", "网页标签缺失", f"{page}?m={i}", "minor",
                                          "页面缺少网页标签：PubDate、ContentSource",
                                          {"missing": ["PubDate", "ContentSource"], "kind": "article"}, [page]))
            else:
                sightings.append(Sighting("column.stale", "栏目超期未更新", f"{BASE}col/x{i}/index.html", "major",
                                          f"栏目更新至 2026-10-11，已超过 14 天未更新（{i % 90 + 15} 天）",
                                          {"category": "dynamic", "limit_days": 14, "newest": "2026-10-11",
                                           "age_days": i % 90 + 15}, [f"{BASE}col/x{i}/index.html"],
                                          COLUMNS[i % len(COLUMNS)]))
        checks = sorted({s.check_id for s in sightings})
        record_pass(store, run_id, sightings, checks, as_of="2026-11-20")
    return run_id


def measure(db: Path, fmt: str, out: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and output size of one `govinspect report` process."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "govinspect", "report", "--db", str(db), "--format", fmt,
                              "--out", str(out)], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    error = child.stderr.read().decode()
    child.stderr.close()
    if child.returncode:
        raise SystemExit(f"{fmt}: exit {child.returncode}: {error}")
    return seconds, usage.ru_maxrss / 1024, out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--formats", default="xlsx,csv,html,json,docx")
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)  # the child that makes the database
    args = parser.parse_args()
    if args.make:
        make_database(args.make, args.findings, args.pages)
        return
    with tempfile.TemporaryDirectory(prefix="export-speed-") as tmp:
        db = Path(tmp) / "govinspect.db"
        started = time.perf_counter()
        # In a process of its own: Linux keeps a parent's peak RSS in its children's figures after fork + exec.
        subprocess.run([sys.executable, __file__, "--make", str(db), "--findings", str(args.findings),
                        "--pages", str(args.pages)], check=True)
        print(f"database: {args.findings} findings over {args.pages} pages, made in "
              f"{time.perf_counter() - started:.1f} s ({db.stat().st_size / 1e6:.0f} MB)")
        baseline = subprocess.run([sys.executable, "-c", "import resource, govinspect.cli; print(resource.getrusage("
                                   "resource.RUSAGE_SELF).ru_maxrss)"], cwd=REPO, capture_output=True, text=True)
        print(f"baseline: python with govinspect.cli imported, peak RSS {int(baseline.stdout) / 1024:.0f} MB")
        print(f"{'format':<6} {'seconds':>8} {'peak RSS MB':>12} {'file MB':>8} {'findings/s':>11}")
        for fmt in args.formats.split(","):
            seconds, rss, size = measure(db, fmt, Path(tmp) / f"out.{fmt}")
            print(f"{fmt:<6} {seconds:>8.1f} {rss:>12.0f} {size / 1e6:>8.1f} {args.findings / seconds:>11.0f}")


if __name__ == "__main__":
    main()
