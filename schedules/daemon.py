"""The nightly self-inspection daemon (`govinspect schedule run`) and its job list (`schedule list`).

One APScheduler 3 `BlockingScheduler` per daemon, its jobs in a SQLite job store of their own (not the
findings database), held by one daemon at a time. Per site: the nightly incremental audit at
`[schedule] cron`, the weekly full audit at `full_cron`, the homepage probe every `probe_minutes`; each
trigger in the site's time zone. Every job coalesces missed runs into one, never runs twice at once, and
may start up to `misfire_grace_hours` late. On start, a nightly (or weekly) run whose time passed with no
run of the site since (the machine was off) is run at once. Two daemons on one database never run one
site at the same time: a scheduled audit holds the site's lock file (`schedules.locks`).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, EVENT_SCHEDULER_STARTED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from govinspect.config import SiteConfig, load_config
from govinspect.store import Store, now_iso
from schedules import jobs
from schedules.cron import cron_trigger, previous_fire_time
from schedules.jobstore import SQLiteJobStore
from schedules.locks import FileLock, site_key
from schedules.logs import setup_daemon_logging

log = logging.getLogger("govinspect.schedule")

KINDS = {"nightly": "每晚增量自查 nightly incremental audit", "weekly": "每周全量自查 weekly full audit",
         "probe": "首页可用性监测 homepage probe"}
FUNCTIONS = {"nightly": "schedules.jobs:scheduled_audit", "weekly": "schedules.jobs:scheduled_audit",
             "probe": "schedules.jobs:scheduled_probe"}


class ScheduleError(Exception):
    """The daemon cannot start or the job list cannot be read: names the file and what is wrong."""


def default_jobstore(db_path: str | Path) -> Path:
    db = Path(db_path).resolve()
    return db.with_name(db.stem + ".schedule.db")


def default_log(db_path: str | Path) -> Path:
    db = Path(db_path).resolve()
    return db.with_name(db.stem + ".schedule.log")


def job_id(base_url: str, kind: str) -> str:
    return f"{site_key(base_url)}:{kind}"


@dataclass
class Planned:
    id: str
    kind: str
    config: SiteConfig
    config_path: str
    trigger: object
    catch_up: bool = False

    @property
    def name(self) -> str:
        return f"{self.config.site.name} {KINDS[self.kind]}"


def _trigger(config: SiteConfig, kind: str):
    zone = ZoneInfo(config.site.timezone)
    if kind == "nightly":
        return cron_trigger(config.schedule.cron, zone)
    if kind == "weekly":
        return cron_trigger(config.schedule.full_cron, zone) if config.schedule.full_cron.strip() else None
    minutes = config.schedule.probe_minutes
    return IntervalTrigger(seconds=max(1.0, minutes * 60), timezone=zone) if minutes > 0 else None


def missed(config: SiteConfig, db_path: str, now: datetime) -> str | None:
    """The run to catch up on start: weekly when a full run's time passed with no full run since, else
    nightly when the nightly time passed with no run at all since; None when nothing was missed."""
    with Store(db_path) as store:
        site = next(store.db.query("select id from sites where base_url = ?", [config.site.base_url]), None)
        runs = [] if site is None else list(store.db.query(
            "select mode, started_at from runs where site_id = ? and status != 'failed'", [site["id"]]))
    started = [(run["mode"], datetime.fromisoformat(run["started_at"])) for run in runs if run["started_at"]]
    for kind in ("weekly", "nightly"):
        trigger = _trigger(config, kind)
        due = previous_fire_time(trigger, now) if trigger else None
        if due is None:
            continue
        if not any(at >= due and (kind == "nightly" or mode == "full") for mode, at in started):
            return kind
    return None


def plan(configs: list[tuple[str, SiteConfig]], db_path: str, now: datetime) -> list[Planned]:
    planned = []
    for path, config in configs:
        catch = missed(config, db_path, now) if config.schedule.catch_up else None
        for kind in KINDS:
            trigger = _trigger(config, kind)
            if trigger is not None:
                planned.append(Planned(job_id(config.site.base_url, kind), kind, config, path, trigger,
                                       catch_up=(kind == catch)))
    return planned


def _load(config_paths: list[str]) -> list[tuple[str, SiteConfig]]:
    configs, seen = [], {}
    for path in config_paths:
        config = load_config(path)
        if config.site.base_url in seen:
            raise ScheduleError(f"{path}: site.base_url {config.site.base_url} is already scheduled by {seen[config.site.base_url]}")
        seen[config.site.base_url] = path
        configs.append((str(Path(path).resolve()), config))
    return configs


def _check_alert_secrets(config: SiteConfig) -> None:
    """Say at start, not at the first alert, that a secret's source is missing; register secrets for masking."""
    from schedules.alerts import AlertError, smtp_password, webhook_url

    alerts = config.alerts
    try:
        if alerts.webhook_url or alerts.webhook_url_env:
            webhook_url(config)
        if alerts.smtp_host and alerts.smtp_user:
            if not smtp_password(config):
                raise AlertError(f"mail: no password for {alerts.smtp_user}: set {alerts.password_env} "
                                 "or alerts.password_file")
    except AlertError as error:
        log.warning("%s: %s: alerts will fail until this is fixed", config.source, error)


