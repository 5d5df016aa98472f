"""Platform adapters: detection, list entries and further pages on synthetic and real list pages."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from parsel import Selector

from crawler import platforms
from crawler.items import ListEntry, Page, PageRequest
from crawler.platforms import generic, gkmlpt, hanweb, trs, ucap

REAL = Path(__file__).resolve().parents[2] / "shared" / "realpages"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real saved pages not present at {REAL}")

HOST = "http://www.test.gov.cn"


def page(url: str, text: str) -> Page:
    return Page.from_html(url, text)


def real(name: str, url: str) -> Page:
    return page(url, (REAL / name).read_text(encoding="utf-8"))


# --- Hanweb -----------------------------------------------------------------------------------------------

def hanweb_record(n: int, template: str = "li") -> str:
    title = f"关于开展第{n}批重点工作督查的通知"
    href = f"/art/2021/6/{n % 28 + 1}/art_1229000_{1000 + n}.html"
    date = f"2021-06-{n % 28 + 1:02d}"
    if template == "li":
        item = f'<li><a href="{href}" title="{title}" target="_blank">{title}</a><span>{date}</span></li>'
    elif template == "i":
        item = f'<li><a href="{href}">{title}</a><i>{date}</i></li>'
    elif template == "td":
        item = f'<table><tr><td><a href="{href}">{title}</a></td><td>{date}</td></tr></table>'
    else:
        raise ValueError(template)
    return f"<record><![CDATA[{item}]]></record>"


def hanweb_column(total: int = 50, per_page: int = 15, shown: int = 15, *, nextgroup: bool = True,
                  proxy: str = "/module/web/jpage/dataproxy.jsp", recordset: bool = True) -> str:
    records = "\n".join(hanweb_record(n) for n in range(1, shown + 1))
    if recordset:
        records = f"<recordset>{records}</recordset>"
    group = ""
    if nextgroup:
        group = (f'<nextgroup><![CDATA[<a href="{proxy}?page=1&webid=3099&path=/&columnid=1229000&unitid=4567890'
                 '&webname=%E6%B5%8B%E8%AF%95%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&permissiontype=0">'
                 '</a>]]></nextgroup>')
        init = f"perPage:{per_page},totalRecord:{total}"
    else:
        init = (f"perPage:{per_page},totalRecord:{total},proxyUrl:'{proxy}',"
                "ajaxParam:{columnid:'1229000',unitid:'4567890',webid:'3099',webname:'测试县人民政府'}")
    return f"""<html><head><title>通知公告</title></head><body>
