"""`govinspect fleet`: fleet.toml errors, the shard merge, and one night of a 20-site fleet on a real Redis with
two crawl machines (one killed mid-job), one ingest writer, a Redis restart, politeness counted at the servers."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import psutil
import pytest
import redis
from docx import Document
from openpyxl import load_workbook

from conftest import run_cli
from fleet_helpers import (AS_OF, Gauge, RedisServer, SampleServer, Sites, board, counting, fleet_toml, free_port,
                           site_toml, start, stop, wait_until)
from govinspect.config import load_config
from govinspect.fleet.config import load_fleet_config
from govinspect.fleet.ingest import fleet_finding_id, ingest_shard

HEARTBEAT = 4  # seconds: the test's; the default stays 60
LIVE, DOWN = 17, 2
PLATFORM = 6    # live sites on one 集约化 platform budget: at most 2 requests at once across them
BROKEN = "broken"


@pytest.mark.parametrize("text, message", [
    ('[fleet]\nname = "x"\n', "fleet.toml: sites: needs at least one [[sites]] entry"),
    ('[[sites]]\nconfig = "a.toml"\n', "fleet.toml: [fleet]: missing section"),
    ('[fleet]\nname = "x"\nspeed = 1\n[[sites]]\nconfig = "a.toml"\n', "fleet.toml: fleet.speed: unknown key"),
    ('[fleet]\nname = "x"\n[[sites]]\nconfig = "a.toml"\n[[sites]]\nconfig = "b/a.toml"\n',
     "fleet.toml: sites[1].key: 'a' names two sites"),
    ('[fleet]\nname = "x"\n[[sites]]\nconfig = "a.toml"\n[[politeness]]\nhosts = ["h"]\nconcurrency = 0\n',
     "fleet.toml: politeness[0].concurrency: must be an integer of 1 or more"),
    ('[fleet]\nname = "x"\n[[sites]]\nconfig = "a.toml"\n[[politeness]]\nhosts = ["h"]\nconcurrency = 1\n'
     '[[politeness]]\nhosts = ["h"]\nconcurrency = 2\n', "fleet.toml: politeness[1].hosts: h is already in"),
    ('[fleet]\nname = "x"\nredis_url = "http://r/"\n[[sites]]\nconfig = "a.toml"\n', "fleet.toml: fleet.redis_url"),
])
def test_fleet_toml_mistakes_are_one_line_exit_2(tmp_path, text, message):
    (tmp_path / "fleet.toml").write_text(text, encoding="utf-8")
    result = run_cli("fleet", "status", "-c", "fleet.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {message}") and result.stderr.count("\n") == 1, result.stderr


def test_unreachable_redis_is_one_line_exit_2(tmp_path):
    port = free_port()
    (tmp_path / "fleet.toml").write_text(f'[fleet]\nname = "x"\nredis_url = "redis://127.0.0.1:{port}/0"\n'
                                         '[[sites]]\nconfig = "a.toml"\n', encoding="utf-8")
    result = run_cli("fleet", "enqueue", "-c", "fleet.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"error: fleet.toml: fleet.redis_url: cannot reach Redis at redis://127.0.0.1:{port}")
    assert result.stderr.count("\n") == 1


def test_inline_site_configuration_is_written_for_the_audit(tmp_path):
    (tmp_path / "fleet.toml").write_text(
        '[fleet]\nname = "x"\n[[sites]]\ngroup = "某县"\n[sites.site]\nname = "某县\\"审计\\"局"\n'
        'base_url = "http://127.0.0.1:9/"\n[sites.crawl]\nconcurrency_per_host = 1\noffline = true\n'
        '[[sites.columns]]\nname = "动态"\nurl = "http://127.0.0.1:9/col/1.html"\ncategory = "dynamic"\n'
        '[sites.checks.options."column.stale"]\ndynamic_days = 7\n', encoding="utf-8")
    fleet = load_fleet_config(tmp_path / "fleet.toml")
    entry = fleet.sites[0]
    written = load_config(fleet.site_config_file(entry))
    inline = fleet.site_config(entry)
    assert entry.key == "某县_审计_局" and entry.group == "某县"
    assert (written.site, written.crawl, written.columns, written.checks) == \
           (inline.site, inline.crawl, inline.columns, inline.checks)
    assert written.checks.options == {"column.stale": {"dynamic_days": 7}}


# -- one night of a fleet -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """20 sites (17 live, 6 of them on one platform budget, 2 down, 1 broken configuration), audited by two
    crawl machines of 2 threads and ingested by one writer; machine A is killed (-9) mid-job and replaced,
    Redis is killed (-9) and restarted on its append-only file while jobs are queued."""
    folder = tmp_path_factory.mktemp("fleet")
    redis_server = RedisServer(folder / "redis").start()
    platform, servers, sites, gauges = Sites(), [], [], {}
    (folder / "sites").mkdir()
    for index in range(LIVE):
        server = SampleServer(AS_OF, articles_per_column=1 + index % 2)
        on_platform = index < PLATFORM
        gauges[f"live{index}"] = Gauge()
        counting(server, gauges[f"live{index}"], platform if on_platform else None)
        servers.append(server.start())
        site_toml(folder / "sites" / f"live{index}.toml", f"测试县{index}号单位", server.base_url,
                  1 if on_platform else 2)
        sites.append({"config": f"sites/live{index}.toml", "group": "平台县" if on_platform else f"{index % 3}区"})
    for index in range(DOWN):  # a port nobody listens on: the site is down all night
        site_toml(folder / "sites" / f"down{index}.toml", f"停机单位{index}", f"http://127.0.0.1:{free_port()}/", 2)
        sites.append({"config": f"sites/down{index}.toml", "group": "停机区"})
    site_toml(folder / "sites" / f"{BROKEN}.toml", "配置错误单位", servers[-1].base_url, 2, "speed = 3\n")
    sites.append({"config": f"sites/{BROKEN}.toml", "group": "停机区"})
    hosts = [s.base_url.split("/")[2] for s in servers[:PLATFORM]]
    config = fleet_toml(folder, redis_server.url, sites, [{"hosts": hosts, "concurrency": 2}],
                        heartbeat_seconds=HEARTBEAT, politeness_retry_seconds=0.5, time_budget_minutes=10)
    logs = folder / "logs"
    logs.mkdir()
    client = redis_server.client()
    processes = {"ingest": start(["fleet", "ingest", "-c", str(config)], logs / "ingest.log", folder)}
    for machine in ("A", "B"):
        processes[machine] = start(["fleet", "worker", "-c", str(config), "--threads", "2"],
                                   logs / f"worker-{machine}.log", folder)
    events = {}
    try:
        enqueued = run_cli("fleet", "enqueue", "-c", str(config), cwd=folder)
        assert enqueued.returncode == 0, enqueued.stderr
        assert run_cli("fleet", "enqueue", "-c", str(config), cwd=folder).stdout.startswith("queued 0 of 20")

        def on_machine_a():
            pids = {p.pid for p in psutil.Process(processes["A"].pid).children(recursive=True)}
            running = [k for k, r in safe_board(client).items()
                       if r.get("state") == "running" and int(r["worker"].split(":")[1]) in pids]
            return running and running[0]

        killed = wait_until(on_machine_a, 120, "a job running on machine A")
        wait_until(lambda: crawling(folder / "shards" / f"{killed}.db"), 60, "its audit crawling")  # mid-job
        os.killpg(processes["A"].pid, signal.SIGKILL)
        processes["A"].wait()
        events["killed"] = killed
        processes["A2"] = start(["fleet", "worker", "-c", str(config), "--threads", "2"],
                                logs / "worker-A2.log", folder)

        wait_until(lambda: sum(r.get("state") == "done" for r in safe_board(client).values()) >= 6, 300,
                   "six sites done")
        events["queued_at_restart"] = sorted(k for k, r in safe_board(client).items() if r.get("state") == "queued")
        redis_server.kill()
        time.sleep(1)
        redis_server.start()

        def finished():
            records = safe_board(client)
            return len(records) == 20 and all(r.get("state") == "failed" or r.get("ingested")
                                              for r in records.values())

        wait_until(finished, 480, "every site audited and ingested")
        events["board"] = safe_board(client)
        events["dead_letters"] = client.zcard("govinspect-测试市政府网站群:crawl.XQ")
    finally:
        for process in processes.values():
            stop(process)
        for server in servers:
            server.stop()
    yield {"folder": folder, "config": config, "gauges": gauges, "platform": platform, "servers": servers,
           "redis": redis_server, **events}
    redis_server.stop()


def crawling(shard: Path) -> bool:
    """The shard's audit has opened its run: a kill now is a kill mid-crawl."""
    try:
        with closing(sqlite3.connect(f"{shard.as_uri()}?mode=ro", uri=True)) as con:
            return con.execute("select count(*) from runs where status = 'running'").fetchone()[0] > 0
    except sqlite3.Error:  # not created yet, or its schema not yet written
        return False


