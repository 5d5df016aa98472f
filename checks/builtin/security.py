"""HTTPS (未启用 HTTPS 或证书异常): judged from what the crawl observed (site facts `https`, `http_redirect`) and
from the scripts the crawled HTTPS pages load over plain HTTP (the stored links)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from checks.api import Check, Finding
from checks.facts import observed

INDICATOR = "功能设计"
_VERIFY = (
    ("expired", "证书已过期"),
    ("self-signed", "证书为自签名证书，不受信任"),
    ("self signed", "证书为自签名证书，不受信任"),
    ("hostname mismatch", "证书与网站域名不符"),
    ("local issuer", "证书颁发机构不受信任或证书链不完整"),
    ("not yet valid", "证书尚未生效"),
)


def verify_reason(message: str) -> str:
    lowered = message.lower()
    return next((reason for needle, reason in _VERIFY if needle in lowered), f"证书验证失败（{message}）")


def site_problems(https: dict, redirect: dict | None, as_of, warn_days: int) -> list[str]:
    """What is wrong with the site's HTTPS, in the words a bureau reads; empty when nothing is."""
    if not https["served"]:
        return [f"网站未提供 HTTPS 访问（{https['url']}：{https['error']}）"]
    problems = []
    expiry = datetime.fromisoformat(https["not_after"]).date() if https.get("not_after") else None
    if not https["valid"]:
        reason = verify_reason(https["verify_error"] or "")
        problems.append(f"{reason}（有效期至 {expiry}）" if expiry and "过期" in reason else reason)
    elif expiry and (expiry - as_of).days < warn_days:
        problems.append(f"证书将于 {expiry} 到期（距今 {(expiry - as_of).days} 天，不足 {warn_days} 天）")
    if redirect and redirect["http_status"] and not redirect["to_https"]:
        problems.append(f"HTTP 访问（{redirect['url']}）未跳转到 HTTPS（HTTP {redirect['http_status']}）")
    return problems


class HttpsSecurity(Check):
    id = "security.https"
    title = "未启用 HTTPS 或证书异常"
    indicator = INDICATOR
    severity = "major"
    options = {"expiry_warning_days": 30}

    def run(self, crawl, options):
        https = observed(crawl, "https", "网站的 HTTPS 情况")
        home = crawl.site.base_url
        redirect = crawl.fact("http_redirect")
        problems = site_problems(https, redirect, crawl.as_of, options["expiry_warning_days"])
        scripts = _http_scripts(crawl)
        if problems or home in scripts:
            problems += [_scripts_problem(scripts.pop(home))] if home in scripts else []
            yield Finding(home, "；".join(problems), {"https": https, "http_redirect": redirect,
                                                      "problems": problems}, [home])
        for page, urls in sorted(scripts.items()):
            row = crawl.page(page) or {}
            column = crawl.column(row.get("column_id"))
            yield Finding(page, _scripts_problem(urls), {"scripts": urls[:20]}, [page],
                          column["name"] if column else None)


def _http_scripts(crawl) -> dict[str, list[str]]:
    """HTTPS pages and the scripts they load over plain HTTP."""
    scripts: dict[str, list[str]] = defaultdict(list)
    for link in crawl.links():
        if (link["tag"] == "script" and link["source_url"].startswith("https://")
                and link["target_url"].startswith("http://") and link["target_url"] not in scripts[link["source_url"]]):
            scripts[link["source_url"]].append(link["target_url"])
    return {page: urls for page, urls in scripts.items() if urls}


def _scripts_problem(urls: list[str]) -> str:
    more = f" 等 {len(urls)} 个" if len(urls) > 1 else ""
    return f"HTTPS 页面通过 HTTP 加载脚本（{urls[0]}{more}），浏览器会拦截或提示不安全"
