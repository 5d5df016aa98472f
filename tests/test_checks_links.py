"""Link checks over a loopback site crawled by the real CLI: broken, error-page, blocked, intranet and hidden links."""

from __future__ import annotations

import pytest

from conftest import Route, audit_site, fired, planted

CHALLENGE = ("<html><head><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=48217;</script></head>"
             "<body></body></html>")


def page(title: str, body: str) -> str:
    return f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'


ARTICLE = page("县审计局召开审计整改工作推进会", """
<div class="nav"><ul class="sub" style="display:none"><li><a href="/ok.html">审计动态</a></li></ul></div>
<div class="main"><h1>县审计局召开审计整改工作推进会</h1><p>会议逐项梳理审计发现问题的整改进度。</p>
<p><img src="/img/missing.png" alt="会议现场"><img src="/img/ok.png" alt="会场"></p>
<p>附件：<a href="/files/missing.pdf">整改清单.pdf</a> <a href="/files/ok.pdf">工作方案.pdf</a></p>
<p><a href="/old.html">往期动态</a> <a href="/limited.html">站内搜索</a> <a href="/challenge.html">政务服务</a></p>
<p><a href="/error-title.html">原文件</a> <a href="/deleted/1088.html">旧站文件</a></p>
<p><a href="http://192.168.1.10:8080/jcms/preview/art_1.html">附表样式</a>
<a href="http://oa/notice/1.html">内网通知</a> <a href="http://localhost:1/preview.html">本机预览</a></p>
<div style="display:none"><a href="http://www.yule-88.example/">澳门葡京娱乐城 百家乐在线</a></div>
<div class="dropdown" style="display:none"><a href="https://www.gov.cn/">中国政府网</a></div>
</div><script src="/js/missing.js"></script>""")

ROUTES = {
    "/": page("青山县审计局", '<a href="/art/1.html">县审计局召开审计整改工作推进会</a> <a href="/gone.html">专题</a>'
                              ' <a href="/ok.html">审计动态</a>'),
    "/art/1.html": ARTICLE,
    "/ok.html": page("审计动态", "<div class='main'><p>县审计局开展审计业务培训，提升审计人员业务能力。</p></div>"),
    "/img/ok.png": Route(b"\x89PNG\r\n\x1a\n", headers={"Content-Type": "image/png"}),
    "/files/ok.pdf": Route(b"%PDF-1.4\n%%EOF\n", headers={"Content-Type": "application/pdf"}),
    "/old.html": Route(b"", 301, {"Location": "/ok.html"}),
    "/limited.html": Route("访问过于频繁", 429, {"Content-Type": "text/html; charset=utf-8", "Retry-After": "0"}),
    "/challenge.html": Route(CHALLENGE, 412),
    "/error-title.html": page("页面不存在", "<p>对不起，您访问的页面不存在或已被删除！</p>"),
    # What the site answers for any path it does not have: its own not-found template, with 200.
    "*": page("青山县审计局", "<div class='main'><p>信息已删除或尚未发布，请返回首页浏览其他内容。</p></div>"),
}
for path in ("/gone.html", "/img/missing.png", "/files/missing.pdf", "/js/missing.js"):
    ROUTES[path] = Route("<html><title>404 Not Found</title></html>", 404)

