"""Article reader, date parser and link extractor on real saved government pages and synthetic cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from parsel import Selector

from crawler.extract.article import parse_article
from crawler.extract.dates import date_from_url, find_dates, parse_date
from crawler.extract.links import extract_links, is_attachment
from crawler.items import Attachment, Link, ListEntry, Page

REAL = Path(__file__).resolve().parents[2] / "shared" / "realpages"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real saved pages not present at {REAL}")

HOST = "http://www.test.gov.cn"

# Original URLs as the pages or their .source.txt give them; the two mirrors without one get a neutral stand-in.
URLS = {
    "hanweb_jyt-zj_article_mirror.html": "http://jyt.zj.gov.cn/art/2024/10/21/art_1543973_58942886.html",
    "trs_whlyw-cq_article_mirror.html": "http://whlyw.cq.gov.cn/zwxx_221/bmdt/gzdt/202107/t20210713_9468077.html",
    "trs_jw-beijing_article_mirror.html": "https://jw.beijing.gov.cn/jyzx/jyxw/mirror.html",
    "anhui-platform_jyt-ah_article_mirror.html": "https://jyt.ah.gov.cn/xwzx/jcjy/mirror.html",
    "ucap_wanzai-county_tjgb-article_url201705_pub2022.html":
        "http://www.wanzai.gov.cn/wzxrmzf/tjgb/201705/9c059bf058ef4db8b3c8f920e22186fe.shtml",
    "ucap_wanzai-county_tjj-xxgk-article_2023.html":
        "http://www.wanzai.gov.cn/wzxrmzf/tjsja/202305/7215380191c5400397df5d7d0b5fd06b.shtml",
    "ucap_yichun-city_tjgb-article_2023.html":
        "https://www.yichun.gov.cn/ycsrmzf/tjgb/202305/36796cdc82d04268913f2884cf2fe579.shtml",
}


def real_text(name: str) -> str:
    return (REAL / name).read_text(encoding="utf-8")


def real(name: str, text: str | None = None) -> Page:
    return Page.from_html(URLS[name], real_text(name) if text is None else text)


# Values read off each saved page by hand (meta tags, 信息公开 tables, footers, breadcrumbs).
EXPECTED = {
    "hanweb_jyt-zj_article_mirror.html": dict(
        title="全省教育系统师德师风建设专题培训班举办", published="2024-10-21", url_date="2024-10-21",
        document_date="2024-10-21", chain=["政府信息公开", "工作动态", "图文报道"],
        sentence="浙江省教育系统师德师风建设专题培训班在浙江大学紫金港校区举办",
        absent=["当前位置", "发布日期", "分享到", "打印本页", "索引号"],
        footer=dict(site_code=None, site_code_meta="3300000022", icp=None, police_record=None, conac=None)),
    "trs_whlyw-cq_article_mirror.html": dict(
        title="重庆文旅之窗成功首秀举办第五届意大利全球设计日", published="2021-07-13", url_date="2021-07-13",
        document_date=None, chain=["部门动态", "工作动态"],
        sentence="重庆国际文旅之窗（重庆版权贸易基地）在“一带一路”商品展示交易中心项目场地成功首秀",
        absent=["您当前的位置", "外交部", "渝ICP备", "扫一扫在手机打开当前页", "日期："],
        footer=dict(site_code="5000000091", site_code_meta="5000000091", icp="渝ICP备19008933号",
                    police_record="渝公网安备 50010502002224号",
                    conac="http://bszs.conac.cn/sitename?method=show&id=0859A9B15DE702EFE053022819ACABA2")),
    "trs_jw-beijing_article_mirror.html": dict(
        title="李奕主任出席京港大学联盟2023年理事会暨主题论坛", published="2023-11-30", url_date=None,
        document_date=None, chain=["工作动态", "教育新闻"],
        sentence="两地20所高校成立京港大学联盟",
        absent=["发布时间", "分享：", "京ICP备", "扫一扫分享本页"],
        footer=dict(site_code="1100000152", site_code_meta="1100000152", icp="京ICP备20014478号-1",
                    police_record="京公网安备 11040202430147号",
                    conac="http://bszs.conac.cn/sitename?method=show&id=0AF141902FF75E44E053012819AC368D")),
    "anhui-platform_jyt-ah_article_mirror.html": dict(
        title="拨动心弦 守护心灵健康 肥西县举办心理健康教育主题演讲比赛", published="2023-11-06", url_date=None,
        document_date=None, chain=["新闻中心", "基础教育"],
        sentence="肥西县2023年教体系统心理健康教育主题演讲活动决赛在县青少年活动中心举行",
        absent=["阅读次数", "网站地图", "皖ICP备", "返回顶部", "委厅领导"],
        footer=dict(site_code="3400000072", site_code_meta="3400000072", icp="皖ICP备20004145号",
                    police_record="皖公网安备34010302000782号", conac=None)),
    "ucap_wanzai-county_tjgb-article_url201705_pub2022.html": dict(
        title="万载县2015年国民经济和社会发展统计公报", published="2022-04-24", url_date="2017-05-01",
        document_date=None, chain=["数据开放", "政府数据", "统计信息", "统计公报"],
        sentence="全县城镇居民人均可支配收入为22258元",
        absent=["您当前的位置", "访问量", "网站标识码", "赣ICP备", "附件："],
        footer=dict(site_code="3609220011", site_code_meta="3609220011", icp="赣ICP备11002306号-1",
                    police_record="赣公网安备 36092202000105号",
                    conac="https://bszs.conac.cn/sitename?method=show&id=15ECDB592A9329B9E053022819AC61B0")),
    "ucap_wanzai-county_tjj-xxgk-article_2023.html": dict(
        title="万载县2022年国民经济和社会发展统计公报", published="2023-08-16", url_date="2023-05-01",
        document_date="2023-05-11", chain=["政务公开", "部门信息公开目录", "统计局", "法定主动公开内容", "工作动态", "统计数据"],
        sentence="全年实现生产总值(GDP)262.6亿元",
        absent=["关联稿件", "图文解读", "索 引 号", "访问量", "网站标识码"],
        footer=dict(site_code="3609220011", site_code_meta="3609220011", icp="赣ICP备11002306号-1",
                    police_record="赣公网安备 36092202000105号",
                    conac="https://bszs.conac.cn/sitename?method=show&id=15ECDB592A9329B9E053022819AC61B0")),
    "ucap_yichun-city_tjgb-article_2023.html": dict(
        title="宜春市2022年国民经济和社会发展统计公报", published="2023-05-16", url_date="2023-05-01",
        document_date="2023-04-18", chain=["政务公开", "信息公开", "法定主动公开内容", "结果公开", "统计数据", "统计公报"],
        sentence="推动江西综合实力强市建设迈出新步伐、取得新成效",
        absent=["发布机构", "政府网站标识码", "赣公网安备", "关联稿件"],
        footer=dict(site_code="3609000002", site_code_meta="3609000002", icp="赣ICP备06000141号",
                    police_record="赣公网安备 36090202000004号",
                    conac="https://bszs.conac.cn/sitename?method=show&id=0ADCC2E0BA270DA2E053012819ACECB2")),
}


@needs_real
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_article(name):
    want = EXPECTED[name]
    article = parse_article(real(name))
    assert article.title == want["title"]
    assert (article.published, article.published_source) == (want["published"], "meta")
    assert article.url_date == want["url_date"]
    assert article.document_date == want["document_date"]
    assert article.column_chain == want["chain"]
    assert want["sentence"] in article.main_text
    for text in want["absent"]:
        assert text not in article.main_text
    assert article.footer == want["footer"]
    assert article.meta["PubDate"].startswith(want["published"])
    assert article.meta["SiteIDCode"] == want["footer"]["site_code_meta"]
    assert "\n" in article.main_text and "  " not in article.main_text


@needs_real
def test_url_folder_date_loses_to_pubdate_meta():
    name = "ucap_wanzai-county_tjgb-article_url201705_pub2022.html"
    article = parse_article(real(name))
    assert (article.published, article.published_source, article.url_date) == ("2022-04-24", "meta", "2017-05-01")
    # Without the meta tag the visible 发布日期 is the next source, still not the URL's folder.
    text = real_text(name).replace('<meta name="PubDate" content="2022-04-24 10:00:43">', "")
    article = parse_article(real(name, text))
    assert (article.published, article.published_source) == ("2017-05-15", "text")


@needs_real
def test_split_markup_date_label_is_read_as_text():
    name = "trs_whlyw-cq_article_mirror.html"
    text = real_text(name).replace('<meta name="PubDate" content="2021-07-13 10:11">', "")
    article = parse_article(real(name, text))
    assert (article.published, article.published_source) == ("2021-07-13", "text")


@needs_real
def test_hanweb_meta_tags_as_written():
    meta = parse_article(real("hanweb_jyt-zj_article_mirror.html")).meta
    assert meta["Maketime"] == "2024-10-21 12:51:44_194"
    assert meta["ColumnType"] == "信息公开" and meta["ContentSource"] == "新闻办"
    assert "ContentStart" not in meta  # <meta name="ContentStart"> has no content


@needs_real
def test_trs_script_written_attachments():
    name = "trs_whlyw-cq_article_mirror.html"
    assert parse_article(real(name)).attachments == []  # this page's hasFJ is empty
    files = ('<a href="./P020210713531486466436.pdf">附件1：活动方案.pdf</a><BR/>'
             '<a href="./P020210713531486466437.docx">附件2：报名表.docx</a>')
    article = parse_article(real(name, real_text(name).replace("var hasFJ='';", f"var hasFJ='{files}';")))
    folder = "http://whlyw.cq.gov.cn/zwxx_221/bmdt/gzdt/202107/"
    assert article.attachments == [Attachment(f"{folder}P020210713531486466436.pdf", "附件1：活动方案.pdf"),
                                   Attachment(f"{folder}P020210713531486466437.docx", "附件2：报名表.docx")]


@needs_real
def test_ucap_related_documents_block():
    article = parse_article(real("ucap_wanzai-county_tjj-xxgk-article_2023.html"))
    assert article.related == [ListEntry(
        "图文解读：《万载县2022年国民经济和社会发展统计公报》",
        "http://www.wanzai.gov.cn/wzxrmzf/tjjjdhy/202307/bb8049063e11403994c3d01d8813a11a.shtml", "2023-07-12")]
    assert parse_article(real("ucap_yichun-city_tjgb-article_2023.html")).related == []  # empty block


def article_page(body: str, head: str = "", url: str = f"{HOST}/zwgk/202106/t20210606_1.html") -> Page:
    return Page.from_html(url, f"<html><head>{head}</head><body>{body}</body></html>")


def test_synthetic_attachments():
    body = """<div class="TRS_Editor"><p>正文第一段。</p></div>
