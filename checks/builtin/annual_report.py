"""Annual report (政府信息公开工作年度报告): published, on time, and in the 2021 format (checks/annual_format.py).

Reports are the dated items of an `annual_report` column and, anywhere on the site, pages titled like one
(…年政府信息公开工作年度报告 / 年报). A report whose page only carries it as an attachment is judged on the
attachment's text (and a docx's tables). The format checks (structure, tables, fee) apply to the reports
for 2021 and later: the format dates from September 2021, and the fee statement from 国办函〔2020〕109号.
"""

from __future__ import annotations

import abc
import re
import weakref
from dataclasses import dataclass, field
from datetime import date

from checks.annual_format import (FORMAT_FROM_YEAR, SECTIONS, Grid, ReportText, body_year, check_tables,
                                  fee_statement, future_plans, grids_from_text, structure_problems)
from checks.api import Check, CrawlView, Finding
from checks.titles import year_in
from crawler.extract.tables import tables_of

INDICATOR = "政府信息公开年度报告"
_SITE_WIDE = re.compile(r"(?:政府信息公开|政务公开|信息公开).{0,10}(?:年度报告|年报|工作报告)|信息公开年报")
_IN_COLUMN = re.compile(r"报告|年报|总结|工作情况")
_OFFICIAL = {number: heading for number, heading, _ in SECTIONS}
_READABLE_KINDS = ("docx", "pdf", "xlsx", "xls", "other")


def deadline(year: int, level: str) -> tuple[date, str]:
    """The day by which the report for `year` must be out, and the rule that sets it."""
    if year <= 2018:  # the 2008 条例 (第三十一条), in force until 15 May 2019: 3月31日 for everyone
        return date(year + 1, 3, 31), "政府信息公开条例（2008）第三十一条：每年3月31日前"
    if level == "government":
        return date(year + 1, 3, 31), "政府信息公开条例第四十九条：人民政府年度报告于每年3月31日前公布"
    return date(year + 1, 1, 31), "政府信息公开条例第四十九条：部门年度报告于每年1月31日前公布"


def due_year(as_of: date, level: str) -> int:
    """The latest year whose report must be out by `as_of`."""
    last = as_of.year - 1
    return last if as_of > deadline(last, level)[0] else last - 1


@dataclass
class Report:
    page: dict                  # where it is published: the article, or the file a column lists directly
    title: str
    year: int
    published: date | None
    column: dict | None
    source: dict | None = None  # what was read: the page itself or its attachment (None: nothing readable)
    text: ReportText = field(default_factory=lambda: ReportText([]))
    grids: list[Grid] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return (self.source or self.page)["url"]

    @property
    def pages(self) -> list[str]:
        return list(dict.fromkeys([self.page["url"], self.subject]))

    @property
    def in_format(self) -> bool:
        return self.year >= FORMAT_FROM_YEAR

    @property
    def from_attachment(self) -> bool:
        return self.source is not None and self.source is not self.page


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _sections(text: str) -> int:
    return len({h.section for h in ReportText.parse(text).headings if h.section})


def read_report(crawl: CrawlView, page: dict, title: str, year: int, published: date | None,
                column: dict | None) -> Report:
    report = Report(page, title, year, published, column)
    source = page
    if page["kind"] != "attachment" and _sections(page["text"]) < 2:
        files = [crawl.page(a["url"]) for a in page["attachments"]]
        files = [f for f in files if f and f["kind"] == "attachment" and not f["error"] and f["text"]]
        if files:
            source = max(files, key=lambda f: (_sections(f["text"]), len(f["text"])))
        elif page["attachments"] and len(page["text"]) < 300:
            source = None  # published as a file that could not be read (doc, wps, a scan)
    if page["kind"] == "attachment" and not page["text"]:
        source = None
    report.source = source
    if source is not None:
        report.text = ReportText.parse(source["text"])
        report.grids = tables_of(source.get("tables")) or grids_from_text(source["text"])
    return report


