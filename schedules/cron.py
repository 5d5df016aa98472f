"""Crontab expressions as APScheduler 3 triggers, with crontab's own weekday numbers (0 and 7 are Sunday).

APScheduler 3's `CronTrigger.from_crontab` counts weekdays from Monday = 0, so "0 2 * * 0" would run on
Mondays; here the day-of-week field is translated to day names first. Five fields are crontab's
(minute hour day month weekday); six put seconds in front, which only tests want.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.cron import CronTrigger

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_NAMES = {name: number for number, name in enumerate(DAY_NAMES)}


def _day_number(text: str) -> int:
    text = text.strip().lower()
    if text[:3] in _NAMES and text.isalpha():
        return _NAMES[text[:3]]
    number = int(text)
    if not 0 <= number <= 7:
        raise ValueError(f"weekday {number} is not between 0 and 7")
    return number % 7


def _weekdays(field: str) -> str:
    """A crontab weekday field ("1-5", "0,6", "*/2", "sun") as APScheduler day names ("mon,tue,…")."""
    if field == "*":
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        part, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step <= 0:
            raise ValueError(f"step {step} must be greater than 0")
        if part == "*":
            first, last = 0, 6
        elif "-" in part:
            first_text, last_text = part.split("-", 1)
            first, last = _day_number(first_text), _day_number(last_text)
            if last_text.strip() == "7":
                last = 7
            if last < first:
                raise ValueError(f"range {part!r} runs backwards")
        else:
            first = last = _day_number(part)
            if step_text:
                last = 6
        days.update(day % 7 for day in range(first, last + 1, step))
    # APScheduler's week starts on Monday: list the names in its order.
    return ",".join(DAY_NAMES[day] for day in sorted(days, key=lambda d: (d - 1) % 7))


def cron_trigger(expression: str, timezone: tzinfo | str) -> CronTrigger:
    """A trigger for a crontab expression in a time zone; a ValueError says what is wrong with it."""
    fields = expression.split()
    if len(fields) == 5:
        second, (minute, hour, day, month, weekday) = "0", fields
    elif len(fields) == 6:
        second, minute, hour, day, month, weekday = fields
    else:
        raise ValueError(f"{expression!r} has {len(fields)} fields, not 5 (minute hour day month weekday)")
    try:
        weekday = _weekdays(weekday)
    except ValueError as error:
        raise ValueError(f"{expression!r}: weekday field: {error}") from None
    try:
        return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month, day_of_week=weekday,
                           timezone=timezone)
    except ValueError as error:
        raise ValueError(f"{expression!r}: {error}") from None


def previous_fire_time(trigger: CronTrigger, now: datetime, horizon: timedelta = timedelta(days=400)) -> datetime | None:
    """The latest time at or before `now` the trigger fired (APScheduler 3 only looks forward)."""
    low = now - horizon
    step = timedelta(seconds=1)
    # Look back over a window that doubles until it holds a fire time, then walk forward inside it.
    while now - step >= low:
        fire = trigger.get_next_fire_time(None, now - step)
        if fire is not None and fire <= now:
            while True:
                following = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
                if following is None or following > now:
                    return fire
                fire = following
        step *= 2
    return None