<div class="header"><a href="/col/col1/index.html">网站首页导航入口</a></div>
<div id="4567890"><script type="text/xml"><datastore>{group}{records}</datastore></script></div>
<script language="javascript" src="{proxy.rsplit('/', 1)[0]}/jpage.js"></script>
<script>$(document).ready(function(){{$('#4567890').jpage({{dataStore:dataStore,{init},groupSize:3}});}});</script>
</body></html>"""


FORM = {"col": "1", "appid": "1", "webid": "3099", "path": "/", "columnid": "1229000", "unitid": "4567890",
        "webname": "测试县人民政府", "permissiontype": "0"}


def ranges(more: list[PageRequest]) -> list[tuple[int, int, int]]:
    out = []
    for request in more:
        q = parse_qs(urlsplit(request.url).query)
        out.append((int(q["startrecord"][0]), int(q["endrecord"][0]), int(q["perpage"][0])))
    return out


def test_hanweb_column_page_entries_and_posts():
    listing = hanweb.parse_list(page(f"{HOST}/col/col1229000/index.html", hanweb_column()))
    assert len(listing.entries) == 15
    assert all(e.date and e.date.startswith("2021-06-") for e in listing.entries)
    assert listing.entries[0] == ListEntry("关于开展第1批重点工作督查的通知",
                                           f"{HOST}/art/2021/6/2/art_1229000_1001.html", "2021-06-02")
    assert listing.total == 50
    assert ranges(listing.more) == [(16, 50, 15)]
    for request in listing.more:
        assert request.method == "POST"
        assert request.url.startswith(f"{HOST}/module/web/jpage/dataproxy.jsp?")
        assert request.formdata == FORM


@pytest.mark.parametrize(
    "total, per_page, shown, expected",
    [
        (50, 15, 15, [(16, 50, 15)]),
        (100, 15, 15, [(16, 60, 15), (61, 100, 15)]),
        (200, 15, 45, [(46, 90, 15), (91, 135, 15), (136, 180, 15), (181, 200, 15)]),
        (30, 10, 10, [(11, 30, 10)]),
        (15, 15, 15, []),
    ],
)
def test_hanweb_requests_cover_the_remaining_records(total, per_page, shown, expected):
    listing = hanweb.parse_list(page(f"{HOST}/col/col1229000/index.html", hanweb_column(total, per_page, shown)))
    assert len(listing.entries) == shown
    assert ranges(listing.more) == expected
    covered = [n for s, e, _ in expected for n in range(s, e + 1)]
    assert covered == list(range(shown + 1, total + 1))


def test_hanweb_parameters_from_the_init_script_and_older_proxy_path():
    text = hanweb_column(nextgroup=False, proxy="/module/jslib/jquery/jpage/dataproxy.jsp")
    listing = hanweb.parse_list(page(f"{HOST}/col/col1229000/index.html", text))
    assert ranges(listing.more) == [(16, 50, 15)]
    assert listing.more[0].url.startswith(f"{HOST}/module/jslib/jquery/jpage/dataproxy.jsp?startrecord=16")
    assert listing.more[0].formdata == FORM


def dataproxy_answer(records: str, total: int = 50, recordset: bool = True) -> str:
    body = f"<recordset>{records}</recordset>" if recordset else records
    return f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{total}</totalrecord>{body}</datastore>'


@pytest.mark.parametrize("recordset", [True, False], ids=["recordset", "record-under-datastore"])
@pytest.mark.parametrize("selector_type", ["html", "xml"])
def test_hanweb_dataproxy_answer(recordset, selector_type):
    text = dataproxy_answer("".join(hanweb_record(n) for n in range(16, 31)), recordset=recordset)
    url = f"{HOST}/module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=50&perpage=15"
    answer = Page(url=url, text=text, selector=Selector(text=text, type=selector_type))
    assert hanweb.is_dataproxy_answer(answer)
    listing = platforms.by_name("hanweb").parse_list(answer)
    assert [e.title for e in listing.entries] == [f"关于开展第{n}批重点工作督查的通知" for n in range(16, 31)]
    assert all(e.date for e in listing.entries)
    assert listing.more == []
    assert listing.total == 50


@pytest.mark.parametrize("template", ["li", "i", "td"])
def test_hanweb_date_in_span_i_or_td(template):
    text = dataproxy_answer(hanweb_record(5, template))
    [entry] = hanweb.parse_list(page(f"{HOST}/module/web/jpage/dataproxy.jsp", text)).entries
    assert entry.date == "2021-06-06"
    assert entry.url == f"{HOST}/art/2021/6/6/art_1229000_1005.html"


def test_hanweb_cut_title_prefers_the_title_attribute_and_escaped_records():
    full = "关于印发某某县2021年度重点工作任务分解方案的通知"
    records = (f'<record><![CDATA[<li><a href="/art/2021/6/6/art_1_2.html" title="{full}">关于印发某某县2021年度重点...'
               '</a><span>2021-06-06</span></li>]]></record>'
               '<record>&lt;li&gt;&lt;a href="/art/2021/6/7/art_1_3.html"&gt;县政府办公室转发市里的文件&lt;/a&gt;'
               '&lt;span&gt;2021-06-07&lt;/span&gt;&lt;/li&gt;</record>'
               '<record><![CDATA[<li><a href="/col/col1/index.html">[通知]</a><a href="/art/2021/6/8/art_1_4.html">公示</a>'
               '<span>2021-06-08</span></li>]]></record>')
    entries = hanweb.parse_list(page(f"{HOST}/module/web/jpage/dataproxy.jsp", dataproxy_answer(records))).entries
    assert [(e.title, e.date) for e in entries] == [
        (full, "2021-06-06"), ("县政府办公室转发市里的文件", "2021-06-07"), ("公示", "2021-06-08")]


JPAAS = "/api-gateway/jpaas-publish-server/front/page/build/unit"


def jpaas_column() -> str:
    return f"""<html><body><div class="list" id="news"></div>
