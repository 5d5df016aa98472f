"""Working days by the Chinese holiday calendar, and titles that name the same document (shared check helpers)."""

from __future__ import annotations

from datetime import date

import pytest

from checks.titles import same_document, year_in
from checks.workdays import add_working_days, covered_years, working_days_between


@pytest.mark.parametrize("start, end, days", [
    (date(2026, 9, 30), date(2026, 10, 9), 2),     # 国庆 1–7 October off
    (date(2026, 10, 9), date(2026, 10, 12), 2),    # Saturday 10 October is a make-up working day
    (date(2026, 11, 20), date(2026, 11, 20), 0),
    (date(2026, 11, 20), date(2026, 11, 19), 0),
])
def test_working_days_with_holidays_and_make_up_days(start, end, days):
    result = working_days_between(start, end)
    assert result.days == days and result.uncovered_years == []


def test_a_year_without_holiday_data_counts_monday_to_friday_and_says_so():
    last = covered_years()[1]
    result = working_days_between(date(last + 1, 1, 1), date(last + 1, 1, 31))
    assert result.uncovered_years == [last + 1]
    assert f"{last + 1}年无节假日数据，按周一至周五计算" in result.calendar
    assert result.days == sum(1 for d in range(2, 32) if date(last + 1, 1, d).weekday() < 5)  # after 1 January


def test_add_working_days_skips_the_holiday():
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)


@pytest.mark.parametrize("a, b, same", [
    ("青山县审计局审计档案管理办法", "青山县审计局关于印发《青山县审计局审计档案管理办法》的通知", True),
    ("审计档案管理办法", "青山县审计局关于印发《青山县审计局审计档案管理办法》的通知", True),
    ("青山县审计局关于进一步加强审计整改工作的通知", "关于进一步加强审计整改工作的通知", True),
    ("青山县审计局 审计档案 管理办法", "青山县审计局审计档案管理办法。", True),
    ("青山县审计局审计现场管理办法", "青山县审计局关于印发《青山县审计局审计档案管理办法》的通知", False),
    ("管理办法", "审计档案管理办法", False),
    (None, "审计档案管理办法", False),
])
def test_same_document(a, b, same):
    assert same_document(a, b, "青山县审计局") == same


@pytest.mark.parametrize("title, year", [("乐清市审计局 2021 年政府信息公开工作总结", 2021),
                                         ("二〇二三年度政府信息公开工作年度报告", 2023), ("政府信息公开工作年度报告", None)])
def test_year_in(title, year):
    assert year_in(title) == year