def safe_board(client: redis.Redis) -> dict:
    try:
        return board(client)
    except redis.ConnectionError:  # while Redis restarts
        return {}


def runs(db: Path) -> list[dict]:
    with closing(sqlite3.connect(db)) as con:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute("select * from runs order by id")]


def test_every_site_audited_and_ingested_exactly_once(night):
    records = night["board"]
    done = {k for k, r in records.items() if r["state"] == "done"}
    assert done == {f"live{i}" for i in range(LIVE)} | {f"down{i}" for i in range(DOWN)}
    for key in done:
        assert records[key]["ingests"] == 1, (key, records[key])
        completed = [r for r in runs(night["folder"] / "shards" / f"{key}.db") if r["status"] == "completed"]
        assert len(completed) == 1, key
    # Jobs lasted longer than the heartbeat time-out and none ran twice: the heartbeat, not a visibility timeout.
    assert max(r["seconds"] for r in records.values() if r.get("seconds")) > HEARTBEAT


def test_killed_machine_job_is_redelivered_and_completes_once(night):
    record = night["board"][night["killed"]]
    assert record["state"] == "done" and record["attempts"] == 2 and record["ingests"] == 1
    statuses = [r["status"] for r in runs(night["folder"] / "shards" / f"{night['killed']}.db")]
    # The killed attempt's run is marked interrupted by the next audit of the shard.
    assert statuses == ["interrupted", "completed"], statuses


