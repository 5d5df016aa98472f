"""What a check is and sees: the `Check` base class, the `Finding` it yields, `CrawlView` (a stored run, read-only)."""

from __future__ import annotations

import abc
import functools
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, ClassVar, Iterable, Iterator
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from govinspect.health import crawl_health
from govinspect.store import Store

SEVERITIES = ("critical", "major", "minor", "info")


@dataclass
class Finding:
    """One problem: `subject` is the URL it is about (interface.md), `pages` where a person sees it."""

    subject: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)
    column: str | None = None
    severity: str | None = None  # None: the check's default


class CheckSkipped(Exception):
    """Raised by a check that cannot judge this run (a missing optional model, no data): the reason is recorded.

    The run's check results list the check as skipped with this reason, and its earlier findings keep their status.
    """


class Check(abc.ABC):
    """A plug-in that judges one stored crawl. Set the class attributes, implement `run`; never fetch, never write.

    `options` maps each option's name to its default; the site configuration may override them under
    `[checks.options."<id>"]` with values of the same type. A number given there must be greater than 0 (days,
    counts, ratios), unless `option_minimums` names its lowest allowed value. Options named in `path_options`
    hold file paths (a string or a list of them): the registry makes relative ones relative to the configuration
    file's folder.
    """

    id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    indicator: ClassVar[str] = ""
    severity: ClassVar[str] = "major"
    options: ClassVar[dict[str, Any]] = {}
    option_minimums: ClassVar[dict[str, int | float]] = {}
    path_options: ClassVar[tuple[str, ...]] = ()
    # A run that could not open the site saw nothing to judge; only checks of the outage itself run over it.
    judges_failed_runs: ClassVar[bool] = False
    # Its findings rest on all their `pages`, not only the subject (a document and its interpretation): a run
    # that saw part of the site closes one only when it fetched every one of those pages again.
    cross_page: ClassVar[bool] = False

    @abc.abstractmethod
    def run(self, crawl: CrawlView, options: dict[str, Any]) -> Iterable[Finding]:
        """Yield the findings of one stored run."""


@dataclass(frozen=True)
class Site:
    name: str
    base_url: str
    level: str = "department"
    timezone: str = "Asia/Shanghai"
    allowed_domains: tuple[str, ...] = ()


