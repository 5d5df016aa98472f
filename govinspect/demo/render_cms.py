"""Hanweb JCMS and TRS WCM markup of the sample site: list pages, datastore records, article pages."""

from __future__ import annotations

from govinspect.demo import content as c
from govinspect.demo.model import Col, Doc, esc
from govinspect.demo.pages import Chrome, article_metas, column_metas, paragraphs, site_metas

WEBID = 1


def _cut(title: str, limit: int = 30) -> str:
    return title if len(title) <= limit else title[: limit - 2] + "…"


def _index_no(doc: Doc) -> str:
    year = (doc.written or (doc.day if doc.day else None))
    return f"{c.ORG_CODE}/{year.year if year else 2020}-{doc.extra.get('seq', 1):05d}"


def _attachment_html(doc: Doc) -> str:
    if not doc.attachments:
        return ""
    links = "".join(f'<p><a href="{esc(h)}" target="_blank">{esc(n)}</a></p>' for h, n in doc.attachments)
    return f'<p>附件：</p>{links}'


# ---------------------------------------------------------------- Hanweb

def hanweb_record(doc: Doc, dated: bool) -> str:
    date = f"<span>{doc.day.isoformat()}</span>" if dated and doc.day else ""
    return f'<li><a href="{doc.path}" title="{esc(doc.title)}" target="_blank">{esc(_cut(doc.title))}</a>{date}</li>'


def hanweb_column(chrome: Chrome, col: Col, records: list[str]) -> str:
    first = "\n".join(f"<record><![CDATA[{r}]]></record>" for r in records[:15])
    nextgroup = (f"<a href=\"/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid={WEBID}&path='/'"
                 f"&columnid={col.colid}&unitid={col.unitid}&webname='{c.SITE_NAME}'&permissiontype=0\"></a>")
    # Items live only in the text/xml datastore (first 15) and in dataproxy.jsp answers: a crawler
    # that follows visible <a href> alone sees an empty column.
    main = (
        f'<div class="list-left"><div class="list-title"><span>{esc(col.name)}</span></div>\n'
        f'<div class="list-con" id="div{col.unitid}"><div id="{col.unitid}"><script type="text/xml"><datastore>\n'
        f"<nextgroup><![CDATA[{nextgroup}]]></nextgroup>\n<recordset>\n{first}\n</recordset>\n</datastore></script></div>\n"
        '<script language="javascript" src="/module/web/jpage/jpage.js"></script>\n'
        '<script type="text/javascript">\n$(document).ready(function () {\n'
        f"  $('#{col.unitid}').jpage({{\n    dataBefore: '<ul class=\"list\">',\n    dataAfter: '</ul>',\n"
        f"    perPage: 15,\n    totalRecord: {len(records)},\n    groupSize: 1,\n    barPosition: 'bottom',\n"
        "    proxyUrl: '/module/web/jpage/dataproxy.jsp',\n"
        f"    appid: '1', webid: '{WEBID}', columnid: '{col.colid}', unitid: '{col.unitid}',\n"
        f"    webname: '{c.SITE_NAME}', path: '/', permissiontype: '0'\n  }});\n}});\n</script>\n</div></div>"
    )
    return chrome.page(f"{col.name} {c.SITE_NAME}", site_metas() + column_metas(col.name), main,
                       [("信息公开", "/xxgk/index.html"), (col.name, col.path)])


def hanweb_article(chrome: Chrome, col: Col, doc: Doc) -> str:
    art_id = doc.extra["id"]
    hidden = ("<div id='hiddenLocation' style='display:none;'><span id='ss_webid'>1</span>"
              "<span id='col2_name'>信息公开</span><span id='col2_url'>/xxgk/index.html</span>"
              f"<span id='col1_name'>{esc(col.name)}</span><span id='col1_url'>{col.path}</span></div>\n")
    written = doc.written.isoformat() if doc.written else (doc.pub or "")[:10]
    date = f"发布日期：{doc.pub[:10]}" if doc.pub else ""
    main = (
        '<div class="wzy_cont"><table border="1" class="xxgk" cellpadding="0" cellspacing="0">'
        f"<tr><td>索引号: {_index_no(doc)}</td><td>文件编号: {esc(doc.doc_no)}</td><td>发布机构: {c.SITE_NAME}</td></tr>"
        f"<tr><td>生成日期: {written}</td><td>主题分类: 审计</td><td>公开方式: 主动公开</td></tr></table>\n"
        f'<div class="title">{esc(doc.title)}</div>\n<table class="bt_size_14"><tr><td>{date}</td>'
        f"<td>来源：{c.SITE_NAME}</td><td>字体：[ <a href=\"javascript:doZoom(16)\">大</a> "
        '<a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a> ]</td></tr></table>\n'
        '<div id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">'
        f'{paragraphs(doc.paras)}{doc.body_html}{_attachment_html(doc)}<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></div>\n'
        '<div class="print"><a href="javascript:window.print()">【打印本页】</a> '
        '<a href="javascript:window.close();">【关闭本页】</a></div></div>\n'
        f"<iframe src='/module/visitcount/visit.jsp?type=3&amp;i_webid=1&amp;i_columnid={col.colid}&amp;i_articleid={art_id}'"
        ' name="vishidden" id="vishidden" frameborder="0" style="display:none"></iframe>'
    )
    metas = [("Maketime", (doc.pub or "2020-01-01 00:00") + ":00_101")] + article_metas(
        doc.title, doc.pub, col.name, doc.url, drop=doc.drop_meta)
    return chrome.page(doc.title, metas, main, [("信息公开", "/xxgk/index.html"), (col.name, col.path)],
                       before_body=hidden)


