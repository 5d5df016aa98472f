"""A draft of the year's 政府信息公开工作年度报告 in the 2021 format (国办公开办函〔2021〕30号), as a Word file.

Six sections, the statistical tables with their official row and column labels, and section 六 closing with
「无其他需要报告的事项，本年度未收取信息处理费。」. What the crawl can count is filled in (the information
published proactively in the year, by column; the year's 行政规范性文件 where a column holds them); every
other number is left blank and every sentence the site cannot know is marked 【请填写：…】 for the bureau.
The annual_report checks pass the draft as it is written; the numbers are the bureau's to fill.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from checks.annual_format import (FEE_LINE, SEC2_TABLES, SEC3_COLUMNS, SEC3_NOTE, SEC3_ORGS, SEC3_ROWS,
                                  SEC4_RESULTS, SECTIONS)
from checks.api import CrawlView
from govinspect.store import Store

# Columns whose items are not information the bureau published proactively.
_NOT_COUNTED = ("interaction", "annual_report")


def published_counts(crawl: CrawlView, year: int) -> tuple[Counter, int]:
    """Articles published in `year`, by column name, and 行政规范性文件 among them (columns named so)."""
    by_column: Counter = Counter()
    normative = 0
    for page in crawl.pages("article"):
        if not page["published"] or not page["published"].startswith(str(year)):
            continue
        column = crawl.column(page["column_id"])
        if column is None or column["category"] in _NOT_COUNTED:
            continue
        by_column[column["name"] or column["url"]] += 1
        if column["category"] == "policy" and "规范性文件" in (column["name"] or ""):
            normative += 1
    return by_column, normative


def draft_paragraphs(site_name: str, year: int, by_column: Counter) -> dict[int, list[str]]:
    """The text of each section (1–6), before and after its tables."""
    total = sum(by_column.values())
    shares = "，".join(f"{name}{n}条" for name, n in by_column.most_common())
    counted = (f"{year}年，{site_name}通过门户网站主动公开政府信息{total}条" + (f"，其中{shares}" if shares else "")
               + "。【据网站抓取统计，发布前请核对】")
    fill = "【请填写：{}】"
    return {
        1: [f"（一）主动公开情况。{counted}",
            "（二）依申请公开情况。" + fill.format("全年收到和办理政府信息公开申请的情况"),
            "（三）政府信息管理情况。" + fill.format("信息发布审核、保密审查、动态更新等制度执行情况"),
            "（四）平台建设情况。" + fill.format("门户网站、政务新媒体等公开平台建设情况"),
            "（五）监督保障情况。" + fill.format("考核、培训、督查等情况")],
        2: [],
        3: [],
        4: [],
        5: ["（一）存在的主要问题。" + fill.format("本年度政府信息公开工作存在的主要问题"),
            f"（二）改进情况。{year + 1}年，{site_name}将" + fill.format("针对上述问题的改进措施") + "。"],
        6: [FEE_LINE],
    }


def _table(doc, rows: list[list[str]], merges: list[tuple[int, int, int, int]] = ()):
    table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    for r1, c1, r2, c2 in merges:
        keep = table.cell(r1, c1).text
        merged = table.cell(r1, c1).merge(table.cell(r2, c2))
        merged.text = keep
    return table


def _sec2(doc, normative: int | None) -> None:
    for item, header, labels in SEC2_TABLES:
        width = len(header)
        rows = [[item] + [""] * (width - 1), list(header)]
        for label in labels:
            cells = [""] * (width - 1)
            if label == "行政规范性文件" and normative:
                cells[0] = str(normative)
            rows.append([label] + cells)
        _table(doc, rows, [(0, 0, 0, width - 1)])


def _sec3(doc) -> None:
    head = [[SEC3_NOTE, "申请人情况"] + [""] * 6,
            ["", "自然人", "法人或其他组织", "", "", "", "", "总计"],
            ["", ""] + list(SEC3_ORGS) + [""]]
    body = [[label] + [""] * len(SEC3_COLUMNS) for label, _ in SEC3_ROWS]
    _table(doc, head + body, [(0, 0, 2, 0), (0, 1, 0, 7), (1, 1, 2, 1), (1, 2, 1, 6), (1, 7, 2, 7)])


def _sec4(doc) -> None:
    results = list(SEC4_RESULTS)
    rows = [["行政复议"] + [""] * 4 + ["行政诉讼"] + [""] * 9,
            results + ["未经复议直接起诉"] + [""] * 4 + ["复议后起诉"] + [""] * 4,
            [""] * 5 + results * 2,
            [""] * 15]
    merges = [(0, 0, 0, 4), (0, 5, 0, 14), (1, 5, 1, 9), (1, 10, 1, 14)] + [(1, c, 2, c) for c in range(5)]
    _table(doc, rows, merges)


def write_draft(store: Store, run_id: int, year: int, out: Path) -> Path:
    """Write the draft of `year`'s report, counting from run `run_id`, to `out` (.docx)."""
    from docx import Document

    crawl = CrawlView(store, run_id)
    site_name = crawl.site.name
    by_column, normative = published_counts(crawl, year)
    text = draft_paragraphs(site_name, year, by_column)
    doc = Document()
    doc.add_heading(f"{site_name}{year}年政府信息公开工作年度报告", level=1)
    doc.add_paragraph(f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
                      f"（国办公开办函〔2021〕30号）要求编制，所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
                      f"本报告电子版可在{site_name}门户网站查阅。")
    tables = {2: lambda: _sec2(doc, normative or None), 3: lambda: _sec3(doc), 4: lambda: _sec4(doc)}
    for number, heading, _ in SECTIONS:
        doc.add_heading(heading, level=2)
        for paragraph in text[number]:
            doc.add_paragraph(paragraph)
        if number in tables:
            tables[number]()
    doc.add_paragraph(site_name)
    doc.add_paragraph(f"{year + 1}年1月　日")
    props = doc.core_properties
    props.title = f"{site_name}{year}年政府信息公开工作年度报告"
    props.author = site_name
    props.created = props.modified = _noon(date.today())
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


def _noon(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day, 12)