CASES = [
    ("link.broken", "/gone.html", True, "a homepage link that answers 404"),
    ("link.broken", "/files/missing.pdf", True, "an attachment that answers 404"),
    ("link.broken", "/img/missing.png", True, "an image that answers 404"),
    ("link.broken", "/js/missing.js", True, "a script that answers 404"),
    ("link.broken", "http://localhost:1/preview.html", True, "a loopback link that refuses connections"),
    ("link.broken", "/ok.html", False, "a page that answers 200"),
    ("link.broken", "/old.html", False, "301 to a working page"),
    ("link.broken", "/limited.html", False, "429 is never broken"),
    ("link.broken", "/challenge.html", False, "412 $_ts challenge is never broken"),
    ("link.broken", "/deleted/1088.html", False, "the site's own 200 not-found template is an error page, not broken"),
    ("link.broken", "http://192.168.1.10:8080/jcms/preview/art_1.html", False, "never requested: private"),
    ("link.soft404", "/error-title.html", True, "200 with 页面不存在 in the title"),
    ("link.soft404", "/deleted/1088.html", True, "200 with the site's own not-found template (learnt by probing)"),
    ("link.soft404", "/ok.html", False, "a real page"),
    ("link.blocked", "/limited.html", True, "429 Too Many Requests"),
    ("link.blocked", "/challenge.html", True, "412 with a $_ts challenge"),
    ("link.blocked", "/gone.html", False, "a plain 404 is broken, not blocked"),
    ("link.private", "http://192.168.1.10:8080/jcms/preview/art_1.html", True, "private range CMS preview link"),
    ("link.private", "http://oa/notice/1.html", True, "intranet host name"),
    ("link.private", "http://localhost:1/preview.html", False, "the site itself is on loopback"),
    ("link.private", "/ok.html", False, "an on-site link"),
    ("link.hidden", "http://www.yule-88.example/", True, "gambling link in a display:none div"),
    ("link.hidden", "https://www.gov.cn/", True, "off-site link in a hidden dropdown (shown for a person to look at)"),
    ("link.hidden", "/ok.html", False, "a masked link in a hidden menu that is on-site"),
]


@pytest.fixture(scope="module")
def report(module_site_server, tmp_path_factory):
    base = module_site_server(ROUTES)
    return audit_site(tmp_path_factory.mktemp("links"), base, "timeout_seconds = 5\n")


def finding(report: dict, check_id: str, tail: str) -> dict:
    return next(f for f in report["findings"] if f["check"] == check_id and f["url"].endswith(tail))


@pytest.mark.parametrize("check_id, subject, fires, why", CASES, ids=[f"{c}-{s}" for c, s, _, _ in CASES])
def test_link_checks(report, check_id, subject, fires, why):
    assert ((check_id, subject) in fired(report)) == fires, why


@pytest.mark.parametrize("tail, kind", [("/gone.html", "page"), ("/files/missing.pdf", "attachment"),
                                        ("/img/missing.png", "image"), ("/js/missing.js", "resource"),
                                        ("http://localhost:1/preview.html", "external")])
def test_broken_link_kinds(report, tail, kind):
    assert finding(report, "link.broken", tail)["evidence"]["kind"] == kind


def test_broken_homepage_link_is_critical_and_lists_every_referring_page(report):
    home = report["site"]["base_url"]
    on_home = finding(report, "link.broken", "/gone.html")
    assert on_home["severity"] == "critical" and on_home["pages"] == [home]
    assert on_home["evidence"]["http_status"] == 404 and on_home["message"] == "页面链接返回 HTTP 404，1 个页面引用（含首页）"
    elsewhere = finding(report, "link.broken", "/files/missing.pdf")
    assert elsewhere["severity"] == "major" and elsewhere["pages"] == [f"{home}art/1.html"]
    refused = finding(report, "link.broken", "/preview.html")
    assert refused["evidence"]["http_status"] is None and "连接被拒绝" in refused["evidence"]["reason"]


def test_blocked_links_are_info_and_hidden_links_name_the_spam_words(report):
    blocked = [finding(report, "link.blocked", tail) for tail in ("/limited.html", "/challenge.html")]
    assert [f["severity"] for f in blocked] == ["info", "info"]
    gambling = finding(report, "link.hidden", "yule-88.example/")
    assert gambling["severity"] == "critical" and {"娱乐城", "百家乐"} <= set(gambling["evidence"]["words"])
    assert finding(report, "link.hidden", "www.gov.cn/")["severity"] == "info"
    veto = {case["indicator"]: case for case in report["summary"]["veto"]}
    assert veto["暗链"]["triggered"] and veto["暗链"]["count"] == 1


@pytest.mark.parametrize("check_id", ["link.broken", "link.soft404", "link.blocked", "link.private", "link.hidden"])
def test_sample_site(sample_checked, check_id):
    card = planted(sample_checked, check_id)
    assert card["defects"] and card["missed"] == [] and card["fired"] == []
