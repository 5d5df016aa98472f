"""Policy interpretation checks over a loopback site crawled and checked by the real CLI: pairs linked both ways,
one-way links, dead links, wrong documents, late interpretations (Chinese holiday calendar), pairs found by title."""

from __future__ import annotations

import pytest

from conftest import planted
from crawlcheck import columns_toml, crawl, fired, html, listing

RULE = "青山县审计局关于印发《青山县审计局{}》的通知"
BODY = ("<p>局各科室、直属单位：</p><p>现将《青山县审计局{name}》印发给你们，请认真贯彻执行。</p>"
        "<p>第一条　为规范审计工作，提高审计质量，根据《中华人民共和国审计法》及有关规定，制定本办法。</p>"
        "<p>第二条　本办法自印发之日起施行。</p><p>青山县审计局　{number}</p>")
EXPLAINED = ("<p>一、制定背景：为贯彻落实上级审计机关有关要求，进一步规范审计工作，我局制定了该文件。</p>"
             "<p>二、主要内容：明确了适用范围、职责分工、工作程序和监督管理等内容。</p>")


def article(title: str, day: str, body: str, *, original=None, interpretation=None, related=None) -> str:
    """An article; `original` / `interpretation` add a labelled 原文链接 / 相关解读 link, `related` a UCAP 关联稿件 block."""
    links = ""
    if original:
        links += f'<p>原文链接：<a href="{original[0]}">{original[1]}</a></p>'
    if interpretation:
        links += f'<p>相关解读：<a href="{interpretation[0]}">{interpretation[1]}</a></p>'
    if related:
        links += ('<div class="article-reldocuments"><h3><span>关联稿件：</span></h3><ul class="common_newslist">'
                  f'<li><a href="{related[0]}" title="{related[1]}">{related[1]}</a><span class="time">{day}</span>'
                  "</li></ul></div>")
    return html(title, f"<h1>{title}</h1><p>发布日期：{day}</p>{body}{links}")


def rule(name: str, number: int) -> str:
    return BODY.format(name=name, number=f"青审〔2026〕{number}号")


# path: (title, date, body, links) — the columns they are listed in follow below.
P1, I1 = RULE.format("审计档案管理办法"), "《青山县审计局审计档案管理办法》政策解读"
P2, I2 = RULE.format("审计现场管理办法"), "图解：《青山县审计局审计现场管理办法》"
I3 = "《青山县审计局2026年审计工作要点》解读"
I4, P4 = "《青山县审计局审计结果公告办法》政策解读", RULE.format("审计结果公告办法")
P5, I5 = RULE.format("审计整改跟踪检查办法"), "一图读懂《青山县审计局内部审计指导监督工作规定》"
P6, I6 = RULE.format("审计项目计划管理办法"), "《青山县审计局审计项目计划管理办法》解读"
P7, I7 = RULE.format("政府信息公开保密审查办法"), "《青山县审计局政府信息公开保密审查办法》政策解读"
P8, I8 = "青山县审计局关于进一步加强审计整改工作的通知", "关于《青山县审计局关于进一步加强审计整改工作的通知》的政策解读"
P9 = RULE.format("审计工作底稿管理办法")
N1 = "局领导解读审计工作报告"

