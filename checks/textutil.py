"""What the text checks share: the texts of a crawl (pages' main text, attachments' extracted text), context
snippets a person can find with Ctrl-F, masking of personal numbers, and findings built from matches.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator

from checks.api import CrawlView, Finding

PAGE_KINDS = ("home", "article", "page")
CONTEXT = 20  # characters of context on each side
MAX_EXAMPLES = 20  # occurrences listed in one finding's evidence


def is_han(char: str) -> bool:
    """A Chinese character (CJK unified ideographs and extension A, compatibility ideographs)."""
    return bool(char) and ("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff")


@dataclass
class Text:
    """One text to judge: a page's main text, or an attachment's extracted text seen from the pages linking it."""

    subject: str  # the URL a finding is about
    kind: str  # page kind: home, article, page, attachment
    text: str
    title: str = ""
    pages: list[str] = field(default_factory=list)  # where a person sees it
    column: str | None = None
    row: dict = field(default_factory=dict)  # the stored page

    @property
    def is_attachment(self) -> bool:
        return self.kind == "attachment"

    @cached_property
    def joined(self) -> tuple[str, int]:
        """The title and the text in one string, to scan both at once, and where the text starts in it."""
        if self.title and not self.is_attachment:
            return f"{self.title}\n{self.text}", len(self.title) + 1
        return self.text, 0

    def locate(self, start: int, end: int) -> tuple[str, str, int, int]:
        """(where, part, start, end) of a span of `joined`: in the title or in the text."""
        at = self.joined[1]
        if start < at:
            return "title", self.title, start, end
        return "text", self.text, start - at, end - at


_TEXTS: "weakref.WeakKeyDictionary[CrawlView, list[Text]]" = weakref.WeakKeyDictionary()


def _readable(row: dict) -> bool:
    return not row["error"] and (row["http_status"] or 200) < 400


# The 信息公开 table of an article (索引号, 文件编号, 发布机构, 生成日期 …) describes it; it is not its content.
_META_LABEL = re.compile(r"^\s*(?:索\s*引\s*号|文件编号|文\s*号|发文字号|发布机构|发文机关|生成日期|发布日期|成文日期|主题分类|"
                         r"公开方式|公开时限|公开范围|所属机构|信息来源|有\s*效\s*性|主\s*题\s*词|体裁分类|组配分类|"
                         r"服务对象|信息名称|名\s*称)\s*[:：]?")


def table_text(row: dict) -> str:
    """The cells of a page's stored tables (`pages.tables`), a row a line, the 信息公开 table left out: the text
    of a page whose main text is only a table (a message board's record: 留言人, 留言内容, 回复内容)."""
    from crawler.extract.tables import tables_of

    lines = []
    for grid in tables_of(row.get("tables")):
        cells = [cell for line in grid for cell in line if cell and cell.strip()]
        if not cells or sum(bool(_META_LABEL.match(cell)) for cell in cells) * 2 >= len(cells):
            continue
        lines += ["\t".join(dict.fromkeys(cell for cell in line if cell)) for line in grid]
    return "\n".join(line for line in lines if line)


def crawl_texts(crawl: CrawlView) -> list[Text]:
    """Every readable page of the crawl with its main text (empty ones too), then every attachment with text.

    Read once per check pass: the text checks share it.
    """
    known = _TEXTS.get(crawl)
    if known is not None:
        return known
    texts, columns = [], {}
    for row in crawl.pages(*PAGE_KINDS):
        if not _readable(row):
            continue
        column = crawl.column(row["column_id"]) if row["column_id"] else None
        name = column["name"] if column else None
        columns[row["url"]] = name
        text = row["text"] or ""
        if not text.strip() and row.get("tables"):
            text = table_text(row)
        texts.append(Text(row["url"], row["kind"], text, row["title"] or "", [row["url"]], name, row))
    for row in crawl.pages("attachment"):
        if not _readable(row) or not (row["text"] or "").strip():
            continue
        links = crawl.links_to(row["url"])
        linking = list(dict.fromkeys(link["source_url"] for link in links))
        column = next((columns[url] for url in linking if columns.get(url)), None)
        # An attachment's title is the text of the link to it (名单.xlsx): shown in messages, never scanned.
        name = next((link["anchor"].strip() for link in links if (link["anchor"] or "").strip()), row["title"] or "")
        texts.append(Text(row["url"], "attachment", row["text"], name, linking or [row["url"]], column, row))
    _TEXTS[crawl] = texts
    return texts


def nonempty(crawl: CrawlView) -> Iterator[Text]:
    return (text for text in crawl_texts(crawl) if text.text.strip() or text.title)


# context -----------------------------------------------------------------------------------------------------


def context(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    """About `width` characters each side of text[start:end], within its line, personal numbers masked.

    A number is never cut at the edge (a cut ID number would escape masking).
    """
    bound = max(0, start - width)
    newline = text.rfind("\n", bound, start)
    left = newline + 1 if newline >= 0 else bound
    bound = min(len(text), end + width)
    newline = text.find("\n", end, bound)
    right = newline if newline >= 0 else bound
    while 0 < left < start and _in_number(text, left - 1) and _in_number(text, left):
        left -= 1
    while end < right < len(text) and _in_number(text, right - 1) and _in_number(text, right):
        right += 1
    return mask_numbers(text[left:right]).strip()


def _in_number(text: str, i: int) -> bool:
    """text[i] is part of a number: a digit, an X (ID check character), or a space or - between digits."""
    char = text[i]
    if "0" <= char <= "9" or char in "Xx":
        return True
    return char in " -" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def occurrence(text: str, start: int, end: int, *, where: str = "text", suggestion: str | None = None,
               shown: str | None = None, **extra: Any) -> dict:
    """One match for a finding's evidence: the exact text, the right form, its context and offset."""
    out = {"text": shown if shown is not None else text[start:end]}
    if suggestion is not None:
        out["suggestion"] = suggestion
    out["context"] = context(text, start, end)
    out["where"] = where
    out["offset"] = start
    out.update(extra)
    return out


def finding(source: Text, message: str, found: list[dict], **evidence: Any) -> Finding:
    """One finding for a text: the first occurrence's text, suggestion and context on top, all of them listed."""
    first = found[0]
    body = {key: first[key] for key in ("text", "suggestion", "context", "where") if key in first}
    body.update(evidence)
    body["count"] = len(found)
    if len(found) > 1:
        body["occurrences"] = found[:MAX_EXAMPLES]
    if source.is_attachment:
        body["attachment"] = True
        page = ocr_page(source.text, first.get("offset"))
        if page is not None:
            body["ocr"] = {"page": page}  # read from a scan: a person finds it on that page, not by Ctrl-F
    return Finding(source.subject, message, body, list(source.pages), source.column)


def ocr_page(text: str, offset: int | None) -> int | None:
    """The scanned page an offset of an attachment's text was read from by OCR, or None."""
    from crawler.extract.ocr import page_of

    return page_of(text, offset) if offset is not None else None


def more(found: list) -> str:
    """「（另有 N 处）」 for a message about several occurrences."""
    return f"（另有 {len(found) - 1} 处）" if len(found) > 1 else ""


def where_name(source: Text, where: str) -> str:
    """正文中, 标题中, 附件「名单.xlsx」中: where the person will find it."""
    if source.is_attachment:
        return f"附件「{source.title}」中" if source.title else "附件中"
    return "标题中" if where == "title" else "正文中"


# personal numbers ---------------------------------------------------------------------------------------------

_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{15}(?:\d{2}[\dXx]|\d{1,4})?(?![0-9A-Za-z])")
_GROUPED_CARD = re.compile(r"(?<!\d)\d{4}(?: \d{4}){3}(?: \d{1,3})?(?!\d)")
# A mobile number, also written 139-0000-1001 or 139 0000 1001.
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d(?:[- ]?\d{4}){2})(?!\d)")


def mask_id(number: str) -> str:
    """110105********002X: the region code and the last four kept."""
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(number: str) -> str:
    """138****1234."""
    digits = re.sub(r"[- ]", "", number)
    return digits[:3] + "****" + digits[7:]


def mask_card(number: str) -> str:
    """6217***********0122: the bank's first four digits and the last four kept."""
    digits = re.sub(r"\s", "", number)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def mask_numbers(text: str) -> str:
    """Every ID-, card- or mobile-shaped number in `text` masked: a report must never re-publish a leak."""
    text = _LONG_NUMBER.sub(lambda m: mask_id(m.group(0)) if len(m.group(0)) in (15, 18) else mask_card(m.group(0)),
                            text)
    text = _GROUPED_CARD.sub(lambda m: mask_card(m.group(0)), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)


# 发文字号 ------------------------------------------------------------------------------------------------------

# The year in brackets, the sequence number and 号; every bracket form, so that the wrong ones can be reported.
# The 机关代字 before it is read backwards by hand: a pattern starting with it would be tried at every character.
_DOC_CORE = re.compile(
    r"(?P<open>[〔\[【(（［﹝〖])\s*(?P<year>(?:19|20)\d{2})\s*(?P<close>[〕\]】)）］﹞〗])\s*(?P<di>第?)\s*"
    r"(?P<seq>\d{1,5})?\s*号(?![召称码令])")
_ORG_CHARS = 10


@dataclass(frozen=True)
class DocNumber:
    """A 发文字号 as written: 机关代字 (org), brackets, year, 第 if any, sequence number."""

    start: int
    end: int
    org: str
    open: str
    year: str
    close: str
    di: str
    seq: str  # "" when the 文号 has none (〔2016〕 号)
    text: str

    def __getitem__(self, name: str) -> str:
        return getattr(self, name)

    def span(self) -> tuple[int, int]:
        return self.start, self.end


def doc_numbers(text: str) -> list[DocNumber]:
    out = []
    if "号" not in text:
        return out
    for m in _DOC_CORE.finditer(text):
        at = m.start()
        if at > 0 and text[at - 1] in " \u3000":
            at -= 1
        org_end, org_start = at, at
        while org_start > 0 and org_end - org_start < _ORG_CHARS and is_han(text[org_start - 1]):
            org_start -= 1
        if org_start == org_end:
            continue  # no 机关代字: a bracketed year, not a 文号
        out.append(DocNumber(org_start, m.end(), text[org_start:org_end], m["open"], m["year"], m["close"],
                             m["di"], m["seq"] or "", text[org_start:m.end()]))
    return out


_LABELLED = re.compile(r"(?:文号|发文字号|文件编号)\s*[:：]\s*$")


def own_doc_numbers(text: str) -> list[DocNumber]:
    """The document's own 文号: alone on its line (at most an issuing body's name before it) or after a 文号：
    label; a 文号 cited inside a sentence (根据…（青政办〔2024〕126号）) belongs to another document."""
    out = []
    for match in doc_numbers(text):
        line_start = text.rfind("\n", 0, match.start) + 1
        line_end = text.find("\n", match.end)
        before = text[line_start:match.start]
        after = text[match.end:line_end if line_end >= 0 else len(text)]
        alone = not after.strip() and (not before.strip() or re.fullmatch(r"[\u4e00-\u9fff]{2,30}[ \u3000]+", before))
        if alone or _LABELLED.search(before):
            out.append(match)
    return out


# plain texts ---------------------------------------------------------------------------------------------------


class PlainTexts:
    """A stand-in for `CrawlView` over plain texts, for tests and benchmarks: each text one article page
    (a dict gives the stored page's fields: url, kind, title, published, document_date …)."""

    def __init__(self, texts, as_of=None, ignored=()):
        from datetime import date

        self.as_of = as_of or date.today()
        self.ignored = list(ignored)  # the site's ignored findings, as `CrawlView.ignored_findings` gives them
        self.limitations: list[str] = []
        self.rows = []
        for i, item in enumerate(texts):
            row = {"url": f"http://plain.invalid/{i}.html", "kind": "article", "title": "", "column_id": None,
                   "error": None, "http_status": 200, "attachments": [], "published": None,
                   "published_source": None, "document_date": None}
            row.update({"text": item} if isinstance(item, str) else item)
            row["text_chars"] = len(row["text"] or "")
            self.rows.append(row)

    def pages(self, *kinds):
        return (row for row in self.rows if not kinds or row["kind"] in kinds)

    def column(self, column_id):
        return None

    def links(self):
        return iter(())

    def links_to(self, url):
        return []

    def limitation(self, reason):
        self.limitations.append(reason)

    def ignored_findings(self, check_id):
        return [row for row in self.ignored if row["check_id"] == check_id]


def run_check(check_id: str, texts, options: dict | None = None, as_of=None) -> list[Finding]:
    """The findings of one registered check over plain texts (its default options updated with `options`)."""
    from checks.registry import load_registry

    cls = load_registry().checks[check_id]
    view = texts if isinstance(texts, PlainTexts) else PlainTexts(texts, as_of)
    return list(cls().run(view, {**cls.options, **(options or {})}))
