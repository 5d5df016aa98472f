"""Disclosure timeliness (公开时限): a document published more than 20 working days after it was made
(政府信息公开条例 第二十六条), counted with Chinese public holidays and make-up working days.

Two kinds of old documents are not late disclosures: one made before the 条例 took effect (2008-05-01: no time
limit applied to it), and an archive release, a document published more than `archive_years` (3) years after it
was made. A routine lapse is seen within that time by three annual reports and self-inspections; what comes
online later is a portal or 文件库 putting its archive online (documents of 1981 and 2004 published in 2018),
which no office can rectify by publishing faster.
"""

from __future__ import annotations

import re
from datetime import date

from checks.api import Check
from checks.textutil import crawl_texts, finding, occurrence, own_doc_numbers
from checks.workdays import working_days_between
from crawler.extract.dates import parse_date

INDICATOR = "公开时限"
IN_FORCE = date(2008, 5, 1)  # 中华人民共和国政府信息公开条例 (国务院令第492号) took effect
# Dates a reader sees for a page's publication (a date read from the URL is a guess).
SHOWN = ("meta", "text", "list")
_WRITTEN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _shown_date(text: str, day: date) -> tuple[int, int] | None:
    """Where the document's own date is written (the last occurrence: 成文日期 closes a document)."""
    forms = [f"{day.year}年{day.month}月{day.day}日", f"{day.year}年{day.month:02d}月{day.day:02d}日",
             day.isoformat(), f"{day.year}-{day.month}-{day.day}", f"{day.year}/{day.month}/{day.day}"]
    best = None
    for form in forms:
        at = text.rfind(form)
        if at >= 0 and (best is None or at > best[0]):
            best = (at, at + len(form))
    if best is None:
        found = [m for m in _WRITTEN.finditer(text, max(0, len(text) - 500))
                 if (int(m[1]), int(m[2]), int(m[3])) == (day.year, day.month, day.day)]
        if found:
            best = found[-1].span()
    return best


# 成文日期 closes a document, alone on its line (in brackets or not), in digits or in Chinese numerals.
_SIGNED = re.compile(r"^[（(]?\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                     r"|[〇○零一二三四五六七八九]{4}\s*年\s*[〇○零一二三四五六七八九十]{1,3}\s*月\s*[〇○零一二三四五六七八九十]{1,3}\s*日)"
                     r"\s*[）)]?$")


def signed_date(text: str) -> tuple[date, tuple[int, int]] | None:
    """The date that closes the document (one of its last five lines) and where it is written."""
    end = len(text)
    for _ in range(5):
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        found = _SIGNED.match(line.strip())
        if found:
            day = parse_date(found.group(1))
            if day:
                at = start + line.index(found.group(1))
                return date.fromisoformat(day), (at, at + len(found.group(1)))
        if start == 0:
            return None
        end = start - 1
    return None


def _under_the_limit_rule(made: date, basis: str, published: date, options: dict) -> bool:
    """Made under the 条例 (a 文号's year alone: possibly from its first day) and published before it was archive."""
    earliest = date(made.year, 1, 1) if basis == "文号年份" else made
    return earliest >= IN_FORCE and published <= _years_after(made, options["archive_years"])


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class DisclosureLate(Check):
    id = "disclosure.late"
    title = "主动公开超期"
    indicator = INDICATOR
    severity = "major"
    options = {"max_working_days": 20, "archive_years": 3}

    def run(self, crawl, options):
        limit = options["max_working_days"]
        for source in crawl_texts(crawl):
            row = source.row
            if source.is_attachment or not row.get("published") or row.get("published_source") not in SHOWN:
                continue
            published = date.fromisoformat(row["published"])
            made, basis, span = None, None, None
            signed = signed_date(source.text)
            if signed:
                made, basis, span = signed[0], "成文日期", signed[1]
            elif row.get("document_date"):  # a 成文日期 / 生成日期 label the crawler read on the page
                made, basis = date.fromisoformat(row["document_date"]), "成文日期"
                span = _shown_date(source.text, made)
            else:
                own = own_doc_numbers(source.text)
                if own:  # only the year is known: the document was made on 31 December of it at the latest
                    made, basis = date(int(own[-1].year), 12, 31), "文号年份"
                    span = own[-1].span()
            if made is None or made >= published or not _under_the_limit_rule(made, basis, published, options):
                continue
            days = working_days_between(made, published)
            if days.days <= limit:
                continue
            if span:
                shown = occurrence(source.text, *span)
            else:
                shown = {"text": made.isoformat(), "context": f"成文日期 {made.isoformat()}", "where": "document_date"}
            made_text = (f"文号「{shown['text']}」表明成文不晚于 {made}" if basis == "文号年份"
                         else f"成文日期 {made}")
            yield finding(source, f"{made_text}，{published} 才公开，相隔 {days.days} 个工作日，"
                          f"超过 {limit} 个工作日", [shown], document_date=made.isoformat(), basis=basis,
                          published=published.isoformat(), published_source=row["published_source"],
                          working_days=days.days, limit_days=limit, calendar=days.calendar,
                          calendar_fallback_years=days.uncovered_years)
