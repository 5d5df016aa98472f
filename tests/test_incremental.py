"""Incremental runs: re-read the lists, fetch what is new or changed, carry the rest forward, catch what is gone."""

from __future__ import annotations

from datetime import timedelta

from govinspect.store import Store

from conftest import AS_OF, Route, audit_site, fired

META = ('<meta name="SiteName" content="青山县审计局"><meta name="SiteDomain" content="127.0.0.1">'
        '<meta name="SiteIDCode" content="3399000001">')
FOOTER = ('<div class="footer">网站标识码：3399000001 浙ICP备00000001号 浙公网安备 33999902000123号 '
          '<a href="https://bszs.conac.cn/sitename?method=show&id=1"><img alt="党政机关"></a></div>')


def day(offset: int) -> str:
    return (AS_OF - timedelta(days=offset)).isoformat()


def article(title: str, date: str, body: str, source: bool = True) -> str:
    labels = META + f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{date} 09:00">'
    labels += '<meta name="ContentSource" content="青山县审计局">' if source else ""
    return (f"<html><head><title>{title}</title>{labels}</head><body><h1>{title}</h1>"
            f"<div class='info'>发布时间：{date}</div><div id='zoom'><p>{body}</p></div>{FOOTER}</body></html>")


def column(name: str, items: list[tuple[str, str, str]]) -> str:
    entries = "".join(f'<li><a href="{url}" title="{title}">{title}</a><span>{date}</span></li>'
                      for url, title, date in items)
    labels = META + f'<meta name="ColumnName" content="{name}"><meta name="ColumnType" content="列表">'
    return (f"<html><head><title>{name}</title>{labels}</head><body><h2>{name}</h2>"
            f"<ul class='list'>{entries}</ul>{FOOTER}</body></html>")


def homepage(items: list[tuple[str, str, str]]) -> str:
    news = "".join(f'<li><a href="{url}">{title}</a><span>{date}</span></li>' for url, title, date in items)
    return (f"<html><head><title>青山县审计局</title>{META}</head><body>"
            f"<div class='nav'><a href='/sjdt/index.html'>审计动态</a> <a href='/gzdt/index.html'>工作动态</a></div>"
            f"<ul class='news'>{news}</ul>{FOOTER}</body></html>")


def test_incremental_run_finds_exactly_what_changed(site_server, tmp_path):
    a = ("/sjdt/a.html", "县审计局召开年度审计工作会议", day(3))
    b = ("/sjdt/b.html", "县审计局开展审计业务培训活动", day(5))
    g = ("/gzdt/g.html", "县审计局组织干部职工学习交流", day(6))
    routes = {
        "/": Route(homepage([a, b, g])),
        "/sjdt/index.html": Route(column("审计动态", [a, b])),
        "/gzdt/index.html": Route(column("工作动态", [g])),
        a[0]: Route(article(a[1], a[2], '会议通报了本年度审计工作情况，另见<a href="/sjdt/b.html">业务培训</a>。')),
        b[0]: Route(article(b[1], b[2], "培训围绕审计业务规范展开，全体审计人员参加。", source=False)),
        g[0]: Route(article(g[1], g[2], "干部职工集中学习了审计法律法规。")),
        "/sjdt/c.html": Route("not yet", 404),
    }
    base = site_server(routes)
    first = audit_site(tmp_path, base)
    with Store(tmp_path / "govinspect.db") as store:
        full_requests = store.run()["requests"]
    assert ("meta.tags", b[0]) in fired(first)

    # Between the runs: a new article (with a broken link) in 审计动态, b deleted although a still links to it,
    # and a month passes, so 工作动态, untouched, goes stale.
    later = (AS_OF + timedelta(days=30)).isoformat()
    c = ("/sjdt/c.html", "县审计局部署下半年审计项目", later)
    routes[c[0]].status, routes[c[0]].body = 200, article(c[1], c[2], '项目计划见<a href="/sjdt/plan.html">附表</a>。')
    routes["/sjdt/index.html"].body = column("审计动态", [c, a])
    routes["/"].body = homepage([c, a, g])
    routes[b[0]].status, routes[b[0]].body = 404, "Not Found"
    site_server.hits.clear()
    second = audit_site(tmp_path, base, "", "--incremental", "--as-of", later)

    with Store(tmp_path / "govinspect.db") as store:
        run = store.run()
    assert run["mode"] == "incremental" and run["status"] == "completed"
    assert a[0] not in site_server.hits and g[0] not in site_server.hits  # unchanged: carried, not fetched
    assert run["requests"] <= full_requests

    open_before, open_after = open_findings(first), open_findings(second)
    new, gone = open_after - open_before, open_before - open_after
    on_c = {(check, url) for check, url in new if url == c[0]}
    assert new - on_c == {("link.broken", b[0]), ("link.broken", "/sjdt/plan.html"), ("column.stale", "/gzdt/index.html")}
    assert gone == {("meta.tags", b[0])}


def open_findings(report: dict) -> set[tuple[str, str]]:
    return fired({"findings": [f for f in report["findings"] if f["status"] == "open"]})


def test_incremental_on_an_unchanged_sample_site_is_cheap_and_sees_the_same(sample_server, tmp_path):
    first = audit_site(tmp_path, sample_server.base_url)
    second = audit_site(tmp_path, sample_server.base_url, "", "--incremental")
    with Store(tmp_path / "govinspect.db") as store:
        full, incremental = store.runs()
    assert incremental["mode"] == "incremental" and incremental["pages"] == full["pages"]
    assert incremental["requests"] <= 0.25 * full["requests"]
    assert open_findings(second) == open_findings(first)
