"""Site search (站内搜索不可用): judged from the crawl's search fact (crawler/sitesearch.py): a search form exists,
and searching for the title of a recent article lists that article."""

from __future__ import annotations

from checks.api import Check, CheckSkipped, Finding
from checks.facts import observed

INDICATOR = "功能设计"


class SearchBroken(Check):
    id = "search.broken"
    title = "站内搜索不可用"
    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        fact = observed(crawl, "search", "站内搜索")
        if fact["error"] and fact["error"].startswith("offline mode"):
            raise CheckSkipped("离线模式：站内搜索在其他主机上，未检验")
        home = crawl.site.base_url
        form = fact["form"]
        if form is None:
            if fact["http_status"] and fact["http_status"] >= 400:
                message = f"站内搜索页面无法打开（{fact['page']}，HTTP {fact['http_status']}）"
            elif fact["error"]:
                message = f"站内搜索无法检验（{fact['error']}）"
            else:
                message = "首页没有站内搜索框"
        elif fact["query"] is None:
            raise CheckSkipped("本次采集没有读到文章，无法用文章标题检验站内搜索")
        elif fact["error"]:
            message = f"站内搜索请求失败（{fact['error']}）"
        elif fact["http_status"] >= 400:
            message = f"搜索最近发布的文章标题「{fact['query']}」，搜索返回 HTTP {fact['http_status']}"
        elif not fact["found"]:
            message = f"搜索最近发布的文章标题「{fact['query']}」，结果中没有该文章"
            if fact["scripts"]:
                crawl.limitation("搜索结果页含脚本，结果可能由脚本生成，本次未用浏览器核实")
        else:
            return
        yield Finding(home, message, dict(fact), [fact["page"]])
