"""The fleet configuration (fleet.toml): the sites, their groups, the queue and the politeness groups."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from govinspect.config import (ConfigError, SiteConfig, _no_unknown, _section, config_from_dict, load_config,
                               read_toml)

MODES = ("incremental", "full")


@dataclass
class FleetSection:
    name: str
    database: str = "fleet.db"
    shards: str = "shards/"
    redis_url: str = "redis://127.0.0.1:6379/0"
    mode: str = "incremental"          # each night's audit; a site without a shard yet gets a full one
    as_of: str = ""                    # an ISO date for every audit (reproducible runs); "" is today
    heartbeat_seconds: float = 60.0    # a worker silent this long is dead: its jobs go back to the queue
    time_budget_minutes: float = 300.0
    stop_grace_seconds: float = 300.0  # SIGINT at the budget, then this long before the kill
    politeness_retry_seconds: float = 30.0  # a job whose politeness group is busy is tried again this much later
    max_attempts: int = 3              # an audit that crashes (not: fails, or is degraded) is tried this often
    keep_runs: int = 2                 # each site's latest finished runs the fleet database holds (0: all)


@dataclass
class SiteEntry:
    key: str                           # the shard's name, unique in the fleet
    group: str
    config_path: Path | None           # a site configuration file, or
    inline: dict[str, Any] | None      # the configuration written into fleet.toml


@dataclass
class PolitenessGroup:
    name: str
    hosts: list[str]
    concurrency: int


@dataclass
class FleetConfig:
    fleet: FleetSection
    sites: list[SiteEntry]
    politeness: list[PolitenessGroup] = field(default_factory=list)
    source: str = "fleet.toml"

    @property
    def folder(self) -> Path:
        return Path(self.source).resolve().parent

    @property
    def database(self) -> Path:
        return self.folder / self.fleet.database

    @property
    def shards(self) -> Path:
        return self.folder / self.fleet.shards

    def shard(self, key: str) -> Path:
        return self.shards / f"{key}.db"

    def site(self, key: str) -> SiteEntry:
        for entry in self.sites:
            if entry.key == key:
                return entry
        raise ConfigError(self.source, "sites", f"no site {key!r} in this fleet")

    def site_config(self, entry: SiteEntry) -> SiteConfig:
        """The site's configuration, validated: a mistake is a ConfigError naming the site's file and key."""
        if entry.config_path is not None:
            return load_config(entry.config_path)
        return config_from_dict(entry.inline or {}, f"{self.source} [sites.{entry.key}]")

    def site_config_file(self, entry: SiteEntry) -> Path:
        """A file the audit process can read: the site's own, or the inline one written into the shards folder."""
        if entry.config_path is not None:
            return entry.config_path
        path = self.shards / f"{entry.key}.site.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_toml(entry.inline or {}), encoding="utf-8")
        return path

    def politeness_group(self, config: SiteConfig) -> PolitenessGroup:
        """The request budget the site's host shares; a host in no group is a group of its own for one audit."""
        host = netloc(config.site.base_url)
        for group in self.politeness:
            if host in group.hosts:
                return group
        return PolitenessGroup(f"host {host}", [host], config.crawl.concurrency_per_host)


