"""Build the bundled sample bureau site (青山县审计局, fictional): resources, column oracle, planted defects."""

from __future__ import annotations

import datetime

from govinspect.demo import content as c
from govinspect.demo import planted_coverage, planted_docs, planted_news, render_cms, render_other, static
from govinspect.demo.model import ColumnSpec, ItemSpec, Resource, Site
from govinspect.demo.pages import SEARCH_PATH, SERVICE_PATH, Chrome
from govinspect.demo.plan import Builder
from govinspect.demo.seedtext import GUIDE, INSTITUTION

SLOW_SECONDS = 3.0
HTML_UTF8, HTML_GBK = "text/html; charset=utf-8", "text/html; charset=GBK"


def _plant(b: Builder) -> None:
    planted_news.sjdt(b)
    b.fill("sjdt")
    planted_news.tpxw(b)
    planted_news.tzgg(b)
    planted_docs.policy_pair(b)
    planted_docs.gfxwj(b)
    planted_docs.reports(b)
    planted_docs.budget(b)
    planted_docs.personnel(b)
    planted_docs.planning(b)
    planted_news.sjjg(b)
    b.fill("sqgs")
    for i, (title, paras) in enumerate(INSTITUTION):
        b.doc("jgzn", title, b.ago(800 + 30 * i), paras)
    for i, (title, paras) in enumerate(GUIDE):
        b.doc("xxgkzn", title, b.ago(700 + 200 * i), paras, delay=SLOW_SECONDS if i == 0 else 0.0)
    planted_news.lyb(b)
    planted_news.ztzl(b)
    planted_coverage.unreadable_attachments(b)
    planted_coverage.accessibility(b)
    b.finish()


def _sitewide(b: Builder) -> None:
    """Defects and near misses that concern the homepage, the chrome or whole columns."""
    home, col = b.base_url, lambda k: b.url(b.cols[k].path)
    search = b.url(f"{SEARCH_PATH}?websiteid={c.SITE_CODE}&tpl=1")
    b.defect("homepage.stale", home, "newest dated item on the homepage is 16 days old (the fragment was not republished)")
    b.defect("link.broken", b.url(static.HOMEPAGE_BROKEN), "homepage banner links a removed 专题 (critical: homepage link)",
             page=home, kind="page")
    b.defect("link.blocked", search, "answers 429 Too Many Requests with Retry-After: 1 (every time)", page=home)
    b.defect("link.blocked", b.url(SERVICE_PATH), "answers 412 with a 瑞数-style $_ts challenge", page=home)
    b.near_miss("link.broken", search, "429 is never broken")
    b.near_miss("link.broken", b.url(SERVICE_PATH), "412 firewall challenge is never broken")
    guide = b.cols["xxgkzn"].docs[0]
    b.near_miss("link.broken", guide.url, f"answers after {SLOW_SECONDS:.0f} s, well within the 15 s timeout")
    b.near_miss("link.broken", c.CONAC_URL, "off-site 党政机关网站标识 link: verify at most, never crawl")
    b.near_miss("link.private", b.url("/xxgk/index.html"), "absolute on-site link from the homepage (the site itself is on loopback)",
                page=home)
    b.near_miss("link.hidden", home, "the 信息公开 dropdown (display:none) holds on-site column links only")
    b.defect("availability.homepage", home, "only when the server runs with homepage_delay >= 15 s and probes record it",
             requires="SampleServer(homepage_delay>=15) and a probe history")
    b.defect("column.empty", col("xzzf"), "list page fetched, no item at all")
    b.near_miss("column.empty", col("sjdt"), "Hanweb: items only in the datastore script and dataproxy.jsp")
    b.defect("column.undated", col("jgzn"), "list items carry no date")
    b.near_miss("column.undated", col("sqgs"), "dates written in brackets: [2025-06-12]")
    b.near_miss("column.stale", col("sjdt"), "dynamic column: newest item 10 days old (limit 14)")
    b.near_miss("column.stale", col("tzgg"), "notice column: newest real item 30 days old (limit 183)")
    for check in ("meta.tags", "meta.site_code", "meta.footer"):
        b.near_miss(check, home, "homepage: full meta tags, matching 10-digit code, ICP/公安/党政机关 in the footer")
    b.near_miss("meta.tags", col("rsxx"), "TRS writes <META NAME=… CONTENT=…> in capitals")
    gbk = b.cols["sqgs"].docs[0]
    b.near_miss("text.mojibake", gbk.url, "GBK page with 镕/喆: clean when decoded as GB18030")
    b.near_miss("link.soft404", b.url(b.cols["sqgs"].path), "a real page under the soft-404 prefix /zwgk/")
    planted_coverage.sitewide(b)


