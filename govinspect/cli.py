"""The command line: one click command per function, help text from the docstrings."""

from __future__ import annotations

import logging
import sqlite3
import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from checks.registry import PluginError, load_registry
from govinspect import __version__
from govinspect.config import ConfigError, SiteConfig, load_config
from govinspect.store import Store, StoreError

DEFAULT_DB = "govinspect.db"


class UserError(click.ClickException):
    """A mistake in the input: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class Commands(click.Group):
    """Turns the errors a person can fix into one line and exit 2, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (ConfigError, StoreError, PluginError, LookupError) as error:
            # str() of a KeyError quotes its message; every other error reads as it is.
            message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
            raise UserError(str(message)) from None
        except sqlite3.Error as error:
            # A full disk or a damaged file while writing: each write is one transaction, so nothing is half done.
            raise UserError(f"cannot write to the database ({error})") from None
        except KeyboardInterrupt:
            # Every write is one transaction and a killed run is marked interrupted: nothing to clean up.
            click.echo("已中止（Ctrl-C）：已完成的部分已保存", err=True)
            ctx.exit(130)


def _as_of(value: str | None, config: SiteConfig | None = None) -> str:
    if value:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise UserError(f"--as-of: not an ISO date (YYYY-MM-DD): {value!r}") from None
    zone = ZoneInfo(config.site.timezone if config else "Asia/Shanghai")
    return datetime.now(zone).date().isoformat()


def _setup_logging(verbose: bool) -> None:
    """Our progress lines, and only Scrapy's errors unless asked: Scrapy resets its own loggers' levels."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    if not verbose:
        handler.addFilter(lambda record: record.name.startswith("govinspect") or record.levelno >= logging.ERROR)
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    logging.getLogger("govinspect").setLevel(logging.DEBUG if verbose else logging.INFO)


db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
                         help="SQLite database file.")
config_option = click.option("-c", "--config", "config_path", required=True, type=click.Path(dir_okay=False),
                             help="Site configuration (TOML).")
mode_option = click.option("--full/--incremental", "full", default=True, help="Full crawl (default) or incremental.")
as_of_option = click.option("--as-of", "as_of", help="ISO date that replaces today in every date rule.")
SEVERITIES = ["critical", "major", "minor", "info"]


@click.group(cls=Commands)
@click.version_option(__version__, prog_name="govinspect")
@click.option("-v", "--verbose", is_flag=True, help="Log every step, Scrapy's too.")
def main(verbose: bool) -> None:
    """govinspect: self-inspection of a government website against the national inspection indicators.

    Crawl a bureau's disclosure columns, store what was seen in SQLite and export what must be fixed.
    """
    _setup_logging(verbose)


@main.command()
@click.option("--out", "out_dir", default="govinspect-demo", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the database and reports.")
@click.option("--keep-serving", is_flag=True, help="Keep the sample site running after the audit.")
@as_of_option
def demo(out_dir: str, keep_serving: bool, as_of: str | None) -> None:
    """Audit the bundled sample bureau site end to end, on a free loopback port, with no network."""
    from govinspect.demo.run import run_demo

    comparison = run_demo(Path(out_dir), as_of=_as_of(as_of), keep_serving=keep_serving)
    click.get_current_context().exit(HEALTH_EXIT[comparison["health"]])


@main.command()
@click.argument("url")
@click.option("-o", "--output", "output", default="site.toml", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the configuration.")
@click.option("--name", help="The site's name (default: the homepage's title).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def init(url: str, output: str, name: str | None, force: bool) -> None:
    """Discover a site's columns from its homepage and 信息公开 catalogue and write a configuration to review."""
    from govinspect.initconfig import write_initial_config

    if Path(output).exists() and not force:  # a reviewed configuration is never overwritten by accident
        raise UserError(f"{output}: already exists (give --force to overwrite it)")
    path = write_initial_config(url, Path(output), name=name)
    click.echo(str(path))


@main.command()
@config_option
@db_option
@mode_option
@as_of_option
def crawl(config_path: str, db_path: str, full: bool, as_of: str | None) -> None:
    """Crawl the site into the database (no checks) and print the new run id."""
    config = load_config(config_path)
    Store(db_path).close()
    from crawler.runner import run_crawl

    run_id = run_crawl(config, db_path, mode="full" if full else "incremental", as_of=_as_of(as_of, config))
    click.echo(run_id)
    with Store(db_path) as store:
        code = _health_exit(store, run_id)
    click.get_current_context().exit(code)


