"""Unanswered messages over a loopback 留言 board crawled and checked by the real CLI: a message of the last year
left more than 3 months without a reply fires, answered, recent and older ones do not; labels are options."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import AS_OF, planted
from crawlcheck import columns_toml, crawl, fired, html


def ago(days: int) -> str:
    return (AS_OF - timedelta(days=days)).isoformat()


def detail(title: str, asked: str, reply: str | None = None, status: str | None = None, *,
           labels=("留言时间", "回复时间", "办理状态"), table: bool = True) -> str:
    """A message's page: its date, then its reply's date or its status, in a table or as text."""
    rows = [("留言人", "王**"), (labels[0], f"{asked} 09:30"), ("留言内容", f"您好，{title}，请问何时公开？")]
    if reply:
        rows += [("回复单位", "青山县审计局"), (labels[1], reply), ("回复内容", "您好！您的留言已收悉，感谢您的关注。")]
    if status:
        rows.append((labels[2], status))
    if table:
        body = '<table class="lyb">' + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"
    else:
        body = "".join(f"<p>{k}：{v}</p>" for k, v in rows)
    return html(title, f'<div class="lyb-detail"><h2>{title}</h2>{body}</div>')


# path: (title, asked days ago, replied days after or None, status, options of `detail`)
MESSAGES = {
    "/hdjl/1.html": ("咨询养老保险基金审计结果", 120, None, "未回复", {}),
    "/hdjl/2.html": ("询问道路工程审计进度", 20, None, "未回复", {}),
    "/hdjl/3.html": ("咨询医疗保障基金审计", 200, 6, None, {}),
    "/hdjl/4.html": ("询问乡村振兴资金审计", 150, 120, None, {}),
    "/hdjl/5.html": ("咨询政府债务审计结果", 400, None, "未回复", {}),
    "/hdjl/6.html": ("询问国有企业审计", 100, None, "办理中", {}),
    "/hdjl/7.html": ("咨询教育专项资金审计", 95, 3, None, {"table": False}),
    "/hdjl/8.html": ("询问粮食购销审计", 130, None, None, {"table": False}),
    "/hdjl/9.html": ("询问自然资源审计", 110, None, "尚未答复", {"labels": ("提问日期", "答复日期", "处理进度")}),
}
CASES = [
    ("/hdjl/1.html", True, "120 days without a reply"),
    ("/hdjl/2.html", False, "20 days: within 3 months"),
    ("/hdjl/3.html", False, "answered 6 days after"),
    ("/hdjl/4.html", True, "answered, but 120 days after"),
    ("/hdjl/5.html", False, "older than the last year"),
    ("/hdjl/6.html", True, "办理中 for 100 days"),
    ("/hdjl/7.html", False, "answered 3 days after (labels in the text, not a table)"),
    ("/hdjl/8.html", True, "the page shows the message and nothing of a reply, 130 days"),
    ("/hdjl/9.html", False, "labels the defaults do not know: not judged"),
]


def board() -> dict:
    routes, rows = {}, []
    for path, (title, age, after, status, options) in MESSAGES.items():
        reply = ago(age - after) if after is not None else None
        routes[path] = detail(title, ago(age), reply, status, **options)
        shown = "已回复" if reply else (status or "")
        rows.append(f'<tr><td><a href="{path}">{title}</a></td><td>{ago(age)}</td><td>{shown}</td>'
                    f'<td>{reply or ""}</td></tr>')
    routes["/hdjl/list.html"] = html("互动交流", '<table class="lyb-table"><tr><th>留言标题</th><th>留言时间</th>'
                                             "<th>办理状态</th><th>回复时间</th></tr>" + "".join(rows) + "</table>")
    routes["/"] = html("青山县审计局", '<a href="/hdjl/list.html">互动交流</a>')
    return routes


COLUMN = [("/hdjl/list.html", "互动交流", "interaction")]


@pytest.fixture(scope="module")
def findings(module_site_server, tmp_path_factory):
    base = module_site_server(board())
    return crawl(tmp_path_factory.mktemp("interaction"), base, columns_toml(base, COLUMN)).check()


@pytest.mark.parametrize("path, fires, why", CASES, ids=[p for p, _, _ in CASES])
def test_unanswered(findings, path, fires, why):
    assert (("interaction.unanswered", path) in fired(findings)) == fires, why


def test_finding_names_the_column_and_the_wait(findings):
    finding = next(f for f in findings if f["check"] == "interaction.unanswered" and f["url"].endswith("/1.html"))
    assert finding["severity"] == "critical" and finding["column"] == "互动交流"
    assert finding["pages"][1].endswith("/hdjl/list.html")
    assert finding["evidence"] == {"asked": ago(120), "due": finding["evidence"]["due"], "max_months": 3,
                                   "status": "未回复", "waited_days": 120}
    late = next(f for f in findings if f["check"] == "interaction.unanswered" and f["url"].endswith("/4.html"))
    assert late["evidence"]["replied"] == ago(30) and late["evidence"]["waited_days"] == 120


def test_labels_are_options(module_site_server, tmp_path):
    base = module_site_server(board())
    extra = (columns_toml(base, COLUMN) + '\n[checks.options."interaction.unanswered"]\n'
             'message_date_labels = ["提问日期"]\nreply_labels = ["答复日期"]\nstatus_labels = ["处理进度"]\n')
    found = fired(crawl(tmp_path, base, extra).check(), "interaction.")
    assert ("interaction.unanswered", "/hdjl/9.html") in found


def test_max_months_is_an_option(module_site_server, tmp_path):
    base = module_site_server(board())
    extra = columns_toml(base, COLUMN) + '\n[checks.options."interaction.unanswered"]\nmax_months = 6\n'
    assert fired(crawl(tmp_path, base, extra).check(), "interaction.") == set()


def test_sample_site(sample_checked):
    card = planted(sample_checked, "interaction.unanswered")
    assert card["defects"] and card["missed"] == [] and card["fired"] == []
