"""Run health under faults: a healthy audit of the sample site, then a night on which it goes wrong.

Each scenario audits the sample site once while it is healthy, then again while it is down, half down,
answering 500 or a firewall's 412 everywhere, while this machine has no outside DNS, cut short by SIGINT,
or with a check plug-in that raises. The site never changes between the two runs, so a finding the second
run closes is closed without evidence, and a finding it adds is a false one (the outage itself aside).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govinspect.demo.run import demo_config
from govinspect.demo.server import SampleServer
from govinspect.store import Store

from conftest import AS_OF, REPO, run_cli

HERE = Path(__file__).resolve().parent

FAILING = """
from checks.api import Check, Finding

class Flaky(Check):
    id = "acme.flaky"
    title = "示例"
    indicator = "示例指标"
    severity = "minor"

    def run(self, crawl, options):
        import os
        if os.environ.get("ACME_FAIL"):
            raise RuntimeError("the plug-in broke")
        yield Finding(crawl.site.base_url, "示例问题")
"""


def write_site_config(folder: Path, base_url: str, *, offline: bool = True) -> Path:
    """The demo's configuration; a time-out well past the sample site's planted 3-second page, so runs agree."""
    config = demo_config(base_url)
    lines = [f'[site]\nname = "{config["site"]["name"]}"\nbase_url = "{base_url}"\n',
             f"[crawl]\ndelay_seconds = 0\nconcurrency_per_host = 8\ntimeout_seconds = 10\n"
             f"offline = {'true' if offline else 'false'}\n",
             '[checks.options."text.sensitive"]\nwords = ["内部资料"]\n']
    path = folder / "site.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def audit(folder: Path, *args: str, env: dict | None = None):
    return run_cli("audit", "-c", str(folder / "site.toml"), "--db", str(folder / "govinspect.db"),
                   "--out", str(folder / "reports"), "--as-of", AS_OF.isoformat(), *args, env=env)


def statuses(folder: Path) -> dict[str, str]:
    with Store(folder / "govinspect.db") as store:
        return {f["id"]: f["status"] for f in store.findings()}


def latest(folder: Path) -> tuple[dict, list[dict]]:
    with Store(folder / "govinspect.db") as store:
        run = store.run()
        return run, store.check_results(run["id"])


def report(folder: Path) -> dict:
    return json.loads((folder / "reports" / "report.json").read_text(encoding="utf-8"))


@pytest.fixture
def healthy(tmp_path):
    """The sample site audited once, healthy; the server keeps its port for the night that goes wrong."""
    server = SampleServer(AS_OF).start()
    write_site_config(tmp_path, server.base_url)
    result = audit(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    server.stop()
    before = statuses(tmp_path)
    assert sum(s == "open" for s in before.values()) > 40
    return {"folder": tmp_path, "port": server.port, "before": before, "report": report(tmp_path)}


def changed(healthy: dict) -> tuple[list[str], list[str]]:
    """(finding ids the second run closed, finding ids it added) against the healthy run."""
    after = statuses(healthy["folder"])
    closed = [fid for fid, s in after.items() if s == "fixed" and healthy["before"].get(fid) == "open"]
    added = [fid for fid in after if fid not in healthy["before"]]
    return closed, added


def veto_states(folder: Path) -> dict[str, str]:
    with Store(folder / "govinspect.db") as store:
        from checks.summary import veto

        return {case["indicator"]: case["state"] for case in veto(store, store.run()["id"])}


@pytest.mark.parametrize("outage", [None, 500, 412], ids=["server-down", "all-500", "firewall-412"])
def test_a_night_the_site_cannot_be_opened(healthy, outage):
    folder = healthy["folder"]
    server = SampleServer(AS_OF, port=healthy["port"], outage_status=outage).start() if outage else None
    try:
        result = audit(folder, "--incremental")
    finally:
        if server:
            server.stop()
    assert result.returncode == 3, result.stdout + result.stderr
    assert result.stdout.startswith("运行状态：失败（首页无法打开：")
    run, checks = latest(folder)
    assert run["health"] == "failed" and run["status"] == "completed"
    closed, added = changed(healthy)
    assert closed == []
    with Store(folder / "govinspect.db") as store:
        outage_findings = [store.db["findings"].get(fid) for fid in added]
        probe = next(store.db.query("select * from probes where source = 'audit'"))
    assert [(f["check_id"], json.loads(f["evidence"])["kind"]) for f in outage_findings] == [
        ("availability.homepage", "outage")]
    assert probe["ok"] == 0 and probe["error"]
    assert {c["check_id"]: c["status"] for c in checks}["column.stale"] == "skipped"
    # Every veto case is not judged: nothing was seen, and one failed audit is not a week of probes.
    assert set(veto_states(folder).values()) == {"not_judged"}
    # The reports of the healthy run stay; a 故障说明 says why they were not replaced.
    assert report(folder) == healthy["report"]
    note = (folder / "reports" / "故障说明.txt").read_text(encoding="utf-8")
    assert "首页无法打开" in note and "仍为第 1 次检查" in note
    listed = run_cli("report", "--db", str(folder / "govinspect.db"), "--format", "json")
    assert json.loads(listed.stdout)["run"]["id"] == 1, "the latest whole run is what reports show"


def test_a_site_that_goes_down_halfway(healthy):
    folder = healthy["folder"]
    server = SampleServer(AS_OF, port=healthy["port"], refuse_after=150).start()
    try:
        result = audit(folder, "--full")
    finally:
        server.stop()
    assert result.returncode == 4, result.stdout + result.stderr
    run, _ = latest(folder)
    assert run["health"] == "degraded" and "部分页面未能检查" in run["health_reasons"]
    closed, added = changed(healthy)
    assert closed == [], "nothing was re-observed clean: the site did not change"
    assert added == [], "a link the failing site did not answer is unverified, not broken"
    with Store(folder / "govinspect.db") as store:
        unverified = store.db.execute("select count(*) from targets where run_id = ? and verdict = 'unverified'",
                                      [run["id"]]).fetchone()[0]
    assert unverified > 0  # how many depends on which requests the server still answered
    states = veto_states(folder)
    assert states["栏目不更新"] in ("triggered", "not_judged") and "clear" not in states.values()
    assert report(folder)["run"]["health"] == "degraded"  # a degraded run is whole enough to report, and says so


def test_no_outside_dns_leaves_off_site_links_unverified(tmp_path):
    with SampleServer(AS_OF) as server:
        write_site_config(tmp_path, server.base_url, offline=False)
        result = audit(tmp_path, env={"GOVINSPECT_RESOLVER": "resolvers.fake_dns", "PYTHONPATH": str(HERE)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "本机无法访问外网：" in result.stdout
    findings = report(tmp_path)["findings"]
    verdicts = ("link.broken", "link.blocked", "link.soft404")  # hidden and private links need no answer
    assert not [f for f in findings if f["check"] in verdicts and "127.0.0.1" not in f["url"]]
    with Store(tmp_path / "govinspect.db") as store:
        reasons = {row[0] for row in store.db.execute("select reason from targets where verdict = 'unverified'")}
    assert reasons == {"本机无法访问外网，未核验"}


def test_sigint_mid_run_keeps_the_reports_and_closes_nothing(healthy):
    folder = healthy["folder"]
    server = SampleServer(AS_OF, port=healthy["port"]).start()
    command = [sys.executable, "-m", "govinspect", "audit", "-c", str(folder / "site.toml"), "--db",
               str(folder / "govinspect.db"), "--out", str(folder / "reports"), "--as-of", AS_OF.isoformat(), "--full"]
    # Politeness slows the crawl so that SIGINT lands mid-way.
    config = folder / "site.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("delay_seconds = 0", "delay_seconds = 0.05")
                      .replace("concurrency_per_host = 8", "concurrency_per_host = 1"), encoding="utf-8")
    try:
        child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while server.requests < 40 and time.monotonic() < deadline:
            time.sleep(0.1)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=120)
    finally:
        server.stop()
    assert child.returncode == 130, out + err
    assert out.startswith("运行状态：中途停止")
    run, _ = latest(folder)
    assert run["status"] == "interrupted" and run["health"] == "interrupted"
    closed, _ = changed(healthy)
    assert closed == []
    assert report(folder) == healthy["report"], "an interrupted run never overwrites the reports"
    partial = json.loads((folder / "reports" / f"interrupted-run-{run['id']}" / "report.json").read_text("utf-8"))
    assert partial["run"]["health"] == "interrupted"


def test_a_check_that_raises_is_a_result_and_keeps_its_findings(tmp_path):
    (tmp_path / "acme_checks.py").write_text(FAILING, encoding="utf-8")
    info = tmp_path / "acme_checks-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-checks\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[govinspect.checks]\nacme = acme_checks\n", encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path)}
    with SampleServer(AS_OF) as server:
        write_site_config(tmp_path, server.base_url)
        first = audit(tmp_path, env=env)
        assert first.returncode == 0, first.stdout + first.stderr
        second = audit(tmp_path, env={**env, "ACME_FAIL": "1"})
    assert second.returncode == 4, second.stdout + second.stderr
    assert "本次有 1 项检查未能完成" in second.stdout
    document = report(tmp_path)
    assert document["run"]["checks_failed"] == [{"check": "acme.flaky", "error": "RuntimeError: the plug-in broke"}]
    with Store(tmp_path / "govinspect.db") as store:
        assert [f["status"] for f in store.findings() if f["check_id"] == "acme.flaky"] == ["open"]
        results = {r["check_id"]: r for r in store.check_results(store.run()["id"])}
        assert results["acme.flaky"]["status"] == "failed" and results["link.broken"]["status"] == "ok"
