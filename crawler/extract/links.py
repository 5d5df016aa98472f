"""Every outgoing reference of a page, made absolute, tagged, and marked when CSS hides it; its attachments."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urldefrag, urljoin, urlsplit

from lxml import etree
from parsel import Selector

from crawler.items import Attachment, Link, Page

ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".zip", ".rar", ".ofd", ".txt")

_SKIPPED_SCHEMES = ("javascript:", "vbscript:", "mailto:", "tel:", "sms:", "data:", "about:", "#")
_TEMPLATE_MARKS = ("{{", "}}", "${", "<%", "%>", "{#", "#{", "[[", "{$")
# Front-end frameworks (Avalon, Vue, art-template) leave loop variables in hrefs: `el.url`.
_BINDING = re.compile(r"^(?:el|item|items|row|data|doc|info|obj|vo|v|o|x|e|d|record|list|news|this|entry|"
                      r"\$el|\$item|scope)\.[A-Za-z_$][\w$.]*$")
_FILE_EXTENSIONS = {"html", "htm", "shtml", "xhtml", "jsp", "php", "asp", "aspx", "do", "action", "pdf", "doc",
                    "docx", "xls", "xlsx", "wps", "et", "zip", "rar", "ofd", "txt", "jpg", "jpeg", "png", "gif",
                    "bmp", "svg", "webp", "mp4", "mp3", "js", "css", "xml", "json"}
_HANWEB_DOWNLOAD = re.compile(r"/downfile\.jsp\b|/download\.jsp\b", re.I)
_MAYBE_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|et|zip|rar|ofd|txt)(?:$|[?#&])|down(?:file|load)\.jsp", re.I)

_SCRIPT_FJ = re.compile(r"""hasFJ\s*=\s*(['"])(.*?)(?<!\\)\1""", re.S)
_SCRIPT_HREF = re.compile(r"""href\s*=\s*\\?["']([^"'\\<>]+)\\?["'][^>]*>([^<]*)<""")
_SCRIPT_P0 = re.compile(r"""(?<![\w/.])((?:\.{1,2}/)?(?:[\w-]+/)*P0\d+\.(?:pdf|docx?|xlsx?|wps|et|zip|rar|ofd|txt))""",
                        re.I)

_TAGS = {"a": "href", "area": "href", "img": "src", "iframe": "src", "script": "src", "link": "href",
         "source": "src"}

_HIDING_STYLE = re.compile(
    r"display:none|visibility:hidden|font-size:0(?:px|pt|em|rem|%)?(?:!important)?(?:;|$)|opacity:0(?:;|$)"
    r"|text-indent:-(?:\d{4,}|[5-9]\d\d)"
    r"|(?:^|;)(?:left|top|right|bottom|margin-left|margin-top):-(?:\d{4,}|[5-9]\d\d)"
)
_ZERO_BOX = re.compile(r"(?:^|;)(?:width|height|max-width|max-height):0(?:px)?(?:!important)?(?:;|$)")
_BRACE = re.compile(r"[{}]")
_SIMPLE_SELECTOR = re.compile(r"^[a-z0-9]*([.#])([\w-]+)$", re.I)


def is_binding(href: str) -> bool:
    """True for hrefs that are template placeholders rather than addresses (`list.html` is an address)."""
    if any(mark in href for mark in _TEMPLATE_MARKS):
        return True
    return bool(_BINDING.match(href)) and href.rsplit(".", 1)[-1].lower() not in _FILE_EXTENSIONS


def absolute(href: str | None, base: str) -> str | None:
    """`href` made absolute against `base` without its fragment; None for non-addresses."""
    if not href:
        return None
    href = href.strip()
    # Key the cache on what the result depends on, so a site's shared menu links hit it across pages.
    if href.startswith(("http://", "https://")):
        return _absolute(href, "")
    if href.startswith("/") and not href.startswith("//"):
        cut = base.find("/", base.find("//") + 2)
        return _absolute(href, base if cut < 0 else base[:cut])
    return _absolute(href, base)


# Menus and footers repeat the same hrefs on every page of a site: joining them once pays.
@lru_cache(maxsize=65536)
def _absolute(href: str, base: str) -> str | None:
    if not href or href.lower().startswith(_SKIPPED_SCHEMES) or is_binding(href):
        return None
    try:
        url = urldefrag(urljoin(base, href))[0]
    except ValueError:
        return None
    return url if url.startswith(("http://", "https://")) else None


def attachment_name(url: str) -> str | None:
    """The file name an attachment URL stands for, or None when it is not an attachment."""
    if not _MAYBE_ATTACHMENT.search(url):
        return None
    parts = urlsplit(url)
    path = parts.path
    if path.lower().endswith(ATTACHMENT_EXTENSIONS):
        return unquote(path.rsplit("/", 1)[-1])
    if _HANWEB_DOWNLOAD.search(path):
        query = parse_qs(parts.query)
        for key in ("showname", "filename", "fileName", "wbfileid"):
            if query.get(key):
                return query[key][0]
    return None


def is_attachment(url: str) -> bool:
    return attachment_name(url) is not None


def _squash(text: str) -> str:
    return " ".join(text.split())


def _style_hides(style: str) -> bool:
    style = style.lower().replace(" ", "").replace("\n", "").replace("\t", "")
    if _HIDING_STYLE.search(style):
        return True
    return "overflow:hidden" in style and bool(_ZERO_BOX.search(style))


def hidden_names(root) -> tuple[frozenset[str], frozenset[str]]:
    """Classes and ids that the page's own `<style>` blocks hide (simple `.cls{}` / `#id{}` rules)."""
    classes: set[str] = set()
    ids: set[str] = set()
    for css in root.xpath("//style/text()"):
        hidden_classes, hidden_ids = _css_hidden(css)
        classes |= hidden_classes
        ids |= hidden_ids
    return frozenset(classes), frozenset(ids)


# A site's pages share their style blocks: read each distinct one once.
@lru_cache(maxsize=256)
def _css_hidden(css: str) -> tuple[frozenset[str], frozenset[str]]:
    classes: set[str] = set()
    ids: set[str] = set()
    for selectors, body in _top_level_rules(css):
        if not _style_hides(body):
            continue
        for sel in selectors.split(","):
            m = _SIMPLE_SELECTOR.match(sel.strip())
            if m:
                (classes if m.group(1) == "." else ids).add(m.group(2))
    return frozenset(classes), frozenset(ids)


def _top_level_rules(css: str):
    """Rules outside @media and friends: a rule that applies only on phones does not hide a link here."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    depth, start, selector = 0, 0, ""
    for m in _BRACE.finditer(css):
        i = m.start()
        if m.group() == "{":
            if depth == 0:
                selector = css[start:i].strip()
                start = i + 1
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                if not selector.startswith("@"):
                    yield selector, css[start:i]
                start = i + 1


class HiddenTest:
    """Answers 'is this element or one of its ancestors hidden?' with a memo per element."""

    def __init__(self, root):
        self.classes, self.ids = hidden_names(root)
        self.memo: dict = {}

    def own(self, el) -> bool:
        attrib = el.attrib
        if "hidden" in attrib:
            return True
        style = attrib.get("style")
        if style and _style_hides(style):
            return True
        if self.ids and attrib.get("id") in self.ids:
            return True
        cls = attrib.get("class")
        return bool(cls and self.classes and not self.classes.isdisjoint(cls.split()))

    def __call__(self, el) -> bool:
        chain = []
        node = el
        result = False
        while node is not None:
            known = self.memo.get(node)
            if known is not None:
                result = known
                break
            chain.append(node)
            if isinstance(node.tag, str) and self.own(node):
                result = True
                break
            node = node.getparent()
        for seen in chain:
            self.memo[seen] = result
        return result


def anchor_text(el) -> str:
    text = _squash("".join(el.itertext()))
    if not text:
        for img in el.iter("img"):
            text = _squash(img.get("alt") or img.get("title") or "")
            if text:
                break
    return text or _squash(el.get("title") or "")


def extract_links(page: Page) -> list[Link]:
    """Every a/img/iframe/script/link/source reference of the page, absolute and de-duplicated by (url, tag)."""
    root = page.selector.root
    if not isinstance(root, etree._Element):
        return []  # a JSON answer has no elements to link from
    hidden = HiddenTest(root)
    found: dict[tuple[str, str], Link] = {}
    for el in root.iter(*_TAGS):
        url = absolute(el.get(_TAGS[el.tag]), page.url)
        if url is None:
            continue
        tag = el.tag if el.tag != "area" else "a"
        if tag == "a":
            anchor = anchor_text(el)
            tag = "attachment" if is_attachment(url) else "a"
        else:
            anchor = _squash(el.get("alt") or el.get("title") or "")
        is_hidden = hidden(el)
        key = (url, tag)
        link = found.get(key)
        if link is None:
            found[key] = Link(url=url, tag=tag, anchor=anchor, hidden=is_hidden)
        else:
            # A target that is also linked visibly is not a hidden link.
            link.hidden = link.hidden and is_hidden
            link.anchor = link.anchor or anchor
    return list(found.values())


def _script_attachments(root, base: str) -> list[tuple[str, str]]:
    """Attachments TRS templates write with document.write: hasFJ strings, hrefs and P0… names in scripts."""
    found: list[tuple[str, str]] = []
    for script in root.xpath("//script[not(@src)]/text()"):
        if "hasFJ" not in script and "P0" not in script:
            continue
        for m in _SCRIPT_FJ.finditer(script):
            if m.group(2).strip():
                for a in Selector(text=m.group(2)).root.iter("a"):
                    if a.get("href"):
                        found.append((a.get("href"), anchor_text(a)))
        for href, label in _SCRIPT_HREF.findall(script):
            found.append((href, _squash(label)))
        for name in _SCRIPT_P0.findall(script):
            found.append((name, ""))
    out = []
    for href, label in found:
        url = absolute(href, base)
        if url and attachment_name(url) is not None:
            out.append((url, label))
    return out


def read_attachments(root, base: str, page_text: str) -> list[Attachment]:
    """Attachment links of a page (by extension, downfile.jsp, download.jsp) and those its scripts write."""
    pairs = []
    for a in root.iter("a"):
        url = absolute(a.get("href"), base)
        if url and attachment_name(url) is not None:
            pairs.append((url, anchor_text(a)))
    if "hasFJ" in page_text or "P0" in page_text:
        pairs += _script_attachments(root, base)
    seen: dict[str, Attachment] = {}
    for url, label in pairs:
        if url not in seen:
            seen[url] = Attachment(url=url, name=label or attachment_name(url) or url)
        elif label and seen[url].name == attachment_name(url):
            seen[url].name = label
    return list(seen.values())