def find_reports(crawl: CrawlView) -> list[Report]:
    reports: dict[str, Report] = {}
    listed: dict[str, tuple[str, str | None, dict]] = {}
    for column in crawl.columns():
        if column["category"] == "annual_report":
            for item in column["items"]:
                listed.setdefault(item["url"], (item["title"] or "", item["date"], column))
    for page in crawl.pages("article", "page", "attachment"):
        if (page["http_status"] or 0) >= 400 or page["error"]:
            continue
        item = listed.get(page["url"])
        title = page["title"] or (item[0] if item else "")
        if item and item[0] and (page["kind"] == "attachment" or not _IN_COLUMN.search(title)):
            title = item[0]
        in_column = item is not None or (crawl.column(page["column_id"]) or {}).get("category") == "annual_report"
        if not (_SITE_WIDE.search(title) or (in_column and _IN_COLUMN.search(title))):
            continue
        year = year_in(title)
        if year is None:
            continue
        column = item[2] if item else crawl.column(page["column_id"])
        published = _day(page["published"]) or _day(item[1] if item else None)
        reports[page["url"]] = read_report(crawl, page, title, year, published, column)
    # a file that a report page carries is the same report, not a second one
    carried = {r.source["url"] for r in reports.values() if r.from_attachment}
    return [r for url, r in reports.items() if url not in carried]


_FOUND: "weakref.WeakKeyDictionary[CrawlView, list[Report]]" = weakref.WeakKeyDictionary()


def reports_of(crawl: CrawlView) -> list[Report]:
    if crawl not in _FOUND:
        _FOUND[crawl] = find_reports(crawl)
    return _FOUND[crawl]


def _name(report: Report) -> str:
    return f"{report.year}年度报告「{report.title}」"


def _column_name(report: Report) -> str | None:
    return report.column["name"] if report.column else None


class AnnualReportMissing(Check):
    id = "annual_report.missing"
    title = "年报未发布"
    indicator = INDICATOR
    severity = "critical"

    def run(self, crawl, options):
        level = crawl.site.level
        year = due_year(crawl.as_of, level)
        due, rule = deadline(year, level)
        reports = reports_of(crawl)
        columns = [c for c in crawl.columns() if c["category"] == "annual_report"
                   and not c["error"] and (c["http_status"] or 0) < 400]
        for column in columns:
            years = {year_in(item["title"]) for item in column["items"] if _IN_COLUMN.search(item["title"] or "")}
            years |= {r.year for r in reports if r.column and r.column["id"] == column["id"]}
            years.discard(None)
            if year in years:
                continue
            newest = max(years, default=None)
            shown = f"最新为 {newest} 年度" if newest else "没有任何年度报告"
            yield Finding(column["url"], f"{column['name']}栏目未发布 {year} 年度政府信息公开工作年度报告"
                          f"（应于 {due} 前发布；{shown}）",
                          {"year": year, "deadline": due.isoformat(), "rule": rule, "newest_year": newest,
                           "level": level}, [column["url"]], column["name"])
        if not columns and not any(r.year == year for r in reports):
            if not crawl.sees_whole_site:
                crawl.limitation("本次检查未能看到全站，不判断全站是否缺少年报")
                return
            home = crawl.homepage
            subject = home["url"] if home else crawl.site.base_url
            yield Finding(subject, f"全站未找到 {year} 年度政府信息公开工作年度报告（应于 {due} 前发布）",
                          {"year": year, "deadline": due.isoformat(), "rule": rule, "level": level,
                           "years_found": sorted({r.year for r in reports})}, [subject])


class AnnualReportLate(Check):
    id = "annual_report.late"
    title = "年报逾期发布"
    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        level = crawl.site.level
        by_year: dict[int, list[Report]] = {}
        for report in reports_of(crawl):
            if report.published:
                by_year.setdefault(report.year, []).append(report)
        for year, copies in sorted(by_year.items()):
            first = min(copies, key=lambda r: r.published)  # a later copy of a report published on time is no delay
            due, rule = deadline(year, level)
            if first.published > due:
                days = (first.published - due).days
                yield Finding(first.page["url"], f"{_name(first)}于 {first.published} 发布，"
                              f"超过 {due} 的发布期限 {days} 天",
                              {"year": year, "published": first.published.isoformat(), "deadline": due.isoformat(),
                               "days_late": days, "rule": rule, "level": level},
                              [first.page["url"]], _column_name(first))


class _Format(Check):
    """A check of a 2021-format report's content."""

    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        for report in reports_of(crawl):
            if report.in_format and report.source is not None:
                yield from self.judge(report)

    @abc.abstractmethod
    def judge(self, report: Report):
        """The findings about one report."""


