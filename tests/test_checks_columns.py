"""Column and homepage freshness checks over loopback sites crawled by the real CLI: defects fire, near misses don't."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from conftest import AS_OF, audit_site, fired, planted, run_cli, write_config


def ago(days: int) -> str:
    return (AS_OF - timedelta(days=days)).isoformat()


def page(title: str, body: str) -> str:
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><div class="main">{body}</div></body></html>')


def article(title: str, day: str | None) -> str:
    shown = f"<p>发布日期：{day}</p>" if day else ""
    return page(title, f"<h1>{title}</h1>{shown}<p>青山县审计局认真落实各项工作部署，推动审计工作高质量发展。</p>")


def listing(name: str, items: list[tuple[str, str | None]], bracket: bool = False) -> str:
    shown = (lambda day: f"[{day}]" if bracket else day)
    lis = "".join(f'<li><a href="{url}">{name}工作信息第{i + 1}条</a><span>{shown(day) if day else ""}</span></li>'
                  for i, (url, day) in enumerate(items))
    return page(name, f"<h2>{name}</h2><ul class=\"list\">{lis}</ul>")


def column(routes: dict, key: str, name: str, days: list[int | None], *, list_dates: bool = True,
           page_dates: bool = True, bracket: bool = False) -> None:
    """A generic list at /KEY/list.html of items dated `days` ago (None: undated), their articles served too."""
    items = []
    for i, age in enumerate(days):
        url, day = f"/{key}/content_{i + 1}.html", ago(age) if age is not None else None
        routes[url] = article(f"{name}工作信息第{i + 1}条", day if page_dates else None)
        items.append((url, day if list_dates else None))
    routes[f"/{key}/list.html"] = listing(name, items, bracket)


# key, name, category, max_age_days, item ages, options of `column`
COLUMNS = [
    ("dyn-fresh", "审计动态", "dynamic", None, [10, 30], {}),
    ("dyn-limit", "工作简讯", "dynamic", None, [14, 40], {}),
    ("dyn-old", "图片新闻", "dynamic", None, [40, 60], {}),
    ("notice", "通知公告", "notice", None, [100, 150], {}),
    ("policy", "政策文件", "policy", None, [200, 300], {}),
    ("personnel", "人事信息", "personnel", None, [300], {}),
    ("budget", "预决算", "budget", None, [400, 500], {}),
    ("override", "要闻", "dynamic", 7, [10], {}),
    ("override-long", "规范性文件", "policy", 365, [200], {}),
    ("future", "公示公告", "notice", None, [-300, 200], {}),
    ("other", "专题专栏", "other", None, [900], {}),
    ("undated", "机构职能", "institution", None, [None, None], {}),
    ("undated-shown", "工作动态", "dynamic", None, [5, 8], {"list_dates": False}),
    ("undated-never", "部门动态", "dynamic", None, [3, 4], {"list_dates": False, "page_dates": False}),
    ("bracket", "审前公示", "pre_audit", None, [20], {"bracket": True}),
]

CASES = [
    ("column.stale", "dyn-old", True, "dynamic column, newest item 40 days old (limit 14)"),
    ("column.stale", "dyn-fresh", False, "dynamic column updated 10 days ago"),
    ("column.stale", "dyn-limit", False, "newest item exactly 14 days old: within the limit"),
    ("column.stale", "notice", False, "notice column, 100 days (limit 183)"),
    ("column.stale", "policy", True, "policy column, 200 days (limit 183)"),
    ("column.stale", "personnel", False, "personnel column, 300 days (limit 365)"),
    ("column.stale", "budget", True, "budget column, 400 days (limit 365)"),
    ("column.stale", "override", True, "max_age_days = 7 overrides the category's 14"),
    ("column.stale", "override-long", False, "max_age_days = 365 overrides the category's 183"),
    ("column.stale", "future", True, "a date in the future is not an update"),
    ("column.stale", "other", False, "a category with no date rule"),
    ("column.stale", "undated-shown", False, "the list shows no dates, the articles do: 5 days old"),
    ("column.stale", "undated-never", True, "no date anywhere: counts as not updated"),
    ("column.empty", "empty", True, "list page fetched, not one item"),
    ("column.empty", "scripted", False, "items written by script, the list declares 共 12 条: not blank"),
    ("column.empty", "missing", False, "the list page answers 404: a broken link, not a blank column"),
    ("column.empty", "dyn-fresh", False, "a column with items"),
    ("column.undated", "undated", True, "list items carry no date"),
    ("column.undated", "undated-shown", True, "the list carries no date even though the articles do"),
    ("column.undated", "bracket", False, "dates written in brackets: [2026-10-31]"),
    ("column.undated", "dyn-fresh", False, "dated list"),
]


@pytest.fixture(scope="module")
def report(module_site_server, tmp_path_factory):
    routes: dict = {}
    for key, name, _, _, days, options in COLUMNS:
        column(routes, key, name, days, **options)
    routes["/empty/list.html"] = page("空白栏目", '<h2>空白栏目</h2><ul class="list"></ul><p>暂无信息</p>')
    routes["/scripted/list.html"] = page("动态列表", '<div id="list"></div><div class="pages">共 12 条</div>'
                                                 '<script>loadList("/api/list.json")</script>')
    # The homepage's newest dated item is 20 days old (the future-dated notice does not count).
    routes["/"] = page("青山县审计局", '<ul><li><a href="/dyn-old/content_1.html">图片新闻第一条</a></li>'
                                       '<li><a href="/future/content_1.html">公示公告第一条</a></li>'
                                       '<li><a href="/bracket/content_1.html">审前公示第一条</a></li></ul>')
    base = module_site_server(routes)
    configured = COLUMNS + [("empty", "空白栏目", "dynamic", None, [], {}),
                            ("scripted", "动态列表", "dynamic", None, [], {}),
                            ("missing", "已删除栏目", "notice", None, [], {})]
    extra = "".join(f'\n[[columns]]\nname = "{name}"\nurl = "{base}{key}/list.html"\ncategory = "{category}"\n'
                    + (f"max_age_days = {limit}\n" if limit else "")
                    for key, name, category, limit, _, _ in configured)
    return audit_site(tmp_path_factory.mktemp("columns"), base, extra)


@pytest.mark.parametrize("check_id, key, fires, why", CASES, ids=[f"{c}-{k}" for c, k, _, _ in CASES])
def test_column_checks(report, check_id, key, fires, why):
    assert ((check_id, f"/{key}/list.html") in fired(report)) == fires, why


def test_stale_finding_reads_like_an_inspection_notice(report):
    finding = next(f for f in report["findings"] if f["check"] == "column.stale" and "/dyn-old/" in f["url"])
    assert finding["message"] == f"图片新闻栏目更新至 {ago(40)}，已超过 14 天未更新（40 天）"
    assert finding["column"] == "图片新闻" and finding["severity"] == "major"
    assert finding["evidence"] == {"category": "dynamic", "limit_days": 14, "items": 2, "first_level": False,
                                   "newest": ago(40), "age_days": 40}


def test_homepage_whose_newest_dated_link_is_20_days_old_is_stale(report):
    finding = next(f for f in report["findings"] if f["check"] == "homepage.stale")
    assert finding["url"] == report["site"]["base_url"] and finding["severity"] == "critical"
    assert finding["evidence"]["newest"] == ago(20) and "已超过 14 天未更新" in finding["message"]


@pytest.mark.parametrize("home, days, fires", [
    ('<a href="/news/content_1.html">审计动态第一条</a>', 10, False),
    ('<a href="/news/content_1.html">审计动态第一条</a>', 15, True),
    ('<a href="/news/list.html">审计动态</a>', 5, False),
    ('<a href="/news/list.html">审计动态</a>', 30, True),
], ids=["dated-link-10-days", "dated-link-15-days", "navigation-only-column-5-days", "navigation-only-column-30-days"])
def test_homepage_stale(site_server, tmp_path, home, days, fires):
    routes = {"/": page("青山县审计局", home)}
    column(routes, "news", "审计动态", [days, days + 20])
    base = site_server(routes)
    report = audit_site(tmp_path, base, f'\n[[columns]]\nname = "审计动态"\nurl = "{base}news/list.html"\n'
                                         'category = "dynamic"\n')
    assert (("homepage.stale", "/") in fired(report)) == fires


@pytest.mark.parametrize("check_id", ["homepage.stale", "column.stale", "column.empty", "column.undated"])
def test_sample_site(sample_checked, check_id):
    card = planted(sample_checked, check_id)
    assert card["defects"] and card["missed"] == [] and card["fired"] == []


def test_five_stale_dynamic_columns_trigger_the_column_veto_and_fail_on_critical(site_server, tmp_path):
    # The homepage links no column: the crawler fetches a configured column it reaches by a link before its own
    # request as a plain page, and never records it as a column.
    routes = {"/": page("青山县审计局", "<p>欢迎访问青山县审计局网站</p>")}
    for i in range(5):
        column(routes, f"d{i}", f"动态{i}", [30])
        routes[f"/e{i}/list.html"] = page("空白", '<ul class="list"></ul>')
    base = site_server(routes)
    extra = "".join(f'\n[[columns]]\nname = "{kind}{i}"\nurl = "{base}{kind[0]}{i}/list.html"\ncategory = "dynamic"\n'
                    for i in range(5) for kind in ("dynamic", "empty"))
    config = write_config(tmp_path / "site.toml", base, extra)
    result = run_cli("audit", "-c", str(config), "--db", str(tmp_path / "g.db"), "--out", str(tmp_path / "out"),
                     "--as-of", AS_OF.isoformat(), "--fail-on", "critical")
    assert result.returncode == 1, result.stderr
    assert "首页不更新 触发 (1/1); 栏目不更新 触发 (5/5，估计)" in result.stdout.split("单项否决: ", 1)[1]
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    veto = {case["indicator"]: case for case in report["summary"]["veto"]}
    assert [(r["count"], r["threshold"], r["triggered"]) for r in veto["栏目不更新"]["rules"]] == [
        (5, 5, True), (5, 10, False), (5, 5, True)]
