"""Column discovery and category guessing on synthetic Hanweb/TRS homepages and a real Fujian TRS page."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.columns import CATEGORIES, DiscoveredColumn, clean_name, discover_columns, find_catalogue_links, guess_category
from crawler.items import Page

REAL_PAGE = Path(__file__).resolve().parents[2] / "shared" / "realpages" / "trs-fujian_pingtan_zfxxgknb-list_static+trsapi.html"


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("审计动态", "dynamic"),
        ("工作动态", "dynamic"),
        ("要闻", "dynamic"),
        ("本地要闻", "dynamic"),
        ("新闻中心", "dynamic"),
        ("图片新闻", "dynamic"),
        ("部门动态", "dynamic"),
        ("基层动态", "dynamic"),
        ("领导活动", "dynamic"),
        ("媒体关注", "dynamic"),
        ("通知公告", "notice"),
        ("公告公示", "notice"),
        ("公示公告", "notice"),
        ("通知", "notice"),
        ("政策文件", "policy"),
        ("政策法规", "policy"),
        ("规范性文件", "policy"),
        ("行政规范性文件库", "policy"),
        ("文件", "policy"),
        ("最新文件", "policy"),
        ("政策解读", "interpretation"),
        ("平潭政策解读", "interpretation"),
        ("解读", "interpretation"),
        ("图解", "interpretation"),
        ("文件解读", "interpretation"),
        ("信息公开年报", "annual_report"),
        ("政府信息公开年报", "annual_report"),
        ("政府信息公开工作年度报告", "annual_report"),
        ("年度报告", "annual_report"),
        ("年报", "annual_report"),
        ("预决算", "budget"),
        ("财政预决算", "budget"),
        ("部门预算", "budget"),
        ("部门决算", "budget"),
        ("财政资金", "budget"),
        ("人事信息", "personnel"),
        ("人事任免", "personnel"),
        ("招录信息", "personnel"),
        ("招聘公告", "personnel"),
        ("干部任前公示", "personnel"),
        ("规划计划", "planning"),
        ("发展规划", "planning"),
        ("工作计划", "planning"),
        ("工作总结", "planning"),
        ("规划信息", "planning"),
        ("审计结果公告", "audit_result"),
        ("审计公告", "audit_result"),
        ("审计结果", "audit_result"),
        ("审计整改", "audit_result"),
        ("审前公示", "pre_audit"),
        ("机构职能", "institution"),
        ("机构设置", "institution"),
        ("领导信息", "institution"),
        ("内设机构", "institution"),
        ("领导之窗", "institution"),
        ("信息公开指南", "guide"),
        ("政府信息公开指南", "guide"),
        ("信息公开制度", "guide"),
        ("公开指南", "guide"),
        ("互动交流", "interaction"),
        ("我要留言", "interaction"),
        ("在线咨询", "interaction"),
        ("咨询", "interaction"),
        ("局长信箱", "interaction"),
        ("县长信箱", "interaction"),
        ("在线访谈", "interaction"),
        ("民意征集", "interaction"),
        ("新闻发布会", "other"),
        ("办事指南", "other"),
        ("统计信息", "other"),
        ("信息公开", "other"),
        ("法定主动公开内容", "other"),
        ("专题专栏", "other"),
        ("审计动态 更多>>", "dynamic"),
    ],
)
def test_guess_category(name, category):
    assert guess_category(name) == category


def test_every_guess_is_a_known_category():
    assert {guess_category(name) for name in ["审计动态", "随便什么", ""]} <= set(CATEGORIES)


@pytest.mark.parametrize(
    ("text", "name"),
    [("通知公告 更多>>", "通知公告"), ("更多>>", ""), ("审计动态»", "审计动态"), ("【通知公告】", "通知公告"),
     ("更多审计动态", "审计动态"), (" 要\u3000闻 ", "要闻"), ("MORE+", "")],
)
def test_clean_name(text, name):
    assert clean_name(text) == name


HANWEB_HOME = """<html><head><title>某县审计局</title></head><body>
<div class="nav"><ul>
  <li><a href="/">首页</a></li>
  <li><a href="/col/col1001/index.html">审计动态</a></li>
  <li><a href="/col/col1002/index.html">通知公告</a></li>
  <li><a href="/col/col1003/index.html">审计结果公告</a></li>
  <li><a href="/col/col1010/index.html">信息公开</a></li>
  <li><a href="/col/col1004/index.html">互动交流</a></li>
  <li><a href="/col/col1005/index.html">English</a></li>
  <li><a href="http://www.zj.gov.cn/col/col1/index.html">省政府门户</a></li>
</ul></div>
<div class="news">
  <div class="hd"><span class="tit">工作动态</span><a class="more" href="/col/col1006/index.html">更多&gt;&gt;</a></div>
  <ul>
    <li><a href="/art/2024/5/6/art_1006_1.html" title="我局召开2024年审计工作会议">我局召开2024年审计工作会议</a><span>2024-05-06</span></li>
    <li><a href="/art/2024/5/3/art_1006_2.html">全县审计工作推进会</a><span>2024-05-03</span></li>
  </ul>
