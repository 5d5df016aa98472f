"""The self-inspection daemon as a bureau runs it: real `govinspect schedule run` processes on loopback sites.

Seconds-level cron expressions (six fields) make the nightly job fire every second; slow pages make an
audit outlast a trigger or its time budget.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from contextlib import closing
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from conftest import run_cli
from schedule_helpers import assert_no_overlap, audits, bureau_site, daemons, rows, schedule_config, wait_for  # noqa: F401

def test_a_seconds_cron_fires_an_audit_child_records_it_and_skips_triggers_while_it_runs(site_server, tmp_path,
                                                                                        daemons):
    base_url = bureau_site(site_server, delay=1.5)
    config = schedule_config(tmp_path, base_url, 'cron = "* * * * * *"\nfull_cron = ""\ncatch_up = false\n'
                                                 "probe_minutes = 0")
    db = tmp_path / "govinspect.db"
    daemon = daemons.start(config, db=db)
    wait_for(lambda: rows(db, "select 1 from schedule_runs where status = 'completed'")
             and rows(db, "select 1 from schedule_runs where status = 'skipped'"), what="a run and a skipped trigger")
    assert daemons.stop(daemon) == 0

    done = rows(db, "select * from schedule_runs where status = 'completed' order by id")[0]
    assert (done["job"], done["mode"], done["trigger"], done["exit_code"]) == ("nightly", "incremental", "schedule", 0)
    run = rows(db, "select * from runs where id = ?", [done["run_id"]])[0]
    # The audit ran in a child process of its own, as an incremental run, and completed.
    assert run["pid"] == done["child_pid"] != done["daemon_pid"] == daemon.pid
    assert (run["mode"], run["status"]) == ("incremental", "completed")
    assert rows(db, "select count(*) as n from finding_runs where run_id = ?", [run["id"]])[0]["n"] > 0
    skipped = rows(db, "select * from schedule_runs where status = 'skipped'")
    assert all(r["note"] == "the previous nightly run is still running" and r["run_id"] is None for r in skipped)
    assert_no_overlap(audits(db))
    assert not rows(db, "select * from schedule_runs where status = 'failed'")
    assert (tmp_path / "reports").is_dir() and list((tmp_path / "reports").glob("*/report.json"))

    log = (tmp_path / "daemon1.log").read_text(encoding="utf-8")
    assert "incremental audit started (schedule)" in log and "skipped: the previous nightly run" in log
    assert "incremental audit started (schedule)" in daemons.output(daemon)  # stdout has the log too
    listing = run_cli("schedule", "list", "--db", str(db))
    assert listing.returncode == 0, listing.stderr
    assert "no daemon running" in listing.stdout and "cron * * * * * *" in listing.stdout
    assert f"run {done['run_id']} (incremental, completed" in listing.stdout
    assert "the previous nightly run is still running" in listing.stdout


def test_a_missed_run_is_caught_up_on_start_and_only_once(site_server, tmp_path, daemons):
    base_url = bureau_site(site_server)
    config = schedule_config(tmp_path, base_url, 'cron = "0 2 * * *"\nfull_cron = "0 2 * * 0"\nprobe_minutes = 0')
    db = tmp_path / "govinspect.db"
    first = run_cli("audit", "-c", str(config), "--db", str(db), "--out", str(tmp_path / "by-hand"))
    assert first.returncode == 0, first.stderr
    # The machine was off for ten days: the last run is older than the last nightly and weekly times.
    ten_days_ago = (datetime.now(timezone.utc) - timedelta(days=10)).astimezone().isoformat(timespec="seconds")
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("update runs set started_at = ?, finished_at = ?", [ten_days_ago, ten_days_ago])

    daemon = daemons.start(config, db=db)
    caught = wait_for(lambda: rows(db, "select * from schedule_runs where status = 'completed'"), what="the catch-up")
    assert daemons.stop(daemon) == 0
    assert (caught[0]["trigger"], caught[0]["job"], caught[0]["mode"]) == ("catch-up", "weekly", "full")
    assert rows(db, "select mode, status from runs where id = ?", [caught[0]["run_id"]]) == [
        {"mode": "full", "status": "completed"}]

    # Started again: nothing was missed since, so nothing runs before 02:00.
    again = daemons.start(config, db=db)
    wait_for(lambda: "job " in (tmp_path / "daemon2.log").read_text(encoding="utf-8")
             if (tmp_path / "daemon2.log").exists() else False, what="the second daemon to start")
    time.sleep(2)
    assert daemons.stop(again) == 0
    assert len(rows(db, "select * from schedule_runs")) == 1
    assert "was missed: running it now" not in (tmp_path / "daemon2.log").read_text(encoding="utf-8")


@pytest.mark.parametrize("grace", [30, 0.5])
def test_the_time_budget_stops_a_run_gracefully_and_marks_it(site_server, tmp_path, daemons, grace):
    base_url = bureau_site(site_server, delay=6, pages=4)
    # A fresh database: the weekly full run is missed, so the daemon starts it at once.
    config = schedule_config(tmp_path, base_url, 'full_time_budget_minutes = 0.05\ntime_budget_minutes = 0.05\n'
                                                 f"stop_grace_seconds = {grace}\nprobe_minutes = 0")
    db = tmp_path / "govinspect.db"
    daemon = daemons.start(config, db=db)
    stopped = wait_for(lambda: rows(db, "select * from schedule_runs where status = 'over-budget'"), timeout=40,
                       what="the run over budget")[0]
    assert daemons.stop(daemon) == 0
    assert "over its time budget of 0.05 min" in stopped["note"]
    run = rows(db, "select * from runs where id = ?", [stopped["run_id"]])[0]
    assert run["status"] == "interrupted" and "over its time budget of 0.05 min" in run["error"]
    started, finished = (datetime.fromisoformat(stopped[k]) for k in ("started_at", "finished_at"))
    assert (finished - started).total_seconds() < 3 + grace + 2  # the budget, the grace, seconds-rounded times
    if grace == 30:
        # SIGINT: Scrapy closed the crawl, the audit checked what it had read and exited 130 (interrupted).
        assert stopped["exit_code"] == 130 and "killed" not in stopped["note"]
        assert "crawl stopped early (shutdown)" in run["error"]
        assert rows(db, "select count(*) as n from finding_runs where run_id = ?", [run["id"]])[0]["n"] > 0
    else:
        # Still crawling half a second after SIGINT: killed, and its run marked interrupted all the same.
        assert stopped["exit_code"] == -signal.SIGKILL and "killed 0.5 s after SIGINT" in stopped["note"]
        assert "ended without finishing" in run["error"] and run["finished_at"]


def test_two_daemons_on_one_database_never_run_one_site_at_once(site_server, tmp_path, daemons):
    base_url = bureau_site(site_server, delay=1)
    config = schedule_config(tmp_path, base_url, 'cron = "* * * * * *"\nfull_cron = ""\ncatch_up = false\n'
                                                 "probe_minutes = 0")
    db = tmp_path / "govinspect.db"
    one = daemons.start(config, db=db, jobstore=tmp_path / "one.schedule.db")
    two = daemons.start(config, db=db, jobstore=tmp_path / "two.schedule.db")

    def enough():
        done = rows(db, "select daemon_pid from schedule_runs where status = 'completed'")
        busy = rows(db, "select * from schedule_runs where note like 'site busy:%'")
        return len(done) >= 2 and busy

    wait_for(enough, timeout=40, what="runs and a busy site")
    # A third daemon on the first one's job store is refused in one line.
    third = run_cli("schedule", "run", "-c", str(config), "--db", str(db), "--jobstore", str(tmp_path / "one.schedule.db"),
                    timeout=60)
    assert third.returncode == 2 and "job store in use by another daemon" in third.stderr
    assert third.stderr.count("\n") == 1
    assert daemons.stop(one) == 0 and daemons.stop(two) == 0

    assert_no_overlap(audits(db))
    # Writing beside each other (records, skipped triggers) broke no audit: nothing failed.
    assert not rows(db, "select * from schedule_runs where status = 'failed'")
    busy = rows(db, "select * from schedule_runs where note like 'site busy:%'")
    pids = {one.pid, two.pid}
    # Each refusal names the other daemon, which held the site's lock.
    assert all(r["daemon_pid"] in pids and f":{(pids - {r['daemon_pid']}).pop()} " in r["note"] for r in busy)


def test_crontab_weekdays_count_from_sunday_and_bad_schedules_are_one_line(tmp_path):
    from schedules.cron import cron_trigger, previous_fire_time

    zone = ZoneInfo("Asia/Shanghai")
    wednesday = datetime(2026, 12, 2, 9, 30, tzinfo=zone)
    sunday = cron_trigger("0 2 * * 0", zone)  # APScheduler 3's own from_crontab would make this a Monday
    assert sunday.get_next_fire_time(None, wednesday) == datetime(2026, 12, 6, 2, 0, tzinfo=zone)
    assert cron_trigger("0 2 * * 7", zone).get_next_fire_time(None, wednesday).weekday() == 6
    assert cron_trigger("0 2 * * 1-5", zone).get_next_fire_time(None, wednesday) == datetime(2026, 12, 3, 2, 0,
                                                                                          tzinfo=zone)
    assert previous_fire_time(sunday, wednesday) == datetime(2026, 11, 29, 2, 0, tzinfo=zone)
    assert previous_fire_time(cron_trigger("0 2 * * *", zone), wednesday) == datetime(2026, 12, 2, 2, 0, tzinfo=zone)

    for schedule, key in [('cron = "0 25 * * *"', "schedule.cron"), ('full_cron = "0 2 * *"', "schedule.full_cron"),
                          ("time_budget_minutes = 0", "schedule.time_budget_minutes")]:
        config = schedule_config(tmp_path, "http://127.0.0.1:9/", schedule)
        result = run_cli("schedule", "list", "-c", str(config), "--db", str(tmp_path / "none.db"))
        assert result.returncode == 2 and f"{config}: {key}:" in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