class CrawlView:
    """Everything one run stored, for reading: the site, the date rules' `as_of`, pages, columns, links, verdicts."""

    def __init__(self, store: Store, run_id: int, *, as_of: str | None = None):
        run = store.run(run_id)
        if run is None:
            raise LookupError(f"{store.path}: no run {run_id}")
        self._store = store
        self.run_id = run_id
        self.run = run
        settings = json.loads(run["config"] or "{}").get("site", {})
        base_url = run["base_url"]
        self.site = Site(
            name=run["site_name"], base_url=base_url, level=settings.get("level", "department"),
            timezone=settings.get("timezone", "Asia/Shanghai"),
            allowed_domains=tuple(d.lower() for d in settings.get("allowed_domains") or [urlsplit(base_url).hostname]),
        )
        day = as_of or run["as_of"]
        self.as_of = date.fromisoformat(day) if day else datetime.now(ZoneInfo(self.site.timezone)).date()
        self._columns: list[dict] | None = None
        self.limitations: dict[str, list[str]] = {}
        self.current_check: str | None = None

    def limitation(self, reason: str) -> None:
        """Say that the running check judged only part of what it could (e.g. an optional model is missing).

        The run's check results record the reason beside the check (status `partial`), so no report shows a
        check that did less as if it did everything.
        """
        said = self.limitations.setdefault(self.current_check or "", [])
        if reason not in said:
            said.append(reason)

    @property
    def health(self) -> str:
        """ok, degraded, failed or interrupted: what the crawl could see (govinspect/health.py)."""
        return self._store.health(self.run_id)[0]

    @functools.cached_property
    def sees_whole_site(self) -> bool:
        """Whether the crawl saw all of the site it could reach: only then may a check say something is absent.

        Read once per pass: checks ask it per page pair, and the crawl's health does not change while they run.
        """
        return crawl_health(self._store, self.run_id) == "ok"

    def ignored_findings(self, check_id: str) -> list[dict]:
        """The site's findings of one check that a person triaged as false positives (status `ignored`), each with
        its `evidence` decoded: what a check must not report again."""
        rows = self._store.db.query("select * from findings where site_id = ? and check_id = ? and status = 'ignored'",
                                    [self.run["site_id"], check_id])
        return [dict(row, evidence=json.loads(row["evidence"] or "{}")) for row in rows]

    # pages -------------------------------------------------------------------

    @property
    def homepage(self) -> dict | None:
        return next(self._store.pages(self.run_id, "home"), None)

    def page(self, url: str) -> dict | None:
        return self._store.page(self.run_id, url)

    def pages(self, *kinds: str) -> Iterator[dict]:
        """Stored pages (all, or of the given kinds: home, column, list, article, page, attachment), text decoded."""
        if not kinds:
            yield from self._store.pages(self.run_id)
        for kind in kinds:
            yield from self._store.pages(self.run_id, kind)

    # columns -----------------------------------------------------------------

    def columns(self) -> list[dict]:
        """Every column of the run, its `items` the list of its list entries (title, url, date, position)."""
        if self._columns is None:
            self._columns = [dict(column, items=self._store.column_items(column["id"]))
                             for column in self._store.columns(self.run_id)]
        return self._columns

    def column(self, column_id: int | None) -> dict | None:
        return next((c for c in self.columns() if c["id"] == column_id), None)

    # links and verdicts ------------------------------------------------------

    def links(self) -> Iterator[dict]:
        return self._store.links(self.run_id)

    def links_to(self, url: str) -> list[dict]:
        return list(self._store.db.query("select * from links where run_id = ? and target_url = ? order by id",
                                         [self.run_id, url]))

    def links_from(self, url: str) -> list[dict]:
        return list(self._store.db.query("select * from links where run_id = ? and source_url = ? order by id",
                                         [self.run_id, url]))

    def link_targets(self) -> list[str]:
        """Every distinct URL some stored page links to."""
        return [row[0] for row in self._store.db.execute(
            "select distinct target_url from links where run_id = ? order by target_url", [self.run_id])]

    def targets(self, *verdicts: str) -> list[dict]:
        """Link targets with their verdict (ok, redirected, broken, soft-404, blocked, skipped, skipped-private)."""
        sql, params = "select * from targets where run_id = ?", [self.run_id]
        if verdicts:
            sql += f" and verdict in ({', '.join('?' for _ in verdicts)})"
            params += list(verdicts)
        return list(self._store.db.query(sql + " order by url", params))

    def target(self, url: str) -> dict | None:
        return next(self._store.db.query("select * from targets where run_id = ? and url = ?", [self.run_id, url]),
                    None)

    def is_internal(self, url: str) -> bool:
        """On the site itself: the host is one of the allowed domains or below one."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.site.allowed_domains)

    # site facts ----------------------------------------------------------------

    def fact(self, name: str) -> dict | None:
        """A fact the crawl observed about the whole site (crawler/sitefacts.py: https, http_redirect, ipv6),
        or None when this run did not observe it (an older run, an interrupted one)."""
        if not self._store.db["site_facts"].exists():
            return None
        row = next(self._store.db.query("select value from site_facts where run_id = ? and name = ?",
                                        [self.run_id, name]), None)
        return json.loads(row["value"]) if row else None

    # availability probes -----------------------------------------------------

    def probes(self, since: datetime, until: datetime) -> list[dict]:
        """The site's homepage probes (`govinspect probe`) with `since <= at < until`, oldest first.

        Probes belong to the site, not to a run: each has `at` (UTC, ISO), `http_status`, `elapsed` (s),
        `ok`, `error` and `limit_seconds`.
        """
        def utc(moment: datetime) -> str:
            return moment.astimezone(timezone.utc).isoformat(timespec="seconds")

        if not self._store.db["probes"].exists():
            return []
        return list(self._store.db.query(
            "select * from probes where site_id = ? and at >= ? and at < ? order by at, id",
            [self.run["site_id"], utc(since), utc(until)]))
