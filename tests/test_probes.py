"""Homepage availability: real `govinspect probe` runs against a loopback homepage that is sometimes too slow,
and the `availability.homepage` check turning the 站点无法访问 veto on at 5% failed probes over 7 days."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from conftest import Route, run_cli, write_config

from govinspect.config import load_config

ZONE = ZoneInfo("Asia/Shanghai")
HOME = '<html><head><meta charset="utf-8"><title>青山县审计局</title></head><body><h1>青山县审计局</h1></body></html>'


def probe(config, db, limit: float) -> str:
    result = run_cli("probe", "-c", str(config), "--db", str(db), "--timeout", str(limit))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def add_probes(db, site_id: int, day, count: int, *, failed: int = 0, elapsed: float = 0.2) -> None:
    """`count` probes spread over a past day in the site's time zone, the first `failed` of them HTTP 503."""
    with closing(sqlite3.connect(db)) as conn, conn:
        for n in range(count):
            at = datetime.combine(day, time(0, 30), ZONE) + timedelta(minutes=n * 60 * 23 / max(count, 1))
            bad = n < failed
            conn.execute("insert into probes (site_id, at, url, http_status, elapsed, ok, error, limit_seconds) "
                         "values (?, ?, ?, ?, ?, ?, ?, 15)",
                         [site_id, at.astimezone(timezone.utc).isoformat(timespec="seconds"), "http://x/",
                          503 if bad else 200, elapsed, 0 if bad else 1, "HTTP 503" if bad else None])


def checked(config, db, as_of) -> tuple[str, dict]:
    """`govinspect check` as of a day: its summary, and the availability findings of the JSON report by check id."""
    result = run_cli("check", "-c", str(config), "--db", str(db), "--as-of", as_of.isoformat())
    assert result.returncode == 0, result.stderr
    report = run_cli("report", "--db", str(db), "--format", "json")
    assert report.returncode == 0, report.stderr
    found = {f["check"]: f for f in json.loads(report.stdout)["findings"] if f["check"].startswith("availability.")}
    return result.stdout, found


def crawled_homepage(site_server, tmp_path) -> tuple[Route, object, object]:
    """A one-page site crawled once (probes belong to its site): its homepage route, configuration and database."""
    home = Route(HOME)
    config = write_config(tmp_path / "site.toml", site_server({"/": home}))
    db = tmp_path / "govinspect.db"
    crawled = run_cli("crawl", "-c", str(config), "--db", str(db))
    assert crawled.returncode == 0, crawled.stderr
    return home, config, db


def test_slow_probes_fail_and_the_veto_turns_on_at_five_percent(site_server, tmp_path):
    home, config, db = crawled_homepage(site_server, tmp_path)
    today = datetime.now(ZONE).date()
    summary, found = checked(config, db, today)
    assert found == {} and "站点无法访问 未检测（近 7 天无可用性探测记录" in summary  # never probed: not judged

    # Today: 2 probes answered at once, 3 that the homepage answers after 1 s, past a 0.3 s limit.
    lines = [probe(config, db, 0.3) for _ in range(2)]
    home.delay = 1.0
    lines += [probe(config, db, 0.3) for _ in range(3)]
    home.delay = 0
    assert all(line.endswith(" ok") and "  200  " in line for line in lines[:2])
    assert all("FAILED (not loaded within 0.3 s)" in line or "FAILED (no answer within 0.3 s)" in line
               for line in lines[2:]), lines
    with closing(sqlite3.connect(db)) as conn:
        stored = conn.execute("select ok, elapsed, error, limit_seconds, site_id from probes order by id").fetchall()
    assert [row[0] for row in stored] == [1, 1, 0, 0, 0] and all(row[3] == 0.3 for row in stored)
    assert all(0.25 <= row[1] < 1.0 for row in stored[2:])
    site_id = stored[0][4]

    # The rest of the week: 20 a day, 3 more failures (HTTP 503), and an old bad day outside the window.
    for back in range(1, 7):
        add_probes(db, site_id, today - timedelta(days=back), 20, failed=3 if back == 2 else 0)
    add_probes(db, site_id, today, 15)
    add_probes(db, site_id, today - timedelta(days=8), 20, failed=20)
    summary, found = checked(config, db, today)  # 6 failed of 140: 4.3%
    assert "availability.homepage" not in found and "站点无法访问 未触发" in summary
    assert "availability.coverage" not in found  # 20 a day on every complete day

    # One more failure: a probe that opened, but only after 15 s. 7 of 140 is 5%: the veto.
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("update probes set elapsed = 15.0 where id = (select max(id) from probes where ok = 1 and at < ?)",
                     [datetime.combine(today, time(), ZONE).astimezone(timezone.utc).isoformat()])
    summary, found = checked(config, db, today)
    assert "站点无法访问 触发 (1/1)" in summary
    finding = found["availability.homepage"]
    assert finding["severity"] == "critical" and finding["title"] == "首页无法访问" and finding["url"] == load_config(config).site.base_url
    evidence = finding["evidence"]
    assert (evidence["probes"], evidence["failed"], evidence["failed_ratio"]) == (140, 7, 0.05)
    assert [d["probes"] for d in evidence["days"]] == [20] * 7 and len(evidence["failures"]) == 7
    assert "失败 7 次（5.0%" in finding["message"]

    # A day with 19 probes: said so, as information.
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("delete from probes where id = (select max(id) from probes where ok = 1 and elapsed < 1 and at < ?"
                     " and at >= ?)", [datetime.combine(today - timedelta(days=3), time(), ZONE).astimezone(
                         timezone.utc).isoformat(), datetime.combine(today - timedelta(days=4), time(), ZONE)
                         .astimezone(timezone.utc).isoformat()])
    summary, found = checked(config, db, today)
    coverage = found["availability.coverage"]
    assert coverage["severity"] == "info" and "1 天首页监测不足 20 次" in coverage["message"]
    assert found["availability.homepage"]["evidence"]["sampled_enough"] is False

    # As of a week later, the window holds none of these probes but today's.
    later = today + timedelta(days=6)
    summary, found = checked(config, db, later)
    assert found["availability.homepage"]["evidence"]["probes"] == 20
