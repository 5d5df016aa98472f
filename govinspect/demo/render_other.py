"""UCAP-style, home-made (generic, also the old GBK template) and 留言 board markup of the sample site."""

from __future__ import annotations

from govinspect.demo import content as c
from govinspect.demo.model import Col, Doc, esc
from govinspect.demo.pages import Chrome, article_metas, column_metas, paragraphs, site_metas

UCAP_SITE = "qsxsjj"
_TRAIL = [("信息公开", "/xxgk/index.html")]


def _pages(col: Col) -> list[list[Doc]]:
    per = col.per_page
    return [col.docs[i:i + per] for i in range(0, len(col.docs), per)] or [[]]


def _pager(names: list[str], i: int, total_items: int) -> str:
    """Static 首页/上一页/下一页/尾页 links, as home-made and UCAP lists have them."""
    n = len(names)
    if n <= 1:
        return f'<div class="pages">共 {total_items} 条</div>'
    parts = [f"共 {total_items} 条　第 {i + 1}/{n} 页", f'<a href="{names[0]}">首页</a>']
    if i > 0:
        parts.append(f'<a href="{names[i - 1]}">上一页</a>')
    if i < n - 1:
        parts += [f'<a href="{names[i + 1]}">下一页</a>', f'<a href="{names[-1]}">尾页</a>']
    return '<div class="pages">' + " ".join(parts) + "</div>"


# ---------------------------------------------------------------- UCAP

def ucap_list_pages(chrome: Chrome, col: Col) -> dict[str, str]:
    base = col.path.rsplit("/", 1)[0] + "/"
    chunks = _pages(col)
    names = ["index.shtml"] + [f"index_{i + 1}.shtml" for i in range(1, len(chunks))]
    out = {}
    for i, chunk in enumerate(chunks):
        lis = "\n".join(f'<li><a href="{d.path}" target="_blank" title="{esc(d.title)}">{esc(d.title)}</a>'
                        f'<span class="time">{d.day.isoformat()}</span></li>' for d in chunk)
        main = (f'<div class="xxgk-list"><h2 class="list-title">{esc(col.name)}</h2>\n<ul class="common_newslist">\n{lis}\n</ul>\n'
                f"{_pager(names, i, len(col.docs))}</div>")
        out[base + names[i]] = chrome.page(f"{col.name}_{c.SITE_NAME}", site_metas() + column_metas(col.name), main,
                                           _TRAIL + [(col.name, col.path)])
    return out


def ucap_article(chrome: Chrome, col: Col, doc: Doc) -> str:
    hexid = doc.extra["hex"]
    rel = "".join(f'<li><a href="{u}" target="_blank" title="{esc(t)}">{esc(t)}</a><span class="time">{d}</span></li>'
                  for u, t, d in doc.related)
    shown = "block" if doc.related else "none"
    wh = (f'<dd class="addWidth wh"><label><font>文　　号：</font></label><div class="display-block">{esc(doc.doc_no)}</div></dd>'
          if doc.doc_no else "")
    written = (doc.written.isoformat() if doc.written else doc.pub[:10])
    main = (
        '<div class="xxgk-container"><div class="xxgk-detail clearfix"><div class="meta-main"><div class="meta-data"><dl class="clearfix">'
        f'<dd class="addWidth IndexNo"><label><font>索 引 号：</font></label><div class="display-block">{c.ORG_CODE}/{written[:4]}-{doc.extra["seq"]:05d}</div></dd>'
        f'<dd class="addWidth scrq"><label><font>生成日期：</font></label><div class="display-block">{written}</div></dd>{wh}'
        '<dd class="addWidth gkfs"><label><font>公开方式：</font></label><div class="display-block">主动公开</div></dd>'
        f'<dd class="addWidth ReleaseMechanism"><label><font>责任部门：</font></label><div class="display-block">{c.SITE_NAME}</div></dd>'
        f'</dl></div></div>\n<h1 class="article-title"><ucaptitle>{esc(doc.title)}</ucaptitle></h1>\n'
        f'<div class="article-attr clearfix"><span class="fbsj">发布时间：{doc.pub}</span><span class="ly">来源：{c.SITE_NAME}</span></div>\n'
        f'<!-- 关联稿件  -->\n<div class="article-reldocuments" style="display: {shown};"><h3><span>关联稿件：</span></h3>'
        f'<ul class="common_newslist">{rel}</ul></div>\n<!-- 关联稿件 E -->\n'
        f'<div class="article-content article-content-body" id="zoomcon"><ucapcontent>{paragraphs(doc.paras)}{doc.body_html}</ucapcontent>\n'
        '<div class="fj-a" style="display: none;"><p>附件：</p></div></div></div></div>'
    )
    extra = ('<meta name="others" content="页面生成时间 ' + doc.pub + ':00">\n'
             '<meta name="template,templategroup,version" content="5c0a4f2e9b7d4e1f8a3b6c2d1e0f9a8b,default,1.1">\n'
             f'<script type="text/javascript">var websiteId = "9e1f4c7a2b3d4e5f8a9b0c1d2e3f4a5b", websiteCode = "{UCAP_SITE}",'
             f' manuscriptId = "{hexid}";</script>\n')
    return chrome.page(f"{doc.title} _ {c.SITE_NAME}", article_metas(doc.title, doc.pub, col.name, doc.url), main,
                       _TRAIL + [(col.name, col.path)], extra_head=extra)