@main.command()
@config_option
@db_option
@click.option("--out", "out_dir", default="govinspect-reports", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the reports.")
@mode_option
@as_of_option
@click.option("--fail-on", type=click.Choice(SEVERITIES), help="Exit 1 when the run finds an open finding this severe.")
def audit(config_path: str, db_path: str, out_dir: str, full: bool, as_of: str | None, fail_on: str | None) -> None:
    """Crawl the site, run every enabled check, store the findings, write the reports and print the summary."""
    from checks.runner import run_checks
    from checks.summary import seen
    from crawler.runner import run_crawl
    from govinspect.summary import print_summary, write_reports
    from reports.screenshots import take_screenshots

    config = load_config(config_path)
    registry = load_registry()
    registry.configure(config)  # a mistake in [checks] is reported before the crawl, not after it
    Store(db_path).close()
    _writable_folder(out_dir)  # before hours of crawling, not after
    run_id = run_crawl(config, db_path, mode="full" if full else "incremental", as_of=_as_of(as_of, config))
    with Store(db_path) as store:
        result = run_checks(store, run_id, config, registry=registry)
        take_screenshots(store, run_id, config)
        try:
            written = write_reports(store, run_id, Path(out_dir))
        except OSError as error:
            raise UserError(f"--out: cannot write into {out_dir} ({error.strerror or error}); "
                            f"the run is stored: `govinspect report --run {run_id}` writes it later") from None
        print_summary(store, run_id, result)
        click.echo(f"  报告：{', '.join(str(path) for path in written)}")
        code = _health_exit(store, run_id)
        if code == 0 and fail_on and any(
                f["status"] == "open" and SEVERITIES.index(f["seen_severity"]) <= SEVERITIES.index(fail_on)
                for f in seen(store, run_id)):
            code = 1
    click.get_current_context().exit(code)


@main.command()
@config_option
@db_option
@click.option("--run", "run_id", type=int, help="Run id (default: the site's latest).")
@as_of_option
def check(config_path: str, db_path: str, run_id: int | None, as_of: str | None) -> None:
    """Run the checks again over a stored crawl (after a threshold or dictionary change), fetching nothing."""
    from checks.runner import run_checks
    from govinspect.summary import findings_lines, health_line

    config = load_config(config_path)
    registry = load_registry()
    registry.configure(config)
    _existing_db(db_path)
    with Store(db_path) as store:
        run = _site_run(store, config, run_id)
        result = run_checks(store, run["id"], config, as_of=_as_of(as_of) if as_of else None, registry=registry)
        click.echo("\n".join([health_line(store, run["id"]),
                              f"{run['site_name']}  第 {run['id']} 次检查，检查基准日 {store.run(run['id'])['as_of']}",
                              *findings_lines(store, run["id"], result)]))
        code = _health_exit(store, run["id"])
    click.get_current_context().exit(code)


# interface.md: 0 ok, 1 --fail-on met, 2 bad input, 3 the site could not be seen, 4 degraded, 130 interrupted.
HEALTH_EXIT = {"ok": 0, "degraded": 4, "failed": 3, "interrupted": 130}


def _health_exit(store: Store, run_id: int) -> int:
    return HEALTH_EXIT[store.health(run_id)[0]]


def _writable_folder(folder: str) -> None:
    """Fail before the crawl, in one line, when the reports could not be written after it."""
    import tempfile

    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".govinspect-write-test-"):
            pass
    except OSError as error:
        raise UserError(f"--out: cannot write into {folder} ({error.strerror or error})") from None


def _site_run(store: Store, config: SiteConfig, run_id: int | None) -> dict:
    """The run to check: the one asked for, which must be of the configured site, or that site's latest."""
    base_url = config.site.base_url
    if run_id is None:
        row = store.latest_whole_run(base_url=base_url) or next(store.db.query(
            "select runs.id from runs join sites on sites.id = runs.site_id "
            "where sites.base_url = ? order by runs.id desc limit 1", [base_url]), None)
        if row is None:
            raise UserError(f"{store.path}: no crawl of {base_url} yet (run `govinspect crawl` first)")
        run_id = row["id"]
    run = store.run(run_id)
    if run is None:
        raise UserError(f"--run: {store.path} has no run {run_id}")
    if run["base_url"] != base_url:
        raise UserError(f"--run: run {run_id} crawled {run['base_url']}, not {config.source}'s {base_url}")
    return run


