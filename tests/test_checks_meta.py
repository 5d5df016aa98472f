"""Page label and site identity checks over a loopback site crawled by the real CLI: defects fire, near misses don't."""

from __future__ import annotations

import pytest

from govinspect.store import Store

from conftest import AS_OF, audit_site, fired, planted, run_cli, write_config

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


# A template defect: one finding on the homepage, not one a page ----------------------------------------------

TEMPLATE_PAGES = 300
BARE_SITE = SITE[:2]  # the article template lacks the SiteIDCode tag …
BARE_FOOTER = footer("", parts=(CONAC,)).replace("网站标识码：", "")  # … and the code, ICP and 公安 in its footer
ODD = {7: "no PubDate either", 8: "no PubDate either", 9: "no PubDate either", 10: "a footer code of its own"}


def template_site(defective: set[int], home_metas=SITE) -> dict[str, str]:
    """A homepage and a list of TEMPLATE_PAGES articles; the articles numbered in `defective` use the bare template."""
    routes = {}
    for i in range(TEMPLATE_PAGES):
        metas, foot = (BARE_SITE + ARTICLE, BARE_FOOTER) if i in defective else (SITE + ARTICLE, None)
        if i in ODD and i in defective:
            metas = without(metas, "PubDate") if "PubDate" in ODD[i] else [*metas, ("SiteIDCode", "3399000012")]
            foot = footer("3399000077", parts=(CONAC,)) if "code" in ODD[i] else foot
        routes[f"/news/content_{i}.html"] = page(metas, SHOWN + TEXT, foot)
    items = "".join(f'<li><a href="/news/content_{i}.html">县审计局审计工作动态第{i}期</a><span>{AS_OF}</span></li>'
                    for i in range(TEMPLATE_PAGES))
    routes["/"] = page(home_metas, '<a href="/news/list.html">审计动态</a>')
    routes["/news/list.html"] = page(SITE + [("ColumnName", "审计动态"), ("ColumnType", "信息公开")],
                                     f'<ul class="list">{items}</ul>')
    return routes


def audit_template_site(server, folder, defective: set[int], home_metas=SITE) -> dict:
    base = server(template_site(defective, home_metas))
    return audit_site(folder, base, f'max_items_per_column = 1000\n[[columns]]\nname = "审计动态"\n'
                                    f'url = "{base}news/list.html"\ncategory = "dynamic"\n')


def meta_findings(report: dict) -> dict[str, list[dict]]:
    out = {}
    for f in report["findings"]:
        if f["check"] in ("meta.tags", "meta.site_code", "meta.footer"):
            out.setdefault(f["check"], []).append(f)
    return out


def test_a_template_defect_is_one_finding_on_the_homepage(site_server, tmp_path):
    # The homepage, made by hand, lacks a tag of its own: named in the template finding, its subject too.
    report = audit_template_site(site_server, tmp_path, set(range(TEMPLATE_PAGES)), without(SITE, "SiteName"))
    by_check = meta_findings(report)
    home = report["site"]["base_url"]
    for check_id in ("meta.tags", "meta.site_code", "meta.footer"):
        folded = [f for f in by_check[check_id] if f["evidence"].get("template")]
        assert len(folded) == 1 and folded[0]["url"] == home, check_id
        evidence = folded[0]["evidence"]
        assert evidence["pages_checked"] == TEMPLATE_PAGES + 2  # the articles, the list page and the homepage
        assert len(folded[0]["pages"]) == 5 and (home in folded[0]["pages"]) == (check_id == "meta.tags")
        assert f"（{evidence['pages_affected']} 个页面，共检查 {TEMPLATE_PAGES + 2} 个）" in folded[0]["message"]
    tags = next(f for f in by_check["meta.tags"] if f["url"] == home)
    assert tags["evidence"]["missing"] == ["SiteIDCode"] and tags["evidence"]["pages_affected"] == TEMPLATE_PAGES - 1
    assert tags["message"].endswith("；首页另有：页面缺少网页标签：SiteName") and tags["pages"][0] == home
    # Pages that differ from the template keep their own finding, for what the template does not explain.
    own = {f["url"].rsplit("/", 1)[1]: f for f in by_check["meta.tags"] if f["url"] != home}
    assert set(own) == {"content_7.html", "content_8.html", "content_9.html"}
    assert own["content_7.html"]["evidence"]["missing"] == ["PubDate"]
    codes = [f for f in by_check["meta.site_code"] if f["url"] != home]
    assert [f["url"].rsplit("/", 1)[1] for f in codes] == ["content_10.html"] and "3399000077" in codes[0]["message"]
    assert by_check["meta.site_code"][0]["evidence"]["pages_affected"] == TEMPLATE_PAGES - 1
    footer_finding = by_check["meta.footer"]
    assert len(footer_finding) == 1 and footer_finding[0]["evidence"]["missing"] == ["ICP备案号", "公安机关备案号"]
    assert footer_finding[0]["evidence"]["pages_affected"] == TEMPLATE_PAGES
    assert "网站模板问题" in footer_finding[0]["message"] and "修改模板" in footer_finding[0]["message"]