# ---------------------------------------------------------------- home-made lists (UTF-8 and the old GBK template)

def generic_list_pages(chrome: Chrome, col: Col, *, old: bool = False) -> dict[str, str]:
    base = col.path.rsplit("/", 1)[0] + "/"
    chunks = _pages(col)
    names = ["list.html"] + [f"list_{i + 1}.html" for i in range(1, len(chunks))]
    out = {}
    for i, chunk in enumerate(chunks):
        # The old template brackets its dates: [2025-06-12]
        fmt = "[{}]" if old else "{}"
        lis = "\n".join(f'<li><a href="{d.path}" target="_blank">{esc(d.title)}</a>'
                        f'<span class="date">{fmt.format(d.day.isoformat()) if d.day else ""}</span></li>' for d in chunk)
        main = f'<div class="news_list"><div class="lm_title">{esc(col.name)}</div><ul>\n{lis}\n</ul>\n{_pager(names, i, len(col.docs))}</div>'
        out[base + names[i]] = chrome.page(f"{col.name}--{c.SITE_NAME}", site_metas() + column_metas(col.name), main,
                                           _TRAIL + [(col.name, col.path)], charset="gb2312" if old else "utf-8", old=old)
    return out


def generic_article(chrome: Chrome, col: Col, doc: Doc, *, old: bool = False) -> str:
    date = f"发布日期：{doc.pub[:10]}　" if doc.pub else ""
    files = "".join(f'<p>附件：<a href="{esc(h)}">{esc(n)}</a></p>' for h, n in doc.attachments)
    main = (f'<div class="content"><h2 class="bt">{esc(doc.title)}</h2><div class="info">{date}来源：{c.SITE_NAME}　'
            f'</div><div class="text">{paragraphs(doc.paras)}{doc.body_html}</div>{files}</div>')
    return chrome.page(f"{doc.title}--{c.SITE_NAME}", article_metas(doc.title, doc.pub, col.name, doc.url, drop=doc.drop_meta),
                       main, _TRAIL + [(col.name, col.path)], charset="gb2312" if old else "utf-8", old=old)


# ---------------------------------------------------------------- 留言 board

def message_list_pages(chrome: Chrome, col: Col) -> dict[str, str]:
    chunks = _pages(col)
    names = ["list.jsp"] + [f"list.jsp?page={i + 1}" for i in range(1, len(chunks))]
    base = col.path.rsplit("/", 1)[0] + "/"
    out = {}
    for i, chunk in enumerate(chunks):
        rows = "\n".join(
            f'<tr><td><a href="{d.path}" target="_blank">{esc(d.title)}</a></td><td>{d.day.isoformat()}</td>'
            f'<td>{"已回复" if d.extra.get("reply_day") else "未回复"}</td>'
            f'<td>{d.extra["reply_day"].isoformat() if d.extra.get("reply_day") else ""}</td></tr>' for d in chunk)
        main = (f'<div class="lyb"><div class="lm_title">{esc(col.name)}</div>'
                '<table class="lyb-table" width="100%"><tr><th>留言标题</th><th>留言时间</th><th>办理状态</th><th>回复时间</th></tr>\n'
                f"{rows}\n</table>\n{_pager(names, i, len(col.docs))}</div>")
        out[base + names[i]] = chrome.page(f"{col.name}-{c.SITE_NAME}", site_metas() + column_metas(col.name, "互动交流"),
                                           main, [(col.name, col.path)])
    return out


def message_detail(chrome: Chrome, col: Col, doc: Doc) -> str:
    reply_day = doc.extra.get("reply_day")
    if reply_day:
        reply = (f'<tr><th>回复单位</th><td>{c.SITE_NAME}</td></tr><tr><th>回复时间</th><td>{reply_day.isoformat()}</td></tr>'
                 f'<tr><th>回复内容</th><td>{doc.extra["reply"]}</td></tr>')
    else:
        reply = '<tr><th>办理状态</th><td>未回复</td></tr>'
    main = (f'<div class="lyb-detail"><h2>{esc(doc.title)}</h2><table class="lyb-table" width="100%">'
            f'<tr><th>留言人</th><td>{doc.extra["who"]}</td></tr><tr><th>留言时间</th><td>{doc.pub}</td></tr>'
            f'<tr><th>留言内容</th><td>{doc.extra["ask"]}</td></tr>{reply}</table></div>')
    return chrome.page(f"{doc.title}-{c.SITE_NAME}", article_metas(doc.title, doc.pub, col.name, doc.url, source="网友留言"),
                       main, [(col.name, col.path)])