def run_daemon(config_paths: list[str], db_path: str, *, jobstore: str | None = None, log_file: str | None = None,
               out_dir: str | None = None, verbose: bool = False) -> None:
    """Run until SIGTERM or SIGINT; running audits are then stopped as over-budget ones are."""
    configs = _load(config_paths)
    db = Path(db_path).resolve()
    store_path = Path(jobstore).resolve() if jobstore else default_jobstore(db)
    store_lock = FileLock(store_path.with_name(store_path.name + ".lock"))
    if not store_lock.acquire(f"{jobs.DAEMON.name} since {now_iso()}"):
        raise ScheduleError(f"{store_path}: job store in use by another daemon ({store_lock.holder()}); "
                            "give this one its own --jobstore")
    try:
        Store(db).close()  # create or migrate it before any job runs
        setup_daemon_logging(Path(log_file).resolve() if log_file else default_log(db), verbose=verbose)
        jobs.DAEMON.db_path = str(db)
        jobs.DAEMON.out_dir = str(Path(out_dir).resolve() if out_dir else db.parent / "govinspect-reports")
        if jobs.recover_records(str(db)):
            log.warning("marked the runs of a daemon that ended without finishing them interrupted")
        for _, config in configs:
            _check_alert_secrets(config)
        _serve(configs, str(db), store_path)
    finally:
        store_lock.release()


