"""The check registry: every entry point of group `govinspect.checks`, and the site configuration applied to it."""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from checks.api import SEVERITIES, Check
from govinspect.config import ConfigError, SiteConfig

GROUP = "govinspect.checks"
_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$")


class PluginError(Exception):
    """A plug-in that cannot be used: the message names the entry point and what is wrong with it."""


class Registry:
    """Check classes by id, in id order."""

    def __init__(self, checks: dict[str, type[Check]]):
        self.checks = dict(sorted(checks.items()))

    def __iter__(self):
        return iter(self.checks.values())

    def __contains__(self, check_id: str) -> bool:
        return check_id in self.checks

    def ids(self) -> list[str]:
        return list(self.checks)

    def enabled(self, config: SiteConfig | None) -> dict[str, bool]:
        """Whether each check runs under `config` (all do without one); unknown ids in it are a ConfigError."""
        disabled = set(config.checks.disable) if config else set()
        if config:
            for check_id in config.checks.disable:
                self._known(check_id, config.source, "checks.disable")
        return {check_id: check_id not in disabled for check_id in self.checks}

    def configure(self, config: SiteConfig | None) -> list[tuple[Check, dict[str, Any]]]:
        """The enabled checks, each with its options (defaults overridden by the configuration), validated."""
        enabled = self.enabled(config)
        overrides = config.checks.options if config else {}
        for check_id in overrides:
            self._known(check_id, config.source, f'checks.options."{check_id}"')
        out = []
        for check_id, cls in self.checks.items():
            given = overrides.get(check_id, {})
            for name, value in given.items():
                _check_option(cls, name, value, config.source)
            given = _resolve_paths(cls, given, config)
            if enabled[check_id]:
                out.append((cls(), {**cls.options, **given}))
        return out

    def _known(self, check_id: str, source: str, key: str) -> None:
        if check_id not in self.checks:
            raise ConfigError(source, key, f"unknown check id {check_id!r} (`govinspect checks` lists them)")


def _check_option(cls: type[Check], name: str, value: Any, source: str) -> None:
    key = f'checks.options."{cls.id}".{name}'
    if name not in cls.options:
        known = ", ".join(cls.options) or "none"
        raise ConfigError(source, key, f"unknown option (options of {cls.id}: {known})")
    default = cls.options[name]
    # bool is an int to Python, never to a person writing a configuration.
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(value, bool) and isinstance(default, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float))
    elif isinstance(default, list):
        ok = isinstance(value, list) and (not default or all(isinstance(v, type(default[0])) for v in value))
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ConfigError(source, key, f"must be {_kind(default)} like the default {default!r}, not {value!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A negative or zero number of days, pages or a ratio of 0 turns a rule off or makes it fire on everything.
        least = cls.option_minimums.get(name)
        if least is None and value <= 0:
            raise ConfigError(source, key, f"must be greater than 0, not {value!r}")
        if least is not None and value < least:
            raise ConfigError(source, key, f"must be at least {least!r}, not {value!r}")


def _resolve_paths(cls: type[Check], given: dict[str, Any], config: SiteConfig | None) -> dict[str, Any]:
    """Path options made absolute against the configuration file's folder; a file that is not there is an error."""
    if not config or not cls.path_options:
        return given
    source = Path(config.source)
    folder = source.parent if source.is_file() else Path.cwd()
    out = dict(given)
    for name in cls.path_options:
        if name not in given:
            continue
        paths = given[name] if isinstance(given[name], list) else [given[name]]
        resolved = []
        for raw in paths:
            path = Path(raw).expanduser()
            path = path if path.is_absolute() else folder / path
            if not path.is_file():
                raise ConfigError(config.source, f'checks.options."{cls.id}".{name}', f"no such file: {path}")
            resolved.append(str(path))
        out[name] = resolved if isinstance(given[name], list) else resolved[0]
    return out


def _kind(value: Any) -> str:
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string",
            list: "a list"}.get(type(value), type(value).__name__)


def checks_in(target: Any) -> list[type[Check]]:
    """The check classes an entry point names: the class itself, or every Check subclass with an id in a module."""
    if isinstance(target, ModuleType):
        return [value for value in vars(target).values()
                if isinstance(value, type) and issubclass(value, Check) and value.id]
    if isinstance(target, type) and issubclass(target, Check):
        return [target]
    raise TypeError("names neither a module nor a Check subclass")


def _validate(cls: type[Check]) -> None:
    if not _ID.match(cls.id):
        raise TypeError(f"{cls.__name__}: id {cls.id!r} is not of the form area.name")
    if not cls.title or not cls.indicator:
        raise TypeError(f"{cls.__name__} ({cls.id}): title and indicator are required")
    if cls.severity not in SEVERITIES:
        raise TypeError(f"{cls.__name__} ({cls.id}): severity {cls.severity!r} is not one of {', '.join(SEVERITIES)}")
    if not isinstance(cls.options, dict):
        raise TypeError(f"{cls.__name__} ({cls.id}): options must be a dict of name to default")
    unknown = set(cls.option_minimums) - set(cls.options)
    if unknown:
        raise TypeError(f"{cls.__name__} ({cls.id}): option_minimums names no option: {', '.join(sorted(unknown))}")


def load_registry() -> Registry:
    """Every check registered under the entry-point group; a broken plug-in or a duplicate id is a PluginError."""
    found: dict[str, tuple[type[Check], str]] = {}
    for point in entry_points(group=GROUP):
        where = f"entry point {point.name} = {point.value}"
        try:
            classes = checks_in(point.load())
            for cls in classes:
                _validate(cls)
        except Exception as error:  # a plug-in may fail in any way while importing
            raise PluginError(f"{GROUP}: {where}: {error}") from None
        for cls in classes:
            known = found.get(cls.id)
            if known and known[0] is not cls:
                raise PluginError(f"{GROUP}: duplicate check id {cls.id!r}: {known[1]} and {where}")
            found[cls.id] = (cls, where)
    return Registry({check_id: cls for check_id, (cls, _) in found.items()})
