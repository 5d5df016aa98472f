"""`homepage.slow`: the median of a week of homepage probes (real `govinspect probe` runs and stored probe rows)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from conftest import run_cli
from test_probes import ZONE, add_probes, crawled_homepage, probe


def slow_findings(config, db, as_of) -> list[dict]:
    result = run_cli("check", "-c", str(config), "--db", str(db), "--as-of", as_of.isoformat())
    assert result.returncode == 0, result.stderr
    report = run_cli("report", "--db", str(db), "--format", "json")
    assert report.returncode == 0, report.stderr
    return [f for f in json.loads(report.stdout)["findings"] if f["check"] == "homepage.slow"]


@pytest.fixture
def site(site_server, tmp_path):
    return crawled_homepage(site_server, tmp_path)


def test_median_of_the_week_above_three_seconds(site):
    _, config, db = site
    today = datetime.now(ZONE).date()
    for back in range(1, 8):  # four slow days of seven: the median is a slow load
        add_probes(db, 1, today - timedelta(days=back), 20, elapsed=4.2 if back <= 4 else 0.6)
    add_probes(db, 1, today - timedelta(days=9), 20, elapsed=0.1)  # before the window: not counted
    [found] = slow_findings(config, db, today - timedelta(days=1))
    assert found["title"] == "首页访问缓慢" and found["severity"] == "minor"
    assert found["message"] == "近 7 天首页监测 140 次，加载时间中位数 4.2 秒，超过 3 秒"
    assert found["evidence"]["median_seconds"] == 4.2 and found["evidence"]["probes"] == 140


def test_three_slow_days_of_seven_is_not_slow(site):
    _, config, db = site
    today = datetime.now(ZONE).date()
    for back in range(1, 8):
        add_probes(db, 1, today - timedelta(days=back), 20, elapsed=9.0 if back <= 3 else 2.9)
    assert slow_findings(config, db, today - timedelta(days=1)) == []


def test_real_probes_of_a_slow_homepage(site):
    home, config, db = site
    home.delay = 0.4
    for _ in range(3):
        probe(config, db, 5)
    with open(config, "a", encoding="utf-8") as out:
        out.write('\n[checks.options."homepage.slow"]\nmax_median_seconds = 0.3\nmin_probes = 3\n')
    [found] = slow_findings(config, db, datetime.now(ZONE).date())
    assert 0.4 <= found["evidence"]["median_seconds"] < 2


def test_never_probed_is_skipped_with_a_reason(site):
    from checks.api import CheckSkipped, CrawlView
    from checks.builtin.homepage_speed import HomepageSlow
    from govinspect.store import Store

    _, _, db = site
    with Store(db) as store:
        view = CrawlView(store, store.run()["id"])
        with pytest.raises(CheckSkipped, match="没有得到应答的首页监测"):
            list(HomepageSlow().run(view, HomepageSlow.options))


def test_few_probes_are_judged_with_a_limitation(site):
    from checks.api import CrawlView
    from checks.builtin.homepage_speed import HomepageSlow
    from govinspect.store import Store

    _, _, db = site
    today = datetime.now(ZONE).date()
    add_probes(db, 1, today - timedelta(days=1), 5, elapsed=5.0)
    with Store(db) as store:
        view = CrawlView(store, store.run()["id"], as_of=(today - timedelta(days=1)).isoformat())
        view.current_check = HomepageSlow.id
        assert len(list(HomepageSlow().run(view, HomepageSlow.options))) == 1
    assert view.limitations == {"homepage.slow": ["近 7 天仅 5 次首页监测得到应答，少于 20 次，中位数依据不足"]}