def test_redis_restart_loses_no_job(night):
    assert night["queued_at_restart"], "the restart came after every job had started"
    for key in night["queued_at_restart"]:
        assert night["board"][key]["state"] in ("done", "failed")
        assert night["board"][key].get("ingested") or key == BROKEN


def test_down_site_is_a_finished_run_not_a_stuck_fleet(night):
    for index in range(DOWN):
        record = night["board"][f"down{index}"]
        assert record["state"] == "done" and record["ingested"]
        shard_run = runs(night["folder"] / "shards" / f"down{index}.db")[-1]
        # Run health (issue 11) stores `health`; before it, the audit ends 0 and the run is only `completed`.
        expected = shard_run["health"] if "health" in shard_run else "ok"
        assert record["health"] == expected and shard_run["pages"] <= 1


def test_broken_site_configuration_is_a_dead_letter_with_its_one_line_error(night):
    record = night["board"][BROKEN]
    assert record["state"] == "failed"
    assert record["error"].startswith(f"{night['folder'] / 'sites' / BROKEN}.toml: crawl.speed: unknown key")
    assert "\n" not in record["error"]
    assert night["dead_letters"] == 1
    status = run_cli("fleet", "status", "-c", str(night["config"]), "--json", cwd=night["folder"])
    assert json.loads(status.stdout)[BROKEN]["error"] == record["error"]


def test_politeness_counted_at_the_servers(night):
    """The fleet's share of politeness, counted at the servers: the platform's budget of 2 requests at once holds
    2 audits of concurrency 1, so never were more than 2 of its sites being served at the same moment.

    (The requests each audit sends at once are the crawler's concurrency_per_host; `peak` is reported, not
    asserted: the crawler overshoots it, see the fleet notes in README.)"""
    assert night["platform"].peak == 2, night["platform"].peak
    for gauge in night["gauges"].values():
        assert gauge.total > 50