def netloc(url: str) -> str:
    """host, or host:port when the port is not the scheme's own: the unit a politeness group lists."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return f"{host}:{parts.port}" if parts.port and parts.port != default else host


def load_fleet_config(path: str | Path) -> FleetConfig:
    """Read and validate fleet.toml; site configurations themselves are read by each job (a broken one is that
    site's dead letter, not the whole fleet's refusal)."""
    path = Path(path)
    source = str(path)
    raw = read_toml(path)
    _no_unknown(raw, {"fleet", "sites", "politeness"}, source, "")
    if "fleet" not in raw:
        raise ConfigError(source, "[fleet]", "missing section")
    fleet = _section(FleetSection, raw["fleet"], source, "fleet")
    _check_fleet(fleet, source)
    sites = _sites(raw.get("sites", []), path, source)
    groups = _politeness(raw.get("politeness", []), source)
    return FleetConfig(fleet=fleet, sites=sites, politeness=groups, source=source)


def _check_fleet(fleet: FleetSection, source: str) -> None:
    if not fleet.name.strip():
        raise ConfigError(source, "fleet.name", "must not be empty")
    if urlsplit(fleet.redis_url).scheme not in ("redis", "rediss", "unix"):
        raise ConfigError(source, "fleet.redis_url", f"not a redis:// URL: {fleet.redis_url!r}")
    if fleet.mode not in MODES:
        raise ConfigError(source, "fleet.mode", f"must be one of {', '.join(MODES)}, not {fleet.mode!r}")
    if fleet.as_of and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", fleet.as_of):
        raise ConfigError(source, "fleet.as_of", f"not an ISO date (YYYY-MM-DD): {fleet.as_of!r}")
    for name in ("heartbeat_seconds", "time_budget_minutes", "politeness_retry_seconds", "max_attempts"):
        if getattr(fleet, name) <= 0:
            raise ConfigError(source, f"fleet.{name}", "must be greater than 0")
    for name in ("stop_grace_seconds", "keep_runs"):
        if getattr(fleet, name) < 0:
            raise ConfigError(source, f"fleet.{name}", "must not be negative")


def _sites(raw: Any, path: Path, source: str) -> list[SiteEntry]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError(source, "sites", "needs at least one [[sites]] entry")
    sites, keys = [], set()
    for index, item in enumerate(raw):
        where = f"sites[{index}]"
        if not isinstance(item, dict):
            raise ConfigError(source, where, "must be a table")
        inline = {k: v for k, v in item.items() if k not in ("config", "group", "key")}
        if "config" in item:
            if inline:
                raise ConfigError(source, f"{where}.{next(iter(inline))}",
                                  "give either config = \"file\" or the configuration inline, not both")
            if not isinstance(item["config"], str) or not item["config"]:
                raise ConfigError(source, f"{where}.config", "must be the path of a site configuration")
            config_path = (path.parent / item["config"]).resolve()
            default_key = Path(item["config"]).stem
        elif "site" in inline:
            config_path = None
            name = inline["site"].get("name") if isinstance(inline["site"], dict) else None
            default_key = re.sub(r"[^\w.\-]+", "_", name) if isinstance(name, str) else f"site{index + 1}"
        else:
            raise ConfigError(source, where, "needs config = \"sites/x.toml\" or an inline [sites.site] table")
        key = item.get("key", default_key)
        if not isinstance(key, str) or not re.fullmatch(r"[\w.\-]+", key):
            raise ConfigError(source, f"{where}.key", f"must be letters, digits, '.', '-' or '_', not {key!r}")
        if key in keys:
            raise ConfigError(source, f"{where}.key", f"{key!r} names two sites (set key = \"…\" to tell them apart)")
        keys.add(key)
        group = item.get("group", "")
        if not isinstance(group, str):
            raise ConfigError(source, f"{where}.group", f"must be a string, not {group!r}")
        sites.append(SiteEntry(key=key, group=group, config_path=config_path, inline=inline or None))
    return sites


def _politeness(raw: Any, source: str) -> list[PolitenessGroup]:
    if not isinstance(raw, list):
        raise ConfigError(source, "politeness", "must be an array of tables ([[politeness]])")
    groups, seen = [], {}
    for index, item in enumerate(raw):
        where = f"politeness[{index}]"
        if not isinstance(item, dict):
            raise ConfigError(source, where, "must be a table")
        _no_unknown(item, {"name", "hosts", "concurrency"}, source, where)
        hosts = item.get("hosts")
        if not isinstance(hosts, list) or not hosts or not all(isinstance(h, str) and h for h in hosts):
            raise ConfigError(source, f"{where}.hosts", "must be a non-empty list of host names")
        concurrency = item.get("concurrency")
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ConfigError(source, f"{where}.concurrency", f"must be an integer of 1 or more, not {concurrency!r}")
        hosts = [h.lower() for h in hosts]
        for host in hosts:
            if host in seen:
                raise ConfigError(source, f"{where}.hosts", f"{host} is already in politeness[{seen[host]}]")
            seen[host] = index
        name = item.get("name", f"politeness[{index}]")
        groups.append(PolitenessGroup(str(name), hosts, concurrency))
    return groups


def dump_toml(data: dict[str, Any]) -> str:
    """An inline site configuration as a TOML file (tables, arrays of tables, strings, numbers, lists)."""
    lines: list[str] = []

    def scalar(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return repr(value)
        if isinstance(value, list):
            return "[" + ", ".join(scalar(v) for v in value) + "]"
        return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string

    def table(prefix: str, values: dict[str, Any]) -> None:
        plain = {k: v for k, v in values.items() if not isinstance(v, dict) and not _is_tables(v)}
        if plain or not prefix.count("."):
            lines.append(f"[{prefix}]")
            lines.extend(f"{json.dumps(k, ensure_ascii=False)} = {scalar(v)}" for k, v in plain.items())
        for k, v in values.items():
            if isinstance(v, dict):
                table(f"{prefix}.{json.dumps(k, ensure_ascii=False)}", v)

    for key, value in data.items():
        if isinstance(value, dict):
            table(key, value)
        elif _is_tables(value):
            for item in value:
                lines.append(f"[[{key}]]")
                lines.extend(f"{json.dumps(k, ensure_ascii=False)} = {scalar(v)}" for k, v in item.items())
        else:
            raise ConfigError("fleet.toml", key, "an inline site configuration holds tables only")
    return "\n".join(lines) + "\n"


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
