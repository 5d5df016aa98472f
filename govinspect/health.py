"""Run health: what a crawl could see of the site (ok, degraded, failed, interrupted), with its reasons in Chinese."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from govinspect.store import Store

HEALTH_ZH = {"ok": "正常", "degraded": "部分未检查", "failed": "失败", "interrupted": "中途停止"}
# More than this share of the site's own fetches failing means part of the site was not seen.
MAX_FAILED_SHARE = 0.2
MIN_FETCHES = 50  # as the circuit breaker's window: a few faults on a small site are its defects, not an outage
CAP_ZH = {"max_pages": "页面数上限", "max_depth": "抓取深度上限", "max_list_pages": "栏目列表页数上限",
          "max_items_per_column": "栏目条目数上限", "max_urls_per_shape": "同类网址上限（疑似爬虫陷阱）"}
# A fetch that got no usable answer: no status (connection, DNS, time-out), a server error, or a refusal.
FAILED_FETCH = ("(verdict in ('broken', 'blocked') and http_status is null) or http_status >= 500 "
                "or http_status in (403, 412, 429, 521)")
UNVERIFIED_REASON = "站点在本次检查中多次无法访问，未核验"
OFFLINE_REASON = "本机无法访问外网，未核验"


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def site_hosts(store: Store, run_id: int) -> set[str]:
    run = store.run(run_id)
    settings = json.loads(run["config"] or "{}").get("site", {})
    return {d.lower() for d in settings.get("allowed_domains") or [_host(run["base_url"])]}


def _on_site(url: str, hosts: set[str]) -> bool:
    host = _host(url)
    return any(host == d or host.endswith("." + d) for d in hosts)


def fetch_failures(store: Store, run_id: int) -> dict[str, tuple[int, int]]:
    """Per host, (fetches this run made, fetches that got no usable answer); carried-forward verdicts left out."""
    out: dict[str, list[int]] = {}
    for url, failed in store.db.execute(
            f"select url, ({FAILED_FETCH}) from targets where run_id = ? and carried = 0 "
            "and verdict not in ('skipped', 'skipped-private', 'unverified')", [run_id]):
        counts = out.setdefault(_host(url), [0, 0])
        counts[0] += 1
        counts[1] += bool(failed)
    return {host: (total, failed) for host, (total, failed) in out.items()}


def _failing(total: int, failed: int) -> bool:
    return total >= MIN_FETCHES and failed / total > MAX_FAILED_SHARE


def homepage_failure(store: Store, run_id: int) -> str | None:
    """Why the homepage could not be opened in this run, or None when it was."""
    home = next(store.db.query("select * from pages where run_id = ? and kind = 'home' and carried = 0 "
                               "order by id limit 1", [run_id]), None)
    if home is None:
        return "首页未能抓取"
    if home["error"]:
        return home["error"]
    if home["http_status"] and home["http_status"] >= 400:
        return f"HTTP {home['http_status']}"
    return None


def assess_crawl(store: Store, run_id: int, paused_hosts: list[str] = ()) -> tuple[str, list[str]]:
    """The crawl's health from what it stored; link verdicts against a failing site host become `unverified`."""
    run = store.run(run_id)
    if run["status"] == "interrupted":
        return "interrupted", ["检查中途停止（手动中止或超出时限），结果不完整"]
    reasons: list[str] = []
    home_error = homepage_failure(store, run_id)
    if home_error:
        return "failed", [f"首页无法打开：{home_error}"]
    fetched = store.db.execute("select count(*) from pages where run_id = ? and carried = 0 and error is null "
                               "and coalesce(http_status, 0) < 400", [run_id]).fetchone()[0]
    if not fetched:
        return "failed", ["未能抓取到任何页面"]
    hosts = site_hosts(store, run_id)
    failing = set()
    for host, (total, failed) in sorted(fetch_failures(store, run_id).items()):
        if _on_site(f"http://{host}/", hosts) and _failing(total, failed):
            failing.add(host)
            reasons.append(f"{host} 的 {total} 次请求中有 {failed} 次无响应、超时或返回 5xx/拒绝访问"
                           f"（{failed / total:.0%}），部分页面未能检查")
    for host in paused_hosts:
        if _on_site(f"http://{host}/", hosts) and host not in failing:
            failing.add(host)
            reasons.append(f"{host} 多次拒绝访问，检查已暂停对它的请求，部分页面未能检查")
    caps = json.loads(run["caps"] or "{}")
    for name, places in caps.items():
        reasons.append(f"达到{CAP_ZH.get(name, name)}（{name}），抓取未完整：如 {'、'.join(places[:2])}")
    if failing:  # another site's firewall keeps its `blocked`: that host is not the one inspected
        _unverify(store, run_id, failing)
    return ("degraded" if reasons else "ok"), reasons


def _unverify(store: Store, run_id: int, hosts: set[str]) -> None:
    """A failing host's non-answers say nothing about its links: they are unverified, not broken or blocked."""
    rows = store.db.execute(f"select id, url from targets where run_id = ? and carried = 0 and ({FAILED_FETCH})",
                            [run_id]).fetchall()
    ids = [row_id for row_id, url in rows if _host(url) in hosts]
    with store.db.atomic():
        store.db.conn.executemany("update targets set verdict = 'unverified', reason = ? || '（' || "
                                  "coalesce(reason, '') || '）' where id = ?",
                                  [(UNVERIFIED_REASON, row_id) for row_id in ids])


def crawl_health(store: Store, run_id: int) -> str:
    """What the crawl itself saw, leaving out what a check pass added (a failed check degrades the run, not the view)."""
    return with_check_results(*store.health(run_id), [])[0]


CHECKS_FAILED = "本次有 {count} 项检查未能完成："


def with_check_results(health: str, reasons: list[str], results: list[dict]) -> tuple[str, list[str]]:
    """The crawl's health with what a check pass adds: a check that failed leaves the run degraded.

    Idempotent: the reason an earlier pass over the same run added is replaced, not repeated.
    """
    head = CHECKS_FAILED.split("{")[0]
    reasons = [r for r in reasons if not r.startswith(head)]
    if health not in ("failed", "interrupted"):
        health = "degraded" if reasons else "ok"
    failed = [r["check_id"] for r in results if r["status"] == "failed"]
    if failed and health != "interrupted":
        reasons.append(CHECKS_FAILED.format(count=len(failed)) + "、".join(failed))
        health = "degraded" if health == "ok" else health
    return health, reasons