</div>
<div class="box"><h3>审前公示<a href="/col/col1007/index.html">more</a></h3></div>
<a href="/col/col1001/index.html">动态</a>
<a href="/col/col1002/index.html">通知公告 更多&gt;&gt;</a>
<a href="/module/download/downfile.jsp?classid=0&amp;filename=abc.pdf">附件下载</a>
<a href="javascript:void(0)">长者模式</a>
<a href="/sitemap.html">网站地图</a>
</body></html>"""

HANWEB_CATALOGUE = """<html><body><div class="xxgk-nav">
  <a href="/col/col1011/index.html">信息公开指南</a>
  <a href="/col/col1012/index.html">信息公开制度</a>
  <a href="/col/col1013/index.html">机构职能</a>
  <a href="/col/col1014/index.html">政策文件</a>
  <a href="/col/col1015/index.html">政策解读</a>
  <a href="/col/col1016/index.html">财政预决算</a>
  <a href="/col/col1017/index.html">信息公开年报</a>
  <a href="/col/col1003/index.html">审计结果</a>
  <a href="/col/col1010/index.html">信息公开目录</a>
</div></body></html>"""

HOST = "https://sjj.example.gov.cn"


def as_rows(columns: list[DiscoveredColumn]):
    return [(c.name, c.url.removeprefix(HOST), c.category, c.source_url.removeprefix(HOST)) for c in columns]


def test_hanweb_homepage_and_catalogue():
    home = Page.from_html(f"{HOST}/", HANWEB_HOME)
    assert find_catalogue_links(home) == [f"{HOST}/col/col1010/index.html"]
    catalogue = Page.from_html(f"{HOST}/col/col1010/index.html", HANWEB_CATALOGUE)
    columns = discover_columns([home, catalogue], {"sjj.example.gov.cn"})
    assert as_rows(columns) == [
        ("审计动态", "/col/col1001/index.html", "dynamic", "/"),
        ("通知公告", "/col/col1002/index.html", "notice", "/"),
        ("审计结果", "/col/col1003/index.html", "audit_result", "/col/col1010/index.html"),  # the catalogue's name
        ("互动交流", "/col/col1004/index.html", "interaction", "/"),
        ("工作动态", "/col/col1006/index.html", "dynamic", "/"),  # named by the block its 更多>> closes
        ("审前公示", "/col/col1007/index.html", "pre_audit", "/"),
        ("信息公开指南", "/col/col1011/index.html", "guide", "/col/col1010/index.html"),
        ("信息公开制度", "/col/col1012/index.html", "guide", "/col/col1010/index.html"),
        ("机构职能", "/col/col1013/index.html", "institution", "/col/col1010/index.html"),
        ("政策文件", "/col/col1014/index.html", "policy", "/col/col1010/index.html"),
        ("政策解读", "/col/col1015/index.html", "interpretation", "/col/col1010/index.html"),
        ("财政预决算", "/col/col1016/index.html", "budget", "/col/col1010/index.html"),
        ("信息公开年报", "/col/col1017/index.html", "annual_report", "/col/col1010/index.html"),
    ]


TRS_HOME = """<html><head><base href="https://www.example.gov.cn/"></head><body>
<div class="menu">
  <a href="./xwzx/gzdt/index.html">工作动态</a>
  <a href="./xxgk/">政府信息公开</a>
  <a href="./xxgk/tzgg/">通知公告</a>
  <a href="./hdjl/jzxx/index.shtml">局长信箱</a>
  <a href="{{item.url}}">{{item.title}}</a>
  <a href="el.url">模板链接</a>
</div>
<div class="list"><a href="./xwzx/gzdt/202405/t20240506_123.html">市局开展安全生产检查</a></div>
</body></html>"""

TRS_CATALOGUE = """<html><body>
<div class="gk-left"><ul>
  <li><a href="./gkzn/">政府信息公开指南</a></li>
  <li><a href="./tzgg/index.html">通知公告</a></li>
  <li><a href="./zcwj/">政策文件</a></li>
  <li><a href="./zcjd/">政策解读</a></li>
  <li><a href="./gknb/">政府信息公开年度报告</a></li>
  <li><a href="./rsxx/">人事信息</a></li>
  <li><a href="./ghjh/">规划计划</a></li>
</ul></div>
<div class="gk-list"><div class="title">政策文件 <a href="./zcwj/">更多</a></div>
  <a href="./zcwj/202401/t20240101_99.html">某市审计局行政执法公示办法</a></div>
