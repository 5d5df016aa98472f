"""The records the spider hands to the store pipeline: a fetched page, a column, a column's list entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
