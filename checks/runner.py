"""One check pass: every enabled check over one stored run, read-only, then the findings recorded with their history."""

from __future__ import annotations

import logging

from checks.api import SEVERITIES, Check, CrawlView, Finding
from checks.registry import Registry, load_registry
from govinspect.config import SiteConfig
from govinspect.findings import PassResult, Sighting, record_pass
from govinspect.progress import progress
from govinspect.store import Store

log = logging.getLogger("govinspect.checks")


def _sighting(check: Check, finding: Finding) -> Sighting:
    if not isinstance(finding, Finding) or not isinstance(finding.subject, str) or not finding.subject:
        raise TypeError(f"yielded {finding!r}, not a Finding with a subject URL")
    severity = finding.severity or check.severity
    if severity not in SEVERITIES:
        raise TypeError(f"finding severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    return Sighting(check.id, check.title, finding.subject, severity, finding.message, dict(finding.evidence),
                    list(finding.pages), finding.column)


def run_checks(store: Store, run_id: int, config: SiteConfig | None, *, as_of: str | None = None,
               registry: Registry | None = None) -> PassResult:
    """Run the checks `config` enables over run `run_id` and record the pass; a check that raises is logged, skipped."""
    configured = (registry or load_registry()).configure(config)
    view = CrawlView(store, run_id, as_of=as_of)
    sightings: list[Sighting] = []
    ran: list[str] = []
    failed: list[str] = []
    # Checks judge, they never write: the connection refuses writes while they run.
    store.db.execute("PRAGMA query_only = ON")
    try:
        with progress("checks", len(configured), unit="checks") as advance:
            for check, options in configured:
                advance(1)
                try:
                    found = [_sighting(check, finding) for finding in check.run(view, options) or ()]
                except Exception as error:  # a plug-in may fail in any way; the other checks still run
                    log.error("check %s failed: %s: %s", check.id, type(error).__name__, error)
                    log.debug("check %s failed", check.id, exc_info=True)
                    failed.append(check.id)
                    continue
                sightings += found
                ran.append(check.id)
    finally:
        store.db.execute("PRAGMA query_only = OFF")
    result = record_pass(store, run_id, sightings, ran, as_of=view.as_of.isoformat())
    result.failed = failed
    return result