# ---------------------------------------------------------------- TRS

_COUNT_PAGER = """<script type="text/javascript">
var countPage = {n}//共多少页
var currentPage = {i}//当前页
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
document.write("<span>共"+countPage+"页</span>&nbsp;");
if (currentPage>0) {{ document.write("<a href=\\"index.html\\">首页</a>&nbsp;"); }}
if (currentPage==1) {{ document.write("<a href=\\"index.html\\">上一页</a>&nbsp;"); }}
if (currentPage>1) {{ document.write("<a href=\\"index_"+prevPage+".html\\">上一页</a>&nbsp;"); }}
if (countPage>1&&currentPage!=(countPage-1)) {{ document.write("<a href=\\"index_"+nextPage+".html\\">下一页</a>&nbsp;"); }}
if (countPage>1&&currentPage!=(countPage-1)) {{ document.write("<a href=\\"index_"+(countPage-1)+".html\\">尾页</a>"); }}
</script>"""


def trs_list_pages(chrome: Chrome, col: Col) -> dict[str, str]:
    """index.html, index_1.html … index_{n-1}.html; items link relatively (./YYYYMM/t…html)."""
    base = col.path.rsplit("/", 1)[0] + "/"
    per = col.per_page
    count = max(1, -(-len(col.docs) // per))
    out = {}
    for i in range(count):
        chunk = col.docs[i * per:(i + 1) * per]
        lis = "\n".join(
            f'<li><a href="./{d.path[len(base):]}" title="{esc(d.title)}" target="_blank">{esc(_cut(d.title))}</a>'
            f"<span>{d.day.isoformat() if d.day else ''}</span></li>" for d in chunk)
        empty = '<p class="nodata">暂无信息</p>' if not chunk else ""
        if col.pager == "count":
            pager = _COUNT_PAGER.format(n=count, i=i)
        else:
            pager = f'<script type="text/javascript">createPageHTML({count}, {i}, "index", "html");</script>'
        main = (f'<div class="list-title"><span>{esc(col.name)}</span></div>\n<ul class="list">\n{lis}\n</ul>{empty}\n'
                f'<div class="page">{pager}</div>')
        page = chrome.page(f"{col.name}-{c.SITE_NAME}", site_metas() + column_metas(col.name), main,
                           [("信息公开", "/xxgk/index.html"), (col.name, col.path)], upper=True,
                           extra_head='<script type="text/javascript" src="/js/page.js"></script>\n')
        out[base + ("index.html" if i == 0 else f"index_{i}.html")] = page
    return out


def trs_article(chrome: Chrome, col: Col, doc: Doc) -> str:
    if doc.script_attachments:
        # Written by script only (as on real TRS templates): no <a> in the DOM until JS runs.
        fj = "<BR/>".join(f'<a href="{h}">{n}</a>' for h, n in doc.attachments)
        files = ("<script type=\"text/javascript\">\nvar hasFJ='" + fj + "';\nif(hasFJ!=''){\n"
                 "  var FJarr=hasFJ.split(\"<BR/>\");\n  document.write('<div class=\"fj\"><p>附件下载：</p><p>');\n"
                 "  for(var i=1;i<=FJarr.length;i++){ document.write(i+\".\"+FJarr[i-1]+\"<br/>\"); }\n"
                 "  document.write('</p></div>');\n}\n</script>")
    else:
        files = _attachment_html(doc)
    date = f'<span class="tit">发布时间：</span><span class="con">{doc.pub[:10]}</span>' if doc.pub else ""
    if doc.doc_no:
        date += f'<span class="tit">文号：</span><span class="con">{esc(doc.doc_no)}</span>'
    main = (
        f'<div class="article"><h1 class="article-title">{esc(doc.title)}</h1>\n<div class="article-info">{date}'
        f'<span class="tit">来源：</span><span class="con">{c.SITE_NAME}</span></div>\n'
        f'<div class="view TRS_Editor">{paragraphs(doc.paras)}{doc.body_html}</div>\n{files}</div>'
    )
    metas = article_metas(doc.title, doc.pub, col.name, doc.url, drop=doc.drop_meta)
    return chrome.page(f"{doc.title}-{c.SITE_NAME}", metas, main,
                       [("信息公开", "/xxgk/index.html"), (col.name, col.path)], upper=True)