<a href="/module/download/downfile.jsp?classid=0&filename=2106061234567.pdf">关于开展检查的通知.pdf</a>
<a href="/module/download/downfile.jsp?classid=0&showname=%E6%96%B9%E6%A1%88.docx&filename=abc.docx"></a>
<a href="/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1&wbfileid=8812">申报表</a>
<a href="files/plan.XLSX">实施计划</a><a href="files/plan.XLSX#page=2">实施计划（重复）</a>
<a href="files/photo.jpg">现场照片</a><a href="files/%E7%BB%9F%E8%AE%A1.ofd"></a>
<script>document.write('<a href="./P020210606999.wps">附件3</a>'); var f = "P020210606998.rar";</script>"""
    attachments = parse_article(article_page(body)).attachments
    assert [(a.url.removeprefix(HOST), a.name) for a in attachments] == [
        ("/module/download/downfile.jsp?classid=0&filename=2106061234567.pdf", "关于开展检查的通知.pdf"),
        ("/module/download/downfile.jsp?classid=0&showname=%E6%96%B9%E6%A1%88.docx&filename=abc.docx", "方案.docx"),
        ("/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1&wbfileid=8812", "申报表"),
        ("/zwgk/202106/files/plan.XLSX", "实施计划"),
        ("/zwgk/202106/files/%E7%BB%9F%E8%AE%A1.ofd", "统计.ofd"),
        ("/zwgk/202106/P020210606999.wps", "附件3"),
        ("/zwgk/202106/P020210606998.rar", "P020210606998.rar"),
    ]


def test_synthetic_related_links():
    body = """<div class="nav"><a href="/zcjd/">政策解读</a></div>
