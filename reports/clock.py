"""Times as a site's staff read them: in the site's time zone, its UTC offset named, whatever the server's zone."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"


def site_zone(run: dict) -> ZoneInfo:
    """The time zone of the site a run crawled (its stored configuration's `site.timezone`)."""
    settings = json.loads(run.get("config") or "{}").get("site", {})
    return ZoneInfo(settings.get("timezone") or DEFAULT_ZONE)


def local(value: str | None, zone: ZoneInfo) -> datetime | None:
    """A stored ISO time (with its offset; one without is UTC) in the site's zone."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone)


def iso(value: str | None, zone: ZoneInfo) -> str | None:
    moment = local(value, zone)
    return moment.isoformat(timespec="seconds") if moment else None


def offset_label(zone: ZoneInfo, at: datetime | None = None) -> str:
    """UTC+08:00: the zone's offset at a moment (now by default), as a column heading names it."""
    offset = (at or datetime.now(timezone.utc)).astimezone(zone).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
