"""The SQLite store: migrations, batched writes, compressed text, and recovery of runs whose process died."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from govinspect.migrations import MIGRATIONS
from govinspect.store import Store

from conftest import REPO


def test_migrations_are_idempotent_and_versioned(fresh_db):
    Store(fresh_db).close()
    with Store(fresh_db) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert {"sites", "runs", "pages", "columns", "column_items", "links", "targets", "findings",
                "finding_runs"} <= set(store.db.table_names())


def test_batch_round_trip_with_compressed_text(fresh_db):
    text = "审计动态：乐清市审计局召开2026年审计工作会议。" * 50
    with Store(fresh_db) as store:
        run_id = store.start_run(name="某县审计局", base_url="http://127.0.0.1/", mode="full", as_of="2026-11-20")
        store.write_batch(
            run_id,
            columns=[{"url": "http://127.0.0.1/col/col1/index.html", "name": "审计动态", "category": "dynamic"}],
            items=[{"column_url": "http://127.0.0.1/col/col1/index.html",
                    "entries": [{"title": "会议", "url": "http://127.0.0.1/art/1.html", "date": "2026-11-01"}]}],
            pages=[{"url": "http://127.0.0.1/art/1.html", "kind": "page", "text": text, "meta": {"PubDate": "x"},
                    "size": 100}],
            links=[{"source_url": "http://127.0.0.1/", "target_url": "http://127.0.0.1/art/1.html", "tag": "a",
                    "anchor": "会议", "hidden": 0}],
        )
        store.finalize_crawl(run_id)
        store.finish_run(run_id, "completed", requests=3)
        page = store.page(run_id, "http://127.0.0.1/art/1.html")
        raw = store.db.execute("select length(text_z) from pages").fetchone()[0]
        run = store.run()
    assert page["text"] == text and raw < len(text.encode("utf-8")) / 5
    # A page reached by a link that a column also lists is that column's article, with the list's date.
    assert page["kind"] == "article" and page["column_id"] == 1
    assert page["published"] == "2026-11-01" and page["published_source"] == "list"
    assert run["status"] == "completed" and run["pages"] == 1 and run["requests"] == 3 and run["bytes"] == 100


def test_killed_writer_leaves_consistent_db_and_run_marked_interrupted(fresh_db):
    # A child process opens a run, commits a batch, and is killed in the middle of a long transaction.
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(REPO)!r})
        from govinspect.store import Store
        store = Store({str(fresh_db)!r})
        run_id = store.start_run(name="x", base_url="http://127.0.0.1/", mode="full", as_of=None)
        store.write_batch(run_id, pages=[{{"url": "http://127.0.0.1/a", "kind": "page", "text": "甲"}}])
        store.db.execute("BEGIN")
        for n in range(5000):
            store.db.execute("insert into pages (run_id, url, kind) values (?, ?, 'page')", [run_id, f"u{{n}}"])
        print("ready", flush=True)
        time.sleep(60)
    """)
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout.readline().strip() == "ready"
        os.kill(child.pid, signal.SIGKILL)
    with Store(fresh_db) as store:
        assert store.integrity() == "ok"
        run = store.run()
        assert run["status"] == "interrupted" and "killed" in run["error"]
        assert [p["url"] for p in store.pages(run["id"])] == ["http://127.0.0.1/a"]
