"""Workspace benchmark: the 问题清单 of a site with `--findings` findings, filtered, searched and paged.

The database is export_speed.py's (a crawled site, one check pass through `record_pass`). Each page is requested
from the real Flask app signed in as an editor (its WSGI test client: SQL, templates and escaping included, no
network), a few times each; the median milliseconds per request are printed, with the overview and a finding.

Usage: python tests/benchmarks/workspace_pages.py [--findings 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from export_speed import make_database  # noqa: E402
from govinspect.store import Store  # noqa: E402
from govinspect.workspace import create_app  # noqa: E402
from govinspect.workspace.accounts import add_user  # noqa: E402

PAGES = {
    "list, default (open, by severity)": "/findings",
    "list, last page": "/findings?status=all&page=400",
    "filter: category + severity": "/findings?category=链接可用性&severity=major",
    "filter: column": "/findings?column=政策文件",
    "filter: check, sorted by url": "/findings?check=meta.tags&sort=url",
    "search: text in messages/evidence": "/findings?status=all&q=以示公开",
    "search: no match": "/findings?status=all&q=不存在的词语",
    "overview (counts, veto, trend)": "/",
    "runs": "/runs",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "govinspect.db"
        started = time.perf_counter()
        make_database(db, args.findings, max(2000, args.findings // 5))
        with Store(db) as store:
            add_user(store, "bench", "editor", "bench-password")
            some = store.db.execute("select id from findings limit 1").fetchone()[0]
        print(f"database: {args.findings} findings made in {time.perf_counter() - started:.1f} s")
        client = create_app(db).test_client()
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
        assert client.post("/login", data={"csrf": token, "name": "bench", "password": "bench-password"}).status_code == 302
        for label, path in [*PAGES.items(), ("a finding", f"/findings/{some}")]:
            times, rows = [], 0
            for _ in range(args.repeat):
                begin = time.perf_counter()
                answer = client.get(path)
                times.append((time.perf_counter() - begin) * 1000)
                assert answer.status_code == 200, (path, answer.status_code)
                rows = answer.get_data(as_text=True).count("<tr data-id=")
            print(f"{label:<40} {statistics.median(times):7.1f} ms  ({rows} rows shown)")


if __name__ == "__main__":
    main()