<script>var unitUrl = '{JPAAS}?parseType=bulidstatic&webId=abc123&tplSetId=t9&pageType=column&tagId=list'
  + '&editType=null&pageId=p7&paramJson={{"pageNo":1,"pageSize":15}}';
$.get(unitUrl, function(r){{ $('#news').html(r.data.html); }});</script></body></html>"""


def param_json(url: str) -> dict:
    return json.loads(parse_qs(urlsplit(url).query)["paramJson"][0])


def test_jpaas_column_page_requests_the_json_pages():
    listing = hanweb.parse_list(page(f"{HOST}/col/col1229000/index.html", jpaas_column()))
    assert listing.entries == []
    [first] = listing.more
    assert first.method == "GET" and first.url.startswith(f"{HOST}{JPAAS}?")
    assert param_json(first.url) == {"pageNo": 1, "pageSize": 15}
    assert parse_qs(urlsplit(first.url).query)["webId"] == ["abc123"]


def test_jpaas_json_answer_gives_entries_and_the_other_pages():
    column = hanweb.parse_list(page(f"{HOST}/col/col1229000/index.html", jpaas_column()))
    items = "".join(f'<li><a href="/col/col1229000/art/2023/art_{n:032x}.html" title="关于第{n}项工作的公示公告">'
                    f"关于第{n}项工作的公示…</a><span>2023-05-0{n}</span></li>" for n in range(1, 4))
    answer = json.dumps({"data": {"html": f"<ul>{items}</ul>", "count": 40}, "success": True})
    listing = hanweb.parse_list(page(column.more[0].url, answer))
    assert [(e.title, e.date) for e in listing.entries] == [
        (f"关于第{n}项工作的公示公告", f"2023-05-0{n}") for n in range(1, 4)]
    assert listing.entries[0].url == f"{HOST}/col/col1229000/art/2023/art_{1:032x}.html"
    assert listing.total == 40
    assert [param_json(r.url)["pageNo"] for r in listing.more] == [2, 3]


# --- TRS --------------------------------------------------------------------------------------------------

def trs_list(script: str) -> str:
    return f"""<html><body><div class="nav"><a href="/zwgk/">政务公开栏目首页</a></div>
