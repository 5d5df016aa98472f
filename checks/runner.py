"""One check pass: every enabled check over one stored run, read-only, then the findings recorded with their history."""

from __future__ import annotations

import logging
import time

from checks.api import SEVERITIES, Check, CheckSkipped, CrawlView, Finding
from checks.registry import Registry, load_registry
from govinspect.config import SiteConfig
from govinspect.findings import PassResult, Sighting, record_pass
from govinspect.health import with_check_results
from govinspect.progress import progress
from govinspect.store import Store

log = logging.getLogger("govinspect.checks")
FAILED_RUN = "本次运行未能打开网站，未检查"


def _sighting(check: Check, finding: Finding) -> Sighting:
    if not isinstance(finding, Finding) or not isinstance(finding.subject, str) or not finding.subject:
        raise TypeError(f"yielded {finding!r}, not a Finding with a subject URL")
    severity = finding.severity or check.severity
    if severity not in SEVERITIES:
        raise TypeError(f"finding severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    return Sighting(check.id, check.title, finding.subject, severity, finding.message, dict(finding.evidence),
                    list(finding.pages), finding.column)


def _run_one(check: Check, options: dict, view: CrawlView) -> tuple[dict, list[Sighting]]:
    """One check's result {check_id, status, error, seconds, findings} and its sightings."""
    started = time.monotonic()
    view.current_check = check.id
    result = {"check_id": check.id, "status": "ok", "error": None}
    found: list[Sighting] = []
    try:
        found = [_sighting(check, finding) for finding in check.run(view, options) or ()]
    except CheckSkipped as skipped:
        result.update(status="skipped", error=str(skipped))
    except Exception as error:  # a plug-in may fail in any way; the other checks still run
        log.error("check %s failed: %s: %s", check.id, type(error).__name__, error)
        log.debug("check %s failed", check.id, exc_info=True)
        result.update(status="failed", error=f"{type(error).__name__}: {error}"[:500])
        found = []
    else:
        limits = view.limitations.get(check.id)
        if limits:
            result.update(status="partial", error="；".join(limits))
    view.current_check = None
    result.update(seconds=round(time.monotonic() - started, 3), findings=len(found))
    return result, found


def run_checks(store: Store, run_id: int, config: SiteConfig | None, *, as_of: str | None = None,
               registry: Registry | None = None) -> PassResult:
    """Run the checks `config` enables over run `run_id`, record each check's result and the pass.

    A check that raises or is skipped changes none of its findings; one that judged only part of the run
    (`partial`) may open findings but closes none; over a failed run only the outage checks run.
    """
    configured = (registry or load_registry()).configure(config)
    view = CrawlView(store, run_id, as_of=as_of)
    failed_run = view.health == "failed"
    sightings: list[Sighting] = []
    results: list[dict] = []
    # Checks judge, they never write: the connection refuses writes while they run.
    store.db.execute("PRAGMA query_only = ON")
    try:
        with progress("checks", len(configured), unit="checks") as advance:
            for check, options in configured:
                advance(1)
                if failed_run and not check.judges_failed_runs:
                    results.append({"check_id": check.id, "status": "skipped", "error": FAILED_RUN,
                                    "seconds": 0.0, "findings": 0})
                    continue
                result, found = _run_one(check, options, view)
                results.append(result)
                sightings += found
    finally:
        store.db.execute("PRAGMA query_only = OFF")
    # A check that folded a template defect into one finding no longer names the pages it sits on: their
    # own findings are not fixed by that (checks/template.py), so such a check closes none this pass.
    folded = {s.check_id for s in sightings if s.evidence.get("template")}
    judged = [r["check_id"] for r in results if r["status"] == "ok" and r["check_id"] not in folded]
    opened = [r["check_id"] for r in results if r["status"] == "partial" or r["check_id"] in folded]
    store.record_check_results(run_id, results)
    unfinished = [r["check_id"] for r in results if r["status"] in ("failed", "skipped")]
    cross = [check.id for check, _ in configured if check.cross_page]
    result = record_pass(store, run_id, sightings, judged, partial_checks=opened, unfinished_checks=unfinished,
                         cross_page_checks=cross, as_of=view.as_of.isoformat())
    result.failed = [r["check_id"] for r in results if r["status"] == "failed"]
    result.results = results
    store.set_health(run_id, *with_check_results(*store.health(run_id), results))
    return result
