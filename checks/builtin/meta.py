"""Page labels and site identity (网页标签与标识): meta tags, 网站标识码, footer identifiers, article dates."""

from __future__ import annotations

import re

from checks import template
from checks.api import Check, CrawlView, Finding

INDICATOR = "网页标签与标识"
SITE_CODE = re.compile(r"^(?:bm\d{8}|\d{10})$", re.I)
FOOTER_PARTS = {"icp": "ICP备案号", "police_record": "公安机关备案号", "conac": "党政机关网站标识"}
# What a person opens in a browser; list pages of Hanweb are XML answers to dataproxy.jsp, not pages.
PAGE_KINDS = ("home", "column", "list", "page", "article")


def html_pages(crawl: CrawlView, *kinds: str):
    """Stored HTML pages that answered with themselves (no error, error page or firewall challenge) and were read.

    A page stored without a reading of its footer (the crawler did not parse it) cannot be judged here.
    """
    unverified = {t["url"] for t in crawl.targets("soft-404", "blocked", "broken")}
    for page in crawl.pages(*(kinds or PAGE_KINDS)):
        if (page["error"] or (page["http_status"] or 0) >= 400 or page["url"] in unverified
                or "html" not in (page["content_type"] or "") or not page["footer"]):
            continue
        yield page


def meta_value(page: dict, name: str) -> str:
    """A meta tag's content, its name matched without case (TRS writes <META NAME=…>)."""
    name = name.lower()
    return next((value for key, value in page["meta"].items() if key.lower() == name and value), "")


def _column_name(crawl: CrawlView, page: dict) -> str | None:
    column = crawl.column(page["column_id"])
    return column["name"] if column else None


class MetaTags(Check):
    id = "meta.tags"
    title = "网页标签缺失"
    indicator = INDICATOR
    severity = "minor"
    options = {"site_tags": ["SiteName", "SiteDomain", "SiteIDCode"], "column_tags": ["ColumnName", "ColumnType"],
               "article_tags": ["ArticleTitle", "PubDate", "ContentSource"], **template.OPTIONS}
    option_minimums = template.MINIMUMS

    def run(self, crawl, options):
        judged = []
        for page in html_pages(crawl):
            required = list(options["site_tags"])
            if page["kind"] in ("column", "list"):
                required += options["column_tags"]
            elif page["kind"] == "article":
                required += options["article_tags"]
            judged.append(template.Judged(page, [name for name in required if not meta_value(page, name)], required))
        yield from template.fold_findings(
            crawl, judged, options, lambda missing: f"页面缺少网页标签：{'、'.join(missing)}",
            lambda missing: {"missing": missing}, lambda page: _column_name(crawl, page))


class MetaSiteCode(Check):
    id = "meta.site_code"
    title = "网站标识码缺失或错误"
    indicator = INDICATOR
    severity = "major"
    options = dict(template.OPTIONS)
    option_minimums = template.MINIMUMS

    def run(self, crawl, options):
        judged = []
        for page in html_pages(crawl):
            footer = page["footer"].get("site_code")
            meta = meta_value(page, "SiteIDCode")
            if not footer:  # the same problem whatever the tag says: pages of one template fold together
                problem = ("missing", None, None)
            elif meta and not SITE_CODE.match(meta):
                problem = ("invalid", footer, meta)
            elif meta and meta.lower() != footer.lower():
                problem = ("mismatch", footer, meta)
            else:
                problem = None
            judged.append(template.Judged(page, [problem] if problem else []))
        yield from template.fold_findings(crawl, judged, options, _site_code_problems, _site_code_facts,
                                          lambda page: _column_name(crawl, page))


def _site_code_problems(problems: list[tuple]) -> str:
    words = []
    for kind, footer, meta in problems:
        if kind == "missing":
            words.append("页面底部未标注网站标识码，或标注的不是 10 位数字（中央单位为 bm 加 8 位数字）")
        elif kind == "invalid":
            words.append(f"SiteIDCode 标签 {meta} 不是 10 位数字（中央单位为 bm 加 8 位数字）")
        else:
            words.append(f"页面底部网站标识码 {footer} 与 SiteIDCode 标签 {meta} 不一致")
    return "；".join(words)


def _site_code_facts(problems: list[tuple]) -> dict:
    _, footer, meta = problems[0]  # a page has one problem; a template finding names its first in the facts
    return {"footer": footer, "meta": meta}


class MetaFooter(Check):
    id = "meta.footer"
    title = "底部标识缺失"
    indicator = INDICATOR
    severity = "minor"
    options = dict(template.OPTIONS)
    option_minimums = template.MINIMUMS

    def run(self, crawl, options):
        judged = [template.Judged(page, [name for key, name in FOOTER_PARTS.items() if not page["footer"].get(key)])
                  for page in html_pages(crawl)]
        yield from template.fold_findings(
            crawl, judged, options, lambda missing: f"页面底部缺少{'、'.join(missing)}",
            lambda missing: {"missing": missing}, lambda page: _column_name(crawl, page))


class MetaPubdate(Check):
    id = "meta.pubdate"
    title = "文章缺少发布日期"
    indicator = INDICATOR
    severity = "minor"

    def run(self, crawl, options):
        for page in html_pages(crawl, "article"):
            # Only the page's own date counts: the list's or the URL's is not shown on the article.
            if page["published_source"] in ("meta", "text"):
                continue
            yield Finding(page["url"], "文章页面未显示发布日期",
                          {"list_date": page["list_date"], "url_date": page["url_date"]}, [page["url"]],
                          _column_name(crawl, page))
