"""Working days (工作日) by the Chinese holiday calendar: public holidays off, make-up working days (调休) on.

The `chinese-calendar` package knows the years its release covers (the State Council publishes each year's
arrangement in the November before). For a day outside them this falls back to Monday to Friday and says
so: `WorkingDays.calendar` names the rule used, `uncovered_years` the years the fallback was used for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

DAY = timedelta(days=1)


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """The first and last year the installed calendar has holiday data for."""
    years = [day.year for day in chinese_calendar.holidays] + [day.year for day in chinese_calendar.workdays]
    return min(years), max(years)


def has_holiday_data(year: int) -> bool:
    first, last = covered_years()
    return first <= year <= last


@lru_cache(maxsize=4096)  # chinese_calendar validates each day against its whole table: slow
def is_working_day(day: date) -> bool:
    """A working day by the calendar where it has data, else Monday to Friday."""
    if has_holiday_data(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


@dataclass
class WorkingDays:
    days: int
    uncovered_years: list[int] = field(default_factory=list)

    @property
    def calendar(self) -> str:
        """The rule used, for a finding's evidence."""
        first, last = covered_years()
        rule = f"chinese-calendar {getattr(chinese_calendar, '__version__', '')} ({first}–{last})".replace("  ", " ")
        if self.uncovered_years:
            years = "、".join(str(y) for y in self.uncovered_years)
            return f"{rule}; {years}年无节假日数据，按周一至周五计算"
        return rule


def working_days_between(start: date, end: date) -> WorkingDays:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count, uncovered = 0, set()
    day = start + DAY
    while day <= end:
        if not has_holiday_data(day.year):
            uncovered.add(day.year)
        if is_working_day(day):
            count += 1
        day += DAY
    return WorkingDays(count, sorted(uncovered))


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (a deadline such as 「20个工作日内」)."""
    day = start
    while days > 0:
        day += DAY
        if is_working_day(day):
            days -= 1
    return day
