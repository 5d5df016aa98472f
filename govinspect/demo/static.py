"""Static assets, the homepage, the 信息公开 catalogue and the planted special answers (301/412/429/404)."""

from __future__ import annotations

from html import escape

from govinspect.demo import attachments as att
from govinspect.demo import content as c
from govinspect.demo.model import Col, Resource
from govinspect.demo.pages import Chrome, site_metas

HOMEPAGE_BROKEN = "/ztzl/zt2019/index.html"   # the homepage banner's target: 404
OLD_COLUMN = "/xxgk/sjdt/index.html"            # the pre-migration column URL: 301 to the Hanweb column

_CREATE_PAGE_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount<=1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0){ document.write("<span>首页</span>&nbsp;<span>上一页</span>&nbsp;"); }
  else {
    var nPreIndex = nCurrIndex - 1;
    var sPreFileExt = nPreIndex == 0 ? "" : ("_" + nPreIndex);
    document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a>&nbsp;");
    document.write("<a href=\\"" + _sPageName + sPreFileExt + "." + _sPageExt + "\\">上一页</a>&nbsp;");
  }
  if(nCurrIndex == _nPageCount-1){ document.write("<span>下一页</span>&nbsp;<span>尾页</span>"); }
  else {
    document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt + "\\">下一页</a>&nbsp;");
    document.write("<a href=\\"" + _sPageName + "_" + (_nPageCount-1) + "." + _sPageExt + "\\">尾页</a>");
  }
}
"""

CHALLENGE_412 = (
    '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    '<meta http-equiv="Pragma" content="no-cache"><script type="text/javascript" r="m">'
    "$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=48217;$_ts.cd=\"qGrcrrAlDGqcqqLmrGAlEqlkDAqqqrxqWsllqGLcWqqk\";"
    "if($_ts.lcd)$_ts.lcd();</script></head><body></body></html>"
).encode()

SOFT404 = ('<!DOCTYPE html><html><head><meta charset="gb2312"><title>提示信息</title></head><body>'
           '<div class="error"><p>对不起，您访问的页面不存在或已被删除！</p><p>5秒后自动返回'
           '<a href="/index.html">网站首页</a></p></div></body></html>').encode("gbk")

NOTFOUND = (b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n"
            b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


def assets() -> dict[str, Resource]:
    js = "application/javascript; charset=utf-8"
    out = {
        "/css/common.css": Resource(b"body{margin:0;font:14px/1.8 \"Microsoft YaHei\";}.w1200{width:1200px;margin:0 auto;}"
                                    b".sub-nav{position:absolute;}.list li span{float:right;}", "text/css; charset=utf-8"),
        "/js/jquery.min.js": Resource(b"/*! jQuery placeholder of the sample site */ window.$=window.jQuery=function(){"
                                      b"return {ready:function(f){},jpage:function(){},css:function(){}};};", js),
        "/js/common.js": Resource(b"function addFavorite(){}function doZoom(s){}", js),
        "/js/page.js": Resource(_CREATE_PAGE_JS.encode(), js),
        "/module/web/jpage/jpage.js": Resource(b"/* jpage: renders dataStore records; pages via proxyUrl */", js),
        "/module/visitcount/visit.jsp": Resource(b"/* visit counted */", js),  # a counter, never a page
        "/robots.txt": Resource(b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8"),
    }
    for name in ("logo", "dzjg", "gaba", "banner"):
        out[f"/images/{name}.png"] = Resource(att.PNG_1PX, "image/png")
    return out


def _box(title: str, more: str, items: list[tuple[str, str, str]]) -> str:
    lis = "".join(f'<li><a href="{p}" title="{escape(t)}" target="_blank">{escape(t)}</a><span>{d}</span></li>'
                  for t, p, d in items)
    return (f'<div class="box"><div class="box-title"><span>{title}</span><a href="{more}" class="more">更多&gt;&gt;</a>'
            f"</div><ul>{lis}</ul></div>")


def homepage(chrome: Chrome, cols: dict[str, Col], as_of, base_url: str) -> str:
    def items(key: str, n: int, min_age: int = 0) -> list[tuple[str, str, str]]:
        docs = [d for d in cols[key].docs if min_age <= (as_of - d.day).days]
        return [(d.title, d.path, d.day.isoformat()) for d in docs[:n]]

    # The homepage news fragment was last republished 16 days ago: its newest item is 16 days old
    # although the 审计动态 column itself has items 10 and 12 days old (homepage.stale, not column.stale).
    main = (
        f'<div class="banner"><a href="{HOMEPAGE_BROKEN}" target="_blank"><img src="/images/banner.png" alt="主题教育专题"></a></div>\n'
        f'<div class="index-row">{_box("审计动态", cols["sjdt"].path, items("sjdt", 7, 16))}'
        f'{_box("通知公告", cols["tzgg"].path, items("tzgg", 6, 1))}</div>\n'
        f'<div class="index-row">{_box("政策文件", cols["zcwj"].path, items("zcwj", 4))}'
        '<div class="box xxgk"><div class="box-title"><span>政府信息公开</span></div><ul class="xxgk-links">'
        f'<li><a href="{base_url}xxgk/index.html">政府信息公开目录</a></li>'
        f'<li><a href="{cols["xxgkzn"].path}">政府信息公开指南</a></li><li><a href="{cols["nb"].path}">政府信息公开年报</a></li>'
        f'<li><a href="{cols["sjjg"].path}">审计结果公告</a></li><li><a href="{cols["lyb"].path}">我要留言</a></li></ul></div></div>'
    )
    metas = site_metas() + [("Keywords", "青山县审计局,审计动态,信息公开"), ("Description", "青山县审计局门户网站")]
    return chrome.page(c.SITE_NAME, metas, main, [])


CATALOGUE_GROUPS = (
    ("政府信息公开指南和制度", ("xxgkzn",)),
    ("法定主动公开内容", ("jgzn", "zcwj", "zcjd", "gfxwj", "ghjh", "yjs", "rsxx", "sjjg", "sqgs", "xzzf", "tzgg")),
    ("政府信息公开年报", ("nb", "ndbg")),
    ("工作动态", ("sjdt", "tpxw")),
    ("互动交流", ("lyb",)),
    ("专题专栏", ("ztzl",)),
)


def catalogue(chrome: Chrome, cols: dict[str, Col]) -> str:
    groups = "".join(
        f'<div class="xxgk-group"><h3>{g}</h3><ul>'
        + "".join(f'<li><a href="{cols[k].path}">{escape(cols[k].name)}</a></li>' for k in keys) + "</ul></div>"
        for g, keys in CATALOGUE_GROUPS)
    metas = site_metas() + [("ColumnName", "信息公开"), ("ColumnDescription", "政府信息公开目录"),
                            ("ColumnKeywords", "信息公开"), ("ColumnType", "信息公开")]
    return chrome.page(f"政府信息公开-{c.SITE_NAME}", metas, f'<div class="xxgk-index">{groups}</div>', [("信息公开", "/xxgk/index.html")])