@main.command("checks")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              help="Site configuration: show which checks it enables.")
def list_checks(config_path: str | None) -> None:
    """List every available check (built-in and plug-in): id, Chinese title, indicator, severity, enabled or not."""
    registry = load_registry()
    config = load_config(config_path) if config_path else None
    registry.configure(config)
    enabled = registry.enabled(config)
    for cls in registry:
        click.echo(f"{cls.id:<30} {_pad(cls.title, 24)} {_pad(cls.indicator, 16)} {cls.severity:<9}"
                   f"{'enabled' if enabled[cls.id] else 'disabled'}")


def _pad(text: str, width: int) -> str:
    """Pad to a terminal width: Chinese characters take two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


@main.command()
@click.argument("finding_ids", nargs=-1, required=True)
@click.option("--ignore", is_flag=True, help="A false positive: it stays ignored in later runs.")
@click.option("--fixed", is_flag=True, help="Rectified: a later run that sees it again reopens it.")
@click.option("--reopen", is_flag=True, help="Open again.")
@click.option("--reason", help="Why, kept with the finding.")
@db_option
def triage(finding_ids: tuple[str, ...], ignore: bool, fixed: bool, reopen: bool, reason: str | None,
           db_path: str) -> None:
    """Mark findings ignored, fixed or open again; an id may be given as a unique prefix of it."""
    from govinspect.findings import resolve_ids, triage as mark

    actions = [name for name, given in (("ignore", ignore), ("fixed", fixed), ("reopen", reopen)) if given]
    if len(actions) != 1:
        both = f", not {' and '.join('--' + a for a in actions)} together" if actions else ""
        raise UserError(f"give one of --ignore, --fixed or --reopen{both}")
    action = actions[0]
    _existing_db(db_path)
    with Store(db_path) as store:
        rows = mark(store, resolve_ids(store, finding_ids), action, reason)
    for row in rows:
        click.echo(f"{row['id']}  {row['status']:<7} {row['check_id']:<24} {row['subject']}")


@main.command()
@db_option
@click.option("--run", "run_id", type=int, help="Run id (default: the latest).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "html", "json", "docx"]),
              help="Export format: the rectification list (xlsx, csv), the browsable report (html), the JSON "
                   "report, the draft 自查情况报告 (docx). Without it, --since prints the changes.")
@click.option("--status", type=click.Choice(["open", "fixed", "ignored"]), help="Only findings of this status.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False),
              help="File to write (default: stdout for json; rectification.xlsx and the like for the others).")
@click.option("--include-info", is_flag=True, help="List info findings (could not be verified) in the list too.")
@click.option("--since", "since", type=int, metavar="RUN",
              help="Only what changed since run RUN: new, fixed and still-open findings.")
@click.option("--deadline-days", type=click.IntRange(1, 365), default=10, show_default=True,
              help="Rectification deadline (整改时限): working days after the run, Chinese holidays respected.")
def report(db_path: str, run_id: int | None, fmt: str | None, status: str | None, out_file: str | None,
           include_info: bool, since: int | None, deadline_days: int) -> None:
    """Export the findings of a run (default: the latest), or with --since list what changed since an earlier run."""
    from reports.export import FILE_NAMES, dumps, export, json_document

    if fmt is None and since is None:
        raise UserError("--format: give one of xlsx, csv, html, json, docx (or --since RUN to list the changes)")
    _existing_db(db_path)
    with Store(db_path) as store:
        if fmt is None:
            from reports.diff import compare
            from reports.terminal import print_changes

            run = store.run(run_id)
            if run is None:
                raise UserError(f"{db_path}: no run {run_id}" if run_id else f"{db_path}: no run yet")
            print_changes(store, compare(store, since, run["id"]))
            return
        if fmt == "json" and not out_file:
            click.echo(dumps(json_document(store, run_id, status=status, since=since)))
            return
        try:
            written = export(store, fmt, out_file or FILE_NAMES[fmt], run_id=run_id, status=status,
                             include_info=include_info, since=since, deadline_days=deadline_days)
        except OSError as error:
            raise UserError(f"--out: cannot write {out_file or FILE_NAMES[fmt]} ({error.strerror or error})") from None
    click.echo(str(written))


@main.command("annual-report-draft")
@click.argument("year", type=click.IntRange(2021, 2100))
@db_option
@click.option("--run", "run_id", type=int, help="Run id to count from (default: the latest).")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False), help="Word file to write (.docx).")
def annual_report_draft(year: int, db_path: str, run_id: int | None, out_file: str) -> None:
    """Write a draft of YEAR's 政府信息公开工作年度报告 in the 2021 format, counts filled from a crawl."""
    from reports.annual_report_draft import write_draft

    _existing_db(db_path)
    with Store(db_path) as store:
        run = store.run(run_id)
        if run is None:
            raise UserError(f"{db_path}: no run {run_id}" if run_id else f"{db_path}: no crawl yet")
        try:
            written = write_draft(store, run["id"], year, Path(out_file))
        except OSError as error:
            raise UserError(f"--out: cannot write {out_file} ({error.strerror or error})") from None
    click.echo(str(written))


