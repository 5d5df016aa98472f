"""Crawling the sample bureau site over loopback: every column and item, dates, encodings, attachments, kills."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from govinspect.demo.run import compare_with_site
from govinspect.store import Store

from conftest import AS_OF, REPO, run_cli, write_config


def test_discovery_finds_every_column_and_every_item(sample_crawl):
    db, run_id, site = sample_crawl
    with Store(db) as store:
        comparison = compare_with_site(store, run_id, site)
        run = store.run(run_id)
    assert comparison["missing_columns"] == [] and comparison["missing_items"] == []
    assert comparison["columns_found"] == len(site.columns) and comparison["items_found"] > 100
    assert run["status"] == "completed" and run["pages"] > 100 and run["requests"] >= run["pages"] - 10


def _items_by_column(store, run_id):
    found = {}
    for column in store.columns(run_id):
        found[column["url"]] = (column, store.column_items(column["id"]))
    return found


def test_item_counts_and_dates_equal_the_generator(sample_crawl):
    db, run_id, site = sample_crawl
    with Store(db) as store:
        found = _items_by_column(store, run_id)
    dated = matched = 0
    for spec in site.columns:
        column, items = found[spec.url]
        assert len(items) == len(spec.items), spec.name
        assert column["category"] == spec.category, spec.name
        dates = {item["url"]: item["date"] for item in items}
        for item in spec.items:
            if item.date:
                dated += 1
                matched += dates[item.url] == item.date
    assert dated and matched / dated >= 0.99


@pytest.mark.parametrize("platform", ["hanweb", "trs"])
def test_paged_platform_columns_are_read_past_the_first_page(sample_crawl, platform):
    db, run_id, site = sample_crawl
    specs = [c for c in site.columns if c.platform == platform]
    assert specs, f"the sample site has no {platform} column"
    biggest = max(specs, key=lambda c: len(c.items))
    with Store(db) as store:
        column, items = _items_by_column(store, run_id)[biggest.url]
        list_pages = list(store.db.query("select url from pages where run_id = ? and column_id = ? and kind = 'list'",
                                         [run_id, column["id"]]))
    assert column["platform"] == platform and len(items) == len(biggest.items)
    # Items beyond the first list page were found only through the platform's own paging.
    assert list_pages and column["list_pages"] == len(list_pages) + 1
    if platform == "hanweb":
        assert all("dataproxy.jsp" in page["url"] for page in list_pages)
    else:
        assert all("index_" in page["url"] for page in list_pages)


def test_gbk_column_titles_read_correctly(sample_crawl):
    db, run_id, site = sample_crawl
    gbk = [c for c in site.columns if c.encoding.lower() in ("gbk", "gb2312", "gb18030")]
    assert gbk, "the sample site has no GBK column"
    with Store(db) as store:
        found = _items_by_column(store, run_id)
        for spec in gbk:
            titles = {item["title"] for item in found[spec.url][1]}
            assert titles == {item.title for item in spec.items}
            page = store.page(run_id, spec.items[0].url)
            assert page["encoding"] == "gb18030" and spec.items[0].title in (page["title"] or "") + page["text"]


def test_articles_have_text_and_dates_and_attachments_have_text(sample_crawl):
    db, run_id, _ = sample_crawl
    with Store(db) as store:
        articles = list(store.pages(run_id, "article"))
        attachments = list(store.pages(run_id, "attachment"))
    assert articles and attachments
    with_text = [a for a in articles if a["text"]]
    assert len(with_text) / len(articles) > 0.9
    assert sum(1 for a in articles if a["published"]) / len(articles) > 0.95
    kinds = {a["platform"] for a in attachments if a["text"]}
    assert {"xlsx", "docx", "pdf"} <= kinds


def test_links_are_recorded_with_tags_and_hidden_flag(sample_crawl):
    db, run_id, _ = sample_crawl
    with Store(db) as store:
        tags = {row["tag"] for row in store.db.query("select distinct tag from links where run_id = ?", [run_id])}
        hidden = store.db.execute("select count(*) from links where run_id = ? and hidden = 1", [run_id]).fetchone()[0]
        private = list(store.db.query("select * from targets where run_id = ? and verdict = 'skipped-private'",
                                      [run_id]))
    assert {"a", "img", "attachment"} <= tags
    assert hidden >= 1
    assert private and all("192.168." in t["url"] or "10." in t["url"] for t in private)


def test_configured_columns_are_used_as_given(sample_server, tmp_path):
    spec = next(c for c in sample_server.site.columns if c.platform == "hanweb")
    config = write_config(tmp_path / "site.toml", sample_server.base_url,
                          f'max_depth = 1\n\n[[columns]]\nname = "我的栏目"\nurl = "{spec.url}"\ncategory = "other"\n')
    db = tmp_path / "g.db"
    result = run_cli("crawl", "-c", str(config), "--db", str(db), "--as-of", AS_OF.isoformat())
    assert result.returncode == 4, result.stderr  # max_depth = 1 cut the crawl short: degraded, and said so
    with Store(db) as store:
        run_id = int(result.stdout.split()[-1])
        columns = store.columns(run_id)
        assert any("抓取深度上限" in reason for reason in store.health(run_id)[1])
    assert [(c["name"], c["category"]) for c in columns] == [("我的栏目", "other")]
    assert columns[0]["items"] == len(spec.items)


def test_sigkill_mid_crawl_then_next_command_marks_interrupted(sample_server, tmp_path):
    config = write_config(tmp_path / "site.toml", sample_server.base_url).read_text(encoding="utf-8")
    # Slow enough to be caught mid-way.
    (tmp_path / "site.toml").write_text(config.replace("delay_seconds = 0", "delay_seconds = 0.05")
                                        .replace("concurrency_per_host = 8", "concurrency_per_host = 1"))
    db = tmp_path / "g.db"
    with subprocess.Popen([sys.executable, "-m", "govinspect", "crawl", "-c", str(tmp_path / "site.toml"),
                           "--db", str(db)], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as child:
        deadline = time.monotonic() + 60
        pages = 0
        while time.monotonic() < deadline and pages < 30:
            time.sleep(0.3)
            if db.exists():
                with Store(db) as store:
                    pages = store.db.execute("select count(*) from pages").fetchone()[0]
        assert pages >= 30
        os.kill(child.pid, signal.SIGKILL)
    result = run_cli("findings", "--db", str(db))
    assert result.returncode == 0, result.stderr
    with Store(db) as store:
        assert store.integrity() == "ok"
        assert store.run()["status"] == "interrupted"
    result = run_cli("crawl", "-c", str(tmp_path / "site.toml"), "--db", str(db))
    assert result.returncode == 0, result.stderr
    with Store(db) as store:
        assert [r["status"] for r in store.runs()] == ["interrupted", "completed"]


def test_report_json_has_the_contract_shape(sample_crawl, tmp_path):
    db, run_id, _ = sample_crawl
    result = run_cli("report", "--db", str(db), "--format", "json", "--out", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["schema"] == "govinspect.report/1"
    assert set(report) == {"schema", "site", "run", "summary", "findings"}
    assert set(report["run"]) == {"id", "mode", "status", "started_at", "finished_at", "as_of", "requests", "pages",
                                  "health", "health_reasons", "checks_failed", "checks"}
    assert report["run"]["health"] == "ok" and report["run"]["checks_failed"] == []
    assert report["run"]["id"] == run_id and report["site"]["name"] == "青山县审计局"
    assert set(report["summary"]) == {"by_check", "veto"}
