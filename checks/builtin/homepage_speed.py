"""Homepage speed (首页访问缓慢): the median load time of the homepage probes of the 7 days up to `as_of`.

Probes are taken by `govinspect probe` (the scheduler runs it about every hour); a probe that got no answer is
counted by `availability.homepage`, not here: the median is over the probes that were answered.
"""

from __future__ import annotations

from statistics import median

from checks.api import Check, CheckSkipped, Finding
from checks.builtin.availability import INDICATOR, daily


class HomepageSlow(Check):
    id = "homepage.slow"
    title = "首页访问缓慢"
    indicator = INDICATOR
    severity = "minor"
    options = {"days": 7, "max_median_seconds": 3.0, "min_probes": 20}

    def run(self, crawl, options):
        probes, days = daily(crawl, options["days"], float("inf"))
        answered = [p for p in probes if p["http_status"] and p["elapsed"] is not None]
        if not answered:
            raise CheckSkipped(f"近 {options['days']} 天没有得到应答的首页监测（govinspect probe），无法判断访问速度")
        if len(answered) < options["min_probes"]:
            crawl.limitation(f"近 {options['days']} 天仅 {len(answered)} 次首页监测得到应答，"
                             f"少于 {options['min_probes']} 次，中位数依据不足")
        times = sorted(p["elapsed"] for p in answered)
        middle = median(times)
        if middle <= options["max_median_seconds"]:
            return
        home = crawl.site.base_url
        yield Finding(home, f"近 {options['days']} 天首页监测 {len(times)} 次，加载时间中位数 {middle:.1f} 秒，"
                            f"超过 {options['max_median_seconds']:g} 秒", {
            "median_seconds": round(middle, 3), "threshold": options["max_median_seconds"], "probes": len(times),
            "p90_seconds": round(times[int(0.9 * (len(times) - 1))], 3), "slowest_seconds": round(times[-1], 3),
            "days": [{"date": d["date"], "probes": d["probes"]} for d in days],
        }, [home])
