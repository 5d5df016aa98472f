"""Policy interpretation (政策解读关联): interpretations and the documents they explain, linked both ways and in time.

An interpretation is a page of an `interpretation` column, or one whose title reads like one (关于《…》的政策解读,
《…》解读, 图解《…》, 一图读懂…). A policy document is a page of a `policy` column or one that carries its own
文号. They are paired by the links between them (the article reader's 相关解读 / 政策解读 / 原文链接 / 相关文件 and
UCAP 关联稿件 links, or a link whose text is the document's name), else by the name the interpretation gives in
《》 matched against documents' titles (checks/titles.py). Every pair records how it was found.
"""

from __future__ import annotations

import abc
import re
import weakref
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from checks.api import Check, CrawlView, Finding
from checks.titles import names_in, normalise, same_document
from checks.workdays import working_days_between

INDICATOR = "发布解读"
DOCUMENT_KINDS = ("article", "page", "attachment")
DEAD = ("broken", "soft-404")
MAX_OWN_INTERPRETATIONS = 5  # more 相关解读 links than this on a document is a sidebar listing
_INTERP_WORDS = re.compile(r"解读|图解|一图读懂|一图看懂|图说|答记者问|政策问答|问答")
_INTERP_PREFIX = re.compile(r"^(?:一图读懂|一图看懂|图解|图说|漫画解读|动漫解读|视频解读)[：:\s]*")
_LOOSE_WRAP = re.compile(r"^(?:关于)?|(?:的)?(?:政策解读|解读|图解|问答|答记者问)$")
# A 文号 of the page's own: at its head or its foot (a cited 文号 sits in the middle of a sentence).
_DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*第?\s*\d{1,5}\s*号")
_DOCUMENT_WORDS = re.compile(r"《|通知|办法|规定|意见|方案|决定|细则|规划|公告|通告|条例|制度|规则|纲要|要点|指引|标准|措施")
_NAV_TITLES = {"首页", "网站首页", "返回首页", "主页", "上一篇", "下一篇", "返回", "关闭", "打印", "更多"}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


@dataclass
class Pair:
    interpretation: dict
    document: dict | None
    how: str                      # "links both ways", "interpretation → document", "document → interpretation", "title"
    named: str | None             # the name the interpretation gives in 《》
    forward: bool = False         # the interpretation links its document (working link)
    back: bool = False            # the document links the interpretation


@dataclass
class Graph:
    """Interpretations, documents, the links between them, and the pairs found, for one crawl."""

    crawl: CrawlView
    pages: dict[str, dict] = field(default_factory=dict)
    interpretations: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    interpretation_urls: set[str] = field(default_factory=set)
    document_urls: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, crawl: CrawlView) -> "Graph":
        graph = cls(crawl)
        categories = {column["id"]: column["category"] for column in crawl.columns()}
        for page in crawl.pages(*DOCUMENT_KINDS):
            if (page["http_status"] or 0) >= 400 or page["error"]:
                continue
            graph.pages[page["url"]] = page
            category = categories.get(page["column_id"])
            if is_interpretation(page, category):
                graph.interpretations.append(page)
                graph.interpretation_urls.add(page["url"])
            elif category == "policy" or own_document_number(page):
                graph.documents.append(page)
                graph.document_urls.add(page["url"])
        return graph

    @cached_property
    def navigation(self) -> set[str]:
        """Home, column and list pages: a 相关解读 label near a breadcrumb makes the reader pick these up."""
        urls = {self.crawl.site.base_url}
        urls.update(column["url"] for column in self.crawl.columns())
        urls.update(p["url"] for p in self.crawl.pages("home", "column", "list"))
        return urls

    def related(self, page: dict) -> list[dict]:
        """The page's 关联 links that lead to another document (navigation the reader picked up left out)."""
        out = []
        crumbs = set(page["column_chain"])
        for entry in page["related"]:
            url, title = entry.get("url"), (entry.get("title") or "").strip()
            if not url or url == page["url"] or url in self.navigation or title in _NAV_TITLES or title in crumbs:
                continue
            out.append(entry)
        return out

    def may_be_document(self, page: dict) -> bool:
        """A link target that can be an interpretation's source: a policy document, a file, or titled like one."""
        if page["url"] in self.interpretation_urls:
            return False
        return (page["url"] in self.document_urls or page["kind"] == "attachment"
                or bool(_DOCUMENT_WORDS.search(page["title"] or "")))

    def verdict(self, url: str) -> str | None:
        target = self.crawl.target(url)
        if target:
            return target["verdict"]
        page = self.crawl.page(url)
        if page and ((page["http_status"] or 0) >= 400 or page["error"]):
            return "broken"
        return None

    def links_to(self, source: dict, target_url: str) -> bool:
        return any(link["target_url"] == target_url for link in self.crawl.links_from(source["url"])) or any(
            entry.get("url") == target_url for entry in source["related"])

    @cached_property
    def linked_back(self) -> dict[str, list[dict]]:
        """Interpretation URL → the documents whose 关联 links name it."""
        back: dict[str, list[dict]] = {}
        for document in self.documents:
            entries = [e for e in self.related(document) if e["url"] in self.interpretation_urls]
            if len(entries) > MAX_OWN_INTERPRETATIONS:
                continue  # a 相关解读 list of the latest interpretations on every page, not this one's own
            for entry in entries:
                back.setdefault(entry["url"], []).append(document)
        return back