@main.command()
@db_option
@click.option("--check", "check_id", help="Only this check id.")
@click.option("--status", type=click.Choice(["open", "fixed", "ignored"]), help="Only this status.")
@click.option("--severity", type=click.Choice(SEVERITIES), help="Only this severity.")
@click.option("--confidence", type=click.Choice(["certain", "suspected"]),
              help="Only typos found by dictionary (certain) or only the detector's 疑似错别字 (suspected).")
def findings(db_path: str, check_id: str | None, status: str | None, severity: str | None,
             confidence: str | None) -> None:
    """List findings in the terminal."""
    _existing_db(db_path)
    with Store(db_path) as store:
        rows = [f for f in store.findings(status=status)
                if (not check_id or f["check_id"] == check_id) and (not severity or f["severity"] == severity)
                and (not confidence or (f["evidence"] or {}).get("confidence") == confidence)]
    if not rows:
        click.echo("no findings", err=True)
        return
    from reports.terminal import print_findings

    print_findings(rows)


def _existing_db(db_path: str) -> None:
    if not Path(db_path).exists():
        raise UserError(f"{db_path}: no such database (run `govinspect audit` or `crawl` first)")


@main.command()
@config_option
@db_option
@click.option("--timeout", "limit", default=15.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds the homepage has to load (the national indicator's 15 s).")
def probe(config_path: str, db_path: str, limit: float) -> None:
    """Probe the homepage once (one GET within the time limit), store the result and print it."""
    from schedules.probes import describe, probe_site

    config = load_config(config_path)
    result = probe_site(config, db_path, limit=limit)
    click.echo(describe(result, ZoneInfo(config.site.timezone)))


@main.group(cls=Commands)
def schedule() -> None:
    """The nightly self-inspection daemon: nightly incremental and weekly full audits, hourly probes, alerts."""


def _schedule_errors(function):
    """The daemon's start-up refusals (a job store in use, a site given twice) as one line and exit 2."""
    import functools

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        from schedules.daemon import ScheduleError

        try:
            return function(*args, **kwargs)
        except ScheduleError as error:
            raise UserError(str(error)) from None

    return wrapper


jobstore_option = click.option("--jobstore", type=click.Path(dir_okay=False),
                               help="The daemon's own job store (default: DB's name with .schedule.db).")


@schedule.command("run")
@click.option("-c", "--config", "config_paths", required=True, multiple=True, type=click.Path(dir_okay=False),
              help="Site configuration (TOML); repeat for more sites.")
@db_option
@jobstore_option
@click.option("--log-file", type=click.Path(dir_okay=False),
              help="Rotating log file (default: DB's name with .schedule.log); the log goes to stdout too.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Folder for each site's latest reports (default: govinspect-reports/ beside the database).")
@click.pass_context
@_schedule_errors
def schedule_run(ctx, config_paths: tuple[str, ...], db_path: str, jobstore: str | None, log_file: str | None,
                 out_dir: str | None) -> None:
    """Run the self-inspection daemon until SIGTERM or Ctrl-C: each site's audits and probes at their times.

    Each audit runs as its own `govinspect audit` process within the site's time budget; a run missed while
    the machine was off is caught up on start; alerts go out when new critical findings or a veto appear.
    """
    from schedules.daemon import run_daemon

    verbose = bool(ctx.find_root().params.get("verbose"))
    run_daemon(list(config_paths), db_path, jobstore=jobstore, log_file=log_file, out_dir=out_dir, verbose=verbose)


@schedule.command("list")
@click.option("-c", "--config", "config_paths", multiple=True, type=click.Path(dir_okay=False),
              help="Also show what these configurations would schedule.")
@db_option
@jobstore_option
@_schedule_errors
def schedule_list(config_paths: tuple[str, ...], db_path: str, jobstore: str | None) -> None:
    """List the scheduled jobs with their next run, and each site's last scheduled runs with their results."""
    from schedules.daemon import list_jobs

    click.echo("\n".join(list_jobs(db_path, jobstore=jobstore, config_paths=list(config_paths))))


@schedule.command("test-alert")
@config_option
def schedule_test_alert(config_path: str) -> None:
    """Send a test notice through every channel of the configuration's [alerts] (webhook, mail)."""
    from schedules.alerts import AlertError, channels, trial_notice

    config = load_config(config_path)
    sends = channels(config)
    if not sends:
        raise UserError(f"{config.source}: [alerts]: no channel configured (webhook_url, webhook_url_env or smtp_host)")
    notice = trial_notice(config)
    for send in sends:
        try:
            click.echo(send(config, notice))
        except AlertError as error:
            raise UserError(str(error)) from None


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; another than loopback only once an account exists.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: a free one).")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Requests served at once.")
def serve(db_path: str, host: str, port: int, threads: int) -> None:
    """The browser workspace: overview, findings with filters, triage, runs, screenshots (local accounts only)."""
    from waitress import create_server

    from govinspect.workspace import create_app
    from govinspect.workspace.accounts import has_users

    _existing_db(db_path)
    with Store(db_path) as store:
        accounts = has_users(store)
    if not accounts and not _loopback(host):
        raise UserError(f"--host {host}: no account exists yet, so the workspace listens only on loopback "
                        "(create one with `govinspect user add NAME --role editor` first)")
    try:
        server = create_server(create_app(db_path), host=host, port=port, threads=threads, ident="govinspect")
    except (OSError, ValueError) as error:  # waitress: ValueError for a host it cannot resolve
        reason = getattr(error, "strerror", None) or error
        raise UserError(f"--host/--port: cannot listen on {host}:{port} ({reason})") from None
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"workspace: http://{shown}:{server.effective_port}/ (database {db_path}; Ctrl-C to stop)")
    if not accounts:
        click.echo("no account yet: create one with `govinspect user add NAME --role editor`", err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class AccountCommands(Commands):
    """An unusable user name, role or password as one line and exit 2, like every other input mistake."""

    def invoke(self, ctx):
        from govinspect.workspace.accounts import AccountError

        try:
            return super().invoke(ctx)
        except AccountError as error:
            raise UserError(str(error)) from None


@main.group(cls=AccountCommands)
def user() -> None:
    """The workspace's local accounts: editors triage findings, viewers only read."""


@user.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["editor", "viewer"]),
              help="editor: may triage findings; viewer: reads only.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@db_option
