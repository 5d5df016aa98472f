"""Column discovery for `govinspect init`: a site's columns from its homepage and 信息公开 catalogue, each with a guessed category."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from crawler.items import Page

CATEGORIES = (
    "dynamic", "notice", "policy", "interpretation", "annual_report", "budget", "personnel",
    "planning", "audit_result", "pre_audit", "institution", "guide", "interaction", "other",
)

# First match wins, so the narrow phrases come before the broad words they contain:
# 审计结果公告 before 公告, 政策解读 before 政策, 任前公示 before 公示, 新闻发布会 before 新闻.
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("other", ("新闻发布", "发布会", "回应关切", "办事指南", "服务指南", "行政执法", "执法公示", "双随机",
               "权责清单", "权力清单")),
    ("pre_audit", ("审前公示",)),
    ("audit_result", ("审计结果", "审计公告", "审计整改", "审计工作报告")),
    ("annual_report", ("年报", "年度报告", "公开工作报告")),
    ("interpretation", ("解读", "图解", "一图读懂", "政策问答")),
    ("guide", ("公开指南", "公开制度", "公开规定", "公开办法")),
    ("interaction", (
        "互动", "留言", "咨询", "信箱", "访谈", "网上调查", "民意", "征集", "征求意见", "投诉",
        "建言", "问政", "来信", "热线", "在线问答",
    )),
    ("personnel", ("人事", "任免", "招录", "招聘", "招考", "考录", "任前公示", "人才引进", "干部")),
    ("budget", ("预决算", "预算", "决算", "三公经费", "财政资金", "财政信息", "财政收支", "专项资金")),
    ("planning", ("规划", "计划", "总结", "工作报告")),
    ("institution", (
        "机构", "职能", "领导信息", "领导之窗", "领导简介", "领导分工", "领导班子", "领导介绍",
        "单位概况", "部门概况", "本局概况", "单位简介",
    )),
    ("dynamic", (
        "动态", "要闻", "新闻", "资讯", "快讯", "简讯", "简报", "活动", "工作信息", "政务信息", "媒体",
        "头条", "聚焦", "热点",
    )),
    ("policy", ("政策", "文件", "法规", "法律", "规章", "规范性", "制度")),
    ("notice", ("通知", "公告", "公示", "通告")),
)

_STOP_NAMES = frozenset("""
首页 网站首页 返回首页 主页 更多 查看更多 下一页 上一页 尾页 末页 上一篇 下一篇 打印 打印本页 关闭 关闭窗口
返回顶部 返回 返回列表 收藏 加入收藏 设为首页 网站地图 站点地图 网站导航 联系我们 关于我们 使用帮助 帮助
隐私保护 隐私声明 网站声明 免责声明 版权声明 繁体版 繁體版 简体版 无障碍 无障碍浏览 长者模式 退出长者模式
适老化 关怀版 登录 注册 注销 移动版 手机版 搜索 高级搜索 站内搜索 网站纠错 我要纠错 我为政府网站找错
新媒体矩阵 政务微博 政务微信 微信 微博 分享 详情 详细 点击查看 阅读全文 全文 列表 当前位置 读屏专用 下载
附件 相关链接 友情链接 网站链接 政府网站 党政机关 字号 默认 大 中 小
""".split())
_ARTICLE_WORDS = ("关于", "召开", "开展", "举办", "举行", "印发", "调研", "部署", "走访", "慰问", "一行", "视察", "莅临")
_ARTICLE_END = re.compile(r"的(?:通知|公告|意见|批复|决定|函|报告|办法)$")
_COLUMN_NAME = re.compile(r"^[\u3400-\u9fff]{2,12}$")

_MORE = re.compile(r"(?:(?:查看)?更多(?:内容)?|more|[>»›＞+]|&gt;)+$", re.I)
_EDGE = "·•●■□◆▪◇○>›»<‹«【】[]「」『』|｜:：-—_ "

_ARTICLE_URL = re.compile(
    r"/art/\d{4}/|/art_\d+_\d+|/t\d{8}_\d+|/[0-9a-f]{32}\.s?html?$|/info/\d+/\d+\.htm|/content[_-]?\d+"
    r"|/\d{6,}\.s?html?$|[?&](?:docid|articleid|infoid|contentid|newsid|artid)=",
    re.I,
)
_FILE_URL = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|et|zip|rar|7z|jpe?g|png|gif|bmp|mp[34]|txt|ofd|css|js|xml|json)$", re.I)
_PAGE_SUFFIX = r"\.(?:s?html?|jhtml|jsp|php|aspx?|do)"
_PAGE_EXT = _PAGE_SUFFIX + "$"
_COLUMN_URL = (
    re.compile(r"/col/col\d+/", re.I),  # Hanweb
    re.compile(r"/(?:n?list|index)[\w-]*" + _PAGE_EXT, re.I),  # TRS, JSP lists
    re.compile(r"/[\w-]*list[\w-]*" + _PAGE_EXT, re.I),
    re.compile(r"channel|column|colid|catid|chnl|lanmu", re.I),
    re.compile(r"/[a-z][\w-]*/$", re.I),  # TRS folders such as /xxgk/tzgg/
    re.compile(r"/[a-z_]+" + _PAGE_EXT, re.I),  # VSB /tzgg.htm: a pinyin name, not a number
)
_HOME_PATH = re.compile(r"^/?(?:index" + _PAGE_SUFFIX + ")?$", re.I)
_BINDING = re.compile(r"\{\{|\$\{|^el\.|\bel\.\w", re.I)

_CATALOGUE_TEXT = re.compile(r"^(?:政府|部门|单位)?(?:信息|政务)公开(?:目录|专栏|平台|栏目|网)?$")
_CATALOGUE_SEGMENT = r"(?:xxgk|zwgk|gkml|zfxxgk|xxgkml|gkmlpt)"
_CATALOGUE_URL = re.compile(r"/" + _CATALOGUE_SEGMENT + r"/?(?:index(?:\.\w+)?)?$", re.I)
_CATALOGUE_ROOT = re.compile(r"^(.*?/" + _CATALOGUE_SEGMENT + r"/)", re.I)
_HEADINGS = (
    ".//h1|.//h2|.//h3|.//h4|.//h5|.//h6|.//*[contains(@class,'tit') or contains(@class,'title')"
    " or contains(@class,'hd') or contains(@class,'head') or contains(@class,'name')]"
)


@dataclass(frozen=True)
class DiscoveredColumn:
    """A column as `govinspect init` proposes it; `source_url` is the page whose link named it."""

    name: str
    url: str
    category: str
    source_url: str


def clean_name(text: str) -> str:
    """A link or heading text as a column name: no spaces, no bullets, no trailing 更多/>>."""
    name = re.sub(r"\s+", "", text or "")
    while True:
        stripped = _MORE.sub("", name.strip(_EDGE)).strip(_EDGE)
        stripped = re.sub(r"^(?:查看)?更多(?=.{2,})", "", stripped)
        if stripped == name:
            return name
        name = stripped


def guess_category(name: str) -> str:
    """The interface category a column of this Chinese name most likely has; `other` when nothing fits."""
    cleaned = clean_name(name)
    for category, words in _RULES:
        if any(word in cleaned for word in words):
            return category
    return "other"


def is_column_name(name: str) -> bool:
    """2–12 Chinese characters that are neither navigation chrome nor an article title."""
    if not _COLUMN_NAME.match(name) or name in _STOP_NAMES:
        return False
    return not (any(word in name for word in _ARTICLE_WORDS) or _ARTICLE_END.search(name))


def find_catalogue_links(page: Page) -> list[str]:
    """Links to the 信息公开 catalogue, best first: by anchor text, then by a URL ending in xxgk/zwgk/gkml."""
    by_text, by_url, roots = [], [], []
    own = _key(page.url)
    for anchor, url in _anchors(page):
        if _key(url) == own:
            continue
        path = urlsplit(url).path
        if _CATALOGUE_TEXT.match(clean_name(_text(anchor))):
            by_text.append(url)
        elif _CATALOGUE_URL.search(path):
            by_url.append(url)
        elif match := _CATALOGUE_ROOT.match(path):
            # Only column links such as /xxgk/tzgg/ point at it: their folder is the best guess left.
            parts = urlsplit(url)
            roots.append(urlunsplit((parts.scheme, parts.netloc, match.group(1), "", "")))
    return _unique(by_text + by_url + (roots if not (by_text or by_url) else []))


def discover_columns(pages: list[Page], allowed_hosts: set[str]) -> list[DiscoveredColumn]:
    """Columns linked from these pages (homepage first, then the catalogue), one per URL, in order of appearance."""
    if not pages:
        return []
    hosts = {host.lower() for host in allowed_hosts} or {(urlsplit(pages[0].url).hostname or "").lower()}
    catalogue_links = {_key(url) for page in pages for url in find_catalogue_links(page)}
    skip = catalogue_links | {_key(page.url) for page in pages}
    found: dict[str, list[tuple[int, int, int, str, str, str]]] = {}
    order = 0
    for page in pages:
        in_catalogue = _key(page.url) in catalogue_links or bool(re.search(_CATALOGUE_SEGMENT, urlsplit(page.url).path, re.I))
        for anchor, url in _anchors(page):
            key = _key(url)
            if key in skip or not _on_site(url, hosts) or not _looks_like_column(url):
                continue
            name = _anchor_name(anchor)
            if not is_column_name(name):
                continue
            order += 1
            # Sorted later: catalogue names first, then the longest (most specific), then the first seen.
            found.setdefault(key, []).append((-int(in_catalogue), -len(name), order, name, url, page.url))
    columns = []
    for candidates in sorted(found.values(), key=lambda items: min(item[2] for item in items)):
        _, _, _, name, url, source = min(candidates)
        columns.append(DiscoveredColumn(name, url, guess_category(name), source))
    return columns


def _anchors(page: Page):
    base = urljoin(page.url, page.selector.xpath("//base/@href").get() or "")
    for anchor in page.selector.xpath("//a[@href]"):
        href = (anchor.attrib.get("href") or "").strip()
        if not href or href.startswith("#") or _BINDING.search(href):
            continue
        if re.match(r"^(?:javascript|mailto|tel|data):", href, re.I):
            continue
        url = urljoin(base, href).split("#", 1)[0]
        if urlsplit(url).scheme in ("http", "https"):
            yield anchor, url


def _text(node) -> str:
    return "".join(node.xpath(".//text()").getall())


def _anchor_name(anchor) -> str:
    raw = re.sub(r"\s+", "", _text(anchor))
    name = clean_name(raw)
    title = clean_name(anchor.attrib.get("title", ""))
    if not name or raw.endswith(("...", "…")):
        name = title or clean_name(anchor.xpath(".//img/@alt").get() or "") or name
    if not name and raw:
        # A bare 更多>> takes the name of the block it closes.
        name = _block_heading(anchor)
    return name


def _block_heading(anchor) -> str:
    node = anchor
    for _ in range(4):
        parents = node.xpath("..")
        if not parents:
            break
        parent = parents[0]
        candidates = [parent] if parent.root.tag in ("h1", "h2", "h3", "h4", "h5", "h6") else []
        candidates += parent.xpath(_HEADINGS)
        candidates += reversed(node.xpath("preceding-sibling::*"))
        for candidate in candidates:
            name = clean_name(_text(candidate))
            if is_column_name(name):
                return name
        node = parent
    return ""


def _looks_like_column(url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path or "/"
    if _HOME_PATH.match(path) and not parts.query:
        return False
    if _FILE_URL.search(path) or _ARTICLE_URL.search(path + ("?" + parts.query if parts.query else "")):
        return False
    target = path + ("?" + parts.query if parts.query else "")
    return any(pattern.search(target) for pattern in _COLUMN_URL)


def _on_site(url: str, hosts: set[str]) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return any(host == allowed or parts.netloc.lower() == allowed or host.endswith("." + allowed) for allowed in hosts)


def _key(url: str) -> str:
    """The same column under /x/ and /x/index.html is one column."""
    parts = urlsplit(url)
    path = re.sub(r"/index\.(?:s?html?|jhtml)$", "/", parts.path or "/", flags=re.I)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def _unique(urls: list[str]) -> list[str]:
    seen, out = set(), []
    for url in urls:
        if _key(url) not in seen:
            seen.add(_key(url))
            out.append(url)
    return out
