"""Links (链接可用性): broken, error-page, unverifiable, intranet and hidden off-site links, from the stored verdicts."""

from __future__ import annotations

from urllib.parse import urlsplit

from checks.api import Check, CrawlView, Finding
from govinspect.config import private_kind

INDICATOR = "链接可用性"
KIND_NAMES = {"page": "页面", "image": "图片", "attachment": "附件", "external": "外部", "resource": "资源"}
STATUS_WORDS = {403: "拒绝访问", 412: "要求安全验证", 429: "提示访问过于频繁", 521: "要求防火墙验证"}
# Words of gambling, lottery and porn spam that 暗链 carry (anchor text or host name).
SPAM_WORDS = ("娱乐城", "百家乐", "博彩", "赌场", "赌博", "棋牌", "彩票", "六合彩", "时时彩", "北京赛车", "真人视讯",
              "体育投注", "葡京", "威尼斯人", "太阳城", "老虎机", "捕鱼", "色情", "成人视频", "裸聊", "约炮",
              "casino", "bet365", "baccarat", "yule", "porn")
GOVERNMENT_HOSTS = (".gov.cn", ".gov")


def link_kind(crawl: CrawlView, url: str, links: list[dict]) -> str:
    """page, image, attachment, external or resource: what a person would call the link target."""
    if not crawl.is_internal(url):
        return "external"
    tags = {link["tag"] for link in links}
    if "img" in tags:
        return "image"
    if "attachment" in tags or (crawl.page(url) or {}).get("kind") == "attachment":
        return "attachment"
    if tags and tags <= {"script", "link", "source"}:
        return "resource"
    return "page"


def sources(links: list[dict]) -> list[str]:
    return list(dict.fromkeys(link["source_url"] for link in links))


def _by_verdict(crawl: CrawlView, verdict: str):
    """(target row, links to it) for every target with this verdict that a page links to."""
    for target in crawl.targets(verdict):
        links = crawl.links_to(target["url"])
        if links:
            yield target, links


def _answer(target: dict) -> str:
    return f"返回 HTTP {target['http_status']}" if target["http_status"] else f"无法访问（{target['reason']}）"


class LinkBroken(Check):
    id = "link.broken"
    title = "链接不可用"
    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        home = crawl.homepage
        home_url = home["url"] if home else crawl.site.base_url
        # A column list that fails is a broken place even when no page links to it (a configured column).
        places = {column["url"] for column in crawl.columns()} | {home_url}
        for target in crawl.targets("broken"):
            links = crawl.links_to(target["url"])
            if not links and target["url"] not in places:
                continue
            kind = link_kind(crawl, target["url"], links)
            pages = sources(links)
            evidence = {"kind": kind, "http_status": target["http_status"], "reason": target["reason"]}
            if target["final_url"]:
                evidence["final_url"] = target["final_url"]
            on_home = home_url in pages
            message = f"{KIND_NAMES[kind]}链接{_answer(target)}" + (f"，{len(pages)} 个页面引用" if pages else "")
            message += "（含首页）" if on_home else ""
            yield Finding(target["url"], message, evidence, pages, severity="critical" if on_home else None)


class LinkSoft404(Check):
    id = "link.soft404"
    title = "链接指向错误页"
    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        for target, links in _by_verdict(crawl, "soft-404"):
            page = crawl.page(target["url"])
            title = page["title"] if page else None
            pages = sources(links)
            yield Finding(target["url"], f"链接打开的是“页面不存在”错误页（HTTP {target['http_status'] or 200}），"
                          f"{len(pages)} 个页面引用",
                          {"kind": link_kind(crawl, target["url"], links), "http_status": target["http_status"],
                           "reason": target["reason"], "title": title}, pages)


class LinkBlocked(Check):
    id = "link.blocked"
    title = "链接无法核验"
    indicator = INDICATOR
    severity = "info"

    def run(self, crawl, options):
        for target, links in _by_verdict(crawl, "blocked"):
            status = target["http_status"]
            said = f"对方{STATUS_WORDS.get(status, f'返回 HTTP {status}')}" if status else f"对方拒绝（{target['reason']}）"
            pages = sources(links)
            yield Finding(target["url"], f"链接无法核验：{said}，可能是防火墙拦截了检查机器；"
                          "请将检查机器加入白名单后复核（不计为链接不可用）",
                          {"kind": link_kind(crawl, target["url"], links), "http_status": status,
                           "reason": target["reason"]}, pages)


class LinkPrivate(Check):
    id = "link.private"
    title = "链接指向内网地址"
    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        # A site served from loopback may link loopback; any other private kind is an editor's preview link.
        own = private_kind(urlsplit(crawl.site.base_url).hostname or "")
        urls = {t["url"] for t in crawl.targets("skipped-private")}
        for url in crawl.link_targets():
            kind = private_kind(urlsplit(url).hostname or "")
            if kind and kind != own:
                urls.add(url)
        for url in sorted(urls):
            links = crawl.links_to(url)
            if not links:
                continue
            host = urlsplit(url).hostname or ""
            pages = sources(links)
            yield Finding(url, f"链接指向内网地址 {host}（公众无法访问，可能是编辑粘贴的后台预览链接），{len(pages)} 个页面引用",
                          {"host": host, "address_kind": private_kind(host)}, pages)


class LinkHidden(Check):
    id = "link.hidden"
    title = "疑似暗链"
    indicator = INDICATOR
    severity = "critical"

    def run(self, crawl, options):
        found: dict[str, list[dict]] = {}
        for link in crawl.links():
            if link["hidden"] and not crawl.is_internal(link["target_url"]):
                found.setdefault(link["target_url"], []).append(link)
        for url, links in found.items():
            host = (urlsplit(url).hostname or "").lower()
            text = " ".join(link["anchor"] or "" for link in links)
            words = [w for w in SPAM_WORDS if w in text.lower() or w in host]
            # A hover menu of other government sites is hidden too; without spam words it is for a person to look at.
            government = host.endswith(GOVERNMENT_HOSTS) and not words
            pages = sources(links)
            message = (f"隐藏元素中有指向外部网站 {host} 的链接" + (f"，含“{'、'.join(words)}”等字样" if words else "")
                       + f"，{len(pages)} 个页面")
            yield Finding(url, message, {"host": host, "anchor": text[:200], "words": words}, pages,
                          severity="info" if government else None)