def _serve(configs: list[tuple[str, SiteConfig]], db_path: str, store_path: Path) -> None:
    zone = ZoneInfo(configs[0][1].site.timezone)
    store = SQLiteJobStore(store_path)
    scheduler = BlockingScheduler(
        timezone=zone, jobstores={"default": store},
        executors={"default": ThreadPoolExecutor(max(2, 2 * len(configs))),
                   "probes": ThreadPoolExecutor(max(2, len(configs)))},
        job_defaults={"coalesce": True, "max_instances": 1})
    # The job store belongs to this daemon: what it held is replaced by what the configurations ask for now.
    store.start(scheduler, "default")
    store.remove_all_jobs()
    now = datetime.now(zone)
    planned = plan(configs, db_path, now)
    by_id = {p.id: p for p in planned}
    for p in planned:
        options = {}
        if p.catch_up:
            jobs.DAEMON.catch_up.add(p.id)
            options["next_run_time"] = now
            log.info("%s: its %s run was missed: running it now", p.config.site.name, p.kind)
        elif p.kind == "probe":
            options["next_run_time"] = now  # a first probe at once says the daemon works
        grace = (p.config.schedule.probe_minutes * 60 if p.kind == "probe"
                 else p.config.schedule.misfire_grace_hours * 3600)
        scheduler.add_job(FUNCTIONS[p.kind], p.trigger, args=[p.id, p.config_path, p.kind, p.config.site.base_url],
                          id=p.id, name=p.name, misfire_grace_time=max(1, int(grace)),
                          executor="probes" if p.kind == "probe" else "default", replace_existing=True, **options)

    def on_event(event) -> None:
        p = by_id.get(getattr(event, "job_id", None))
        if event.code == EVENT_SCHEDULER_STARTED:
            for job in scheduler.get_jobs():
                log.info("job %s: next run %s", job.name, job.next_run_time.isoformat() if job.next_run_time else "-")
            return
        if p is None or p.kind == "probe":
            return
        if event.code == EVENT_JOB_MAX_INSTANCES:
            note = f"the previous {p.kind} run is still running"
        else:
            note = f"missed by more than misfire_grace_hours ({p.config.schedule.misfire_grace_hours:g} h)"
        log.warning("%s %s: skipped: %s", p.config.site.name, p.kind, note)
        try:
            with Store(db_path) as db:
                site_id = db.site_id(p.config.site.name, p.config.site.base_url)
            jobs.record(db_path, site_id, job=p.kind, mode=jobs.MODES[p.kind], trigger="schedule", status="skipped",
                        started_at=now_iso(), finished_at=now_iso(), note=note)
        except Exception as error:  # a listener must not break the scheduler loop
            log.error("cannot record the skipped run: %s", error)

    scheduler.add_listener(on_event, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED | EVENT_SCHEDULER_STARTED)

    def shutdown() -> None:
        for _ in range(200):
            try:
                scheduler.shutdown(wait=False)
                return
            except SchedulerNotRunningError:
                time.sleep(0.05)  # a signal between start-up and the scheduler running: try again

    def on_signal(signum, frame) -> None:
        if jobs.DAEMON.stopping.is_set():
            return
        log.info("%s: stopping (running audits get SIGINT)", signal.Signals(signum).name)
        jobs.DAEMON.stopping.set()
        threading.Thread(target=shutdown, daemon=True, name="shutdown").start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    log.info("daemon %s: %d site(s), database %s, job store %s", jobs.DAEMON.name, len(configs), db_path, store_path)
    if not jobs.DAEMON.stopping.is_set():
        scheduler.start()
    grace = max(p.config.schedule.stop_grace_seconds for p in planned) if planned else 0
    left = jobs.DAEMON.wait_idle(grace + 30)
    if left:
        log.warning("still running at exit: %s", ", ".join(left))
    log.info("daemon %s stopped", jobs.DAEMON.name)


# schedule list ------------------------------------------------------------------------------------------

def _local(value: str | datetime | None, zone: ZoneInfo) -> str:
    if not value:
        return "-"
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def _stored_jobs(store_path: Path) -> list:
    if not store_path.exists():
        return []
    store = SQLiteJobStore(store_path)
    store.start(BlockingScheduler(), "default")
    return store.get_all_jobs()


def _trigger_text(trigger) -> str:
    if isinstance(trigger, IntervalTrigger):
        return f"every {trigger.interval.total_seconds() / 60:g} min"
    fields = {f.name: str(f) for f in trigger.fields}
    names = ("minute", "hour", "day", "month", "day_of_week")
    if fields["second"] != "0":
        names = ("second", *names)
    return "cron " + " ".join(fields[name] for name in names)