def test_a_handful_of_defective_pages_stay_one_finding_a_page(site_server, tmp_path):
    defective = {3, 7, 50, 120, 200}  # content_7: its PubDate is missing too
    by_check = meta_findings(audit_template_site(site_server, tmp_path, defective))
    for check_id in ("meta.tags", "meta.site_code", "meta.footer"):
        found = by_check[check_id]
        assert sorted(f["url"].rsplit("/", 1)[1] for f in found) == sorted(f"content_{i}.html" for i in defective)
        assert not any(f["evidence"].get("template") for f in found), check_id
    assert next(f for f in by_check["meta.tags"] if f["url"].endswith("content_7.html"))["evidence"]["missing"] == [
        "SiteIDCode", "PubDate"]


def judged(n_pages: int, n_defective: int, applicable=None) -> list:
    from checks.template import Judged

    return [Judged({"url": f"http://127.0.0.1/p{i:03d}.html"}, ["SiteIDCode"] if i < n_defective else [], applicable)
            for i in range(n_pages)]


@pytest.mark.parametrize("pages, defective, folded, why", [
    (40, 20, True, "half the pages, 20 of them: the template's"),
    (41, 20, False, "just under half"),
    (30, 19, False, "most pages, but fewer than 20: one finding a page stays readable"),
    (300, 5, False, "a handful of pages"),
    (300, 300, True, "every page"),
])
def test_the_most_pages_rule(pages, defective, folded, why):
    from checks.template import OPTIONS, fold

    template, rest = fold(judged(pages, defective), OPTIONS["template_share"], OPTIONS["template_min_pages"])
    assert (template is not None) == folded, why
    assert len(rest) == (0 if folded else defective)
    if folded:
        assert template.defects == {"SiteIDCode": (defective, pages)} and len(template.pages) == defective


def test_a_defect_counts_against_the_pages_it_could_be_on():
    """30 articles lack PubDate among 100 pages: most of the pages that need the tag."""
    from checks.template import Judged, fold

    pages = [Judged({"url": f"a{i}"}, ["PubDate"], ["SiteName", "PubDate"]) for i in range(30)]
    pages += [Judged({"url": f"c{i}"}, [], ["SiteName"]) for i in range(70)]
    template, rest = fold(pages, 0.5, 20)
    assert template.defects == {"PubDate": (30, 30)} and rest == []


def test_folding_a_template_defect_fixes_none_of_the_pages_it_sits_on(site_server, tmp_path):
    # First judged page by page (the threshold set out of reach), then folded: still there, so still open.
    base = site_server(template_site(set(range(TEMPLATE_PAGES))))
    columns = (f'max_items_per_column = 1000\n[[columns]]\nname = "审计动态"\nurl = "{base}news/list.html"\n'
               'category = "dynamic"\n')
    audit_site(tmp_path, base, columns + '[checks.options."meta.footer"]\ntemplate_min_pages = 100000\n')
    with Store(tmp_path / "govinspect.db") as store:
        per_page = {f["id"] for f in store.findings() if f["check_id"] == "meta.footer"}
    assert len(per_page) == TEMPLATE_PAGES
    config = write_config(tmp_path / "site.toml", base, columns)
    result = run_cli("check", "-c", str(config), "--db", str(tmp_path / "govinspect.db"))
    assert result.returncode == 0, result.stderr
    with Store(tmp_path / "govinspect.db") as store:
        status = {f["id"]: (f["status"], f["evidence"].get("template")) for f in store.findings()
                  if f["check_id"] == "meta.footer"}
    assert [s for fid, s in status.items() if fid not in per_page] == [("open", True)]
    assert {status[fid][0] for fid in per_page} == {"open"}, "folded, not fixed"