def user_add(name: str, role: str, password_stdin: bool, db_path: str) -> None:
    """Create an account (the password is asked twice on the terminal, or read from stdin)."""
    from govinspect.workspace.accounts import add_user

    _existing_db(db_path)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    with Store(db_path) as store:
        add_user(store, name, role, password)
    click.echo(f"{name} ({role}) added")


@user.command("list")
@db_option
def user_list(db_path: str) -> None:
    """List the accounts with their role."""
    from govinspect.workspace.accounts import users

    _existing_db(db_path)
    with Store(db_path) as store:
        rows = users(store)
    if not rows:
        click.echo("no accounts", err=True)
    for row in rows:
        click.echo(f"{row['name']:<24} {row['role']:<7} {row['created_at']}")


@user.command("remove")
@click.argument("name")
@db_option
def user_remove(name: str, db_path: str) -> None:
    """Remove an account; its sessions end at once."""
    from govinspect.workspace.accounts import remove_user

    _existing_db(db_path)
    with Store(db_path) as store:
        remove_user(store, name)
    click.echo(f"{name} removed")
@main.group(cls=Commands)
def fleet() -> None:
    """Many sites on a job queue (Dramatiq on Redis): one audit job per site, one ingest writer, a ranking."""


fleet_config_option = click.option("-c", "--config", "config_path", required=True, type=click.Path(dir_okay=False),
                                   help="Fleet configuration (fleet.toml).")


def _fleet(config_path: str):
    """The fleet's broker and status board, once Redis has answered: an unreachable one is a one-line error."""
    import redis

    from govinspect.fleet.actors import setup

    fleet = setup(config_path)
    try:
        redis.Redis.from_url(fleet.config.fleet.redis_url, socket_connect_timeout=5).ping()  # no retries: say so now
    except redis.RedisError as error:
        raise UserError(f"{config_path}: fleet.redis_url: cannot reach Redis at {fleet.config.fleet.redis_url} "
                        f"({error})") from None
    return fleet