def _partition(db: Path, base_url: str, finding_id=lambda fid: fid) -> dict:
    """A site's rows without the database's own ids: what a fleet database must hold as its shard does."""
    with closing(sqlite3.connect(db)) as con:
        site = con.execute("select id from sites where base_url = ?", [base_url]).fetchone()[0]
        run_ids = [r for (r,) in con.execute("select id from runs where site_id = ? and status != 'running' "
                                             "order by id", [site])]
        order = {r: n for n, r in enumerate(run_ids)}
        marks = ",".join("?" * len(run_ids))
        part = {"runs": con.execute(f"select mode, status, as_of, pages, requests, errors, started_at, finished_at "
                                    f"from runs where id in ({marks}) order by id", run_ids).fetchall()}
        tables = {"pages": "url, kind, http_status, title, published, text_z, column_id is null",
                  "links": "source_url, target_url, tag, anchor", "targets": "url, verdict, reason",
                  "columns": "url, name, category, items", "column_items": "url, title, date, position"}
        for table, cols in tables.items():
            part[table] = sorted((order[r], *rest) for r, *rest in con.execute(
                f"select run_id, {cols} from {table} where run_id in ({marks})", run_ids))
        part["findings"] = sorted((finding_id(f), *rest) for f, *rest in con.execute(
            "select id, check_id, subject, status, severity, message, evidence, pages from findings where site_id = ?",
            [site]))
        part["finding_runs"] = sorted((finding_id(f), order[r], s) for f, r, s in con.execute(
            f"select finding_id, run_id, severity from finding_runs where run_id in ({marks})", run_ids))
    return part


def test_fleet_database_equals_the_shards(night):
    fleet_db = night["folder"] / "fleet.db"
    for key in night["board"]:
        if key == BROKEN:
            continue
        base_url = load_config(night["folder"] / "sites" / f"{key}.toml").site.base_url
        shard = _partition(night["folder"] / "shards" / f"{key}.db", base_url,
                           lambda fid, b=base_url: fleet_finding_id(b, fid))
        assert _partition(fleet_db, base_url) == shard, key
        assert shard["findings"] or key.startswith("down")


def test_a_fleet_job_is_the_single_site_audit(night, tmp_path):
    """The same site audited alone (`govinspect audit`, its own database) finds what the fleet stored for it."""
    server = SampleServer(AS_OF, articles_per_column=2).start()
    try:
        config = site_toml(tmp_path / "site.toml", "测试县7号单位", server.base_url, 2)
        result = run_cli("audit", "-c", str(config), "--db", str(tmp_path / "alone.db"), "--out",
                         str(tmp_path / "out"), "--as-of", AS_OF.isoformat())
        assert result.returncode == 0, result.stderr
    finally:
        server.stop()
    port = server.base_url.split(":")[2].rstrip("/")

    def findings(db: Path, base: str) -> set:
        with closing(sqlite3.connect(db)) as con:
            site = con.execute("select id from sites where base_url = ?", [base]).fetchone()[0]
            return {(c, s.replace(base.rstrip("/"), "SITE"), sev, st) for c, s, sev, st in con.execute(
                "select check_id, subject, severity, status from findings where site_id = ?", [site])}

    fleet_site = load_config(night["folder"] / "sites" / "live7.toml").site.base_url  # also 2 articles a column
    alone = findings(tmp_path / "alone.db", server.base_url)
    assert alone and findings(night["folder"] / "fleet.db", fleet_site) == alone, port


def test_reingesting_a_shard_changes_nothing(night):
    fleet_db = night["folder"] / "fleet.db"

    def digest() -> str:
        with closing(sqlite3.connect(fleet_db)) as con:
            return hashlib.sha1("\n".join(con.iterdump()).encode()).hexdigest()

    before = digest()
    fleet = load_fleet_config(night["config"])
    for key in ("live0", "down0", night["killed"]):
        result = ingest_shard(fleet_db, fleet.shard(key), key=key, group=fleet.site(key).group,
                              keep_runs=fleet.fleet.keep_runs)
        assert result.unchanged and result.runs_copied == 0
    assert digest() == before