def is_interpretation(page: dict, category: str | None) -> bool:
    title = page["title"] or ""
    if category == "interpretation":
        return True
    if page["kind"] == "attachment" or not title:
        return False
    return bool((names_in(title) and _INTERP_WORDS.search(title)) or _INTERP_PREFIX.match(title))


def own_document_number(page: dict) -> str | None:
    lines = [line for line in (page["text"] or "").split("\n") if line.strip()]
    for line in lines[:3] + lines[-6:]:
        m = _DOC_NO.search(line)
        if m and len(line) <= 60:
            return m.group(0)
    return None


def named_document(title: str | None) -> str | None:
    """The document an interpretation's title names: the first 《…》 (None when it names none)."""
    names = names_in(title)
    return names[0] if names else None


def loose_name(title: str | None) -> str | None:
    """一图读懂审计整改办法 → 审计整改办法: the subject of a title that names nothing in 《》."""
    text = _INTERP_PREFIX.sub("", title or "")
    text = _LOOSE_WRAP.sub("", text.strip())
    return text if len(normalise(text)) >= 4 else None


def find_pairs(graph: Graph) -> tuple[list[Pair], list[tuple[dict, dict, str | None]], list[tuple[dict, str]]]:
    """Pairs; mismatches (interpretation, wrongly linked document, name); dead links (page, dead URL)."""
    site = graph.crawl.site.name
    pairs, mismatches, dead = [], [], []
    for interp in graph.interpretations:
        named = named_document(interp["title"])
        forward, broken = [], []
        for entry in graph.related(interp):
            url = entry["url"]
            if graph.verdict(url) in DEAD:
                broken.append(entry)
                continue
            target = graph.pages.get(url)
            if target is not None and target not in forward and graph.may_be_document(target):
                forward.append(target)
        if named:  # a link in the text whose words are the document's name is a 原文 link too
            for link in graph.crawl.links_from(interp["url"]):
                target = graph.pages.get(link["target_url"])
                if (target is not None and target not in forward and graph.may_be_document(target)
                        and same_document(named, link["anchor"], site)):
                    forward.append(target)
        back = [d for d in graph.linked_back.get(interp["url"], []) if d not in forward]
        linked = forward + back

        def title_of(doc: dict) -> str:
            return doc["title"] or next((e.get("title") for e in interp["related"] if e.get("url") == doc["url"]), "")

        if named:
            right = [d for d in linked if same_document(named, title_of(d), site)]
            wrong = [d for d in linked if d not in right]
        else:
            right, wrong = linked, []
        for entry in broken:
            if not right or same_document(named, entry.get("title"), site):
                dead.append((interp, entry["url"]))
        if right:
            doc = right[0]
            fwd, bck = doc in forward, doc in back or graph.links_to(doc, interp["url"])
            how = ("links both ways" if fwd and bck else "interpretation → document" if fwd
                   else "document → interpretation")
            pairs.append(Pair(interp, doc, how, named, forward=fwd, back=bck))
            continue
        if wrong:
            for doc in wrong:
                mismatches.append((interp, doc, named))
            continue
        if broken:
            continue  # its only links are dead: interpretation.broken says so
        name = named or loose_name(interp["title"])
        doc = next((d for d in graph.documents if name and same_document(name, d["title"], site)), None)
        pairs.append(Pair(interp, doc, "title" if doc else "none", named,
                          back=bool(doc) and graph.links_to(doc, interp["url"])))
    # A document's 相关解读 link that is dead.
    for document in graph.documents:
        for entry in graph.related(document):
            if graph.verdict(entry["url"]) in DEAD and _INTERP_WORDS.search(entry.get("title") or ""):
                dead.append((document, entry["url"]))
    return pairs, mismatches, dead


_FOUND: "weakref.WeakKeyDictionary[CrawlView, tuple]" = weakref.WeakKeyDictionary()


class _Interpretation(Check):
    indicator = INDICATOR
    severity = "major"
    cross_page = True

    def run(self, crawl, options):
        found = _FOUND.get(crawl)
        if found is None:  # the five checks share one reading of the crawl
            graph = Graph.build(crawl)
            found = _FOUND[crawl] = (graph, *find_pairs(graph))
        if not found[0].interpretations:
            return []
        return self.judge(*found, options)

    @abc.abstractmethod
    def judge(self, graph, pairs, mismatches, dead, options):
        """The findings of one of the five checks, from the shared reading of the crawl."""