<div id="zoom"><p>正文。</p></div>
<p>相关解读：<a href="/zcjd/202106/t1.html">《关于促进消费的若干措施》解读</a></p>
<p><a href="/zcwj/202106/t0.html">原文链接</a></p>
<h3>相关文件</h3><ul><li><a href="/zcwj/202105/t9.html">某某县人民政府关于印发实施方案的通知</a></li></ul>
<p><a href="/other.html">无关的一篇文章</a></p>"""
    related = parse_article(article_page(body)).related
    assert [(r.title, r.url.removeprefix(HOST)) for r in related] == [
        ("《关于促进消费的若干措施》解读", "/zcjd/202106/t1.html"),
        ("原文链接", "/zcwj/202106/t0.html"),
        ("某某县人民政府关于印发实施方案的通知", "/zcwj/202105/t9.html"),
    ]


@pytest.mark.parametrize(
    "head, body, expected",
    [
        ("<title>关于做好防汛工作的通知 - 某某县人民政府</title><meta name='SiteName' content='某某县人民政府'>", "",
         "关于做好防汛工作的通知"),
        ("<title>某某县人民政府 | 某某县2015年统计公报</title>", "", "某某县2015年统计公报"),
        ("<title>政府信息公开年报_政府信息公开_平潭综合实验区党工委管委会</title>"
         "<meta name='SiteName' content='平潭综合实验区党工委管委会'>", "", "政府信息公开年报"),
        ("<title>工作动态_某某市文化委员会</title><meta name='SiteName' content='某某市文化委员会'>"
         "<meta name='ColumnName' content='工作动态'>", "<h1>某某市举办文化旅游推介会</h1>", "某某市举办文化旅游推介会"),
        ("<title>站点</title>", "<h1><ucaptitle>UCAP 标题  两个空格</ucaptitle></h1>", "UCAP 标题 两个空格"),
        ("<meta name='ArticleTitle' content='元数据里的标题'><title>别的</title>", "", "元数据里的标题"),
    ],
)
def test_title(head, body, expected):
    assert parse_article(article_page(body, head)).title == expected


@pytest.mark.parametrize(
    "body, expected",
    [
        ("<p>生成日期：2021-06-06</p>", "2021-06-06"),
        ("<table><tr><td>成文日期</td><td>2021年6月5日</td></tr></table>", "2021-06-05"),
        ("<p>成文日期：二〇二一年六月六日</p>", "2021-06-06"),
        ("<dd><label>发文日期：</label><div>2023-04-18</div></dd>", "2023-04-18"),
        ("<div id='zoom'><p>各乡镇：</p><p>现将方案印发给你们。</p><p>某某县人民政府</p><p>二〇二一年十二月三十一日</p></div>",
         "2021-12-31"),
        ("<p>页面生成时间 2023-08-16 10:33:59</p>", None),
        ("<p>生成日期：</p><p>2021-06-06</p>", "2021-06-06"),
        ("<p>生成日期：2021-02-30</p>", None),
    ],
)
def test_document_date(body, expected):
    head = "<meta name='Maketime' content='2024-10-22 12:51:44_194'><meta name='others' content='页面生成时间 2023-08-16'>"
    assert parse_article(article_page(body, head)).document_date == expected


@pytest.mark.parametrize(
    "body, expected",
    [
        ("<div>发布时间：2021-06-06 10:19</div>", "2021-06-06"),
        ("<span>发布日期：</span><b>2021/6/7</b>", "2021-06-07"),
        ("<span class='tit'>日期：</span><span class='con'>2021-07-13</span>", "2021-07-13"),
        ("<span>时间： 2021年7月14日</span>", "2021-07-14"),
        ("<span>生成日期：2021-01-01</span><span>页面生成时间：2021-01-02</span>", None),
    ],
)
def test_visible_publication_date(body, expected):
    article = parse_article(article_page(body))
    assert article.published == expected
    assert article.published_source == ("text" if expected else None)


def test_generic_body_is_the_densest_block_without_chrome():
    body = """<div class="header"><a href="/">首页</a><a href="/a">机构概况</a><p>网站导航说明文字很长很长很长很长很长很长</p></div>