PAGES = {
    # a correct pair: linked both ways, interpretation the next working day
    "/zcwj/p1.html": (P1, "2026-09-01", rule("审计档案管理办法", 3), {"interpretation": ("/zcjd/i1.html", I1)}),
    "/zcjd/i1.html": (I1, "2026-09-02", EXPLAINED, {"original": ("/zcwj/p1.html", P1)}),
    # one way: the interpretation (a 图解 in a news column) links the document, which (a notice with its own 文号)
    # does not link back
    "/tzgg/p2.html": (P2, "2026-08-03", rule("审计现场管理办法", 12), {}),
    "/news/i2.html": (I2, "2026-08-04", EXPLAINED, {"related": ("/tzgg/p2.html", P2)}),
    # no source anywhere
    "/zcjd/i3.html": (I3, "2026-07-01", EXPLAINED, {}),
    # its only link to the document is dead
    "/zcjd/i4.html": (I4, "2026-06-10", EXPLAINED, {"original": ("/zcwj/deleted.html", P4)}),
    # linked both ways, to the wrong document
    "/zcwj/p5.html": (P5, "2026-05-06", rule("审计整改跟踪检查办法", 8), {"interpretation": ("/zcjd/i5.html", I5)}),
    "/zcjd/i5.html": (I5, "2026-05-07", EXPLAINED, {"original": ("/zcwj/p5.html", P5)}),
    # late: 14 days, 6 working days after the document (国庆 holidays, 10-10 a make-up working day)
    "/zcwj/p6.html": (P6, "2026-09-30", rule("审计项目计划管理办法", 20), {"related": ("/zcjd/i6.html", I6)}),
    "/zcjd/i6.html": (I6, "2026-10-14", EXPLAINED, {"related": ("/zcwj/p6.html", P6)}),
    # 9 days later, but 10-01…10-07 are holidays: 2 working days
    "/zcwj/p7.html": (P7, "2026-09-30", rule("政府信息公开保密审查办法", 21), {"interpretation": ("/zcjd/i7.html", I7)}),
    "/zcjd/i7.html": (I7, "2026-10-09", EXPLAINED, {"original": ("/zcwj/p7.html", P7)}),
    # no link either way: paired by the title the interpretation names
    "/zcwj/p8.html": (P8, "2026-06-01", rule("关于进一步加强审计整改工作的通知", 15), {}),
    "/zcjd/i8.html": (I8, "2026-06-02", EXPLAINED, {}),
    # a document nothing interprets; a news item that "解读"s nothing in 《》
    "/zcwj/p9.html": (P9, "2026-04-01", rule("审计工作底稿管理办法", 5), {}),
    "/news/n1.html": (N1, "2026-10-20", "<p>局领导在全局干部大会上解读审计工作报告，部署下一阶段重点工作。</p>", {}),
}
COLUMNS = [("/zcwj/list.html", "政策文件", "policy"), ("/zcjd/list.html", "政策解读", "interpretation"),
           ("/tzgg/list.html", "通知公告", "notice"), ("/news/list.html", "审计动态", "dynamic")]

CASES = [
    ("interpretation.missing_source", "/zcjd/i1.html", False, "correct pair"),
    ("interpretation.missing_link", "/zcwj/p1.html", False, "correct pair"),
    ("interpretation.broken", "/zcwj/p1.html", False, "correct pair"),
    ("interpretation.mismatch", "/zcwj/p1.html", False, "correct pair"),
    ("interpretation.late", "/zcwj/p1.html", False, "correct pair, one working day"),
    ("interpretation.missing_link", "/tzgg/p2.html", True, "the document (known by its 文号) does not link back"),
    ("interpretation.missing_source", "/news/i2.html", False, "the 图解 links its document"),
    ("interpretation.missing_source", "/zcjd/i3.html", True, "names a document the site does not have, links nothing"),
    ("interpretation.broken", "/zcwj/deleted.html", True, "its 原文链接 answers 404"),
    ("interpretation.missing_source", "/zcjd/i4.html", False, "reported as broken, not twice"),
    ("interpretation.mismatch", "/zcwj/p5.html", True, "names one document, linked both ways with another"),
    ("interpretation.missing_link", "/zcwj/p5.html", False, "a wrong pair is a mismatch, not a missing link"),
    ("interpretation.late", "/zcwj/p6.html", True, "6 working days after the document"),
    ("interpretation.late", "/zcwj/p7.html", False, "9 calendar days, 2 working days across 国庆"),
    ("interpretation.missing_source", "/zcjd/i8.html", True, "paired by title: no link to the document"),
    ("interpretation.missing_link", "/zcwj/p8.html", True, "paired by title: no link to the interpretation"),
    ("interpretation.late", "/zcwj/p8.html", False, "paired by title, next day"),
    ("interpretation.missing_link", "/zcwj/p9.html", False, "a document nothing interprets"),
    ("interpretation.missing_source", "/news/n1.html", False, "解读 in a news title naming nothing in 《》"),
]


