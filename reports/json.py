"""The JSON export of a run, exactly as interface.md fixes it (`govinspect.report/1`)."""

from __future__ import annotations

import json
from pathlib import Path

from checks import summary
from checks.textutil import mask_numbers
from govinspect.store import Store
from reports.clock import iso, site_zone

SCHEMA = "govinspect.report/1"


def build_report(store: Store, run_id: int | None = None, *, status: str | None = None) -> dict:
    run = store.report_run(run_id)
    if run is None:
        raise LookupError(f"{store.path}: no run {run_id}" if run_id else f"{store.path}: no run yet")
    seen = _seen_by(store, run["id"])
    health, reasons = store.health(run["id"])
    results = store.check_results(run["id"])
    findings = [f for f in store.findings(run["site_id"], status=status) if f["id"] in seen]
    runs_by_id = {r["id"]: r for r in store.runs(run["site_id"])}
    zone = site_zone(run)  # every time in the site's zone, its offset written: 2026-11-22T02:00:03+08:00
    return {
        "schema": SCHEMA,
        "site": {"name": run["site_name"], "base_url": run["base_url"]},
        "run": {
            "id": run["id"], "mode": run["mode"], "status": run["status"],
            "started_at": iso(run["started_at"], zone), "finished_at": iso(run["finished_at"], zone),
            "as_of": run["as_of"],
            "requests": run["requests"], "pages": run["pages"],
            "health": health, "health_reasons": reasons,
            "checks_failed": [{"check": r["check_id"], "error": r["error"]} for r in results if r["status"] == "failed"],
            "checks": [{"check": r["check_id"], "status": r["status"], "error": r["error"], "seconds": r["seconds"],
                        "findings": r["findings"]} for r in results],
        },
        "summary": {
            "by_check": summary.by_check(store, run["id"]),
            "veto": summary.veto(store, run["id"]),
        },
        "findings": [_finding(f, runs_by_id, zone) for f in findings],
    }


def _seen_by(store: Store, run_id: int) -> set[str]:
    """A run's report lists what that run saw, plus what it closed (fixed) so the list shows the progress."""
    return {row[0] for row in store.db.execute(
        "select finding_id from finding_runs where run_id = ? union select id from findings where fixed_run = ?",
        [run_id, run_id])}


def _finding(finding: dict, runs_by_id: dict, zone) -> dict:
    def started(run_id):
        run = runs_by_id.get(run_id)
        return iso(run["started_at"], zone) if run else None

    # Personal numbers masked again, whatever a check let through: URLs stay as they are, to stay usable.
    return {
        "id": finding["id"], "check": finding["check_id"], "title": finding["title"],
        "severity": finding["severity"], "status": finding["status"], "url": finding["subject"],
        "pages": finding["pages"], "column": finding["column_name"], "message": _masked(finding["message"]),
        "evidence": _masked(finding["evidence"]), "first_seen": started(finding["first_seen_run"]),
        "last_seen": started(finding["last_seen_run"]),
    }


def _masked(value):
    """Strings (not URLs) with every ID-, card- or mobile-shaped number masked, through lists and dicts."""
    if isinstance(value, str):
        return value if value.startswith(("http://", "https://")) else mask_numbers(value)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    return value


def write_report(report: dict, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:  # streamed: no second copy of a large report as one string
        json.dump(report, out, ensure_ascii=False, indent=2)
        out.write("\n")
    return path
