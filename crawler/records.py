"""The records the spider hands to the store pipeline (pages, columns, list entries, targets) and their rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urldefrag


@dataclass
class PageRecord:
    """One fetched URL (or one that failed): a row of `pages`, its outgoing links and its target verdict."""

    row: dict[str, Any]
    links: list[dict[str, Any]] = field(default_factory=list)
    target: dict[str, Any] | None = None


@dataclass
class ColumnRecord:
    row: dict[str, Any]


@dataclass
class EntriesRecord:
    column_url: str
    entries: list[dict[str, Any]]
    start: int = 0


@dataclass
class TargetRecord:
    """A verdict on a link target that was not fetched as a page (private, off-site, redirect source)."""

    row: dict[str, Any]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def clean_url(url: str) -> str:
    """A URL without its fragment: the page it names, the key pages and link targets are stored under."""
    return urldefrag(url)[0]


def requested_url(response) -> str:
    """The URL that was asked for: pages and link targets are known by it, whatever redirects followed."""
    redirects = response.meta.get("redirect_urls") or []
    return clean_url(redirects[0] if redirects else response.url)


def page_row(response, kind: str, depth: int | None) -> dict[str, Any]:
    headers = response.headers

    def header(name: bytes) -> str | None:
        return (headers.get(name) or b"").decode("latin-1") or None

    return {
        "url": requested_url(response), "kind": kind, "http_status": response.status,
        "content_type": header(b"Content-Type"), "encoding": getattr(response, "encoding", None),
        "size": len(response.body), "etag": header(b"ETag"), "last_modified": header(b"Last-Modified"),
        "elapsed": response.meta.get("download_latency"), "fetched_at": now(), "depth": depth,
    }


def target_row(url: str, verdict: str, reason: str | None = None, response=None) -> dict[str, Any]:
    row = {"url": url, "verdict": verdict, "reason": reason, "checked_at": now()}
    if response is not None:
        final = clean_url(response.url)
        row.update(http_status=response.status, elapsed=response.meta.get("download_latency"),
                   final_url=final if final != url else None)
    return row


def link_row(link) -> dict[str, Any]:
    return {"target_url": link.url, "tag": link.tag, "anchor": link.anchor[:200], "hidden": int(link.hidden)}