def _column(graph: Graph, page: dict | None) -> str | None:
    column = graph.crawl.column(page["column_id"]) if page else None
    return column["name"] if column else None


class InterpretationMissingSource(_Interpretation):
    id = "interpretation.missing_source"
    title = "解读未关联政策原文"

    def judge(self, graph, pairs, mismatches, dead, options):
        for pair in pairs:
            if pair.forward:
                continue
            interp, doc = pair.interpretation, pair.document
            if doc is None and not graph.crawl.sees_whole_site:
                graph.crawl.limitation("本次检查未能看到全站，不判断政策原文是否缺失")
                continue
            name = f"《{pair.named}》" if pair.named else "所解读的政策文件"
            if doc:
                message = (f"政策解读「{interp['title']}」未链接政策原文（原文在本站：{doc['title']}，"
                           f"{'仅原文链接了解读' if pair.back else '按标题匹配'}）")
            else:
                message = f"政策解读「{interp['title']}」未链接{name}，本站也未找到该文件"
            yield Finding(interp["url"], message,
                          {"interpretation": interp["url"], "named": pair.named, "document": doc and doc["url"],
                           "document_title": doc and doc["title"], "paired_by": pair.how},
                          [interp["url"]] + ([doc["url"]] if doc else []), _column(graph, interp))


class InterpretationMissingLink(_Interpretation):
    id = "interpretation.missing_link"
    title = "政策文件未关联解读"

    def judge(self, graph, pairs, mismatches, dead, options):
        by_document: dict[str, list[Pair]] = {}
        for pair in pairs:
            if pair.document and not pair.back:
                by_document.setdefault(pair.document["url"], []).append(pair)
        for url, found in by_document.items():
            doc = found[0].document
            titles = "、".join(f"「{p.interpretation['title']}」" for p in found)
            yield Finding(url, f"政策文件「{doc['title']}」未链接其政策解读{titles}（单向关联）",
                          {"interpretations": [p.interpretation["url"] for p in found],
                           "paired_by": [p.how for p in found]},
                          [url] + [p.interpretation["url"] for p in found], _column(graph, doc))


class InterpretationBroken(_Interpretation):
    id = "interpretation.broken"
    title = "解读关联链接失效"

    def judge(self, graph, pairs, mismatches, dead, options):
        for page, url in dead:
            target = graph.crawl.target(url) or {}
            status = target.get("http_status")
            entry = next((e for e in page["related"] if e.get("url") == url), {})
            if page["url"] in graph.interpretation_urls:
                subject = url  # where its policy document should be
                message = f"政策解读「{page['title']}」的原文链接「{entry.get('title') or url}」失效"
            else:
                subject = page["url"]
                message = f"政策文件「{page['title']}」的解读链接「{entry.get('title') or url}」失效"
            message += f"（HTTP {status}）" if status else f"（{target.get('verdict') or 'broken'}）"
            yield Finding(subject, message,
                          {"from": page["url"], "link": url, "anchor": entry.get("title"), "http_status": status,
                           "verdict": target.get("verdict"), "reason": target.get("reason")},
                          [page["url"]], _column(graph, page))


class InterpretationMismatch(_Interpretation):
    id = "interpretation.mismatch"
    title = "解读关联文件错误"

    def judge(self, graph, pairs, mismatches, dead, options):
        site = graph.crawl.site.name
        for interp, doc, named in mismatches:
            right = next((d for d in graph.documents if same_document(named, d["title"], site)), None)
            message = f"政策解读「{interp['title']}」解读的是《{named}》，关联的却是「{doc['title']}」"
            if right:
                message += f"（本站原文：{right['title']}）"
            yield Finding(doc["url"], message,
                          {"interpretation": interp["url"], "named": named, "linked_title": doc["title"],
                           "right_document": right and right["url"]},
                          [interp["url"], doc["url"]], _column(graph, doc))


class InterpretationLate(_Interpretation):
    id = "interpretation.late"
    title = "解读发布滞后"
    severity = "minor"
    options = {"max_working_days": 3}

    def judge(self, graph, pairs, mismatches, dead, options):
        limit = options["max_working_days"]
        for pair in pairs:
            doc, interp = pair.document, pair.interpretation
            published, explained = _day(doc and doc["published"]), _day(interp["published"])
            if not published or not explained:
                continue
            days = working_days_between(published, explained)
            if days.days > limit:
                yield Finding(doc["url"], f"政策文件「{doc['title']}」{published} 发布，政策解读 {explained} 才发布，"
                              f"晚 {days.days} 个工作日（应在 {limit} 个工作日内）",
                              {"interpretation": interp["url"], "document_published": published.isoformat(),
                               "interpretation_published": explained.isoformat(), "working_days": days.days,
                               "limit_working_days": limit, "calendar": days.calendar, "paired_by": pair.how},
                              [doc["url"], interp["url"]], _column(graph, doc))
