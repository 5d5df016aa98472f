"""Site configuration: TOML into typed settings, with every error naming the file and the key."""

from __future__ import annotations

import ipaddress
import tomllib
import zoneinfo
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CATEGORIES = (
    "dynamic", "notice", "policy", "interpretation", "annual_report", "budget",
    "personnel", "planning", "audit_result", "pre_audit", "institution", "guide",
    "interaction", "other",
)
LEVELS = ("department", "government")


class ConfigError(Exception):
    """A configuration mistake a person can fix: the message names the file, the key and what is wrong."""

    def __init__(self, source: str, key: str | None, problem: str):
        self.source, self.key, self.problem = source, key, problem
        where = f"{source}: {key}: " if key else f"{source}: "
        super().__init__(where + problem)


@dataclass
class SiteSection:
    name: str
    base_url: str
    allowed_domains: list[str] = field(default_factory=list)
    timezone: str = "Asia/Shanghai"
    level: str = "department"
    https_url: str = ""  # where HTTPS is checked (default: an https base URL, else its host on port 443)
    http_url: str = ""   # where plain HTTP must redirect to HTTPS (default: an http base URL, else its host on port 80)


@dataclass
class CrawlSection:
    max_pages: int = 50000
    max_depth: int = 8
    concurrency_per_host: int = 2
    delay_seconds: float = 0.5
    timeout_seconds: float = 15.0
    check_external: bool = True
    obey_robots: bool = False
    user_agent: str = "govinspect (+site self-inspection)"
    allow_private_targets: bool = False
    offline: bool = False
    max_list_pages: int = 200
    max_items_per_column: int = 5000
    max_urls_per_shape: int = 500
    max_url_length: int = 400
    backoff_seconds: float = 2.0
    max_download_mb: int = 50
    max_attachment_mb: int = 20
    accessibility_pages: int = 0  # pages (the homepage first) axe-core checks in Chromium after a crawl; 0: none
    browser_lists: bool = False   # render a column drawn by a script once in Chromium, then page its JSON API


@dataclass
class ColumnSection:
    name: str
    url: str
    category: str = "other"
    max_age_days: int | None = None


@dataclass
class ChecksSection:
    disable: list[str] = field(default_factory=list)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class ScheduleSection:
    cron: str = "0 2 * * *"                # the nightly incremental run, in the site's time zone
    full_cron: str = "0 2 * * 0"           # the weekly full run (Sunday 02:00); "" for none
    probe_minutes: float = 60.0            # homepage probe interval; 0 for none
    time_budget_minutes: float = 300.0     # a nightly run longer than this is stopped (SIGINT, grace, kill)
    full_time_budget_minutes: float = 720.0
    stop_grace_seconds: float = 300.0      # between SIGINT and kill: the crawl closes, the checks still run
    misfire_grace_hours: float = 12.0      # a run that could not start on time still starts this late
    catch_up: bool = True                  # on start, run a missed nightly (or weekly) run at once


WEBHOOK_FORMATS = ("wecom", "dingtalk", "json")
SMTP_SECURITY = ("starttls", "ssl", "none")


@dataclass
class AlertsSection:
    """Where notices go. Secrets never live here (runs store the configuration): only the names of their sources."""

    webhook_url: str = ""                  # a URL without a key in it (a generic JSON receiver)
    webhook_url_env: str = ""              # or: the environment variable holding the URL with its key
    webhook_format: str = "json"           # wecom (企业微信群机器人), dingtalk (钉钉群机器人) or json
    dingtalk_secret_env: str = ""          # 钉钉 加签: the environment variable holding the SEC… secret
    smtp_host: str = ""
    smtp_port: int = 0                     # 0: 465 for ssl, 587 for starttls, 25 for none
    smtp_security: str = "starttls"
    smtp_user: str = ""
    password_env: str = "GOVINSPECT_SMTP_PASSWORD"
    password_file: str = ""                # or: an absolute path to a file holding the password
    mail_from: str = ""
    mail_to: list[str] = field(default_factory=list)
    timeout_seconds: float = 20.0


@dataclass
class ReportSection:
    screenshots: bool = False              # evidence screenshots of the pages with findings, at audit time
    screenshot_pages: int = 50             # at most this many pages a run
    screenshot_max_kb: int = 800           # a taller screenshot is cut down to this size


@dataclass
class SiteConfig:
    site: SiteSection
    crawl: CrawlSection = field(default_factory=CrawlSection)
    columns: list[ColumnSection] = field(default_factory=list)
    checks: ChecksSection = field(default_factory=ChecksSection)
    schedule: ScheduleSection = field(default_factory=ScheduleSection)
    alerts: AlertsSection = field(default_factory=AlertsSection)
    report: ReportSection = field(default_factory=ReportSection)
    source: str = "<config>"

    @property
    def site_host(self) -> str:
        return urlsplit(self.site.base_url).hostname or ""

    def may_contact(self, host: str) -> bool:
        """Private targets are never requested, unless the site itself lives on the same kind of address."""
        kind = private_kind(host)
        return kind is None or self.crawl.allow_private_targets or kind == private_kind(self.site_host)