<div class="side"><ul><li><a href="/x">左侧栏目一</a></li><li><a href="/y">左侧栏目二</a></li></ul></div>
<div class="main"><h2>标题</h2><div class="txt"><p>第一段正文，讲的是某某县开展安全生产大检查的情况。</p>
<p>第二段正文，  介绍检查发现的问题和整改要求。</p><p>第三段正文。<script>var x = 1;</script><style>p{}</style></p></div></div>
<div class="footer"><p>版权所有：某某县人民政府 网站标识码：bm12345678 浙ICP备05004525号-1 浙公网安备 33038202000123号</p>
<a href="https://bszs.conac.cn/sitename?method=show&id=1"><img src="/red.png"></a></div>"""
    article = parse_article(article_page(body, url=f"{HOST}/col/col1/index.html"))
    assert article.main_text == ("第一段正文，讲的是某某县开展安全生产大检查的情况。\n第二段正文， 介绍检查发现的问题和整改要求。"
                                 "\n第三段正文。")
    assert article.footer == {"site_code": "bm12345678", "site_code_meta": None, "icp": "浙ICP备05004525号-1",
                              "police_record": "浙公网安备 33038202000123号",
                              "conac": "https://bszs.conac.cn/sitename?method=show&id=1"}


def test_non_html_answers_give_an_empty_article():
    text = '{"data": {"html": ""}}'
    article = parse_article(Page(url=f"{HOST}/a/202305/x.shtml", text=text, selector=Selector(text=text, type="json")))
    assert article.title is None and article.main_text == "" and article.url_date == "2023-05-01"


# --- dates ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("2021-06-06", "2021-06-06"),
        ("2021-6-6", "2021-06-06"),
        ("2021/06/06", "2021-06-06"),
        ("2021.06.06", "2021-06-06"),
        ("2021年6月6日", "2021-06-06"),
        ("2021 年 6 月 6 日", "2021-06-06"),
        ("2021-06-06 10:19", "2021-06-06"),
        ("2021-06-06  10:19", "2021-06-06"),
        ("2021-06-06 10:19:43", "2021-06-06"),
        ("发布时间：２０２１－０６－０６", "2021-06-06"),
        ("２０２１年６月６日", "2021-06-06"),
        ("二〇二一年六月六日", "2021-06-06"),
        ("二零二一年十二月三十一日", "2021-12-31"),
        ("二〇二〇年十月二十日", "2020-10-20"),
        ("二○一九年二月十日", "2019-02-10"),
        ("[2021-06-06]", "2021-06-06"),
        ("2021-02-29", None),
        ("2020-02-29", "2020-02-29"),
        ("2021-13-01", None),
        ("2021-04-31", None),
        ("2021-06-32", None),
        ("2021-00-10", None),
        ("二〇二一年二月三十日", None),
        ("0000-01-01", None),
        ("2021-06.06", None),
        ("20210606", None),
        ("第12021-06-06号", None),
        ("", None),
        (None, None),
        ("无日期", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_find_dates_skips_impossible_ones():
    assert find_dates("2021-02-30 至 2021年3月1日，二〇二一年三月二日") == ["2021-03-01", "2021-03-02"]


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://jyt.zj.gov.cn/art/2021/6/6/art_1543973_58942886.html", "2021-06-06"),
        ("http://www.x.gov.cn/art/2024/10/21/art_1_2.html", "2024-10-21"),
        ("http://www.x.gov.cn/zwgk/202106/t20210606_123.html", "2021-06-06"),
        ("http://www.x.gov.cn/zwgk/tzgg/t20210607_9.shtml", "2021-06-07"),
        ("http://www.wanzai.gov.cn/wzxrmzf/tjgb/201705/9c059bf058ef4db8b3c8f920e22186fe.shtml", "2017-05-01"),
        ("http://www.x.gov.cn/news/2021-06-06/12.html", "2021-06-06"),
        ("http://www.x.gov.cn/news/20210606/12.html", "2021-06-06"),
        ("http://www.x.gov.cn/art/2021/2/30/art_1_2.html", None),
        ("http://www.x.gov.cn/col/col1229000/index.html", None),
        ("http://www.x.gov.cn/col/col1/art/2023/art_0123456789abcdef0123456789abcdef.html", None),
        ("http://www.x.gov.cn/202113/abc.shtml", None),
        ("", None),
    ],
)
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


# --- links ------------------------------------------------------------------------------------------------

def links_of(body: str, style: str = "", url: str = f"{HOST}/dir/page.html") -> list[Link]:
    return extract_links(Page.from_html(url, f"<html><head><style>{style}</style></head><body>{body}</body></html>"))


SPAM = '<a href="http://spam.example.com/">博彩</a>'


@pytest.mark.parametrize(
    "body, style, hidden",
    [
        (f'<a href="http://spam.example.com/" style="display:none">博彩</a>', "", True),
        (f'<div style="display: none;">{SPAM}</div>', "", True),
        (f'<div style="VISIBILITY:hidden"><p><span>{SPAM}</span></p></div>', "", True),
        (f'<div class="box hid">{SPAM}</div>', ".hid{display:none}", True),
        (f'<div id="dl">{SPAM}</div>', "#dl { visibility : hidden }", True),
        (f'<div class="a">{SPAM}</div>', "div.x, .a {display:none !important}", True),
        (f'<div style="position:absolute;left:-9999px;top:0">{SPAM}</div>', "", True),
        (f'<div style="position:fixed; top:-999px">{SPAM}</div>', "", True),
        (f'<p style="text-indent:-9999px">{SPAM}</p>', "", True),
        (f'<span style="font-size:0">{SPAM}</span>', "", True),
        (f'<span style="font-size:0px;">{SPAM}</span>', "", True),
        (f'<div style="width:0;height:0;overflow:hidden">{SPAM}</div>', "", True),
        (f'<div hidden>{SPAM}</div>', "", True),
        (SPAM, "", False),
        (f'<div style="display:block">{SPAM}</div>', "", False),
        (f'<div class="m">{SPAM}</div>', "@media (max-width:780px){.m{display:none}}", False),
        (f'<span style="font-size:0.8em">{SPAM}</span>', "", False),
        (f'<div style="position:relative;left:-5px">{SPAM}</div>', "", False),
        (f'<div style="margin-top:-120px">{SPAM}</div>', "", False),
        (f'<div style="height:0">{SPAM}</div>', "", False),
        (f'<div class="hidx">{SPAM}</div>', ".hid{display:none}", False),
    ],
)
def test_hidden_links(body, style, hidden):
    [link] = [k for k in links_of(body, style) if k.url == "http://spam.example.com/"]
    assert link.hidden is hidden


def test_hidden_only_when_every_occurrence_is_hidden():
    links = links_of(f'<div style="display:none">{SPAM}</div>{SPAM}')
    assert [(k.url, k.hidden) for k in links] == [("http://spam.example.com/", False)]


def test_link_tags_attachments_and_anchors():
    body = """<a href="a.html#top">  第一篇
      文章 </a><a href="a.html">同一篇</a><a href="/files/x.PDF">下载附件</a>