@fleet.command("enqueue")
@fleet_config_option
@click.option("--site", "sites", multiple=True, help="Only this site (its key: the configuration's file name).")
def fleet_enqueue(config_path: str, sites: tuple[str, ...]) -> None:
    """Queue tonight's audit of every site (a cron line runs this); a site already queued or running is skipped."""
    from govinspect.fleet.actors import enqueue

    fleet_ = _fleet(config_path)
    keys = [fleet_.config.site(key).key for key in sites] or [entry.key for entry in fleet_.config.sites]
    queued = enqueue(fleet_, keys)
    click.echo(f"queued {len(queued)} of {len(keys)} sites" +
               (f" ({len(keys) - len(queued)} already queued or running)" if len(queued) < len(keys) else ""))


@fleet.command("worker")
@fleet_config_option
@click.option("--processes", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Worker processes (each its own heartbeat).")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Audits run at once per process, each a `govinspect audit` child; one message held per thread.")
def fleet_worker(config_path: str, processes: int, threads: int) -> None:
    """Run crawl jobs until SIGTERM or Ctrl-C: the `dramatiq` worker on the crawl queue, prefetch 1 per thread."""
    import os

    _fleet(config_path)
    env = {**os.environ, "GOVINSPECT_FLEET_CONFIG": str(Path(config_path).resolve()),
           # One message per thread: a long audit never sits in a worker's memory behind another.
           "dramatiq_queue_prefetch": str(threads)}
    os.execve(sys.executable, [sys.executable, "-m", "dramatiq", "govinspect.fleet.actors:setup",
                               "--processes", str(processes), "--threads", str(threads), "--queues", "crawl"], env)


@fleet.command("ingest")
@fleet_config_option
def fleet_ingest(config_path: str) -> None:
    """The single writer of the fleet database: merge each finished site's shard, until SIGTERM or Ctrl-C."""
    from govinspect.fleet.writer import run_ingest_worker

    fleet_ = _fleet(config_path)
    try:
        run_ingest_worker(fleet_)
    except BlockingIOError:
        raise UserError(f"{fleet_.config.database}: another `govinspect fleet ingest` is its writer already") from None


@fleet.command("status")
@fleet_config_option
@click.option("--json", "as_json", is_flag=True, help="The board as JSON: site key → state, health, error.")
def fleet_status(config_path: str, as_json: bool) -> None:
    """Show each site's state tonight (queued / running / done / failed), its run's health and any error."""
    import json

    from govinspect.fleet.board import STATE_ZH, STATES
    from govinspect.fleet.ranking import HEALTH_ZH

    fleet_ = _fleet(config_path)
    board = fleet_.board.all()
    records = {entry.key: board.get(entry.key, {}) for entry in fleet_.config.sites}
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    for key, record in records.items():
        state = record.get("state")
        line = f"{_pad(key, 24)} {_pad(STATE_ZH.get(state, '未排队'), 14)}"
        if record.get("health"):
            line += f" {_pad(HEALTH_ZH.get(record['health'], record['health']), 10)}"
            line += "已入库" if record.get("ingested") else "待入库"
        if record.get("waiting"):
            line += f" 等待：{record['waiting']}"
        if record.get("error"):
            line += f" {record['error']}"
        click.echo(line)
    counts = {s: sum(1 for r in records.values() if r.get("state") == s) for s in STATES}
    click.echo("  ".join(f"{s} {n}" for s, n in counts.items()), err=True)


@fleet.command("report")
@fleet_config_option
@click.option("--format", "fmt", required=True, type=click.Choice(["xlsx", "html", "docx", "json"]),
              help="The ranking (xlsx, html, json: govinspect.fleet/1) or the 通报 (docx).")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option("--deadline-days", type=click.IntRange(1, 365), default=10, show_default=True,
              help="Rectification deadline in the 通报: working days after the last run.")
def fleet_report(config_path: str, fmt: str, out_file: str, deadline_days: int) -> None:
    """Write the fleet report from the fleet database: sites ranked by health, vetoes and findings."""
    from govinspect.fleet.config import load_fleet_config
    from govinspect.fleet.export import write_fleet_report

    config = load_fleet_config(config_path)
    _existing_db(str(config.database))
    with Store(config.database) as store:
        try:
            written = write_fleet_report(store, config, fmt, Path(out_file), deadline_days=deadline_days)
        except OSError as error:
            raise UserError(f"--out: cannot write {out_file} ({error.strerror or error})") from None
    click.echo(str(written))
