"""The sample site's truth against a run's findings: which planted defects were found, which near misses fired."""

from __future__ import annotations

from typing import Iterable

from govinspect.store import Store


def score(store: Store, run_id: int, site, check_ids: Iterable[str]) -> dict:
    """For the checks given (those that ran): planted defects found and missed, near misses that fired."""
    ids = set(check_ids)
    fired = {(row["check_id"], row["subject"]) for row in store.db.query(
        "select check_id, subject from findings join finding_runs on finding_runs.finding_id = findings.id "
        "where finding_runs.run_id = ?", [run_id])}
    # A defect that needs more than one audit can give (a week of probes) is counted apart, not as missed.
    defects = [(d["check"], d["url"]) for d in site.defects if d["check"] in ids and not d.get("requires")]
    waiting = [(d["check"], d["requires"]) for d in site.defects if d["check"] in ids and d.get("requires")]
    near = [(n["check"], n["url"]) for n in site.near_misses if n["check"] in ids]
    return {
        "defects": len(defects), "found": sum(1 for d in defects if d in fired), "waiting": waiting,
        "missed": [d for d in defects if d not in fired],
        "near_misses": len(near), "fired": [n for n in near if n in fired],
        "extra": sorted(fired - set(defects) - set(near)),
    }


def score_line(result: dict) -> str:
    line = (f"  planted defects: {result['found']}/{result['defects']} found, "
            f"{len(result['fired'])}/{result['near_misses']} near misses fired")
    if result.get("waiting"):
        line += "; not testable in one audit: " + ", ".join(f"{check} (needs {why})" for check, why in result["waiting"])
    if result["missed"]:
        line += "; missed " + ", ".join(f"{check} {url}" for check, url in result["missed"][:5])
    if result["fired"]:
        line += "; fired " + ", ".join(f"{check} {url}" for check, url in result["fired"][:5])
    # Findings the site did not plant are false positives until shown otherwise: never hidden.
    line += f"; {len(result['extra'])} unexpected findings"
    if result["extra"]:
        line += " (" + ", ".join(f"{check} {url}" for check, url in result["extra"][:5]) + ")"
    return line
