"""A run's findings in figures: counts per check and severity, and the veto cases (单项否决) of the national indicators."""

from __future__ import annotations

import json
from collections import Counter

from checks.registry import load_registry
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


def _case(indicator: str, rules: list[dict], note: str | None = None) -> dict:
    main = next((r for r in rules if r["triggered"]), None) or max(rules, key=lambda r: r["count"] / r["threshold"])
    case = {"indicator": indicator, "triggered": main["triggered"], "count": main["count"],
            "threshold": main["threshold"], "rules": rules}
    if note:
        case["note"] = note
    return case


def veto(store: Store, run_id: int) -> list[dict]:
    """The veto cases the available checks can judge, each `{indicator, triggered, count, threshold, rules}`.

    A case is listed only when a check it rests on is registered; `count`/`threshold` are those of its first
    triggered rule, else of the rule closest to triggering; `note` says where the figures are estimates.
    """
    ids = set(load_registry().ids())
    found = seen(store, run_id)

    def of(check_id: str) -> list[dict]:
        return [f for f in found if f["check_id"] == check_id]

    def critical(area: str) -> int:
        return sum(1 for f in found if f["check_id"].startswith(area) and f["seen_severity"] == "critical")

    cases = []
    if "availability.homepage" in ids:
        cases.append(_case("站点无法访问", [_rule("一周内首页监测失败 5% 以上", len(of("availability.homepage")), 1)]))
    if "homepage.stale" in ids:
        cases.append(_case("首页不更新", [_rule("首页 2 周内无新信息", len(of("homepage.stale")), 1)]))
    if {"column.stale", "column.empty"} & ids:
        stale = of("column.stale")
        key = [f for f in stale if f["evidence"].get("category") == "dynamic"
               or (f["evidence"].get("category") in ("notice", "policy") and f["evidence"].get("first_level"))]
        cases.append(_case("栏目不更新", [
            _rule("动态要闻类栏目 2 周未更新与一级通知公告、政策文件类栏目 6 个月未更新合计", len(key), 5),
            _rule("应更新而长期未更新的栏目", len(stale), 10),
            _rule("空白栏目", len(of("column.empty")), 5),
        ], ESTIMATED))
    if any(check_id.startswith("text.") for check_id in ids):
        cases.append(_case("严重表述错误", [_rule("严重表述错误（如领导人姓名、规范表述）", critical("text."), 1)]))
    if "link.hidden" in ids:
        cases.append(_case("暗链", [_rule("隐藏的外部链接（赌博、色情等）", critical("link.hidden"), 1)]))
    return cases
