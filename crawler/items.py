"""What the crawler reads out of pages: plain records shared by adapters, extractors, spider and pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsel import Selector


@dataclass
class Page:
    """A fetched document as the readers see it: its URL, decoded text and one parsed tree."""

    url: str
    text: str
    selector: Selector

    @classmethod
    def from_html(cls, url: str, text: str) -> "Page":
        return cls(url=url, text=text, selector=Selector(text=text or "<html></html>"))


@dataclass
class ListEntry:
    """One item of a column list: its title, absolute URL and date (ISO `YYYY-MM-DD`) if the list shows one."""

    title: str
    url: str
    date: str | None = None


@dataclass
class PageRequest:
    """A further list page to fetch; `formdata` makes it a form POST (Hanweb's dataproxy.jsp)."""

    url: str
    method: str = "GET"
    formdata: dict[str, str] | None = None

    @property
    def key(self) -> str:
        form = "&".join(f"{k}={v}" for k, v in sorted((self.formdata or {}).items()))
        return f"{self.method} {self.url} {form}"


@dataclass
class ListPage:
    """What an adapter reads from one list page: its entries and the further pages it reveals."""

    entries: list[ListEntry] = field(default_factory=list)
    more: list[PageRequest] = field(default_factory=list)
    total: int | None = None


@dataclass
class Attachment:
    url: str
    name: str


@dataclass
class Link:
    """An outgoing reference of a page: `tag` is a, img, iframe, script, link, source or attachment."""

    url: str
    tag: str
    anchor: str = ""
    hidden: bool = False


@dataclass
class Article:
    """What the article reader finds on a page; `published` wins over the list's date, `url_date` loses to both."""

    title: str | None = None
    published: str | None = None
    published_source: str | None = None
    document_date: str | None = None
    url_date: str | None = None
    main_text: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    footer: dict[str, str | None] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    related: list[ListEntry] = field(default_factory=list)
    column_chain: list[str] = field(default_factory=list)