@pytest.fixture(scope="module")
def findings(module_site_server, tmp_path_factory):
    routes: dict = {}
    listed: dict[str, list] = {path: [] for path, _, _ in COLUMNS}
    for path, (title, day, body, links) in PAGES.items():
        routes[path] = article(title, day, body, **links)
        listed[path.rsplit("/", 1)[0] + "/list.html"].append((path, title, day))
    for path, name, _ in COLUMNS:
        routes[path] = listing(name, listed[path])
    routes["/"] = html("青山县审计局", "".join(f'<a href="{p}">{n}</a>' for p, n, _ in COLUMNS))
    base = module_site_server(routes)
    return crawl(tmp_path_factory.mktemp("interpretation"), base, columns_toml(base, COLUMNS)).check()


@pytest.mark.parametrize("check_id, path, fires, why", CASES, ids=[f"{c}-{p}" for c, p, _, _ in CASES])
def test_interpretation_checks(findings, check_id, path, fires, why):
    assert ((check_id, path) in fired(findings, "interpretation.")) == fires, why


def test_no_other_interpretation_findings(findings):
    expected = {(c, p) for c, p, fires, _ in CASES if fires}
    assert fired(findings, "interpretation.") == expected


def _one(findings, check_id, path):
    return next(f for f in findings if f["check"] == check_id and f["url"].endswith(path))


def test_pair_found_only_by_title_says_so(findings):
    source = _one(findings, "interpretation.missing_source", "/zcjd/i8.html")
    assert source["evidence"]["paired_by"] == "title" and source["evidence"]["document"].endswith("/zcwj/p8.html")
    assert source["pages"][1].endswith("/zcwj/p8.html")
    link = _one(findings, "interpretation.missing_link", "/zcwj/p8.html")
    assert link["evidence"]["paired_by"] == ["title"] and link["column"] == "政策文件"


def test_late_counts_working_days_with_the_holiday_calendar(findings):
    late = _one(findings, "interpretation.late", "/zcwj/p6.html")
    evidence = late["evidence"]
    assert evidence["working_days"] == 6 and evidence["limit_working_days"] == 3
    assert evidence["document_published"] == "2026-09-30" and evidence["interpretation_published"] == "2026-10-14"
    assert evidence["calendar"].startswith("chinese-calendar") and "按周一至周五" not in evidence["calendar"]
    assert late["severity"] == "minor" and "晚 6 个工作日" in late["message"]


def test_mismatch_names_both_titles(findings):
    mismatch = _one(findings, "interpretation.mismatch", "/zcwj/p5.html")
    assert mismatch["evidence"]["named"] == "青山县审计局内部审计指导监督工作规定"
    assert mismatch["evidence"]["linked_title"] == P5 and mismatch["pages"][0].endswith("/zcjd/i5.html")


def test_broken_link_names_the_interpretation(findings):
    broken = _one(findings, "interpretation.broken", "/zcwj/deleted.html")
    assert broken["evidence"]["http_status"] == 404 and broken["pages"][0].endswith("/zcjd/i4.html")


def test_max_working_days_is_an_option(module_site_server, tmp_path):
    routes = {"/zcwj/p6.html": article(P6, "2026-09-30", rule("审计项目计划管理办法", 20),
                                       related=("/zcjd/i6.html", I6)),
              "/zcjd/i6.html": article(I6, "2026-10-14", EXPLAINED, related=("/zcwj/p6.html", P6)),
              "/zcwj/list.html": listing("政策文件", [("/zcwj/p6.html", P6, "2026-09-30")]),
              "/zcjd/list.html": listing("政策解读", [("/zcjd/i6.html", I6, "2026-10-14")]),
              "/": html("青山县审计局", '<a href="/zcwj/list.html">政策文件</a>')}
    base = module_site_server(routes)
    extra = (columns_toml(base, COLUMNS[:2]) + '\n[checks.options."interpretation.late"]\nmax_working_days = 10\n')
    assert fired(crawl(tmp_path, base, extra).check(), "interpretation.") == set()


@pytest.mark.parametrize("check_id", ["interpretation.missing_source", "interpretation.missing_link",
                                      "interpretation.broken", "interpretation.mismatch", "interpretation.late"])
def test_sample_site(sample_checked, check_id):
    card = planted(sample_checked, check_id)
    assert card["defects"] and card["missed"] == [] and card["fired"] == []
