"""Unanswered messages (互动回应): a message of an `interaction` column (留言, 咨询, 信箱) left without a reply.

Each message's date and its reply date or status (已回复 / 未回复 / 办理中) are read from its detail page, as
label and value: the cells of its tables (`留言时间 | 2026-07-23`), else its text (`回复时间：2026-07-26`); the
list's date stands in for a message date the page does not show. The labels are the check's options, the
pair of "selectors" a site whose board words them differently can set.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from checks.api import Check, Finding
from crawler.extract.dates import parse_date
from crawler.extract.tables import tables_of

INDICATOR = "互动回应"
_REPLIED = re.compile(r"已回复|已答复|已办结|已处理|已反馈|办结|已解答")
_ANY_REPLY = re.compile(r"回复|答复|办理结果|处理结果|反馈|回音|办理情况")
_WAITING = re.compile(r"尚未|未回复|未答复|待回复|待答复|办理中|处理中|受理中|待处理|未处理|未办结|转办中|正在办理")


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


@dataclass
class Message:
    url: str
    title: str
    asked: date | None
    replied: date | None
    status: str | None        # "replied", "waiting" or None (the page does not say)
    status_text: str | None


def _pairs(page: dict) -> list[tuple[str, str]]:
    """(label, value) pairs of a page's table cells: each cell and the one after it."""
    out = []
    for grid in tables_of(page.get("tables")):
        for row in grid:
            for i in range(len(row) - 1):
                if row[i] and row[i] != row[i + 1]:
                    out.append((row[i].strip(" ：:"), row[i + 1]))
    return out


def _value(pairs: list[tuple[str, str]], text: str, labels: list[str]) -> str | None:
    for label, value in pairs:
        if label in labels:
            return value
    for label in labels:
        m = re.search(re.escape(label) + r"\s*[:：]?\s*([^\n]{1,40})", text)
        if m:
            return m.group(1)
    return None


def read_message(page: dict, list_date: str | None, options: dict) -> Message:
    pairs, text = _pairs(page), page["text"] or ""
    shown = parse_date(_value(pairs, text, options["message_date_labels"]))
    asked = shown or list_date or page["published"]
    reply_value = parse_date(_value(pairs, text, options["reply_labels"]))
    replied = date.fromisoformat(reply_value) if reply_value else None
    status_text = _value(pairs, text, options["status_labels"])
    status = None
    if replied:
        status = "replied"
    elif status_text and _WAITING.search(status_text):
        status = "waiting"
    elif status_text and _REPLIED.search(status_text):
        status = "replied"
    elif any(label in ("回复内容", "答复内容", "回复意见", "答复意见") and value.strip() for label, value in pairs):
        status = "replied"
    elif shown and not _ANY_REPLY.search(text + " ".join(label for label, _ in pairs)):
        status = "waiting"  # the page shows the message and its date, and nothing of a reply
    return Message(page["url"], page["title"] or "", date.fromisoformat(asked[:10]) if asked else None, replied,
                   status, status_text)


class InteractionUnanswered(Check):
    id = "interaction.unanswered"
    title = "留言超期未答复"
    indicator = INDICATOR
    severity = "critical"
    options = {
        "max_months": 3,
        "lookback_days": 365,
        "message_date_labels": ["留言时间", "留言日期", "提问时间", "咨询时间", "来信时间", "来信日期", "写信时间",
                                "提交时间", "发布时间"],
        "reply_labels": ["回复时间", "回复日期", "答复时间", "答复日期", "办结时间", "反馈时间", "处理时间"],
        "status_labels": ["办理状态", "处理状态", "回复状态", "答复状态", "状态"],
    }

    def run(self, crawl, options):
        since = crawl.as_of - timedelta(days=options["lookback_days"])
        months = options["max_months"]
        for column in crawl.columns():
            if column["category"] != "interaction":
                continue
            listed = {item["url"]: item for item in column["items"]}
            urls = list(listed) + [p["url"] for p in crawl.pages("article", "page")
                                   if p["column_id"] == column["id"] and p["url"] not in listed]
            for url in urls:
                page = crawl.page(url)
                if page is None or page["kind"] not in ("article", "page") or (page["http_status"] or 0) >= 400:
                    continue
                message = read_message(page, (listed.get(url) or {}).get("date"), options)
                if message.asked is None or message.asked < since or message.asked > crawl.as_of:
                    continue
                due = add_months(message.asked, months)
                evidence = {"asked": message.asked.isoformat(), "due": due.isoformat(), "max_months": months,
                            "status": message.status_text or ("未显示答复" if message.status == "waiting" else None)}
                if message.status == "waiting":
                    if crawl.as_of > due:
                        days = (crawl.as_of - message.asked).days
                        yield Finding(url, f"{column['name']}栏目留言「{message.title}」于 {message.asked} 提交，"
                                      f"至 {crawl.as_of} 已 {days} 天未答复（超过 {months} 个月）",
                                      dict(evidence, waited_days=days), [url, column["url"]], column["name"])
                elif message.replied and message.replied > due:
                    days = (message.replied - message.asked).days
                    yield Finding(url, f"{column['name']}栏目留言「{message.title}」于 {message.asked} 提交，"
                                  f"{message.replied} 才答复，历时 {days} 天（超过 {months} 个月）",
                                  dict(evidence, replied=message.replied.isoformat(), waited_days=days),
                                  [url, column["url"]], column["name"])
