"""What the daemon runs: an audit as a child process within a time budget, and the homepage probe.

An audit never runs inside the scheduler: Twisted's reactor cannot be restarted and wants the main thread,
so each is `python -m govinspect audit …` in a process (and session) of its own. A run over its budget is
sent SIGINT (Scrapy closes the crawl, the run is stored `interrupted`, the checks still run over what was
crawled), then killed after a grace period; either way the run and the scheduler's record say so.

The functions here are the job store's references (`schedules.jobs:scheduled_audit`): their arguments are
plain strings, pickled into the job store, and they read the site configuration afresh at every run.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from govinspect.config import ConfigError, SiteConfig, load_config
from govinspect.store import Store, StoreError, now_iso
from schedules.locks import daemon_name, site_lock

log = logging.getLogger("govinspect.schedule")

MODES = {"nightly": "incremental", "weekly": "full"}


@dataclass
class Daemon:
    """This process's daemon: where things go, and what it is running now. Set up by `schedules.daemon`."""

    db_path: str = "govinspect.db"
    out_dir: str = "govinspect-reports"
    name: str = field(default_factory=daemon_name)
    stopping: threading.Event = field(default_factory=threading.Event)
    catch_up: set[str] = field(default_factory=set)   # job ids whose next run is a catch-up
    active: dict[int, str] = field(default_factory=dict)  # thread id → what it runs
    lock: threading.Lock = field(default_factory=threading.Lock)

    def busy(self, what: str) -> None:
        with self.lock:
            self.active[threading.get_ident()] = what

    def idle(self) -> None:
        with self.lock:
            self.active.pop(threading.get_ident(), None)

    def wait_idle(self, timeout: float) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if not self.active:
                    return []
            time.sleep(0.1)
        with self.lock:
            return list(self.active.values())


DAEMON = Daemon()


@dataclass
class ChildResult:
    exit_code: int | None
    pid: int
    seconds: float
    over_budget: bool = False
    stopped: bool = False   # the daemon was shutting down
    killed: bool = False    # did not stop within the grace period


