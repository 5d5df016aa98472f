"""The JSON export of a run, exactly as interface.md fixes it (`govinspect.report/1`)."""

from __future__ import annotations

import json
from pathlib import Path

from checks import summary
from govinspect.store import Store

SCHEMA = "govinspect.report/1"


def build_report(store: Store, run_id: int | None = None, *, status: str | None = None) -> dict:
    run = store.run(run_id)
    if run is None:
        raise LookupError(f"{store.path}: no run {run_id}" if run_id else f"{store.path}: no run yet")
    findings = [f for f in store.findings(run["site_id"], status=status) if _seen_by(store, f, run["id"])]
    runs_by_id = {r["id"]: r for r in store.runs(run["site_id"])}
    return {
        "schema": SCHEMA,
        "site": {"name": run["site_name"], "base_url": run["base_url"]},
        "run": {
            "id": run["id"], "mode": run["mode"], "status": run["status"],
            "started_at": run["started_at"], "finished_at": run["finished_at"], "as_of": run["as_of"],
            "requests": run["requests"], "pages": run["pages"],
        },
        "summary": {
            "by_check": summary.by_check(store, run["id"]),
            "veto": summary.veto(store, run["id"]),
        },
        "findings": [_finding(f, runs_by_id) for f in findings],
    }


def _seen_by(store: Store, finding: dict, run_id: int) -> bool:
    """A run's report lists what that run saw, plus what it closed (fixed) so the list shows the progress."""
    if finding["fixed_run"] == run_id:
        return True
    return bool(store.db.execute("select 1 from finding_runs where finding_id = ? and run_id = ?",
                                 [finding["id"], run_id]).fetchone())


def _finding(finding: dict, runs_by_id: dict) -> dict:
    def started(run_id):
        run = runs_by_id.get(run_id)
        return run["started_at"] if run else None

    return {
        "id": finding["id"], "check": finding["check_id"], "title": finding["title"],
        "severity": finding["severity"], "status": finding["status"], "url": finding["subject"],
        "pages": finding["pages"], "column": finding["column_name"], "message": finding["message"],
        "evidence": finding["evidence"], "first_seen": started(finding["first_seen_run"]),
        "last_seen": started(finding["last_seen_run"]),
    }


def write_report(report: dict, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
