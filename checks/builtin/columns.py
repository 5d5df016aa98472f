"""Column and homepage freshness (栏目更新): stale, empty and undated columns, and a homepage that stopped changing."""

from __future__ import annotations

from datetime import date

from checks.api import Check, CrawlView, Finding

INDICATOR = "栏目更新"
# The national rule's limits in days (indicators.md); annual_report has its own checks, other categories none.
LIMITS = {"dynamic": 14, "notice": 183, "policy": 183, "personnel": 365, "planning": 365, "budget": 365}
CATEGORY_NAMES = {"dynamic": "动态要闻类", "notice": "通知公告类", "policy": "政策文件类", "personnel": "人事信息类",
                  "planning": "规划计划类", "budget": "预决算类"}
# Dates a reader sees for an item; the date in a URL is not one (an undated item counts as not updated).
SHOWN_SOURCES = ("meta", "text", "list")


def shown_dates(crawl: CrawlView) -> dict[str, date]:
    """The date a reader sees for each item or page: the list's, else the page's own; future dates are not updates."""
    dates: dict[str, date] = {}
    for page in crawl.pages("article", "page"):
        if page["published"] and page["published_source"] in SHOWN_SOURCES:
            dates[page["url"]] = date.fromisoformat(page["published"])
    for column in crawl.columns():
        for item in column["items"]:
            if item["date"]:
                dates[item["url"]] = date.fromisoformat(item["date"])
    return {url: day for url, day in dates.items() if day <= crawl.as_of}


def named(column: dict) -> str:
    """审计动态栏目: a column's name as a notice writes it."""
    name = column["name"] or column["url"]
    return name if name.endswith("栏目") else name + "栏目"


def _readable(column: dict) -> bool:
    return not column["error"] and (column["http_status"] or 0) < 400


class HomepageStale(Check):
    id = "homepage.stale"
    title = "首页不更新"
    indicator = INDICATOR
    severity = "critical"
    options = {"max_days": 14}

    def run(self, crawl, options):
        home = crawl.homepage
        if home is None or home["error"] or (home["http_status"] or 0) >= 400:
            return
        dates = shown_dates(crawl)
        linked = {link["target_url"] for link in crawl.links_from(home["url"])}
        newest = max((dates[url] for url in linked if url in dates), default=None)
        where = "首页"
        if newest is None:  # a homepage of navigation only: judge the second-level columns
            newest = max((dates[item["url"]] for column in crawl.columns() for item in column["items"]
                          if item["url"] in dates), default=None)
            where = "首页仅有导航，各栏目"
        limit = options["max_days"]
        if newest is None:
            yield Finding(home["url"], f"{where}均无标注日期的信息，无法确认 {limit} 天内有更新",
                          {"newest": None, "limit_days": limit}, [home["url"]])
            return
        age = (crawl.as_of - newest).days
        if age > limit:
            yield Finding(home["url"], f"{where}最新信息发布于 {newest}，已超过 {limit} 天未更新（{age} 天）",
                          {"newest": newest.isoformat(), "age_days": age, "limit_days": limit,
                           "navigation_only": where != "首页"}, [home["url"]])


class ColumnStale(Check):
    id = "column.stale"
    title = "栏目超期未更新"
    indicator = INDICATOR
    severity = "major"
    options = {f"{category}_days": days for category, days in LIMITS.items()}

    def run(self, crawl, options):
        dates = shown_dates(crawl)
        home = crawl.homepage
        on_home = {link["target_url"] for link in crawl.links_from(home["url"])} if home else set()
        for column in crawl.columns():
            category = column["category"] or "other"
            limit = column["max_age_days"] or options.get(f"{category}_days")
            if not limit or not column["items"] or not _readable(column):
                continue
            newest = max((dates[item["url"]] for item in column["items"] if item["url"] in dates), default=None)
            evidence = {"category": category, "limit_days": limit, "items": len(column["items"]),
                        "first_level": column["url"] in on_home}
            kind = CATEGORY_NAMES.get(category, "")
            if newest is None:
                yield Finding(column["url"], f"{named(column)}的 {len(column['items'])} 条信息均未标注日期，"
                              f"视为未更新（{kind}栏目应在 {limit} 天内更新）", dict(evidence, newest=None),
                              [column["url"]], column["name"])
                continue
            age = (crawl.as_of - newest).days
            if age > limit:
                yield Finding(column["url"], f"{named(column)}更新至 {newest}，已超过 {limit} 天未更新（{age} 天）",
                              dict(evidence, newest=newest.isoformat(), age_days=age), [column["url"]],
                              column["name"])


class ColumnEmpty(Check):
    id = "column.empty"
    title = "空白栏目"
    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        for column in crawl.columns():
            # A list that declares items we could not read is a reading failure, not a blank column.
            if column["items"] or not _readable(column) or column["declared_total"]:
                continue
            yield Finding(column["url"], f"{named(column)}列表页可以打开，但没有任何信息",
                          {"category": column["category"], "http_status": column["http_status"]},
                          [column["url"]], column["name"])


class ColumnUndated(Check):
    id = "column.undated"
    title = "栏目信息未标注日期"
    indicator = INDICATOR
    severity = "minor"

    def run(self, crawl, options):
        for column in crawl.columns():
            undated = [item for item in column["items"] if not item["date"]]
            if not undated or not _readable(column):
                continue
            total = len(column["items"])
            share = "全部" if len(undated) == total else f"{len(undated)} 条"
            yield Finding(column["url"], f"{named(column)}列表中{share}信息（共 {total} 条）未标注发布日期",
                          {"undated": len(undated), "items": total,
                           "examples": [item["url"] for item in undated[:5]]},
                          [column["url"]], column["name"])