def private_kind(host: str) -> str | None:
    """What kind of non-public address a host is (loopback, private, link-local, intranet), or None if public."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return "loopback"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if (host and "." not in host) or host.endswith((".local", ".lan", ".intranet", ".internal", ".corp")):
            return "intranet"
        return None
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_private or address.is_reserved or address.is_unspecified:
        return "private"
    return None


def is_private_host(host: str) -> bool:
    return private_kind(host) is not None


def load_config(path: str | Path) -> SiteConfig:
    """Read and validate a site configuration file."""
    return config_from_dict(read_toml(path), str(path))


def read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML file's content; a missing, unreadable or malformed file is a ConfigError naming it."""
    source = str(path)
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(source, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(source, None, f"cannot read the file ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(source, None, f"not valid TOML: {error}") from None


def config_from_dict(raw: dict[str, Any], source: str = "<config>") -> SiteConfig:
    """Validate an already parsed configuration (the demo builds one in code)."""
    _no_unknown(raw, {"site", "crawl", "columns", "checks", "schedule", "alerts", "report"}, source, "")
    if "site" not in raw:
        raise ConfigError(source, "[site]", "missing section")
    site = _section(SiteSection, raw["site"], source, "site")
    _check_url(site.base_url, source, "site.base_url")
    for key, scheme in (("https_url", "https"), ("http_url", "http")):
        if getattr(site, key):
            _check_url(getattr(site, key), source, f"site.{key}")
            if urlsplit(getattr(site, key)).scheme != scheme:
                raise ConfigError(source, f"site.{key}", f"must be an {scheme}:// URL")
    if not site.base_url.endswith("/") and not urlsplit(site.base_url).path:
        site.base_url += "/"
    if not site.allowed_domains:
        site.allowed_domains = [urlsplit(site.base_url).hostname]
    if site.level not in LEVELS:
        raise ConfigError(source, "site.level", f"must be one of {', '.join(LEVELS)}, not {site.level!r}")
    try:
        zoneinfo.ZoneInfo(site.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(source, "site.timezone", f"unknown time zone {site.timezone!r}") from None
    crawl = _section(CrawlSection, raw.get("crawl", {}), source, "crawl")
    for name in ("max_pages", "max_depth", "concurrency_per_host", "max_list_pages", "max_items_per_column",
                 "max_urls_per_shape", "max_url_length",
                 "max_download_mb", "max_attachment_mb", "timeout_seconds"):
        if getattr(crawl, name) <= 0:
            raise ConfigError(source, f"crawl.{name}", "must be greater than 0")
    for name in ("delay_seconds", "backoff_seconds", "accessibility_pages"):
        if getattr(crawl, name) < 0:
            raise ConfigError(source, f"crawl.{name}", "must not be negative")
    columns_raw = raw.get("columns", [])
    if not isinstance(columns_raw, list):
        raise ConfigError(source, "columns", "must be an array of tables ([[columns]])")
    columns = []
    for index, column_raw in enumerate(columns_raw):
        key = f"columns[{index}]"
        column = _section(ColumnSection, column_raw, source, key)
        _check_url(column.url, source, f"{key}.url")
        if column.category not in CATEGORIES:
            raise ConfigError(source, f"{key}.category",
                              f"unknown category {column.category!r} (one of {', '.join(CATEGORIES)})")
        if column.max_age_days is not None and column.max_age_days <= 0:
            raise ConfigError(source, f"{key}.max_age_days", "must be greater than 0")
        columns.append(column)
    checks_raw = dict(raw.get("checks", {}))
    if not isinstance(checks_raw, dict):
        raise ConfigError(source, "checks", "must be a table")
    options = checks_raw.pop("options", {})
    checks = _section(ChecksSection, checks_raw, source, "checks")
    if not isinstance(options, dict) or not all(isinstance(v, dict) for v in options.values()):
        raise ConfigError(source, "checks.options", 'must hold tables like [checks.options."check.id"]')
    checks.options = options
    schedule = _section(ScheduleSection, raw.get("schedule", {}), source, "schedule")
    if "schedule" in raw:  # the defaults are valid: APScheduler is loaded only for a configuration that schedules
        _check_schedule(schedule, site.timezone, source)
    alerts = _section(AlertsSection, raw.get("alerts", {}), source, "alerts")
    _check_alerts(alerts, source)
    report = _section(ReportSection, raw.get("report", {}), source, "report")
    if not 1 <= report.screenshot_pages <= 1000:
        raise ConfigError(source, "report.screenshot_pages", "must be between 1 and 1000")
    if not 50 <= report.screenshot_max_kb <= 5000:
        raise ConfigError(source, "report.screenshot_max_kb", "must be between 50 and 5000")
    return SiteConfig(site=site, crawl=crawl, columns=columns, checks=checks, schedule=schedule, alerts=alerts,
                      report=report, source=source)


def _check_schedule(schedule: ScheduleSection, timezone: str, source: str) -> None:
    from schedules.cron import cron_trigger

    for name in ("cron", "full_cron"):
        expression = getattr(schedule, name)
        if name == "cron" or expression.strip():
            try:
                cron_trigger(expression, timezone)
            except ValueError as error:
                raise ConfigError(source, f"schedule.{name}", f"not a crontab expression: {error}") from None
    for name in ("time_budget_minutes", "full_time_budget_minutes", "misfire_grace_hours"):
        if getattr(schedule, name) <= 0:
            raise ConfigError(source, f"schedule.{name}", "must be greater than 0")
    for name in ("probe_minutes", "stop_grace_seconds"):
        if getattr(schedule, name) < 0:
            raise ConfigError(source, f"schedule.{name}", "must not be negative")


def _check_alerts(alerts: AlertsSection, source: str) -> None:
    if alerts.webhook_format not in WEBHOOK_FORMATS:
        raise ConfigError(source, "alerts.webhook_format",
                          f"must be one of {', '.join(WEBHOOK_FORMATS)}, not {alerts.webhook_format!r}")
    if alerts.webhook_url:
        _check_url(alerts.webhook_url, source, "alerts.webhook_url")
        parts = urlsplit(alerts.webhook_url)
        if parts.query or parts.username or parts.password:
            raise ConfigError(source, "alerts.webhook_url",
                              "holds a key (a query or user part); the configuration is stored with every run, "
                              "so put the URL in an environment variable and name it in alerts.webhook_url_env")
    if alerts.smtp_security not in SMTP_SECURITY:
        raise ConfigError(source, "alerts.smtp_security",
                          f"must be one of {', '.join(SMTP_SECURITY)}, not {alerts.smtp_security!r}")
    if not 0 <= alerts.smtp_port <= 65535:
        raise ConfigError(source, "alerts.smtp_port", "must be a port number")
    if alerts.smtp_host and not alerts.mail_to:
        raise ConfigError(source, "alerts.mail_to", "required with alerts.smtp_host: whom to write to")
    if alerts.smtp_host and not alerts.mail_from:
        raise ConfigError(source, "alerts.mail_from", "required with alerts.smtp_host")
    if alerts.password_file and not Path(alerts.password_file).is_absolute():
        raise ConfigError(source, "alerts.password_file",
                          "must be an absolute path (to a file outside the repository, readable by the daemon only)")
    if alerts.timeout_seconds <= 0:
        raise ConfigError(source, "alerts.timeout_seconds", "must be greater than 0")


def _no_unknown(raw: dict, known: set[str], source: str, prefix: str) -> None:
    for key in raw:
        if key not in known:
            name = f"{prefix}.{key}" if prefix else key
            raise ConfigError(source, name, f"unknown key (expected one of {', '.join(sorted(known))})")


def _section(cls, raw: Any, source: str, prefix: str):
    if not isinstance(raw, dict):
        raise ConfigError(source, prefix, "must be a table")
    spec = {f.name: f for f in fields(cls)}
    _no_unknown(raw, set(spec), source, prefix)
    values = {}
    for name, value in raw.items():
        values[name] = _typed(value, spec[name].type, source, f"{prefix}.{name}")
    try:
        return cls(**values)
    except TypeError:
        missing = [f.name for f in fields(cls) if f.name not in raw and f.default is f.default_factory]
        raise ConfigError(source, f"{prefix}.{missing[0]}" if missing else prefix, "required key is missing") from None


_EXPECTED = {"str": str, "int": int, "float": (int, float), "bool": bool,
             "list[str]": list, "int | None": int}


def _typed(value: Any, annotation: str, source: str, key: str) -> Any:
    expected = _EXPECTED.get(annotation)
    if expected is None:
        return value
    bad_bool = isinstance(value, bool) and annotation != "bool"
    if bad_bool or not isinstance(value, expected):
        words = {"str": "a string", "int": "an integer", "float": "a number", "bool": "true or false",
                 "list[str]": "a list of strings", "int | None": "an integer"}
        raise ConfigError(source, key, f"must be {words[annotation]}, not {value!r}")
    if annotation == "list[str]" and not all(isinstance(item, str) for item in value):
        raise ConfigError(source, key, "must be a list of strings")
    if annotation == "float":
        return float(value)
    return value


def _check_url(url: str, source: str, key: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(source, key, f"not an http(s) URL: {url!r}")
