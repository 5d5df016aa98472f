"""`govinspect init`: read a homepage and its 信息公开 catalogue and write a commented configuration."""

from __future__ import annotations

import json
import tomllib
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from w3lib.encoding import html_to_unicode

from crawler.columns import discover_columns, find_catalogue_links
from crawler.items import Page
from govinspect.config import ConfigError, CrawlSection, config_from_dict

USER_AGENT = CrawlSection().user_agent


def fetch_page(url: str, timeout: float = 15.0) -> Page:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = answer.read(20 * 1024 * 1024)
            content_type = answer.headers.get("Content-Type", "")
            final_url = answer.geturl()
    except urllib.error.HTTPError as error:
        raise ConfigError(url, None, f"the site answered HTTP {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ConfigError(url, None, f"cannot fetch the page ({reason})") from None
    _, text = html_to_unicode(content_type, body)
    return Page.from_html(final_url, text)


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_initial_config(url: str, output: Path, *, name: str | None = None) -> Path:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(url, None, "not an http(s) URL")
    home = fetch_page(url)
    pages = [home]
    for catalogue in find_catalogue_links(home)[:1]:
        try:
            pages.append(fetch_page(catalogue))
        except ConfigError:
            pass  # a catalogue that fails is not fatal: the homepage's columns still come through
    host = urlsplit(home.url).hostname
    columns = discover_columns(pages, {host})
    title = name or home.selector.xpath("normalize-space(//title)").get() or host
    lines = [
        "# govinspect site configuration, written by `govinspect init`.",
        "# Review every column below: the category sets the date rule (see the README).",
        "",
        "[site]",
        f"name = {_quote(title)}",
        f"base_url = {_quote(home.url)}",
        f"allowed_domains = [{_quote(host)}]",
        'timezone = "Asia/Shanghai"',
        'level = "department"        # "government" for a government\'s own portal (annual report due 31 March)',
        "",
        "[crawl]",
        "concurrency_per_host = 2    # be a good guest: the inspected site is often small",
        "delay_seconds = 0.5",
        "timeout_seconds = 15        # the national indicator's 15 s",
        "max_pages = 50000",
        "",
    ]
    for column in columns:
        lines += ["[[columns]]", f"name = {_quote(column.name)}", f"url = {_quote(column.url)}",
                  f"category = {_quote(column.category)}", ""]
    if not columns:
        lines += ["# No columns were found on the homepage: list them here as [[columns]] tables,",
                  "# or leave none and the crawler discovers them at every run.", ""]
    text = "\n".join(lines)
    config_from_dict(tomllib.loads(text), str(output))
    output.write_text(text, encoding="utf-8")
    return output
