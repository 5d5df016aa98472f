"""Page chrome shared by every platform of the sample site: head and meta tags, header, nav, breadcrumb, footer."""

from __future__ import annotations

from html import escape

from govinspect.demo import content as c

# Sitewide top-bar targets with planted behaviours (answered specially by Site.lookup).
SEARCH_PATH = "/jsearchfront/search.do"     # always 429 Too Many Requests, Retry-After: 1
SERVICE_PATH = "/zwfw/index.html"           # always 412 with a 瑞数-style $_ts challenge


def site_metas() -> list[tuple[str, str]]:
    return [("SiteName", c.SITE_NAME), ("SiteDomain", c.SITE_DOMAIN), ("SiteIDCode", c.SITE_CODE)]


def column_metas(name: str, ctype: str = "信息公开") -> list[tuple[str, str]]:
    return [("ColumnName", name), ("ColumnDescription", name), ("ColumnKeywords", name), ("ColumnType", ctype)]


def article_metas(title: str, pub: str | None, column: str, url: str,
                  source: str = c.SITE_NAME, drop: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    metas = site_metas() + [("ColumnName", column), ("ColumnType", "信息公开"), ("ArticleTitle", title)]
    if pub:
        metas.append(("PubDate", pub))
    metas += [("ContentSource", source), ("Keywords", ""), ("Author", ""), ("Description", title), ("Url", url)]
    return [(k, v) for k, v in metas if k not in drop]


def head(title: str, metas: list[tuple[str, str]], *, charset: str = "utf-8", upper: bool = False,
         extra: str = "") -> str:
    if upper:  # TRS templates write META in capitals: HTML is case-insensitive, parsers must be too
        tags = "\n".join(f'<META NAME="{k}" CONTENT="{escape(v)}">' for k, v in metas)
    else:
        tags = "\n".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in metas)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="{charset}">\n'
            f'<meta http-equiv="X-UA-Compatible" content="IE=edge">\n<title>{escape(title)}</title>\n{tags}\n'
            '<link rel="stylesheet" type="text/css" href="/css/common.css">\n'
            '<script type="text/javascript" src="/js/jquery.min.js"></script>\n'
            f"{extra}</head>\n")


class Chrome:
    """Header, navigation and footer; `nav` and `submenu` are (name, path) pairs of on-site columns."""

    def __init__(self, nav: list[tuple[str, str]], submenu: list[tuple[str, str]]):
        self.nav = nav
        self.submenu = submenu
        self._header = self._make_header()  # identical on every page: render once
        self._footers = {False: self.footer(False), True: self.footer(True)}

    def header(self) -> str:
        return self._header

    def _make_header(self) -> str:
        # The 信息公开 dropdown is hidden until hover: an on-site hidden menu, never a 暗链.
        sub = "".join(f'<li><a href="{p}">{escape(n)}</a></li>' for n, p in self.submenu)
        items = "".join(f'<li><a href="{p}">{escape(n)}</a></li>' for n, p in self.nav)
        return (
            '<div class="topbar"><div class="w1200"><span class="welcome">欢迎访问青山县审计局网站</span>'
            f'<span class="tools"><a href="{SEARCH_PATH}?websiteid={c.SITE_CODE}&amp;tpl=1">站内搜索</a>'
            f' | <a href="{SERVICE_PATH}">政务服务</a> | <a href="javascript:void(0);" onclick="addFavorite()">加入收藏</a></span></div></div>\n'
            '<div class="header"><div class="w1200"><a href="/index.html" class="logo">'
            '<img src="/images/logo.png" alt="青山县审计局"></a></div></div>\n'
            '<div class="nav"><ul class="w1200"><li><a href="/index.html">首页</a></li>'
            f'<li class="has-sub"><a href="/xxgk/index.html">信息公开</a><ul class="sub-nav" style="display:none;">{sub}</ul></li>'
            f"{items}</ul></div>\n"
        )

    @staticmethod
    def crumb(trail: list[tuple[str, str]]) -> str:
        links = " &gt; ".join(f'<a href="{p}">{escape(n)}</a>' for n, p in [("首页", "/index.html"), *trail])
        return f'<div class="location w1200">当前位置：{links}</div>\n'

    @staticmethod
    def footer(old: bool = False) -> str:
        if old:  # the pre-migration GBK template: 9-digit code, no ICP/公安/党政机关 identifiers
            return ('<div id="bottom"><p>版权所有：青山县审计局　地址：' + c.ADDRESS
                    + f'</p><p>网站标识码：{c.OLD_SITE_CODE}　建议使用1024×768分辨率浏览</p></div>\n')
        friends = "".join(f'<a href="{u}" target="_blank">{n}</a> ' for n, u in c.FRIEND_LINKS)
        return (
            f'<div class="links w1200">友情链接：{friends}</div>\n<div class="footer"><div class="w1200">'
            f'<div class="dzjg"><a href="{escape(c.CONAC_URL)}" target="_blank">'
            '<img src="/images/dzjg.png" alt="党政机关网站标识" title="党政机关网站标识"></a></div>'
            f'<p>主办单位：青山县审计局　地址：{c.ADDRESS}　邮编：339900　联系电话：{c.OFFICE_PHONE}</p>'
            f'<p><a href="{c.ICP_URL}" target="_blank">{c.ICP}</a>　'
            f'<a href="{escape(c.GONGAN_URL)}" target="_blank"><img src="/images/gaba.png" alt="">{c.GONGAN}</a>'
            f'　网站标识码：{c.SITE_CODE}</p></div></div>\n'
        )

    def page(self, title: str, metas: list[tuple[str, str]], main: str, trail: list[tuple[str, str]], *,
             charset: str = "utf-8", upper: bool = False, old: bool = False, extra_head: str = "",
             before_body: str = "") -> str:
        return (head(title, metas, charset=charset, upper=upper, extra=extra_head) + "<body>\n" + before_body
                + self.header() + self.crumb(trail) + f'<div class="main w1200">\n{main}\n</div>\n'
                + self._footers[old] + '<script type="text/javascript" src="/js/common.js"></script>\n</body>\n</html>\n')


def paragraphs(texts: list[str]) -> str:
    return "".join(f'<p style="text-indent:2em;">{t}</p>' for t in texts)