<a href="/module/download/downfile.jsp?classid=0&filename=abc.doc">通知.doc</a>
<a href="b.html"><img src="/img/logo.png" alt="徽标"></a><a href="c.html" title="提示文字"></a>
<img src="pic.jpg" alt="图片说明"><iframe src="//video.example.com/embed/1"></iframe>
<script src="/js/app.js"></script><video><source src="/media/a.mp4"></video>
<link rel="stylesheet" href="/css/site.css">"""
    got = [(k.tag, k.url, k.anchor) for k in links_of(body)]
    assert got == [
        ("a", f"{HOST}/dir/a.html", "第一篇 文章"),
        ("attachment", f"{HOST}/files/x.PDF", "下载附件"),
        ("attachment", f"{HOST}/module/download/downfile.jsp?classid=0&filename=abc.doc", "通知.doc"),
        ("a", f"{HOST}/dir/b.html", "徽标"),
        ("img", f"{HOST}/img/logo.png", "徽标"),
        ("a", f"{HOST}/dir/c.html", "提示文字"),
        ("img", f"{HOST}/dir/pic.jpg", "图片说明"),
        ("iframe", "http://video.example.com/embed/1", ""),
        ("script", f"{HOST}/js/app.js", ""),
        ("source", f"{HOST}/media/a.mp4", ""),
        ("link", f"{HOST}/css/site.css", ""),
    ]


@pytest.mark.parametrize(
    "href",
    ["javascript:void(0)", "JavaScript:openWin()", "mailto:xx@x.gov.cn", "tel:0571-1234567", "data:image/png;base64,AA",
     "#", "#top", "{{item.url}}", "${url}", "el.url", "el.chnldocurl", "item.link", "<%=url%>", "", "   "],
)
def test_skipped_hrefs(href):
    assert links_of(f'<a href="{href}">链接</a>') == []


@pytest.mark.parametrize("href", ["list.html", "news.shtml", "data.xlsx", "x.html", "item.jsp?id=1", "e.pdf"])
def test_dotted_file_names_are_not_bindings(href):
    [link] = links_of(f'<a href="{href}">链接</a>')
    assert link.url == f"{HOST}/dir/{href}"


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://x.gov.cn/a.pdf", True), ("http://x.gov.cn/a.DOCX", True), ("http://x.gov.cn/a.wps", True),
        ("http://x.gov.cn/a.et", True), ("http://x.gov.cn/a.ofd?v=1", True), ("http://x.gov.cn/a.txt", True),
        ("http://x.gov.cn/a.zip", True), ("http://x.gov.cn/a.rar", True), ("http://x.gov.cn/a.xls", True),
        ("http://x.gov.cn/module/download/downfile.jsp?filename=1.pdf", True),
        ("http://x.gov.cn/download.jsp?wbfileid=12", True),
        ("http://x.gov.cn/a.html", False), ("http://x.gov.cn/a.jpg", False), ("http://x.gov.cn/pdf/", False),
        ("http://x.gov.cn/a.html?file=b.pdfx", False),
    ],
)
def test_is_attachment(url, expected):
    assert is_attachment(url) is expected


@needs_real
def test_real_page_links():
    links = extract_links(real("hanweb_jyt-zj_article_mirror.html"))
    by_url = {k.url: k for k in links}
    visit = ("http://jyt.zj.gov.cn/module/visitcount/visit.jsp"
             "?type=3&i_webid=3099&i_columnid=1543973&i_articleid=58942886")
    assert by_url[visit].tag == "iframe" and by_url[visit].hidden
    assert by_url["http://jyt.zj.gov.cn/col/col1532802/index.html"].anchor == "政府信息公开"
    assert not any(k.url.startswith("javascript") for k in links)
    assert len({(k.url, k.tag) for k in links}) == len(links)
