"""IPv6 (不支持 IPv6 访问): the site's name has an AAAA record and its homepage answers there, as the crawl saw it."""

from __future__ import annotations

from checks.api import Check, CheckSkipped, Finding
from checks.facts import observed

INDICATOR = "功能设计"


class Ipv6Unsupported(Check):
    id = "ipv6.unsupported"
    title = "不支持 IPv6 访问"
    indicator = INDICATOR
    severity = "minor"

    def run(self, crawl, options):
        fact = observed(crawl, "ipv6", "网站的 IPv6 情况")
        if not fact["looked_up"] and fact["error"]:
            raise CheckSkipped(f"未查询域名的 IPv6 地址：{fact['error']}")
        home = crawl.site.base_url
        if not fact["addresses"]:
            if not fact["looked_up"]:
                message = f"网站地址 {fact['host']} 为 IPv4 地址，无法通过 IPv6 访问"
            else:
                message = f"域名 {fact['host']} 没有 IPv6 地址（AAAA 记录）"
        elif not fact["answered"]:
            message = f"域名 {fact['host']} 的 IPv6 地址 {fact['addresses'][0]} 无法访问首页（{fact['error']}）"
        elif fact["http_status"] >= 400:
            message = f"经 IPv6 地址 {fact['addresses'][0]} 访问首页返回 HTTP {fact['http_status']}"
        else:
            return
        yield Finding(home, message, dict(fact), [home])