class AnnualReportStructure(_Format):
    id = "annual_report.structure"
    title = "年报结构不完整"

    def run(self, crawl, options):
        for report in reports_of(crawl):
            if report.in_format and report.source is None:
                yield Finding(report.page["url"], f"{_name(report)}以附件形式发布，附件内容无法读取，"
                              "未能核验年报结构、统计表和信息处理费说明，请人工查看",
                              {"year": report.year, "attachments": report.page["attachments"]},
                              report.pages, _column_name(report), severity="info")
        yield from super().run(crawl, options)

    def judge(self, report):
        missing, out_of_order = structure_problems(report.text)
        if not missing and not out_of_order:
            return
        parts = []
        if missing:
            parts.append("缺少" + "、".join(f"「{_OFFICIAL[n]}」" for n in missing))
        if out_of_order:
            parts.append("顺序错误：" + "、".join(f"「{_OFFICIAL[n]}」" for n in out_of_order))
        where = "（附件）" if report.from_attachment else ""
        yield Finding(report.subject, f"{_name(report)}{where}不符合2021年年报格式的六部分结构：" + "；".join(parts),
                      {"year": report.year, "missing": [_OFFICIAL[n] for n in missing],
                       "out_of_order": [_OFFICIAL[n] for n in out_of_order],
                       "headings": [{"text": h.text, "section": h.section} for h in report.text.headings],
                       "format": "国办公开办函〔2021〕30号"},
                      report.pages, _column_name(report))


class AnnualReportTables(_Format):
    id = "annual_report.tables"
    title = "年报统计表缺失或不一致"

    def judge(self, report):
        problems = check_tables(report.grids)
        if not problems:
            return
        parts = []
        if problems.missing:
            parts.append("缺少" + "、".join(f"「{m}」" for m in problems.missing))
        for s in problems.sums:
            where = s.get("column") or s.get("row")
            parts.append(f"第{s['table']}部分统计表「{where}」不符合「{s['rule']}」（应为 {s['expected']}，表中为 {s['found']}）")
        severity = None
        if report.source.get("platform") == "pdf" and not any(problems.sums) and len(problems.missing) >= 3:
            severity = "info"  # a pdf's text keeps no table structure: could not be read, not absent
            parts = ["PDF 附件中的统计表无法读取，请人工核对"]
        yield Finding(report.subject, f"{_name(report)}：" + "；".join(parts),
                      {"year": report.year, "missing": problems.missing, "sums": problems.sums,
                       "unfilled": problems.unfilled, "tables_read": len(report.grids)},
                      report.pages, _column_name(report), severity=severity)


class AnnualReportFee(_Format):
    id = "annual_report.fee"
    title = "年报未说明信息处理费"

    def judge(self, report):
        text = report.text
        closing = text.section_lines(6) if 6 in text.order else text.content_lines()[-3:]
        if fee_statement(closing):
            return
        elsewhere = fee_statement(text.lines)
        evidence = {"year": report.year, "section_six": 6 in text.order, "stated_elsewhere": elsewhere,
                    "suggestion": "本年度未收取信息处理费。"}
        message = f"{_name(report)}的第六部分（其他需要报告的事项）或报告结尾未说明信息处理费收取情况"
        if text.notes:
            evidence["editor_notes"] = text.notes
            message += f"；文末「{text.notes[-1].strip()}」是给编辑的批注，不是报告正文"
        if elsewhere:
            message += f"（正文其他部分提到「{elsewhere}」，应在第六部分说明）"
        yield Finding(report.subject, message, evidence, report.pages, _column_name(report),
                      severity="minor" if elsewhere else None)


class AnnualReportYear(Check):
    id = "annual_report.year"
    title = "年报年份错误"
    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        for report in reports_of(crawl):
            if report.source is None:
                continue
            text = report.text
            wrong = [(y, t) for y, t in future_plans(text.section_lines(5)) if y <= report.year]
            stated, said = body_year(text)
            parts, evidence = [], {"year": report.year}
            if wrong:
                parts.append(f"改进计划写的是「{wrong[0][1]}」，应为 {report.year + 1} 年的工作安排")
                evidence.update(text=wrong[0][1], suggestion=wrong[0][1].replace(str(wrong[0][0]), str(report.year + 1), 1),
                                plans=[t for _, t in wrong])
            if stated and stated != report.year:
                parts.append(f"标题为 {report.year} 年度，正文却是 {stated} 年（「{said}」）")
                evidence.update(body_year=stated, body_text=said)
            if parts:
                yield Finding(report.subject, f"{_name(report)}：" + "；".join(parts), evidence, report.pages,
                              _column_name(report))
