"""Page label and site identity checks over a loopback site crawled by the real CLI: defects fire, near misses don't."""

from __future__ import annotations

import pytest

from conftest import AS_OF, audit_site, fired, planted

SITE = [("SiteName", "青山县审计局"), ("SiteDomain", "sjj.qingshan.gov.cn"), ("SiteIDCode", "3399000012")]
ARTICLE = [("ArticleTitle", "县审计局召开审计工作会议"), ("PubDate", f"{AS_OF} 09:30"), ("ContentSource", "青山县审计局")]
ICP = '<a href="https://beian.miit.gov.cn/">浙ICP备99000012号-1</a>'
POLICE = ('<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33999902000123">'
          '浙公网安备 33999902000123号</a>')
CONAC = '<a href="https://bszs.conac.cn/sitename?method=show&amp;id=1"><img src="/dzjg.png" alt="党政机关网站标识"></a>'


def footer(code: str = "3399000012", parts: tuple[str, ...] = (ICP, POLICE, CONAC)) -> str:
    return f'<div class="footer"><p>主办单位：青山县审计局　{"　".join(parts)}　网站标识码：{code}</p></div>'


def page(metas, body: str, foot: str | None = None, upper: bool = False) -> str:
    form = '<META NAME="{}" CONTENT="{}">' if upper else '<meta name="{}" content="{}">'
    tags = "".join(form.format(name, value) for name, value in metas)
    return (f'<html><head><meta charset="utf-8"><title>县审计局召开审计工作会议</title>{tags}</head><body>'
            f'<div class="main">{body}</div>{footer() if foot is None else foot}</body></html>')


TEXT = "<h1>县审计局召开审计工作会议</h1><p>会议总结了本年度审计工作，部署下一阶段重点任务，要求全局干部依法履行审计监督职责。</p>"
SHOWN = f"<p>发布日期：{AS_OF}</p>"


def without(metas, *names):
    return [(k, v) for k, v in metas if k not in names]


# path: (metas, body, footer or None for the full one, upper-case META)
ARTICLES = {
    "/news/content_1.html": (SITE + ARTICLE, SHOWN + TEXT, None, False),
    "/news/content_2.html": (SITE + without(ARTICLE, "PubDate", "ContentSource"), SHOWN + TEXT, None, False),
    "/news/content_3.html": (SITE + without(ARTICLE, "PubDate"), TEXT, None, False),
    "/news/content_4.html": (SITE + ARTICLE, SHOWN + TEXT, None, True),
    "/news/content_5.html": (SITE + ARTICLE, SHOWN + TEXT, footer("339900001"), False),
    "/news/content_6.html": (SITE + ARTICLE, SHOWN + TEXT, footer("3399000099"), False),
    "/news/content_7.html": (SITE + ARTICLE, SHOWN + TEXT, footer(parts=(CONAC,)), False),
    "/news/content_8.html": ([*SITE[:2], ("SiteIDCode", "bm12345678")] + ARTICLE, SHOWN + TEXT, footer("bm12345678"),
                             False),
    "/news/content_9.html": ([*SITE[:2], ("SiteIDCode", "12345")] + ARTICLE, SHOWN + TEXT, None, False),
}

CASES = [
    ("meta.tags", "/", False, "homepage with the site trio"),
    ("meta.tags", "/about.html", False, "an ordinary page needs only the site trio"),
    ("meta.tags", "/news/content_1.html", False, "article with every required tag"),
    ("meta.tags", "/news/content_2.html", True, "article without PubDate and ContentSource"),
    ("meta.tags", "/news/content_3.html", True, "article without PubDate"),
    ("meta.tags", "/news/content_4.html", False, "<META NAME=… CONTENT=…> in capitals"),
    ("meta.tags", "/error.html", False, "an error page (页面不存在, 200) is not judged"),
    ("meta.site_code", "/", False, "footer and SiteIDCode agree on a 10-digit code"),
    ("meta.site_code", "/news/content_5.html", True, "footer code of 9 digits"),
    ("meta.site_code", "/news/content_6.html", True, "footer code and SiteIDCode disagree"),
    ("meta.site_code", "/news/content_8.html", False, "central body: bm + 8 digits"),
    ("meta.site_code", "/news/content_9.html", True, "SiteIDCode is not 10 digits"),
    ("meta.footer", "/", False, "ICP, 公安 and 党政机关 identifiers in the footer"),
    ("meta.footer", "/news/content_7.html", True, "footer without ICP and 公安 filing numbers"),
    ("meta.footer", "/news/content_8.html", False, "full footer"),
    ("meta.pubdate", "/news/content_3.html", True, "no PubDate meta and no date on the page (the list has one)"),
    ("meta.pubdate", "/news/content_2.html", False, "no PubDate meta, but the page shows 发布日期"),
    ("meta.pubdate", "/news/content_1.html", False, "PubDate meta"),
]


@pytest.fixture(scope="module")
def report(module_site_server, tmp_path_factory):
    items = "".join(f'<li><a href="{path}">县审计局召开审计工作会议之{i + 1}</a><span>{AS_OF}</span></li>'
                    for i, path in enumerate(ARTICLES))
    routes = {path: page(metas, body, foot, upper) for path, (metas, body, foot, upper) in ARTICLES.items()}
    routes.update({
        "/": page(SITE, '<a href="/news/list.html">审计动态</a> <a href="/about.html">本局概况</a> '
                        '<a href="/error.html">专题</a>'),
        "/about.html": page(SITE, "<p>青山县审计局是县人民政府组成部门，主管全县审计工作，依法独立行使审计监督权。</p>"),
        "/error.html": '<html><head><title>页面不存在</title></head><body><p>对不起，您访问的页面不存在！</p></body></html>',
        "/news/list.html": page(SITE + [("ColumnName", "审计动态"), ("ColumnType", "信息公开")],
                                f'<ul class="list">{items}</ul>'),
    })
    base = module_site_server(routes)
    return audit_site(tmp_path_factory.mktemp("meta"), base,
                      f'\n[[columns]]\nname = "审计动态"\nurl = "{base}news/list.html"\ncategory = "dynamic"\n')


@pytest.mark.parametrize("check_id, subject, fires, why", CASES, ids=[f"{c}-{s}" for c, s, _, _ in CASES])
def test_meta_checks(report, check_id, subject, fires, why):
    assert ((check_id, subject) in fired(report)) == fires, why


def test_findings_name_what_is_missing(report):
    by_subject = {(f["check"], f["url"].split("/", 3)[3]): f for f in report["findings"]}
    assert by_subject["meta.tags", "news/content_2.html"]["evidence"]["missing"] == ["PubDate", "ContentSource"]
    assert by_subject["meta.tags", "news/content_2.html"]["column"] == "审计动态"
    assert by_subject["meta.footer", "news/content_7.html"]["evidence"]["missing"] == ["ICP备案号", "公安机关备案号"]
    assert "3399000099" in by_subject["meta.site_code", "news/content_6.html"]["message"]


@pytest.mark.parametrize("check_id", ["meta.tags", "meta.site_code", "meta.footer", "meta.pubdate"])
def test_sample_site(sample_checked, check_id):
    card = planted(sample_checked, check_id)
    assert card["defects"] and card["missed"] == [] and card["fired"] == []