def _render(b: Builder, chrome: Chrome) -> tuple[dict[str, Resource], dict[int, list[str]]]:
    pages: dict[str, Resource] = {}
    records: dict[int, list[str]] = {}

    def put(path: str, html: str, gbk: bool = False, delay: float = 0.0) -> None:
        pages[path] = Resource(html.encode("gbk" if gbk else "utf-8"), HTML_GBK if gbk else HTML_UTF8, delay=delay)

    for col in b.cols.values():
        if col.platform == "hanweb":
            records[col.colid] = [render_cms.hanweb_record(d, col.dated) for d in col.docs]
            put(col.path, render_cms.hanweb_column(chrome, col, records[col.colid]))
            for d in col.docs:
                put(d.path, render_cms.hanweb_article(chrome, col, d), delay=d.delay)
        elif col.platform == "trs":
            for path, html in render_cms.trs_list_pages(chrome, col).items():
                put(path, html)
            for d in col.docs:
                put(d.path, render_cms.trs_article(chrome, col, d))
        elif col.platform == "ucap":
            for path, html in render_other.ucap_list_pages(chrome, col).items():
                put(path, html)
            for d in col.docs:
                put(d.path, render_other.ucap_article(chrome, col, d))
        elif col.key == "lyb":
            for path, html in render_other.message_list_pages(chrome, col).items():
                put(path, html)
            for d in col.docs:
                put(d.path, render_other.message_detail(chrome, col, d))
        else:
            old = col.encoding == "gbk"
            lists = render_other.generic_list_pages(chrome, col, old=old)
            for path, html in lists.items():
                put(path, html, old)
            for d in col.docs:
                put(d.path, render_other.generic_article(chrome, col, d, old=old), old)
            if old:  # every page of the old template carries the old footer
                for path in [*lists, *(d.path for d in col.docs)]:
                    b.defect("meta.site_code", b.url(path), f"footer 网站标识码 {c.OLD_SITE_CODE} (9 digits) disagrees with SiteIDCode")
                    b.defect("meta.footer", b.url(path), "old footer: no ICP 备案号, 公安机关备案号 or 党政机关网站标识")
    return pages, records


def build_site(as_of: datetime.date, *, base_url: str, articles_per_column: int | None = None, seed: int = 0) -> Site:
    """Generate the whole site; identical arguments give byte-identical resources."""
    if not base_url.endswith("/"):
        base_url += "/"
    b = Builder(as_of, base_url, articles_per_column, seed)
    _plant(b)
    _sitewide(b)
    cols = b.cols
    nav = [(cols[k].name, cols[k].path) for k in ("sjdt", "tzgg", "zcwj", "sjjg", "lyb")]
    submenu = [(cols[k].name, cols[k].path) for k in ("xxgkzn", "jgzn", "zcwj", "zcjd", "yjs", "rsxx", "nb")]
    chrome = Chrome(nav, submenu)
    pages, records = _render(b, chrome)
    resources: dict[str, Resource] = {**static.assets(), **b.binaries, **pages}
    resources["/index.html"] = resources["/"] = Resource(static.homepage(chrome, cols, as_of, base_url).encode())
    resources["/xxgk/index.html"] = Resource(static.catalogue(chrome, cols).encode())
    resources[static.OLD_COLUMN] = Resource(b"", status=301, headers={"Location": b.url(cols["sjdt"].path)})
    resources[SEARCH_PATH] = Resource("<html><body>访问过于频繁，请稍后再试</body></html>".encode(), status=429,
                                      headers={"Retry-After": "1"})
    resources[SERVICE_PATH] = Resource(static.CHALLENGE_412, status=412)
    columns = [ColumnSpec(col.name, b.url(col.path), col.category, col.platform, col.encoding,
                          [ItemSpec(d.title, d.url, d.day.isoformat() if col.dated else None) for d in col.docs])
               for col in cols.values()]
    behaviours = {
        "rate_limited_429": b.url(SEARCH_PATH), "challenge_412": b.url(SERVICE_PATH),
        "slow_page": cols["xxgkzn"].docs[0].url, "slow_seconds": str(SLOW_SECONDS),
        "redirect_301": b.url(static.OLD_COLUMN), "soft404_prefix": b.url("/zwgk/"),
        "soft404_example": b.url("/zwgk/gfxwj/content_1088.html"), "not_found_example": b.url(static.HOMEPAGE_BROKEN),
        "private_never_request": planted_news.PRIVATE_URL, "dataproxy": b.url("/module/web/jpage/dataproxy.jsp"),
        "gbk_column": b.url(cols["sqgs"].path),
    }
    external = [c.CONAC_URL, c.ICP_URL, c.GONGAN_URL, *(u for _, u in c.FRIEND_LINKS), planted_news.HIDDEN_HOST]
    return Site(as_of=as_of, base_url=base_url, resources=resources, columns=columns, defects=b.defects,
                near_misses=b.near, behaviours=behaviours, external_links=external, sensitive_words=["内部资料"],
                hanweb_records=records, soft404_body=static.SOFT404, notfound_body=static.NOTFOUND)
