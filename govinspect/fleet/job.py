"""One site's job: the unchanged `govinspect audit` as a child process writing the site's shard, and its outcome."""

from __future__ import annotations

import ctypes
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from govinspect.fleet.config import FleetConfig, SiteEntry

# The audit's exit codes (interface.md) → the run's health; 1 is `--fail-on`, which fleet jobs never pass.
HEALTH_BY_EXIT = {0: "ok", 1: "ok", 3: "failed", 4: "degraded", 130: "interrupted"}
BAD_INPUT = 2
PR_SET_PDEATHSIG = 1


class AuditCrashed(Exception):
    """The audit ended in a way no run-health rule describes (a traceback, a signal): worth another attempt."""


class DeadLetter(Exception):
    """The job cannot succeed (a broken site configuration, or crashed too often): its one-line reason goes to
    the dead letters, never retried."""


@dataclass
class Outcome:
    exit_code: int
    health: str
    run_id: int | None
    pages: int | None
    seconds: float


def audit_command(fleet: FleetConfig, entry: SiteEntry, config_file: Path) -> list[str]:
    shard = fleet.shard(entry.key)
    # A shard with a completed run is audited the nightly way; a new one gets everything.
    mode = "--incremental" if fleet.fleet.mode == "incremental" and _has_completed_run(shard) else "--full"
    command = [sys.executable, "-m", "govinspect", "audit", "-c", str(config_file), "--db", str(shard),
               "--out", str(fleet.shards / f"{entry.key}.reports"), mode]
    if fleet.fleet.as_of:
        command += ["--as-of", fleet.fleet.as_of]
    return command


def _die_with_parent() -> None:
    """In the child: killed with the worker that started it, so no orphan keeps writing a shard a redelivered
    job writes next (Linux prctl; elsewhere the shard lock's lease is the only guard)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def run_audit(fleet: FleetConfig, entry: SiteEntry, config_file: Path, log_path: Path) -> Outcome:
    """Run the audit within the time budget (SIGINT at the budget, the kill a grace later); map its exit code."""
    started = time.monotonic()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        child = subprocess.Popen(audit_command(fleet, entry, config_file), stdout=log, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        try:
            code = child.wait(timeout=fleet.fleet.time_budget_minutes * 60)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGINT)  # the audit closes the crawl and checks what it read
            try:
                code = child.wait(timeout=fleet.fleet.stop_grace_seconds)
            except subprocess.TimeoutExpired:
                child.kill()
                code = child.wait()
    seconds = time.monotonic() - started
    if code == BAD_INPUT:
        raise DeadLetter(last_error(log_path) or f"govinspect audit exited {code} (see {log_path})")
    if code not in HEALTH_BY_EXIT:
        raise AuditCrashed(f"govinspect audit exited {code}: {last_error(log_path) or f'see {log_path}'}")
    run = latest_run(fleet.shard(entry.key))
    health = (run or {}).get("health") or HEALTH_BY_EXIT[code]
    return Outcome(code, health, run and run["id"], run and run["pages"], seconds)


def last_error(log_path: Path) -> str | None:
    """The audit's one-line error (`error: …`), or its last line."""
    try:
        lines = [line for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    except OSError:
        return None
    for line in reversed(lines[-50:]):
        if line.startswith("error: "):
            return line[len("error: "):]
    return lines[-1][:300] if lines else None


def latest_run(shard: Path) -> dict | None:
    """The shard's latest run, read only; `health` where the shard's schema has it (run health, issue 11)."""
    if not shard.exists():
        return None
    with closing(sqlite3.connect(f"{shard.resolve().as_uri()}?mode=ro", uri=True)) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("select * from runs order by id desc limit 1").fetchone()
    return dict(row) if row else None


def _has_completed_run(shard: Path) -> bool:
    if not shard.exists():
        return False
    with closing(sqlite3.connect(f"{shard.resolve().as_uri()}?mode=ro", uri=True)) as db:
        try:
            return db.execute("select 1 from runs where status = 'completed' limit 1").fetchone() is not None
        except sqlite3.OperationalError:  # an empty file: no schema yet
            return False