<ul class="list">
<li><a href="./202106/t20210606_123.html" title="关于做好2021年防汛工作的通知">关于做好2021年防汛工作的通知</a><span>2021-06-06</span></li>
<li><a href="./202106/t20210605_122.html">关于公布第一批示范单位名单的公告</a><span>2021-06-05</span></li>
<li><a href="{{{{item.url}}}}">{{{{item.title}}}}模板标题占位</a><span>2021-06-04</span></li>
<li><a href="el.url">Avalon 模板里的标题</a><span>2021-06-03</span></li>
<li><a href="javascript:void(0)">脚本打开的一篇文章</a><span>2021-06-02</span></li>
<li><a href="#">只有井号的一篇文章</a><span>2021-06-01</span></li>
</ul><div id="page_div"></div><script>{script}</script></body></html>"""


@pytest.mark.parametrize(
    "url, script, expected",
    [
        (f"{HOST}/zwgk/tzgg/index.shtml", 'createPageHTML(5, 0, "index", "shtml");',
         [f"{HOST}/zwgk/tzgg/index_{n}.shtml" for n in range(1, 5)]),
        (f"{HOST}/zwgk/tzgg/index_2.shtml", 'createPageHTML(5, 2, "index", "shtml");',
         [f"{HOST}/zwgk/tzgg/index_{n}.shtml" for n in range(1, 5)]),
        (f"{HOST}/zwgk/tzgg/", "var countPage = 3;var currentPage = 0;"
                               "createPageHTML('page_div', countPage, currentPage, 'index', 'htm', 20);",
         [f"{HOST}/zwgk/tzgg/index_1.htm", f"{HOST}/zwgk/tzgg/index_2.htm"]),
        (f"{HOST}/zwgk/tzgg/index.html", "var countPage = 4//共多少页\nvar currentPage = 0;",
         [f"{HOST}/zwgk/tzgg/index_{n}.html" for n in range(1, 4)]),
        (f"{HOST}/zwgk/tzgg/index.html", 'createPageHTML(1, 0, "index", "html");', []),
    ],
)
def test_trs_pages_from_create_page_html(url, script, expected):
    listing = trs.parse_list(page(url, trs_list(script)))
    assert [r.url for r in listing.more] == expected
    assert all(r.method == "GET" and r.formdata is None for r in listing.more)


def test_count_page_without_current_page_is_not_a_trs_pager():
    text = "<html><body><script>var countPage = 7;</script></body></html>"
    assert not trs.detect(page(f"{HOST}/a/index.html", text))
    assert trs.parse_list(page(f"{HOST}/a/index.html", text)).more == []


def test_trs_entries_skip_binding_hrefs():
    url = f"{HOST}/zwgk/tzgg/index.html"
    listing = trs.parse_list(page(url, trs_list('createPageHTML(2, 0, "index", "html");')))
    assert listing.entries == [
        ListEntry("关于做好2021年防汛工作的通知", f"{HOST}/zwgk/tzgg/202106/t20210606_123.html", "2021-06-06"),
        ListEntry("关于公布第一批示范单位名单的公告", f"{HOST}/zwgk/tzgg/202106/t20210605_122.html", "2021-06-05"),
    ]


@needs_real
def test_trs_fujian_static_first_page():
    url = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"
    listing = trs.parse_list(real("trs-fujian_pingtan_zfxxgknb-list_static+trsapi.html", url))
    assert len(listing.entries) == 10
    assert listing.entries[0] == ListEntry("平潭综合实验区2025年度政府信息公开工作年度报告",
                                           f"{url}202603/t20260313_105587.htm", "2026-03-10")
    assert listing.entries[-1] == ListEntry("平潭综合实验区2016年度政府信息公开工作年度报告",
                                            f"{url}201701/t20170118_80485.htm", "2017-01-18")
    assert all("年度政府信息公开工作年度报告" in e.title and e.date for e in listing.entries)
    assert listing.total == 20  # pagebar recordCount; page 2 only exists behind the TRS search API
    assert listing.more == []


# --- generic ----------------------------------------------------------------------------------------------

def generic_list(pager: str) -> str:
    items = "".join(f'<li><a href="content_{100 + n}.html">某某局关于做好第{n}季度安全生产工作的通知</a>'
                    f"<span>[2021-0{n}-1{n}]</span></li>" for n in range(1, 5))
    return f"""<html><body>