def list_jobs(db_path: str, *, jobstore: str | None = None, config_paths: list[str] = ()) -> list[str]:
    """Each site's jobs with their next run, and its last scheduled runs with their results."""
    db = Path(db_path).resolve()
    store_path = Path(jobstore).resolve() if jobstore else default_jobstore(db)
    configs = _load(list(config_paths))
    if not store_path.exists() and not configs:
        raise ScheduleError(f"{store_path}: no job store (no daemon has run with it): start "
                            "`govinspect schedule run`, or give -c to see what it would schedule")
    lines = []
    lock = FileLock(store_path.with_name(store_path.name + ".lock"))
    if not store_path.exists():
        lines.append(f"job store {store_path}: none yet")
    elif lock.acquire("schedule list"):
        lock.release()
        lines.append(f"job store {store_path}: no daemon running")
    else:
        lines.append(f"job store {store_path}: daemon {lock.holder()}")
    sites: dict[str, dict] = {}
    for job in _stored_jobs(store_path):
        _, config_path, kind, base_url = job.args
        name = job.name[:-len(KINDS[kind])].strip() if job.name.endswith(KINDS[kind]) else job.name
        site = sites.setdefault(base_url, {"name": name, "jobs": [], "zone": job.trigger.timezone})
        site["jobs"].append((kind, _trigger_text(job.trigger), job.next_run_time, config_path))
    now = datetime.now(timezone.utc)
    for path, config in configs:
        if config.site.base_url in sites:
            continue
        zone = ZoneInfo(config.site.timezone)
        site = sites.setdefault(config.site.base_url, {"name": config.site.name, "jobs": [], "zone": zone,
                                                       "unscheduled": True})
        for kind in KINDS:
            trigger = _trigger(config, kind)
            if trigger is not None:
                site["jobs"].append((kind, _trigger_text(trigger), trigger.get_next_fire_time(None, now), path))
    history = Store(db) if db.exists() else None
    try:
        for base_url, site in sites.items():
            zone = site["zone"]
            lines.append("")
            lines.append(f"{site['name']}  {base_url}" + ("  (not in the job store: would be)" if site.get("unscheduled")
                                                          else ""))
            order = list(KINDS)
            for kind, trigger, next_run, _ in sorted(site["jobs"], key=lambda j: order.index(j[0])):
                lines.append(f"  {kind:<8} {jobs.MODES.get(kind, ''):<12} {trigger:<34} next {_local(next_run, zone)}")
            if history is not None:
                lines.extend(_history(history, base_url, zone))
    finally:
        if history is not None:
            history.close()
    return lines


def _history(store: Store, base_url: str, zone: ZoneInfo, limit: int = 5) -> list[str]:
    site = next(store.db.query("select id from sites where base_url = ?", [base_url]), None)
    if site is None:
        return ["  no run yet"]
    # Triggers skipped while a run ran can be many (a short cron, a long audit): they must not hide the runs.
    rows = list(store.db.query("select * from schedule_runs where site_id = ? and status != 'skipped' "
                               "order by id desc limit ?", [site["id"], limit]))
    skipped = list(store.db.query("select * from schedule_runs where site_id = ? and status = 'skipped' "
                                  "order by id desc", [site["id"]]))
    rows = sorted(rows + skipped[:1], key=lambda row: -row["id"])
    lines = ["  last scheduled runs:" if rows else "  no scheduled run yet"]
    if len(skipped) > 1:
        lines.append(f"    ({len(skipped)} triggers skipped in all; the latest is listed)")
    for row in rows:
        text = f"    {_local(row['started_at'], zone)}  {row['job']:<8} {row['status']:<11}"
        if row["run_id"]:
            counts = dict(store.db.execute(
                "select severity, count(*) from finding_runs where run_id = ? group by severity", [row["run_id"]]).fetchall())
            run = store.run(row["run_id"])
            text += (f" run {row['run_id']} ({run['mode']}, {run['status']}, {run['pages']} pages): "
                     + ", ".join(f"{s} {counts.get(s, 0)}" for s in ("critical", "major", "minor")))
        if row["note"]:
            text += f"; {row['note']}" if row["run_id"] else f" {row['note']}"
        if row["alert"]:
            text += f"; alert: {row['alert']}"
        lines.append(text)
    day = datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    week = day - timedelta(days=6)
    probes = list(store.db.query("select at, ok from probes where site_id = ? and at >= ?",
                                 [site["id"], week.astimezone(timezone.utc).isoformat(timespec="seconds")]))
    if probes:
        today = [p for p in probes if datetime.fromisoformat(p["at"]) >= day]
        ok = sum(p["ok"] for p in probes)
        lines.append(f"  probes: today {sum(p['ok'] for p in today)}/{len(today)} ok; last 7 days {ok}/{len(probes)} ok "
                     f"({ok / len(probes):.1%})")
    return lines