</body></html>"""


def test_trs_relative_catalogue_links():
    home = Page.from_html("https://www.example.gov.cn/index.html", TRS_HOME)
    assert find_catalogue_links(home) == ["https://www.example.gov.cn/xxgk/"]
    catalogue = Page.from_html("https://www.example.gov.cn/xxgk/", TRS_CATALOGUE)
    columns = {c.url.removeprefix("https://www.example.gov.cn"): (c.name, c.category) for c in discover_columns([home, catalogue], {"www.example.gov.cn"})}
    assert columns == {
        "/xwzx/gzdt/index.html": ("工作动态", "dynamic"),
        # /xxgk/tzgg/ (homepage) and /xxgk/tzgg/index.html (catalogue) are one column, as the catalogue links it
        "/xxgk/tzgg/index.html": ("通知公告", "notice"),
        "/hdjl/jzxx/index.shtml": ("局长信箱", "interaction"),
        "/xxgk/gkzn/": ("政府信息公开指南", "guide"),
        "/xxgk/zcwj/": ("政策文件", "policy"),
        "/xxgk/zcjd/": ("政策解读", "interpretation"),
        "/xxgk/gknb/": ("政府信息公开年度报告", "annual_report"),
        "/xxgk/rsxx/": ("人事信息", "personnel"),
        "/xxgk/ghjh/": ("规划计划", "planning"),
    }


def test_catalogue_links_ranked_text_then_url_then_guessed_root():
    text_and_url = Page.from_html(
        "https://a.gov.cn/",
        '<a href="/zfxxgk/index.html"><img src="gk.png"></a><a href="http://xxgk.a.gov.cn/dept/">政务公开</a>',
    )
    assert find_catalogue_links(text_and_url) == ["http://xxgk.a.gov.cn/dept/", "https://a.gov.cn/zfxxgk/index.html"]
    only_columns = Page.from_html("https://a.gov.cn/", '<a href="/xxgk/tzgg/">通知公告</a><a href="/xxgk/zcwj/">政策文件</a>')
    assert find_catalogue_links(only_columns) == ["https://a.gov.cn/xxgk/"]
    assert find_catalogue_links(Page.from_html("https://a.gov.cn/", "<p>no links</p>")) == []


def test_allowed_hosts_default_to_the_homepage_host_and_subdomains_count():
    home = Page.from_html(
        "https://www.a.gov.cn/",
        '<a href="https://www.a.gov.cn/xwzx/">新闻中心</a><a href="https://sjj.a.gov.cn/tzgg/">通知公告</a>'
        '<a href="https://www.b.gov.cn/xwzx/">外站新闻</a>',
    )
    assert [c.name for c in discover_columns([home], set())] == ["新闻中心"]
    assert [c.name for c in discover_columns([home], {"a.gov.cn"})] == ["新闻中心", "通知公告"]
    assert discover_columns([], {"a.gov.cn"}) == []


def test_article_titles_and_article_urls_are_not_columns():
    home = Page.from_html(
        "https://a.gov.cn/",
        '<a href="/xwzx/">关于开展审计工作的通知</a><a href="/art/2021/6/6/art_1_2.html">审计动态</a>'
        '<a href="/a/b/0123456789abcdef0123456789abcdef.shtml">工作动态</a><a href="/info/1012/3456.htm">通知公告</a>'
        '<a href="/files/名单.xls">人事信息</a><a href="/tzgg.htm">通知公告</a>',
    )
    assert [(c.name, c.url) for c in discover_columns([home], {"a.gov.cn"})] == [("通知公告", "https://a.gov.cn/tzgg.htm")]


@pytest.mark.skipif(not REAL_PAGE.exists(), reason=f"real page not present: {REAL_PAGE}")
def test_real_fujian_trs_page_left_nav_catalogue():
    page = Page.from_html("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/", REAL_PAGE.read_text(encoding="utf-8"))
    assert find_catalogue_links(page)[:2] == ["https://www.pingtan.gov.cn/zwgk/", "https://www.pingtan.gov.cn/zwgk/zfxxgk/"]
    columns = {c.url.removeprefix("https://www.pingtan.gov.cn"): c for c in discover_columns([page], {"www.pingtan.gov.cn"})}
    expected = {
        "/zwgk/zfxxgk/zfxxgkzn/": ("政府信息公开指南", "guide"),  # <span>政府信息<br>公开指南</span>
        "/zwgk/zfxxgk/zfxxgkzd/": ("政府信息公开制度", "guide"),
        "/zwgk/zfxxgk/fdzdgknr/": ("法定主动公开内容", "other"),
        "/zwgk/zfxxgk/zfxxgknb/nlist.htm": ("政府信息公开年报", "annual_report"),
        "/zwgk/zfxxgk/zc/xzgfxwjk/": ("行政规范性文件库", "policy"),
        "/zwgk/yw/": ("要闻", "dynamic"),
        "/zwgk/gsgg/": ("公示公告", "notice"),
        "/zwgk/rsxx/": ("人事信息", "personnel"),
        "/jdhy/zcjd/": ("平潭政策解读", "interpretation"),
        "/hdjl/": ("互动交流", "interaction"),
    }
    assert {url: (columns[url].name, columns[url].category) for url in expected if url in columns} == expected
    assert all(c.source_url == page.url for c in columns.values())
    # The list's own articles, the catalogue roots, footer chrome and off-site links are not columns.
    assert not [url for url in columns if "/t20" in url or url in ("/zwgk/", "/zwgk/zfxxgk/", "/")]
    assert not {"首页", "联系我们", "关于我们", "使用帮助", "新媒体矩阵"} & {c.name for c in columns.values()}
    assert all(c.url.startswith("https://www.pingtan.gov.cn/") for c in columns.values())