<div class="nav"><a href="/xwzx/index.html">新闻中心栏目入口链接</a> 2021-01-01</div>
<div class="list"><ul>{items}</ul>
<table><tr><td><a href="/info/12/3456.htm">某某县人民政府关于调整部分工作机构的通知</a></td><td>办公室</td><td>2020-12-30</td></tr></table>
<dl><dd><a href="detail?id=77">某某县2020年政府信息公开工作年度报告</a></dd><dd>2021-01-20</dd></dl>
<p><a href="/news/9.html">一条标题里就有日期的新闻动态 2021年2月3日</a></p>
<p><a href="/more.html">更多</a><span>2021-06-06</span></p>
</div><div class="page">{pager}</div>
<div class="footer"><a href="/wzdt.html">网站地图与使用帮助</a><span>2021-01-01</span></div></body></html>"""


def test_generic_entries_with_dates_beside_them():
    listing = generic.parse_list(page(f"{HOST}/xxgk/tzgg/list.html", generic_list("")))
    assert [(e.url.removeprefix(HOST), e.date) for e in listing.entries] == [
        ("/xxgk/tzgg/content_101.html", "2021-01-11"),
        ("/xxgk/tzgg/content_102.html", "2021-02-12"),
        ("/xxgk/tzgg/content_103.html", "2021-03-13"),
        ("/xxgk/tzgg/content_104.html", "2021-04-14"),
        ("/info/12/3456.htm", "2020-12-30"),
        ("/xxgk/tzgg/detail?id=77", "2021-01-20"),
        ("/news/9.html", "2021-02-03"),
    ]
    assert listing.entries[-1].title == "一条标题里就有日期的新闻动态"


@pytest.mark.parametrize(
    "pager, expected",
    [
        ('<a href="list_2.html">2</a><a href="list_3.html">3</a><a href="list_2.html">下一页</a>'
         '<a href="list_6.html">尾页</a>', [f"list_{n}.html" for n in range(2, 7)]),
        ('<a href="?page=2">下一页</a>', ["list.html?page=2"]),
        ('<a href="index_2.htm">2</a><a href="index_4.htm">末页</a>', ["index_2.htm", "index_3.htm", "index_4.htm"]),
        ('<a href="list.jsp?cur_page=2&col=5">下一页</a><a href="list.jsp?cur_page=3&col=5">尾页</a>',
         ["list.jsp?cur_page=2&col=5", "list.jsp?cur_page=3&col=5"]),
        ('<a href="column-index-2.shtml">2</a><a href="column-index-3.shtml">3</a>',
         ["column-index-2.shtml", "column-index-3.shtml"]),
        ('<a href="list.html">上一页</a><a href="javascript:goPage(2)">下一页</a>', []),
        ('<a href="content_123.html">1</a><a href="content_456.html">2</a>', []),
        ('<a href="index_1.html">2</a><a href="index_2.html">3</a>', ["index_1.html", "index_2.html"]),
    ],
)
def test_generic_next_pages(pager, expected):
    listing = generic.parse_list(page(f"{HOST}/xxgk/tzgg/list.html", generic_list(pager)))
    assert [r.url for r in listing.more] == [f"{HOST}/xxgk/tzgg/{u}" for u in expected]


def test_generic_undated_list_falls_back_to_article_urls():
    text = ('<ul><li><a href="./202106/t20210606_1.html">关于做好防汛工作的通知</a></li>'
            '<li><a href="/about.html">关于本站的一些说明文字</a></li></ul>')
    entries = generic.parse_list(page(f"{HOST}/tzgg/", text)).entries
    assert entries == [ListEntry("关于做好防汛工作的通知", f"{HOST}/tzgg/202106/t20210606_1.html", None)]


# --- detection --------------------------------------------------------------------------------------------

@needs_real
@pytest.mark.parametrize(
    "name, expected",
    [
        ("hanweb_jyt-zj_article_mirror.html", "hanweb"),
        ("trs-fujian_pingtan_zfxxgknb-list_static+trsapi.html", "trs"),
        ("trs_jw-beijing_article_mirror.html", "trs"),
        ("trs_whlyw-cq_article_mirror.html", "trs"),
        ("ucap_wanzai-county_tjgb-article_url201705_pub2022.html", "ucap"),
        ("ucap_wanzai-county_tjj-xxgk-article_2023.html", "ucap"),
        ("ucap_yichun-city_tjgb-article_2023.html", "ucap"),
        ("anhui-platform_jyt-ah_article_mirror.html", "generic"),
    ],
)
def test_detect_real_pages(name, expected):
    assert platforms.detect(real(name, "http://www.example.gov.cn/a/index.html")).NAME == expected


@pytest.mark.parametrize(
    "url, text, expected",
    [
        (f"{HOST}/col/col1229000/index.html", "<html><body></body></html>", "hanweb"),
        (f"{HOST}/x/index.html", hanweb_column(), "hanweb"),
        (f"{HOST}/x/index.html", jpaas_column(), "hanweb"),
        (f"{HOST}/x/index.html", trs_list('createPageHTML(2, 0, "index", "html");'), "trs"),
        (f"{HOST}/x/index.html", "<html><body><ucaptitle>标题</ucaptitle></body></html>", "ucap"),
        (f"{HOST}/x/index.html", generic_list(""), "generic"),
    ],
)
def test_detect_synthetic(url, text, expected):
    assert platforms.detect(page(url, text)).NAME == expected


def test_registry():
    assert [a.NAME for a in platforms.ADAPTERS] == ["gkmlpt", "hanweb", "trs", "ucap", "generic"]
    for adapter in (gkmlpt, hanweb, trs, ucap, generic):
        assert platforms.by_name(adapter.NAME) is adapter
    assert platforms.by_name("nonesuch") is generic


def test_json_selector_does_not_break_generic_readers():
    text = json.dumps({"data": {"html": "", "count": 0}})
    json_page = Page(url=f"{HOST}{JPAAS}", text=text, selector=Selector(text=text, type="json"))
    assert generic.parse_list(json_page).entries == []
    assert trs.parse_list(json_page).entries == []
    assert hanweb.parse_list(json_page).entries == []
