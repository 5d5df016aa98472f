"""The article reader: title, dates, body text, meta tags, footer identity, attachments, related links, column chain."""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract.dates import date_from_url, parse_date
from crawler.extract.links import absolute, anchor_text, read_attachments
from crawler.items import Article, ListEntry, Page
from crawler.platforms.generic import chrome_elements, read_entries, squash

_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}"
_CN_DATE = r"[〇○零一二三四五六七八九O]{4}\s*年\s*[〇○零一二三四五六七八九十]{1,3}\s*月\s*[〇○零一二三四五六七八九十]{1,4}\s*日"
# 生成日期/成文日期 and 页面生成时间 are not publication dates: the look-behinds keep them out.
_PUBLISHED = re.compile(rf"(?:发布时间|发布日期|(?<![成文生印])日期|(?<![成生])时间)\s*[:：]\s*({_DATE})")
_DOCUMENT = re.compile(rf"(?:成文日期|生成日期|发文日期)\s*[:：]?\s*({_DATE}|{_CN_DATE})")
_SIGNED = re.compile(rf"^[（(]?\s*({_CN_DATE}|\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)\s*[）)]?$")

_SITE_CODE = re.compile(r"网站标识码\s*[:：]?\s*(bm\d{8}|\d{10})(?![\d])", re.I)
_ICP = re.compile(r"[\u4e00-\u9fff]ICP[备证]\s*\d+\s*号(?:\s*-\s*\d+)?")
_POLICE = re.compile(r"[\u4e00-\u9fff]公网安备\s*\d+\s*号")

_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "dd", "dt", "dl", "section",
          "article", "ul", "ol", "blockquote", "pre", "hr", "center", "form", "tbody"}
_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "template", "select", "button", "iframe",
         "object", "textarea", "input", "head"}
_BODY_XPATHS = (
    "//div[contains(@class,'TRS_Editor') or contains(@class,'TRS_UEDITOR')]",
    "//ucapcontent", "//*[@id='zoomcon']", "//*[@id='UCAP-CONTENT']", "//*[@id='zoom']",
)
_TITLE_SPLIT = re.compile(r"\s+[-–—|]+\s+|\s*[_|｜]\s*|——|－{1,2}")
_SITE_LIKE = re.compile(r"(?:人民政府|政府网|门户网站?|网站|政府)$")

_RELATED_WORDS = ("相关解读", "政策解读", "原文链接", "相关文件", "相关链接", "图文解读")
_CRUMB_NAMES = re.compile(r"crumb|position|location|dqwz|wz_top", re.I)
_CRUMB_SEP = re.compile(r"[>＞›»→/\\|]+")
_HOME = {"首页", "网站首页", "主页", "返回首页", "home", "Home"}


def read_meta(root) -> dict[str, str]:
    """Every `<meta name=… content=…>`, name as written; the first of a repeated name wins."""
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        name, content = el.get("name"), el.get("content")
        if name and content is not None and name not in meta:
            meta[name] = content.strip()
    return meta


def visible_text(root) -> str:
    """The page's text outside scripts and styles, pieces joined by spaces (labels meet their values)."""
    nodes = root.xpath("//body//text()[not(parent::script)][not(parent::style)]") or root.xpath(
        "//text()[not(parent::script)][not(parent::style)]")
    return " ".join(nodes)


def _walk(el, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):  # comments and processing instructions: only their tails are text
            out.append(child.tail or "")
            continue
        tag = tag.lower()
        if tag in _SKIP:
            out.append(child.tail or "")
            continue
        block = tag in _BLOCK
        out.append("\n" if block else "")
        out.append(child.text or "")
        _walk(child, out)
        out.append("\n" if block else (" " if tag in ("td", "th") else ""))
        out.append(child.tail or "")


def lines_of(pieces: list[str]) -> str:
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def block_text(el) -> str:
    """An element's text with a line per paragraph/block and whitespace normalised."""
    out = [el.text or ""]
    _walk(el, out)
    return lines_of(out)


def _hanweb_body(root) -> str | None:
    """Text between Hanweb's <!--ZJEG_RSS.content.begin--> and …end--> comments."""
    begin = root.xpath("//comment()[contains(., 'ZJEG_RSS.content.begin')]")
    if not begin:
        return None
    out = [begin[0].tail or ""]
    for node in begin[0].itersiblings():
        if not isinstance(node.tag, str) and "ZJEG_RSS.content.end" in (node.text or ""):
            break
        if isinstance(node.tag, str) and node.tag.lower() not in _SKIP:
            block = node.tag.lower() in _BLOCK
            out += ["\n" if block else "", node.text or ""]
            _walk(node, out)
            out.append("\n" if block else "")
        out.append(node.tail or "")
    return lines_of(out)