def test_fleet_reports(night):
    folder, config = night["folder"], night["config"]
    out = {fmt: folder / f"fleet.{fmt}" for fmt in ("json", "xlsx", "html", "docx")}
    for fmt, path in out.items():
        result = run_cli("fleet", "report", "-c", str(config), "--format", fmt, "--out", str(path), cwd=folder)
        assert result.returncode == 0, result.stderr
    document = json.loads(out["json"].read_text(encoding="utf-8"))
    assert document["schema"] == "govinspect.fleet/1" and document["fleet"]["name"] == "测试市政府网站群"
    sites = document["sites"]
    assert [s["rank"] for s in sites] == list(range(1, 21))
    assert sites[-1]["key"] == BROKEN and sites[-1]["run"] is None  # never audited: last
    live = [s for s in sites if s["key"].startswith("live")]
    assert all(s["run"]["health"] == "ok" and s["open_findings"] > 0 for s in live)
    scores = [s["score"] for s in live if not any(v.get("state") == "triggered" or v["triggered"]
                                                  for v in s["summary"]["veto"])]
    assert scores == sorted(scores)
    assert {s["group"] for s in sites} >= {"平台县", "停机区"}
    book = load_workbook(out["xlsx"])
    ranking = list(book["排名"].iter_rows(values_only=True))
    assert ranking[0][:3] == ("排名", "网站名称", "网址") and len(ranking) == 21
    assert [row[1] for row in ranking[1:]] == [s["name"] for s in sites]
    html = out["html"].read_text(encoding="utf-8")
    assert "测试市政府网站群网站检查排名" in html and html.count('<details id="site-') == 20
    paragraphs = Document(out["docx"]).paragraphs
    headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    units = [s["name"] for s in sites if s["open_findings"]]
    assert headings == ["关于测试市政府网站群网站检查情况的通报", "一、总体情况", "二、单项否决情况", "三、各单位存在的问题",
                        *[f"{n}. {name}" for n, name in enumerate(units, start=1)], "四、整改要求"]
    assert "前完成" in paragraphs[-2].text


def test_a_second_ingest_writer_is_refused(night):
    folder, log = night["folder"], night["folder"] / "logs" / "ingest-again.log"
    first = start(["fleet", "ingest", "-c", str(night["config"])], log, folder)
    try:
        wait_until(lambda: log.exists() and "ingest: writing" in log.read_text(), 60, "the first writer")
        second = run_cli("fleet", "ingest", "-c", str(night["config"]), cwd=folder, timeout=60)
        assert second.returncode == 2
        assert second.stderr == \
            f"error: {folder / 'fleet.db'}: another `govinspect fleet ingest` is its writer already\n"
    finally:
        stop(first)


def test_the_fleet_keeps_each_sites_latest_runs(night, tmp_path):
    shard = night["folder"] / "shards" / f"{night['killed']}.db"
    finished = [r for r in runs(shard) if r["status"] != "running"]
    assert len(finished) == 2  # the killed attempt's run (interrupted) and the redelivered one
    fleet_db = tmp_path / "fleet.db"
    assert ingest_shard(fleet_db, shard, key="k", keep_runs=1).runs_copied == 1
    assert [(r["started_at"], r["pages"]) for r in runs(fleet_db)] == \
           [(finished[-1]["started_at"], finished[-1]["pages"])]
    everything = ingest_shard(fleet_db, shard, key="k", keep_runs=0)  # older runs come first again: ids in order
    assert (everything.runs_copied, everything.runs_dropped) == (len(finished), 1)
    assert [r["started_at"] for r in runs(fleet_db)] == [r["started_at"] for r in finished]
    assert ingest_shard(fleet_db, shard, key="k", keep_runs=1).runs_dropped == len(finished) - 1
    assert len(runs(fleet_db)) == 1
