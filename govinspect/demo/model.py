"""Data model of the sample site: resources, the column/item oracle, planted findings, manifest."""

from __future__ import annotations

import datetime
import json
import math
from pathlib import Path
from dataclasses import asdict, dataclass, field
from html import escape


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds the server waits before answering (the planted slow page)


@dataclass
class ItemSpec:
    title: str
    url: str
    date: str | None


@dataclass
class ColumnSpec:
    name: str
    url: str
    category: str
    platform: str  # 'hanweb' | 'trs' | 'ucap' | 'generic'
    encoding: str
    items: list[ItemSpec] = field(default_factory=list)


@dataclass
class Doc:
    """One article while the site is planned; rendered by the column's platform module."""

    title: str
    day: datetime.date | None          # the date the list shows (None: the list shows none)
    pub: str | None                    # PubDate "YYYY-MM-DD HH:MM"; None: the page shows no date at all
    path: str
    url: str
    paras: list[str] = field(default_factory=list)    # body paragraphs (HTML allowed)
    body_html: str = ""                # extra body HTML after the paragraphs (tables, planted links)
    attachments: list[tuple[str, str]] = field(default_factory=list)   # (href as written, name)
    script_attachments: bool = False   # TRS: attachment list only inside `var hasFJ='…'`
    doc_no: str = ""                   # 文件编号
    written: datetime.date | None = None   # 成文/生成日期 for the 信息公开 table
    related: list[tuple[str, str, str]] = field(default_factory=list)  # (url, title, date) 关联稿件
    drop_meta: tuple[str, ...] = ()
    delay: float = 0.0
    extra: dict = field(default_factory=dict)  # platform specifics (message state, hex id, …)


@dataclass
class Col:
    key: str
    name: str
    category: str
    platform: str
    path: str                          # list page path
    encoding: str = "utf-8"
    colid: int = 0                     # Hanweb column id
    unitid: int = 0                    # Hanweb unit id
    per_page: int = 15
    pager: str = "create"              # TRS: 'create' (createPageHTML) or 'count' (var countPage)
    dated: bool = True                 # False: the list shows no dates
    docs: list[Doc] = field(default_factory=list)


@dataclass
class Site:
    as_of: datetime.date
    base_url: str
    resources: dict[str, Resource]
    columns: list[ColumnSpec]
    defects: list[dict]
    near_misses: list[dict]
    soft404_prefix: str = "/zwgk/"
    behaviours: dict[str, str] = field(default_factory=dict)
    external_links: list[str] = field(default_factory=list)
    sensitive_words: list[str] = field(default_factory=list)
    hanweb_records: dict[int, list[str]] = field(default_factory=dict)
    soft404_body: bytes = b""
    notfound_body: bytes = b""

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def dataproxy(self, columnid: int, start: int, end: int, perpage: int = 15) -> bytes:
        """Hanweb's dataproxy.jsp answer for records start..end (1-based, inclusive)."""
        records = self.hanweb_records.get(int(columnid), [])
        total = len(records)
        start, end = max(1, int(start)), min(total, int(end))
        body = "".join(f"<record><![CDATA[{r}]]></record>" for r in records[start - 1:end])
        pages = math.ceil(total / max(1, int(perpage)))
        return (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{total}</totalrecord>'
                f"<totalpage>{pages}</totalpage><recordset>{body}</recordset></datastore>").encode()

    def lookup(self, target: str) -> Resource:
        """What the server answers for a GET of `target` (path with optional query string)."""
        path, _, query = target.partition("?")
        res = self.resources.get(target)
        if res is None and query:  # clients that canonicalise URLs sort the query arguments
            for key in (path + "?" + "&".join(sorted(query.split("&"))), path):
                res = self.resources.get(key)
                if res is not None:
                    break
        if res is None:
            res = self.resources.get(path)
        if res is not None:
            return res
        if path.startswith(self.soft404_prefix):  # the old CMS answers 200 with its error page
            return Resource(self.soft404_body, "text/html; charset=GBK")
        return Resource(self.notfound_body, "text/html; charset=utf-8", status=404)

    def manifest(self) -> dict:
        return {
            "schema": "govinspect.demo-manifest/1",
            "site": {"name": "青山县审计局", "base_url": self.base_url, "as_of": self.as_of.isoformat(),
                     "homepage": self.base_url, "catalogue": self.url("/xxgk/index.html"),
                     "pages": sum(1 for r in self.resources.values()
                                 if r.status == 200 and r.content_type.startswith("text/html"))},
            "columns": [asdict(c) for c in self.columns],
            "defects": self.defects,
            "near_misses": self.near_misses,
            "behaviours": self.behaviours,
            "external_links": self.external_links,
            "sensitive_words": self.sensitive_words,
        }


def write_manifest(site: Site, path: str | Path) -> Path:
    """Write the oracle next to the demo's reports (UTF-8 JSON, Chinese kept readable)."""
    path = Path(path)
    path.write_text(json.dumps(site.manifest(), ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def esc(text: str) -> str:
    return escape(text, quote=True)