def _densest(root, chrome: set):
    """The element holding most paragraph text outside links: the body of an unknown template."""
    score: dict = {}
    for p in root.xpath("//body//p|//body//div[not(*) or text()[normalize-space()]]"):
        if p in chrome or any(anc in chrome for anc in p.iterancestors()):
            continue
        own = len("".join(p.itertext())) - sum(len("".join(a.itertext())) for a in p.iter("a"))
        if own <= 0:
            continue
        parent = p.getparent() if p.tag == "p" else p
        if parent is None:
            continue
        score[parent] = score.get(parent, 0) + own
        grand = parent.getparent()
        if grand is not None:
            score[grand] = score.get(grand, 0) + own / 2
    if not score:
        return None
    best = max(score, key=score.get)
    return best if score[best] >= 20 else None


def main_text(root, chrome: set | None = None) -> str:
    """The body only: the platform's content container, else the densest text block; '' if none."""
    hanweb = _hanweb_body(root)
    if hanweb:
        return hanweb
    for xpath in _BODY_XPATHS:
        found = root.xpath(xpath)
        # An empty container means the body is elsewhere (or written by script): keep looking.
        text = block_text(found[0]) if found else ""
        if text:
            return text
    best = _densest(root, set(chrome_elements(root)) if chrome is None else chrome)
    return block_text(best) if best is not None else ""


def clean_title(raw: str, site_name: str | None, column: str | None) -> str | None:
    """`<title>` without its ` - 站点名` / `_栏目_站点` parts."""
    parts = [p for p in (x.strip() for x in _TITLE_SPLIT.split(squash(raw))) if p]
    drop = {site_name, column} - {None, ""}
    kept = [p for p in parts if p not in drop and not (site_name and p in site_name)]
    if len(kept) > 1:
        kept = [p for p in kept if not _SITE_LIKE.search(p)] or kept
    return kept[0] if kept else None


def read_title(root, meta_lower: dict[str, str]) -> str | None:
    title = squash(meta_lower.get("articletitle"))
    if title:
        return title
    for xpath in ("//ucaptitle", "//title"):
        found = root.xpath(xpath)
        if found:
            text = squash("".join(found[0].itertext()))
            if xpath == "//title":
                text = clean_title(text, meta_lower.get("sitename"), meta_lower.get("columnname")) or ""
            if text:
                return text
    for h1 in root.iter("h1"):
        text = squash("".join(h1.itertext()))
        if len(text) >= 4:
            return text
    return None


def read_footer(root, text: str, meta_lower: dict[str, str], base: str) -> dict[str, str | None]:
    codes = _SITE_CODE.findall(text)
    icp = _ICP.findall(text)
    police = _POLICE.findall(text)
    conac = root.xpath("//a[contains(@href,'conac') or ancestor::*[@id='_ideConac']"
                       " or .//img[contains(@alt,'党政机关') or @id='imgConac']]/@href")
    conac_url = next((u for u in (absolute(h, base) for h in conac) if u), None)
    return {
        "site_code": codes[-1] if codes else None,
        "site_code_meta": meta_lower.get("siteidcode") or None,
        "icp": re.sub(r"\s+", "", icp[-1]) if icp else None,
        "police_record": " ".join(police[-1].split()) if police else None,
        "conac": conac_url,
    }


def _leading_text(el, limit: int) -> str:
    """The first `limit` characters of an element's text, without joining a whole page's worth of it."""
    text = ""
    for piece in el.itertext():
        text += piece
        if len(text) >= limit:
            break
    return text[:limit]


def _label_before(a) -> str:
    prev = a.getprevious()
    before = (prev.tail if prev is not None else a.getparent().text) or ""
    if not before.strip() and prev is not None and isinstance(prev.tag, str):
        before = "".join(prev.itertext())[-40:]
    node = a
    for _ in range(3):  # <h3>相关解读</h3><ul><li><a>…: the label heads the list
        node = node.getparent()
        if node is None:
            break
        if node.tag in ("ul", "ol", "table", "div", "dl"):
            head = node.getprevious()
            if head is not None and isinstance(head.tag, str):
                before += " " + _leading_text(head, 30)
            break
    return before[-40:]


def read_related(root, base: str, chrome: list | None = None) -> list[ListEntry]:
    found: dict[str, ListEntry] = {}
    for block in root.xpath("//div[contains(@class,'article-reldocuments')]"):
        for entry in read_entries(block, base, skip_chrome=False, need_date=False):
            found.setdefault(entry.url, entry)
    whole_text = root.xpath("string()")
    if not any(w in whole_text for w in _RELATED_WORDS):
        return list(found.values())  # no label anywhere: no anchor can be one of these links
    menus: set = set()
    # Breadcrumbs name the column (…> 政策解读): their links are the site's chain, not a related document.
    for el in [*(chrome_elements(root) if chrome is None else chrome), *_crumb_candidates(root)]:
        menus.update(el.iter("a"))
    for a in root.iter("a"):
        if a in menus or a.getparent() is None or not a.get("href"):
            continue
        text = anchor_text(a)
        if not any(w in text for w in _RELATED_WORDS) and not any(w in _label_before(a) for w in _RELATED_WORDS):
            continue
        url = absolute(a.get("href"), base)
        if url and url != base and text:
            found.setdefault(url, ListEntry(title=text, url=url))
    return list(found.values())