def _child_env(config: SiteConfig) -> dict[str, str]:
    """The daemon's environment less the alert secrets: the audit has no use for them."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
    for name in (config.alerts.password_env, config.alerts.webhook_url_env, config.alerts.dingtalk_secret_env):
        if name:
            env.pop(name, None)
    return env


def run_child(command: list[str], *, budget: float, grace: float, label: str, env: dict[str, str],
              pass_fds: tuple[int, ...] = (), cwd: str | None = None) -> ChildResult:
    """Run `command`, its output into the log; past `budget` seconds (or on shutdown) SIGINT, grace, kill."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               text=True, encoding="utf-8", errors="replace", env=env, cwd=cwd,
                               start_new_session=True, pass_fds=pass_fds)
    child_log = logging.getLogger("govinspect.schedule.audit")

    def pump() -> None:
        for line in process.stdout:
            if line.strip():
                child_log.info("%s | %s", label, line.rstrip())

    reader = threading.Thread(target=pump, daemon=True, name=f"output of {process.pid}")
    reader.start()
    result = ChildResult(None, process.pid, 0.0)
    deadline = started + budget
    while process.poll() is None:
        if DAEMON.stopping.is_set():
            result.stopped = True
            break
        if time.monotonic() >= deadline:
            result.over_budget = True
            break
        try:
            process.wait(timeout=min(0.5, max(0.05, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            pass
    if process.poll() is None:
        why = "the daemon is stopping" if result.stopped else f"over its time budget of {budget / 60:g} min"
        log.warning("%s: %s: SIGINT to pid %d, then %g s to finish", label, why, process.pid, grace)
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            log.warning("%s: pid %d still running after %g s: killed", label, process.pid, grace)
            process.kill()
            process.wait()
            result.killed = True
    reader.join(timeout=5)
    process.stdout.close()
    result.exit_code = process.returncode
    result.seconds = time.monotonic() - started
    return result


# the scheduler's record ---------------------------------------------------------------------------------

def record(db_path: str, site_id: int, **row) -> int:
    with Store(db_path) as store:
        return store.db["schedule_runs"].insert(dict(row, site_id=site_id, daemon=DAEMON.name,
                                                     daemon_pid=os.getpid())).last_pk


def update_record(db_path: str, record_id: int, **row) -> None:
    with Store(db_path) as store:
        store.db["schedule_runs"].update(record_id, row)


def recover_records(db_path: str) -> int:
    """Records left `running` by a daemon of this host that no longer exists: it died during the run."""
    from govinspect.store import _alive

    host = DAEMON.name.rsplit(":", 1)[0]
    with Store(db_path) as store:
        dead = [row["id"] for row in store.db.query(
            "select id, daemon, daemon_pid from schedule_runs where status = 'running'")
            if (row["daemon"] or "").rsplit(":", 1)[0] == host and not _alive(row["daemon_pid"])]
        for record_id in dead:
            store.db["schedule_runs"].update(record_id, {"status": "interrupted", "finished_at": now_iso(),
                                                         "note": "the daemon ended during the run"})
    return len(dead)


def _site_of(config: SiteConfig, db_path: str) -> int:
    with Store(db_path) as store:
        return store.site_id(config.site.name, config.site.base_url)


def _running_elsewhere(db_path: str, site_id: int) -> dict | None:
    """A crawl of the site in progress that this daemon did not start (`govinspect audit` by hand)."""
    with Store(db_path) as store:  # opening marks the runs of dead processes interrupted
        return next(store.db.query("select id, pid from runs where site_id = ? and status = 'running' "
                                   "order by id desc limit 1", [site_id]), None)


def superseded(config: SiteConfig, now: datetime) -> bool:
    """A nightly run that falls on the weekly full run's time gives way to it (the full run reads everything)."""
    from schedules.cron import cron_trigger

    if not config.schedule.full_cron.strip():
        return False
    trigger = cron_trigger(config.schedule.full_cron, config.site.timezone)
    fire = trigger.get_next_fire_time(None, now - timedelta(seconds=90))
    return fire is not None and fire <= now + timedelta(seconds=90)


# jobs ---------------------------------------------------------------------------------------------------

def scheduled_audit(job_id: str, config_path: str, kind: str, base_url: str) -> None:
    """The nightly (incremental) or weekly (full) audit of one site, as the scheduler runs it."""
    if DAEMON.stopping.is_set():
        return
    trigger = "catch-up" if job_id in DAEMON.catch_up else "schedule"
    DAEMON.catch_up.discard(job_id)
    db_path = DAEMON.db_path
    try:
        config = load_config(config_path)
        site_id = _site_of(config, db_path)
    except (ConfigError, StoreError) as error:
        log.error("%s: %s", job_id, error)
        return
    mode = MODES[kind]
    label = f"{config.site.name} {kind}"
    now = datetime.now(ZoneInfo(config.site.timezone))
    base = {"job": kind, "mode": mode, "trigger": trigger}
    if kind == "nightly" and trigger == "schedule" and superseded(config, now):
        log.info("%s: skipped, the weekly full run starts now", label)
        record(db_path, site_id, **base, status="skipped", started_at=now_iso(), finished_at=now_iso(),
               note="the weekly full run of the same time reads everything")
        return
    lock = site_lock(db_path, config.site.base_url)
    if not lock.acquire(f"{DAEMON.name} {kind} since {now_iso()}"):
        holder = lock.holder()
        log.warning("%s: skipped, the site is busy (%s)", label, holder)
        record(db_path, site_id, **base, status="skipped", started_at=now_iso(), finished_at=now_iso(),
               note=f"site busy: {holder}")
        return
    DAEMON.busy(label)
    try:
        running = _running_elsewhere(db_path, site_id)
        if running:
            log.warning("%s: skipped, run %d of the site is in progress (pid %s)", label, running["id"], running["pid"])
            record(db_path, site_id, **base, status="skipped", started_at=now_iso(), finished_at=now_iso(),
                   note=f"run {running['id']} (pid {running['pid']}) in progress, not started by this scheduler")
            return
        _audit(config, config_path, db_path, site_id, kind, base, lock, label)
    finally:
        lock.release()
        DAEMON.idle()


def _audit(config: SiteConfig, config_path: str, db_path: str, site_id: int, kind: str, base: dict, lock,
           label: str) -> None:
    schedule = config.schedule
    budget = (schedule.full_time_budget_minutes if kind == "weekly" else schedule.time_budget_minutes) * 60
    with Store(db_path) as store:
        before = store.db.execute("select coalesce(max(id), 0) from runs").fetchone()[0]
    out_dir = Path(DAEMON.out_dir) / site_folder(config.site.base_url)
    command = [sys.executable, "-m", "govinspect", "audit", "-c", str(Path(config_path).resolve()),
               "--db", str(Path(db_path).resolve()), "--out", str(out_dir.resolve()), f"--{base['mode']}"]
    record_id = record(db_path, site_id, **base, status="running", started_at=now_iso())
    try:
        _run_and_mark(config, db_path, site_id, base, lock, label, budget, before, out_dir, command, record_id)
    except Exception as error:  # the record must not stay `running` while this daemon lives on
        log.exception("%s: the scheduled audit failed", label)
        update_record(db_path, record_id, status="failed", finished_at=now_iso(),
                      note=f"the scheduler failed: {type(error).__name__}: {error}"[:300])


# What `govinspect audit` exits with when it ran: ok, --fail-on met, site down, degraded, interrupted.
AUDIT_EXITS = (0, 1, 3, 4, 130)


def _run_and_mark(config: SiteConfig, db_path: str, site_id: int, base: dict, lock, label: str,
                  budget: float, before: int, out_dir: Path, command: list[str], record_id: int) -> None:
    from schedules.alerts import notify

    schedule = config.schedule
    log.info("%s: %s audit started (%s)", label, base["mode"], base["trigger"])
    result = run_child(command, budget=budget, grace=schedule.stop_grace_seconds, label=label,
                       env=_child_env(config), pass_fds=(lock.fileno(),), cwd=str(Path(db_path).resolve().parent))
    with Store(db_path) as store:  # opening marks a killed child's run interrupted
        run = next(store.db.query("select * from runs where site_id = ? and id > ? and pid = ? order by id desc "
                                  "limit 1", [site_id, before, result.pid]), None)
        note = []
        if result.over_budget:
            note.append(f"stopped by the scheduler: over its time budget of {budget / 60:g} min")
        elif result.stopped:
            note.append("stopped by the scheduler: the daemon was shutting down")
        if result.killed:
            note.append(f"killed {schedule.stop_grace_seconds:g} s after SIGINT")
        if run and note:
            error = "; ".join(filter(None, [run["error"], *note]))
            store.db["runs"].update(run["id"], {"error": error})
            run = store.run(run["id"])
    if result.over_budget:
        status = "over-budget"
    elif result.stopped:
        status = "stopped"
    elif result.exit_code not in AUDIT_EXITS or run is None or run["status"] == "failed":
        status = "failed"
        note.append(f"the audit exited with code {result.exit_code}" + ("" if run else " before starting a run"))
    else:
        # The run's own health: completed (ok), degraded, failed (the site could not be opened), interrupted.
        with Store(db_path) as store:
            health, reasons = store.health(run["id"])
        status = "completed" if health == "ok" else health
        note.extend(reasons)
    alert = None
    if run is not None and run["status"] in ("completed", "interrupted"):
        try:
            alert = notify(config, db_path, run["id"], report=str((out_dir / "report.json").resolve()))
        except Exception as error:  # an alert that cannot go out must not lose the run's record
            log.error("%s: alert failed: %s: %s", label, type(error).__name__, error)
            alert = f"failed: {type(error).__name__}"
    update_record(db_path, record_id, status=status, finished_at=now_iso(), run_id=run["id"] if run else None,
                  exit_code=result.exit_code, child_pid=result.pid, note="; ".join(note) or None, alert=alert)
    log.info("%s: %s audit %s in %.0f s%s%s", label, base["mode"], status, result.seconds,
             f", run {run['id']}" if run else "", f"; alert: {alert}" if alert else "")


def site_folder(base_url: str) -> str:
    """reports/<host>[-port][-path]/ for a site's latest reports."""
    import re
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    name = (parts.hostname or "site") + (f"-{parts.port}" if parts.port else "") + parts.path.rstrip("/")
    return re.sub(r"[^A-Za-z0-9.-]+", "-", name).strip("-") or "site"


def scheduled_probe(job_id: str, config_path: str, kind: str, base_url: str) -> None:
    """One homepage probe, stored; a failed one is a warning in the log."""
    from schedules.probes import LIMIT_SECONDS, describe, probe_site

    if DAEMON.stopping.is_set():
        return
    try:
        config = load_config(config_path)
        result = probe_site(config, DAEMON.db_path, limit=LIMIT_SECONDS)
    except (ConfigError, StoreError) as error:
        log.error("%s: %s", job_id, error)
        return
    line = describe(result, ZoneInfo(config.site.timezone))
    (log.info if result["ok"] else log.warning)("%s probe: %s", config.site.name, line)
