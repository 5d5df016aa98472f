"""Annual report checks over loopback sites crawled and checked by the real CLI: a correct 2021-format report,
each defect kind, the real Yueqing seed report, reports given only as docx attachments, deadlines by site
level, and the draft that `govinspect annual-report-draft` writes validated clean."""

from __future__ import annotations

import html as htmlmod
import io
from pathlib import Path

import pytest

from conftest import SEEDS, Route, planted, run_cli
from crawlcheck import columns_toml, crawl, fired, html, listing
from govinspect.store import Store

SEED = SEEDS / "yueqing-audit-2021-annual-report.md"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ORGS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
# label of each section 三 row as the real format lays it out: (merged first column, second, third), numbers key
SEC3 = [("一、本年新收政府信息公开申请数量", None, None, "new"), ("二、上年结转政府信息公开申请数量", None, None, "carried"),
        ("三、本年度办理结果", "（一）予以公开", None, "open"),
        ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, "zero")]
SEC3 += [("三、本年度办理结果", "（三）不予公开", f"{i}.{x}", "zero") for i, x in enumerate(
    ("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益", "属于三类内部事务信息",
     "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"), 1)]
SEC3 += [("三、本年度办理结果", "（四）无法提供", f"{i}.{x}", "nohold" if i == 1 else "zero") for i, x in enumerate(
    ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"), 1)]
SEC3 += [("三、本年度办理结果", "（五）不予处理", f"{i}.{x}", "zero") for i, x in enumerate(
    ("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请", "要求行政机关确认或重新出具已获取信息"), 1)]
SEC3 += [("三、本年度办理结果", "（六）其他处理", f"{i}.{x}", "zero") for i, x in enumerate(
    ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
     "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"), 1)]
SEC3 += [("三、本年度办理结果", "（七）总计", None, "total"), ("四、结转下年度继续办理", None, None, "forward")]
# 3 new and 1 carried over from natural persons, 1 from a company; 3 + 1 answered, 1 carried forward
NUMBERS = {"new": [3, 1, 0, 0, 0, 0, 4], "carried": [1, 0, 0, 0, 0, 0, 1], "open": [2, 1, 0, 0, 0, 0, 3],
           "nohold": [1, 0, 0, 0, 0, 0, 1], "total": [3, 1, 0, 0, 0, 0, 4], "forward": [1, 0, 0, 0, 0, 0, 1],
           "zero": [0] * 7}
SEC4 = [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]


def td(text, **span) -> str:
    attrs = "".join(f' {k}="{v}"' for k, v in span.items())
    return f"<td{attrs}>{text}</td>"


def sec2_tables() -> str:
    return ('<table border="1"><tr><td colspan="4">第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td>'
            "<td>本年废止件数</td><td>现行有效件数</td></tr><tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>"
            "<tr><td>行政规范性文件</td><td>2</td><td>1</td><td>12</td></tr></table>"
            '<table border="1"><tr><td colspan="2">第二十条第（五）项</td></tr><tr><td>信息内容</td><td>本年处理决定数量</td>'
            "</tr><tr><td>行政许可</td><td>0</td></tr></table>"
            '<table border="1"><tr><td colspan="2">第二十条第（六）项</td></tr><tr><td>信息内容</td><td>本年处理决定数量</td>'
            "</tr><tr><td>行政处罚</td><td>0</td></tr><tr><td>行政强制</td><td>0</td></tr></table>"
            '<table border="1"><tr><td colspan="2">第二十条第（八）项</td></tr><tr><td>信息内容</td>'
            "<td>本年收费金额（单位：万元）</td></tr><tr><td>行政事业性收费</td><td>0</td></tr></table>")


def sec3_table(numbers: dict) -> str:
    """The real format's layout: 三、本年度办理结果 and （三）不予公开 … merged down their rows with rowspan."""
    rows = ['<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
            '<td colspan="7">申请人情况</td></tr><tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td>'
            '<td rowspan="2">总计</td></tr><tr>' + "".join(td(o) for o in ORGS) + "</tr>"]
    spans = {}
    for first, second, _, _ in SEC3:
        spans[first] = spans.get(first, 0) + 1
        if second:
            spans[second] = spans.get(second, 0) + 1
    opened = set()
    for first, second, third, key in SEC3:
        cells = ""
        if first not in opened:
            opened.add(first)
            cells += td(first, colspan=3) if spans[first] == 1 else td(first, rowspan=spans[first])
        if second and second not in opened:
            opened.add(second)
            cells += td(second, colspan=2) if not third else td(second, rowspan=spans[second])
        if third:
            cells += td(third)
        rows.append("<tr>" + cells + "".join(td(n) for n in numbers[key]) + "</tr>")
    return '<table border="1">' + "".join(rows) + "</table>"


def sec4_table(values: list) -> str:
    results = "".join(td(x) for x in ("结果维持", "结果纠正", "其他结果", "尚未审结"))
    return ('<table border="1"><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr><tr>'
            + "".join(td(x, rowspan=2) for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
            + '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr><tr>'
            + (results + td("总计")) * 2 + "</tr><tr>" + "".join(td(v) for v in values) + "</tr></table>")


HEADINGS = {1: "一、总体情况", 2: "二、主动公开政府信息情况", 3: "三、收到和处理政府信息公开申请情况",
            4: "四、政府信息公开行政复议、行政诉讼情况", 5: "五、存在的主要问题及改进情况", 6: "六、其他需要报告的事项"}


def report(year: int, *, headings: dict | None = None, order=(1, 2, 3, 4, 5, 6), numbers: dict | None = None,
           sec4: list | None = None, tables=(2, 3, 4), fee="本年度未收取信息处理费。", fee_in_one: str = "",
           plan_year: int | None = None, period_year: int | None = None) -> str:
    """The body of a 2021-format report, each part changeable to plant one defect."""
    heads = {**HEADINGS, **(headings or {})}
    period = period_year or year
    parts = {
        1: [f"（一）主动公开情况。{year}年，我局全年通过门户网站主动公开政府信息42条。",
            f"（二）依申请公开情况。全年共收到政府信息公开申请4件，均在法定期限内答复。{fee_in_one}",
            "（三）政府信息管理情况。严格执行发布内容审查程序，信息经逐级审核后统一发布。"],
        2: [], 3: [], 4: [],
        5: ["（一）存在的主要问题。政策解读形式较为单一，信息公开与公众互动有待加强。",
            f"（二）改进情况。{plan_year or year + 1}年，我局将进一步丰富政策解读形式，加强日常监测和栏目自查。"],
        6: ["无其他需要报告的事项。" + (fee or "")],
    }
    table_html = {2: sec2_tables(), 3: sec3_table(numbers or NUMBERS), 4: sec4_table(sec4 or SEC4)}
    out = [f"<p>本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求编制，"
           f"所列数据的统计期限自{period}年1月1日起至{period}年12月31日止。</p>"]
    for number in order:
        if heads.get(number):
            out.append(f"<p><strong>{heads[number]}</strong></p>")
        out += [f"<p>{p}</p>" for p in parts[number]]
        if number in tables:
            out.append(table_html[number])
    return "".join(out)


def report_page(title: str, day: str, body: str) -> str:
    return html(title, f"<h1>{title}</h1><p>发布日期：{day}</p><div class='content'>{body}</div>")


TITLE = "青山县审计局{}年政府信息公开工作年度报告"
GOOD = report(2025)
# path: (year, body or docx marker) — every report published on 2026-01-20, before its deadline, unless said
REPORTS = {
    "/nb/good.html": (2025, GOOD),
    "/nb/variants.html": (2025, report(2025, headings={1: "一、总体情况概述", 2: "**二.主动公开政府信息情况**",
                                                        3: "三，收到和处理政府信息公开申请情况",
                                                        5: "## 五、存在的主要问题和改进情况",
                                                        6: "六、其他需要报告事项"})),
    "/nb/no-four.html": (2025, report(2025, headings={4: ""}, tables=(2, 3))),
    "/nb/order.html": (2025, report(2025, order=(1, 2, 3, 4, 6, 5))),
    "/nb/no-tables.html": (2025, report(2025, tables=())),
    "/nb/no-sec4-table.html": (2025, report(2025, tables=(2, 3))),
    "/nb/balance.html": (2025, report(2025, numbers=dict(NUMBERS, forward=[0] * 7))),
    "/nb/row-total.html": (2025, report(2025, numbers=dict(NUMBERS, new=[3, 1, 0, 0, 0, 0, 5]))),
    "/nb/sec4-total.html": (2025, report(2025, sec4=[0, 1, 0, 0, 2] + [0] * 10)),
    "/nb/no-fee.html": (2025, report(2025, fee="")),
    "/nb/fee-elsewhere.html": (2025, report(2025, fee="", fee_in_one="全年未收取信息处理费。")),
    "/nb/fee-amount.html": (2025, report(2025, fee="本年度共收取信息处理费0.12万元。")),
    "/nb/fee-shouli.html": (2025, report(2025, fee="本年度无信息受理费。")),
    "/nb/no-six-fee-last.html": (2025, report(2025, headings={6: ""})),
    "/nb/plan-own-year.html": (2025, report(2025, plan_year=2025)),
    "/nb/period-year.html": (2025, report(2025, period_year=2024)),
    "/nb/old-format.html": (2019, "<p><strong>一、概述</strong></p><p>2019年，我局认真贯彻落实政府信息公开工作各项要求。</p>"
                                  "<p><strong>二、主动公开政府信息情况</strong></p><p>全年主动公开政府信息24条。</p>"
                                  "<p><strong>三、存在的主要问题及改进措施</strong></p><p>2020年，我局将进一步加大公开力度。</p>"),
}
CASES = [
    ("annual_report.structure", "/nb/good.html", False, "complete 2021 format"),
    ("annual_report.tables", "/nb/good.html", False, "tables add up (rowspan layout of the real format)"),
    ("annual_report.fee", "/nb/good.html", False, "section 六 states the fee"),
    ("annual_report.year", "/nb/good.html", False, "plans for 2026, statistics of 2025"),
    ("annual_report.late", "/nb/good.html", False, "published 2026-01-20"),
    ("annual_report.structure", "/nb/variants.html", False, "bold, markdown marks, half-width dot, 和 for 及"),
    ("annual_report.tables", "/nb/variants.html", False, "same tables"),
    ("annual_report.structure", "/nb/no-four.html", True, "section 四 left out"),
    ("annual_report.structure", "/nb/order.html", True, "section 六 before 五"),
    ("annual_report.tables", "/nb/order.html", False, "order is not a table problem"),
    ("annual_report.tables", "/nb/no-tables.html", True, "no tables at all"),
    ("annual_report.structure", "/nb/no-tables.html", False, "headings all there"),
    ("annual_report.tables", "/nb/no-sec4-table.html", True, "section 四 without its table"),
    ("annual_report.tables", "/nb/balance.html", True, "new + carried ≠ total + carried forward"),
    ("annual_report.tables", "/nb/row-total.html", True, "本年新收 总计 ≠ 自然人 + 法人或其他组织"),
    ("annual_report.tables", "/nb/sec4-total.html", True, "行政复议 总计 ≠ the sum of its results"),
    ("annual_report.fee", "/nb/no-fee.html", True, "section 六 silent on the fee"),
    ("annual_report.fee", "/nb/fee-elsewhere.html", True, "fee only in section 一"),
    ("annual_report.fee", "/nb/fee-amount.html", False, "an amount collected"),
    ("annual_report.fee", "/nb/fee-shouli.html", False, "信息受理费 with 无"),
    ("annual_report.fee", "/nb/no-six-fee-last.html", False, "no section 六 heading, the last paragraph states it"),
    ("annual_report.structure", "/nb/no-six-fee-last.html", True, "but section 六 is missing"),
    ("annual_report.year", "/nb/plan-own-year.html", True, "改进情况 plans 2025 in the 2025 report"),
    ("annual_report.year", "/nb/period-year.html", True, "statistics of 2024 in the 2025 report"),
    ("annual_report.structure", "/nb/old-format.html", False, "a 2019 report: the 2021 format does not apply"),
    ("annual_report.tables", "/nb/old-format.html", False, "a 2019 report: the 2021 format does not apply"),
    ("annual_report.fee", "/nb/old-format.html", False, "a 2019 report: the fee statement does not apply"),
    ("annual_report.year", "/nb/old-format.html", False, "plans for 2020"),
    ("annual_report.missing", "/nb/list.html", False, "the column has the 2025 report"),
]


def docx_report(year: int, *, new_total: int = 4) -> bytes:
    """A complete 2021-format report as a Word file with its tables (filled in)."""
    from docx import Document

    doc = Document()
    doc.add_heading(TITLE.format(year), level=1)
    doc.add_paragraph(f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。")

    def table(rows):
        grid = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                grid.cell(r, c).text = str(text)

    for number, heading in HEADINGS.items():
        doc.add_heading(heading, level=2)
        if number == 1:
            doc.add_paragraph(f"{year}年，我局全年主动公开政府信息42条。")
        if number == 2:
            table([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", 0, 0, 0], ["行政规范性文件", 2, 1, 12]])
            table([["信息内容", "本年处理决定数量"], ["行政许可", 0], ["行政处罚", 0], ["行政强制", 0]])
            table([["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", 0]])
        if number == 3:
            body = [[" ".join(x for x in (a, b, c) if x)] + (dict(NUMBERS, new=[3, 1, 0, 0, 0, 0, new_total]))[key]
                    for a, b, c, key in SEC3]
            table([["", "自然人"] + list(ORGS) + ["总计"]] + body)
        if number == 4:
            table([["行政复议"] * 5 + ["行政诉讼"] * 10, ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3, SEC4])
        if number == 5:
            doc.add_paragraph(f"{year + 1}年，我局将进一步加强政策解读。")
        if number == 6:
            doc.add_paragraph("无其他需要报告的事项，本年度未收取信息处理费。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def seed_lines() -> list[str]:
    if not SEED.exists():
        pytest.skip(f"seed report not available: {SEED} is not beside this checkout")
    return [line for line in SEED.read_text(encoding="utf-8").split("\n") if line.strip()]


def seed_page(markdown: bool, fixed: bool) -> tuple[str, str]:
    """The seed report as an article: its title, and its lines as pasted (markdown marks kept) or as HTML."""
    lines = seed_lines()
    title = lines[0].lstrip("# ").strip()
    body = lines[1:]
    if fixed:
        body = body[:-1] + ["## 六、其他需要报告的事项", "无其他需要报告的事项，本年度未收取信息处理费。"]
    out = []
    for line in body:
        if markdown:
            out.append(f"<p>{htmlmod.escape(line)}</p>")
            continue
        level = len(line) - len(line.lstrip("#"))
        text = htmlmod.escape(line.lstrip("# ").strip())
        text = text.replace("**", "<strong>", 1).replace("**", "</strong>", 1)
        out.append(f"<h{level + 1}>{text}</h{level + 1}>" if level else f"<p>{text}</p>")
    return title, report_page(title, "2022-01-20", "".join(out))


SEEDED = {"/nb/seed-markdown.html": (True, False), "/nb/seed-html.html": (False, False),
          "/nb/seed-fixed.html": (False, True)}
SEED_CASES = [
    ("annual_report.structure", "/nb/seed-markdown.html", True), ("annual_report.fee", "/nb/seed-markdown.html", True),
    ("annual_report.year", "/nb/seed-markdown.html", True), ("annual_report.structure", "/nb/seed-html.html", True),
    ("annual_report.fee", "/nb/seed-html.html", True), ("annual_report.year", "/nb/seed-html.html", True),
    ("annual_report.structure", "/nb/seed-fixed.html", True), ("annual_report.fee", "/nb/seed-fixed.html", False),
    ("annual_report.year", "/nb/seed-fixed.html", True), ("annual_report.late", "/nb/seed-html.html", False),
]
DOCX_CASES = [
    ("/nb/docx-only.html", None, "the article only says 详见附件"),
    ("/nb/files/listed.docx", None, "the column lists the Word file itself"),
    ("/files/docx-bad.docx", "annual_report.tables", "the docx's section 三 table: 本年新收 总计 5 ≠ 4"),
]


def build_site() -> dict:
    routes: dict = {}
    items = []
    for path, (year, body) in REPORTS.items():
        routes[path] = report_page(TITLE.format(year), f"{year + 1}-01-20", body)
        items.append((path, TITLE.format(year), f"{year + 1}-01-20"))
    if SEED.exists():
        for path, (markdown, fixed) in SEEDED.items():
            title, routes[path] = seed_page(markdown, fixed)
            items.append((path, title, "2022-01-20"))
    attach = '<p>详见附件。</p><p>附件：<a href="{}">{}</a></p>'
    routes["/nb/docx-only.html"] = report_page(TITLE.format(2025), "2026-01-20",
                                               attach.format("/files/report-2025.docx", "年度报告.docx"))
    routes["/files/report-2025.docx"] = Route(docx_report(2025), headers={"Content-Type": DOCX})
    routes["/nb/docx-bad.html"] = report_page(TITLE.format(2025), "2026-01-20",
                                              attach.format("/files/docx-bad.docx", "年度报告.docx"))
    routes["/files/docx-bad.docx"] = Route(docx_report(2025, new_total=5), headers={"Content-Type": DOCX})
    routes["/nb/files/listed.docx"] = Route(docx_report(2025), headers={"Content-Type": DOCX})
    items += [("/nb/docx-only.html", TITLE.format(2025), "2026-01-20"),
              ("/nb/docx-bad.html", TITLE.format(2025), "2026-01-20"),
              ("/nb/files/listed.docx", TITLE.format(2025), "2026-01-20")]
    routes["/nb/list.html"] = listing("信息公开年报", items)
    routes["/"] = html("青山县审计局", '<a href="/nb/list.html">信息公开年报</a>')
    return routes


@pytest.fixture(scope="module")
def site(module_site_server, tmp_path_factory):
    base = module_site_server(build_site())
    result = crawl(tmp_path_factory.mktemp("annual"), base, columns_toml(base, [("/nb/list.html", "信息公开年报",
                                                                                "annual_report")]))
    return result, result.check()


@pytest.mark.parametrize("check_id, path, fires, why", CASES, ids=[f"{c}-{p}" for c, p, _, _ in CASES])
def test_annual_report_checks(site, check_id, path, fires, why):
    assert ((check_id, path) in fired(site[1], "annual_report.")) == fires, why


def test_correct_report_has_no_annual_report_finding(site):
    assert {p for _, p in fired(site[1], "annual_report.")} & {"/nb/good.html", "/nb/variants.html"} == set()


def _one(findings, check_id, path):
    return next(f for f in findings if f["check"] == check_id and f["url"].endswith(path))


def test_structure_names_what_is_missing(site):
    finding = _one(site[1], "annual_report.structure", "/nb/no-four.html")
    assert finding["evidence"]["missing"] == ["四、政府信息公开行政复议、行政诉讼情况"]
    assert "缺少「四、政府信息公开行政复议、行政诉讼情况」" in finding["message"]
    order = _one(site[1], "annual_report.structure", "/nb/order.html")
    assert order["evidence"]["missing"] == [] and order["evidence"]["out_of_order"] == ["五、存在的主要问题及改进情况"]


def test_tables_name_the_sum_that_does_not_add_up(site):
    balance = _one(site[1], "annual_report.tables", "/nb/balance.html")["evidence"]["sums"]
    assert {(s["column"], s["expected"], s["found"]) for s in balance if "本年新收 + 上年结转" in s["rule"]} == {
        ("自然人", 4, 3), ("总计", 5, 4)}
    row = _one(site[1], "annual_report.tables", "/nb/row-total.html")["evidence"]["sums"]
    assert {"table": "三", "row": "本年新收", "rule": "总计 = 自然人 + 法人或其他组织", "expected": 4, "found": 5} in row
    sec4 = _one(site[1], "annual_report.tables", "/nb/sec4-total.html")["evidence"]["sums"]
    assert [(s["table"], s["column"], s["expected"], s["found"]) for s in sec4] == [("四", "行政复议", 1, 2)]
    missing = _one(site[1], "annual_report.tables", "/nb/no-sec4-table.html")["evidence"]["missing"]
    assert missing == ["四、政府信息公开行政复议、行政诉讼情况统计表"]
    none = _one(site[1], "annual_report.tables", "/nb/no-tables.html")["evidence"]["missing"]
    assert none == ["二、主动公开政府信息情况统计表", "三、收到和处理政府信息公开申请情况统计表",
                    "四、政府信息公开行政复议、行政诉讼情况统计表"]


def test_fee_stated_elsewhere_is_a_minor_finding(site):
    finding = _one(site[1], "annual_report.fee", "/nb/fee-elsewhere.html")
    assert finding["severity"] == "minor" and finding["evidence"]["stated_elsewhere"] == "全年未收取信息处理费"
    assert _one(site[1], "annual_report.fee", "/nb/no-fee.html")["severity"] == "major"


def test_year_finding_quotes_the_plan(site):
    finding = _one(site[1], "annual_report.year", "/nb/plan-own-year.html")
    assert finding["evidence"]["text"] == "2025年，我局将进一步"
    assert finding["evidence"]["suggestion"] == "2026年，我局将进一步"
    period = _one(site[1], "annual_report.year", "/nb/period-year.html")
    assert period["evidence"]["body_year"] == 2024


@pytest.mark.parametrize("check_id, path, fires", SEED_CASES, ids=[f"{c}-{p}" for c, p, _ in SEED_CASES])
def test_seed_report(site, check_id, path, fires):
    seed_lines()
    assert ((check_id, path) in fired(site[1], "annual_report.")) == fires


def test_seed_structure_lacks_sections_two_three_four_and_six(site):
    seed_lines()
    for path in ("/nb/seed-markdown.html", "/nb/seed-html.html"):
        finding = _one(site[1], "annual_report.structure", path)
        assert [m[0] for m in finding["evidence"]["missing"]] == ["二", "三", "四", "六"], path
    fixed = _one(site[1], "annual_report.structure", "/nb/seed-fixed.html")
    assert [m[0] for m in fixed["evidence"]["missing"]] == ["二", "三", "四"]
    tables = _one(site[1], "annual_report.tables", "/nb/seed-html.html")
    assert [m[0] for m in tables["evidence"]["missing"]] == ["二", "三", "四"]


def test_seed_fee_and_year_evidence(site):
    seed_lines()
    fee = _one(site[1], "annual_report.fee", "/nb/seed-html.html")
    assert fee["evidence"]["editor_notes"] == ["年报最后加一句：无其他情况，无信息受理费情况"]
    year = _one(site[1], "annual_report.year", "/nb/seed-html.html")
    assert year["evidence"]["text"] == "2021年，我局将继续" and year["evidence"]["year"] == 2021


@pytest.mark.parametrize("page, fires, why", DOCX_CASES, ids=[p for p, _, _ in DOCX_CASES])
def test_report_given_only_as_a_docx_attachment(site, page, fires, why):
    found = {c for c, p in fired(site[1], "annual_report.") if p == page}
    assert found == ({fires} if fires else set()), why


def test_docx_report_finding_shows_the_article_and_the_file(site):
    finding = _one(site[1], "annual_report.tables", "/files/docx-bad.docx")
    assert finding["pages"][0].endswith("/nb/docx-bad.html")
    assert {"table": "三", "row": "本年新收", "rule": "总计 = 自然人 + 法人或其他组织", "expected": 4, "found": 5} \
        in finding["evidence"]["sums"]


# ---------------------------------------------------------------- deadlines

@pytest.mark.parametrize("level, as_of, published, late, missing", [
    ("department", "2026-11-20", "2026-01-31", False, False),
    ("department", "2026-11-20", "2026-02-01", True, False),
    ("government", "2026-11-20", "2026-03-31", False, False),
    ("government", "2026-11-20", "2026-04-01", True, False),
    ("department", "2026-11-20", None, False, True),
    ("department", "2026-01-31", None, False, False),
    ("department", "2026-02-01", None, False, True),
    ("government", "2026-03-20", None, False, False),
    ("government", "2026-04-01", None, False, True),
], ids=lambda v: str(v))
def test_deadlines(site_server, tmp_path, level, as_of, published, late, missing):
    routes = {"/nb/2024.html": report_page(TITLE.format(2024), "2025-01-15", report(2024)),
              "/": html("青山县审计局", '<a href="/nb/list.html">信息公开年报</a>')}
    items = [("/nb/2024.html", TITLE.format(2024), "2025-01-15")]
    if published:
        routes["/nb/2025.html"] = report_page(TITLE.format(2025), published, report(2025))
        items.insert(0, ("/nb/2025.html", TITLE.format(2025), published))
    routes["/nb/list.html"] = listing("信息公开年报", items)
    base = site_server(routes)
    result = crawl(tmp_path, base, columns_toml(base, [("/nb/list.html", "信息公开年报", "annual_report")]),
                   level=level)
    found = fired(result.check(as_of), "annual_report.")
    assert (("annual_report.late", "/nb/2025.html") in found) == late
    assert (("annual_report.missing", "/nb/list.html") in found) == missing
    assert found <= {("annual_report.late", "/nb/2025.html"), ("annual_report.missing", "/nb/list.html")}


def test_missing_without_an_annual_report_column_is_site_wide(site_server, tmp_path):
    base = site_server({"/": html("青山县审计局", '<a href="/news/1.html">审计动态</a>'),
                        "/news/1.html": report_page("县审计局召开审计工作会议", "2026-11-10", "<p>会议部署审计工作。</p>")})
    found = fired(crawl(tmp_path, base).check(), "annual_report.")
    assert found == {("annual_report.missing", "/")}


# ---------------------------------------------------------------- the draft

@pytest.fixture(scope="module")
def draft(site, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("draft") / "draft-2025.docx"
    result = run_cli("annual-report-draft", "2025", "--db", str(site[0].db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    return out


def test_draft_has_the_2021_format(draft):
    from docx import Document

    doc = Document(str(draft))
    paragraphs = [p.text for p in doc.paragraphs if p.text.strip()]
    assert [p for p in paragraphs if p in HEADINGS.values()] == list(HEADINGS.values())
    six = paragraphs.index(HEADINGS[6])
    assert paragraphs[six + 1] == "无其他需要报告的事项，本年度未收取信息处理费。"
    assert len(doc.tables) == 6  # four small ones in section 二, one each in 三 and 四
    labels = {cell.text for table in doc.tables for row in table.rows for cell in row.cells}
    assert {"规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费", "本年制发件数",
            "一、本年新收政府信息公开申请数量", "（七）总计", "四、结转下年度继续办理", "自然人", "商业企业",
            "法律服务机构", "申请人情况", "行政复议", "未经复议直接起诉", "复议后起诉", "尚未审结"} <= labels
    sec3 = doc.tables[4]
    assert all(cell.text == "" for row in sec3.rows[3:] for cell in row.cells[1:])  # numbers are the bureau's
    assert any(p.startswith("（一）主动公开情况。2025年，青山县审计局通过门户网站主动公开政府信息") for p in paragraphs)


def test_draft_passes_the_validator(draft, site_server, tmp_path):
    body = draft.read_bytes()
    title = TITLE.format(2025)
    routes = {"/": html("青山县审计局", '<a href="/nb/list.html">信息公开年报</a>'),
              "/nb/list.html": listing("信息公开年报", [("/nb/2025.html", title, "2026-01-20")]),
              "/nb/2025.html": report_page(title, "2026-01-20", '<p>附件：<a href="/files/draft.docx">年度报告.docx</a></p>'),
              "/files/draft.docx": Route(body, headers={"Content-Type": DOCX})}
    base = site_server(routes)
    findings = crawl(tmp_path, base, columns_toml(base, [("/nb/list.html", "信息公开年报", "annual_report")])).check()
    assert fired(findings, "annual_report.") == set()
    with Store(tmp_path / "govinspect.db") as store:  # and it is the Word file that was read
        stored = store.page(store.run()["id"], base + "files/draft.docx")
    assert stored["kind"] == "attachment" and "六、其他需要报告的事项" in stored["text"]


@pytest.mark.parametrize("check_id", ["annual_report.missing", "annual_report.late", "annual_report.structure",
                                      "annual_report.tables", "annual_report.fee", "annual_report.year"])
def test_sample_site(sample_checked, check_id):
    card = planted(sample_checked, check_id)
    assert card["defects"] and card["missed"] == [] and card["fired"] == []
