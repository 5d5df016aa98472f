"""Site availability (站点无法访问): the homepage probes of the 7 days up to `as_of`, judged by the national rule.

The indicator: probe at least 20 times a day for a week; a probe fails when the site is still not open
after 15 s; 5% or more failed probes is a veto. Probes are taken by `govinspect probe` (the scheduler
runs it about every hour) and belong to the site, not to a crawl. A site never probed is not judged.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from checks.api import Check, CrawlView, Finding

INDICATOR = "站点可访问性"


def _failed(probe: dict, slow_seconds: float) -> bool:
    return not probe["ok"] or (probe["elapsed"] or 0) >= slow_seconds


def _window(crawl: CrawlView, days: int) -> tuple[ZoneInfo, list[date], datetime, datetime]:
    """The site's zone, the `days` calendar days ending with `as_of`, and that window's bounds."""
    zone = ZoneInfo(crawl.site.timezone)
    first = crawl.as_of - timedelta(days=days - 1)
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(crawl.as_of + timedelta(days=1), time(), zone)
    return zone, [first + timedelta(days=n) for n in range(days)], start, end


def daily(crawl: CrawlView, days: int, slow_seconds: float) -> tuple[list[dict], list[dict]]:
    """The window's probes and, per day, {date, probes, failed, availability, complete}."""
    zone, dates, start, end = _window(crawl, days)
    probes = crawl.probes(start, end)
    by_day = {day: {"date": day.isoformat(), "probes": 0, "failed": 0} for day in dates}
    for probe in probes:
        day = datetime.fromisoformat(probe["at"]).astimezone(zone).date()
        if day in by_day:
            by_day[day]["probes"] += 1
            by_day[day]["failed"] += _failed(probe, slow_seconds)
    now = datetime.now(zone)
    for day, row in by_day.items():
        row["availability"] = round(1 - row["failed"] / row["probes"], 4) if row["probes"] else None
        row["complete"] = datetime.combine(day + timedelta(days=1), time(), zone) <= now
    return probes, list(by_day.values())


def _percent(ratio: float) -> str:
    return f"{ratio * 100:.1f}%"


def outage(crawl: CrawlView) -> dict | None:
    """The failed observation an audit recorded when it could not open the homepage (govinspect/health.py)."""
    if crawl.health != "failed":
        return None
    started = datetime.fromisoformat(crawl.run["started_at"]).astimezone(timezone.utc)
    return next((p for p in crawl.probes(started, datetime.now(timezone.utc) + timedelta(minutes=1))
                 if p.get("source") == "audit" and not p["ok"]), None)


class HomepageAvailability(Check):
    """The national rule over a week of probes, and the outage an audit itself ran into.

    Over fewer than `min_daily` probes in the window the rule is not applied: one failed audit is an
    outage to fix, not 100% unavailability.
    """

    id = "availability.homepage"
    title = "首页无法访问"
    indicator = INDICATOR
    severity = "critical"
    options = {"days": 7, "max_failed_ratio": 0.05, "slow_seconds": 15.0, "min_daily": 20}
    judges_failed_runs = True

    def run(self, crawl, options):
        found = self._window_rule(crawl, options)
        down = outage(crawl)
        if down and found is None:
            home = crawl.site.base_url
            at = datetime.fromisoformat(down["at"]).astimezone(ZoneInfo(crawl.site.timezone))
            found = Finding(home, f"本次检查（{at:%Y-%m-%d %H:%M}）无法打开首页：{down['error']}",
                            {"kind": "outage", "at": down["at"], "error": down["error"],
                             "http_status": down["http_status"], "elapsed": down["elapsed"]}, [home])
        elif down:
            found.evidence["outage"] = {"at": down["at"], "error": down["error"]}
        if found:
            yield found

    def _window_rule(self, crawl, options) -> Finding | None:
        slow = options["slow_seconds"]
        probes, days = daily(crawl, options["days"], slow)
        if len(probes) < options["min_daily"]:
            return None
        failed = [p for p in probes if _failed(p, slow)]
        ratio = len(failed) / len(probes)
        if ratio < options["max_failed_ratio"]:
            return None
        timeouts = sum(1 for p in failed if (p["elapsed"] or 0) >= slow or "within" in (p["error"] or ""))
        statuses = sum(1 for p in failed if p["http_status"] and p["http_status"] >= 400)
        short = [d for d in days if d["complete"] and d["probes"] < options["min_daily"]]
        kinds = "，".join(part for part in (f"超时或超过 {slow:g} 秒 {timeouts} 次" if timeouts else "",
                                             f"HTTP 错误 {statuses} 次" if statuses else "",
                                             f"其他错误 {len(failed) - timeouts - statuses} 次"
                                             if len(failed) - timeouts - statuses > 0 else "") if part)
        message = (f"近 {options['days']} 天首页监测 {len(probes)} 次，失败 {len(failed)} 次（{_percent(ratio)}，"
                   f"达到 {_percent(options['max_failed_ratio'])}）：{kinds}")
        if short:
            message += f"；其中 {len(short)} 天监测不足 {options['min_daily']} 次"
        home = crawl.site.base_url
        return Finding(home, message, {
            "kind": "window", "probes": len(probes), "failed": len(failed), "failed_ratio": round(ratio, 4),
            "threshold": options["max_failed_ratio"], "slow_seconds": slow, "days": days,
            "sampled_enough": not short,
            "failures": [{"at": p["at"], "http_status": p["http_status"], "elapsed": p["elapsed"],
                          "error": p["error"]} for p in failed[:20]],
        }, [home])


class ProbeCoverage(Check):
    id = "availability.coverage"
    title = "首页监测次数不足"
    indicator = INDICATOR
    severity = "info"
    options = {"days": 7, "min_daily": 20}
    judges_failed_runs = True

    def run(self, crawl, options):
        probes, days = daily(crawl, options["days"], HomepageAvailability.options["slow_seconds"])
        if not probes:
            return  # never probed: availability is not monitored here, nothing to say about its sampling
        short = [d for d in days if d["complete"] and d["probes"] < options["min_daily"]]
        if not short:
            return
        listed = "、".join(f"{d['date'][5:]} {d['probes']} 次" for d in short[:7])
        yield Finding(crawl.site.base_url,
                      f"近 {options['days']} 天中有 {len(short)} 天首页监测不足 {options['min_daily']} 次（{listed}），"
                      "可用性结论依据不足：请保持 `govinspect schedule run` 运行（默认每小时监测一次）",
                      {"days": days, "min_daily": options["min_daily"], "short_days": len(short)},
                      [crawl.site.base_url])
