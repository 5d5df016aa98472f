"""A run's findings in figures: counts per check and severity, and the veto cases (单项否决) of the national indicators."""

from __future__ import annotations

import json
from collections import Counter

from checks.api import CrawlView
from checks.registry import load_registry
from govinspect.health import crawl_health
from govinspect.store import Store

ESTIMATED = "估计：栏目类别按栏目名称推断（配置中写明的除外），一级栏目按首页是否直接链接判断"


def seen(store: Store, run_id: int) -> list[dict]:
    """The findings a run saw, with the severity it saw them at; ignored ones (false positives) left out."""
    rows = list(store.db.query(
        "select findings.*, finding_runs.severity as seen_severity from findings "
        "join finding_runs on finding_runs.finding_id = findings.id "
        "where finding_runs.run_id = ? and findings.status != 'ignored' order by check_id, subject", [run_id]))
    for row in rows:
        row["evidence"] = json.loads(row["evidence"] or "{}")
    return rows


def by_check(store: Store, run_id: int) -> dict[str, int]:
    return dict(sorted(Counter(f["check_id"] for f in seen(store, run_id)).items()))


def by_severity(store: Store, run_id: int) -> dict[str, int]:
    return dict(Counter(f["seen_severity"] for f in seen(store, run_id)))


def _rule(rule: str, count: int, threshold: int) -> dict:
    return {"rule": rule, "triggered": count >= threshold, "count": count, "threshold": threshold}


def _case(indicator: str, rules: list[dict], note: str | None = None, *, rests_on: tuple[str, ...] = (),
          from_probes: bool = False) -> dict:
    main = next((r for r in rules if r["triggered"]), None) or max(rules, key=lambda r: r["count"] / r["threshold"])
    case = {"indicator": indicator, "triggered": main["triggered"], "count": main["count"],
            "threshold": main["threshold"], "rules": rules, "rests_on": rests_on, "from_probes": from_probes}
    if note:
        case["note"] = note
    return case


def _probe_window(store: Store, run_id: int) -> tuple[int, int]:
    """(probes in the availability window, the least a judgement needs) under the check's own options."""
    from checks.builtin.availability import HomepageAvailability, daily

    options = HomepageAvailability.options
    probes, _ = daily(CrawlView(store, run_id), options["days"], options["slow_seconds"])
    return len(probes), options["min_daily"]


def _judge(case: dict, store: Store, run_id: int, results: dict[str, dict], crawl_health: str) -> dict:
    """Give the case its state: triggered (on evidence seen), clear, or not_judged with the reason.

    Clear must be earned: no probes in the window, a check the case rests on that failed or was skipped,
    or a run that could not see all of the site leave the case not judged instead.
    """
    rests_on, from_probes = case.pop("rests_on"), case.pop("from_probes")
    if case["triggered"]:
        case["state"] = "triggered"
        return case
    reason = None
    broken = [check_id for check_id in rests_on if results.get(check_id, {}).get("status") in ("failed", "skipped")]
    if from_probes:
        probes, needed = _probe_window(store, run_id)
        if probes < needed:
            reason = (f"近 7 天首页监测不足 {needed} 次（{probes} 次），不能判断" if probes
                      else "近 7 天无可用性探测记录（请运行 `govinspect schedule run` 或 `govinspect probe`）")
    elif crawl_health == "failed":
        reason = "本次运行未能打开网站，未检查"
    elif broken:
        reason = f"所依据的检查未能完成：{'、'.join(broken)}"
    elif crawl_health in ("degraded", "interrupted"):
        reason = "本次检查不完整（部分页面未能检查或中途停止），不能确认未触发"
    case["state"] = "not_judged" if reason else "clear"
    if reason:
        case["reason"] = reason
    return case


def veto(store: Store, run_id: int) -> list[dict]:
    """The veto cases the available checks can judge, each `{indicator, state, triggered, count, threshold, rules}`.

    `state` is triggered, clear or not_judged (with `reason`: no probes, a check that failed or was skipped,
    a run that could not see the site). A case is listed only when a check it rests on is registered;
    `count`/`threshold` are those of its first triggered rule, else of the rule closest to triggering;
    `note` says where the figures are estimates.
    """
    ids = set(load_registry().ids())
    found = seen(store, run_id)
    results = {r["check_id"]: r for r in store.check_results(run_id)}
    seen_health = crawl_health(store, run_id)

    def of(check_id: str) -> list[dict]:
        return [f for f in found if f["check_id"] == check_id]

    def critical(area: str) -> int:
        return sum(1 for f in found if f["check_id"].startswith(area) and f["seen_severity"] == "critical")

    cases = []
    if "availability.homepage" in ids:
        window = [f for f in of("availability.homepage") if f["evidence"].get("kind", "window") == "window"]
        cases.append(_case("站点无法访问", [_rule("一周内首页监测失败 5% 以上", len(window), 1)],
                           rests_on=("availability.homepage",), from_probes=True))
    if "homepage.stale" in ids:
        cases.append(_case("首页不更新", [_rule("首页 2 周内无新信息", len(of("homepage.stale")), 1)],
                           rests_on=("homepage.stale",)))
    if {"column.stale", "column.empty"} & ids:
        stale = of("column.stale")
        key = [f for f in stale if f["evidence"].get("category") == "dynamic"
               or (f["evidence"].get("category") in ("notice", "policy") and f["evidence"].get("first_level"))]
        cases.append(_case("栏目不更新", [
            _rule("动态要闻类栏目 2 周未更新与一级通知公告、政策文件类栏目 6 个月未更新合计", len(key), 5),
            _rule("应更新而长期未更新的栏目", len(stale), 10),
            _rule("空白栏目", len(of("column.empty")), 5),
        ], ESTIMATED, rests_on=("column.stale", "column.empty")))
    text_checks = tuple(sorted(i for i in ids if i in ("text.leader_name", "text.formulation")))
    if any(check_id.startswith("text.") for check_id in ids):
        cases.append(_case("严重表述错误", [_rule("严重表述错误（如领导人姓名、规范表述）", critical("text."), 1)],
                           rests_on=text_checks))
    if "link.hidden" in ids:
        cases.append(_case("暗链", [_rule("隐藏的外部链接（赌博、色情等）", critical("link.hidden"), 1)],
                           rests_on=("link.hidden",)))
    return [_judge(case, store, run_id, results, seen_health) for case in cases]


def all_clear(cases: list[dict]) -> bool:
    """Only when every case was judged and none triggered may a report say that no veto case applies."""
    return all(case["state"] == "clear" for case in cases)