def _crumb_tokens(el) -> list[str]:
    """Breadcrumb names in order: each link's text, and plain text split on > › » / separators."""
    tokens: list[str] = []

    def split(piece: str | None) -> None:
        if piece and "位置" in piece:
            piece = re.split(r"位置\s*[:：]?", piece, maxsplit=1)[-1]
        tokens.extend(_CRUMB_SEP.split(piece or ""))

    def walk(node) -> None:
        for child in node:
            if child.tag == "a":
                tokens.append(anchor_text(child))
            elif isinstance(child.tag, str) and child.tag not in ("script", "style"):
                split(child.text)
                walk(child)
            split(child.tail)

    split(el.text)
    walk(el)
    return [t for t in (squash(t).strip(" :：") for t in tokens) if t and t not in _HOME]


def _crumb_candidates(root):
    for el in root.iter(etree.Element):
        attrib = el.attrib
        if not attrib:
            continue
        cls, ident, label = attrib.get("class"), attrib.get("id"), attrib.get("aria-label")
        if ((cls and _CRUMB_NAMES.search(cls)) or (ident and _CRUMB_NAMES.search(ident))
                or (label and ("位置" in label or "路径" in label))):
            yield el


def read_column_chain(root) -> list[str]:
    hidden = root.xpath("//*[@id='hiddenLocation']//*[starts-with(@id,'col') and contains(@id,'_name')]")
    if hidden:
        named = [(int(m.group(1)), squash("".join(el.itertext())))
                 for el in hidden if (m := re.match(r"col(\d+)_name$", el.get("id", "")))]
        return [name for _, name in sorted(named, reverse=True) if name]
    chain = _crumb_from(_crumb_candidates(root))
    if chain:
        return chain
    return _crumb_from(t.getparent() for t in root.xpath("//body//text()[contains(., '位置')]"))


def _crumb_from(candidates) -> list[str]:
    for el in candidates:
        if el is None:
            continue
        for _ in range(3):
            text = squash("".join(el.itertext()))
            anchors = sum(1 for _ in el.iter("a"))
            if anchors >= 2 or (anchors and ("位置" in text or _CRUMB_SEP.search(text))):
                break
            el = el.getparent()
            if el is None:
                break
        if el is None or len(text) > 300 or not anchors:
            continue
        tokens = _crumb_tokens(el)
        if tokens:
            return tokens
    return []


def document_date(text: str, body: str) -> str | None:
    m = _DOCUMENT.search(text)
    if m:
        return parse_date(m.group(1))
    for line in body.split("\n")[-5:][::-1]:  # 成文日期 closes a document, alone on its line
        m = _SIGNED.match(line.strip())
        if m:
            return parse_date(m.group(1))
    return None


def read_labels(page: Page) -> tuple[dict[str, str], dict[str, str | None]]:
    """The meta tags and footer identifiers of any page (list pages are judged on them too)."""
    root = page.selector.root
    if not isinstance(root, etree._Element):
        return {}, {}
    meta = read_meta(root)
    lower: dict[str, str] = {}
    for name, value in meta.items():
        lower.setdefault(name.lower(), value)
    return meta, read_footer(root, visible_text(root), lower, page.url)


def parse_article(page: Page) -> Article:
    """Read one article page; fields the page does not show stay None/empty."""
    article = Article(url_date=date_from_url(page.url))
    root = page.selector.root
    if not isinstance(root, etree._Element):
        return article
    article.meta = read_meta(root)
    lower: dict[str, str] = {}
    for name, value in article.meta.items():
        lower.setdefault(name.lower(), value)
    text = visible_text(root)
    article.title = read_title(root, lower)
    meta_date = parse_date(lower.get("pubdate"))
    if meta_date:
        article.published, article.published_source = meta_date, "meta"
    else:
        shown = next((d for m in _PUBLISHED.finditer(text) if (d := parse_date(m.group(1)))), None)
        if shown:
            article.published, article.published_source = shown, "text"
    chrome = chrome_elements(root)
    article.main_text = main_text(root, set(chrome))
    article.document_date = document_date(text, article.main_text)
    article.footer = read_footer(root, text, lower, page.url)
    article.attachments = read_attachments(root, page.url, page.text)
    article.related = read_related(root, page.url, chrome)
    article.column_chain = read_column_chain(root)
    return article
