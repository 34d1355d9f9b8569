"""The date filters of expressions, against python-dateutil's relativedelta over random
dates (month ends and 29 February drawn often), and through the sandbox."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from clausekit.language import dates
from clausekit.language.sandbox import environment

# Ordinary days, and the days where calendar arithmetic goes wrong.
MONTH_ENDS = st.builds(
    lambda y, m: date(y, m, 1) + relativedelta(day=31),
    st.integers(1900, 2200),
    st.integers(1, 12),
)
LEAP_DAYS = st.sampled_from(
    [date(y, 2, 29) for y in range(1904, 2200, 4) if y % 100 or y % 400 == 0]
)
DAYS = st.one_of(st.dates(date(1900, 1, 1), date(2200, 12, 31)), MONTH_ENDS, LEAP_DAYS)
COUNTS = st.integers(-600, 600)


@given(DAYS, COUNTS)
def test_add_months_is_relativedelta(day: date, n: int) -> None:
    assert dates.add_months(day, n) == day + relativedelta(months=n)


@given(DAYS, st.integers(-50, 50))
def test_add_years_is_relativedelta(day: date, n: int) -> None:
    assert dates.add_years(day, n) == day + relativedelta(years=n)


@given(DAYS, st.integers(-5000, 5000))
def test_add_days_is_relativedelta(day: date, n: int) -> None:
    assert dates.add_days(day, n) == day + relativedelta(days=n)


@given(DAYS, st.integers(-40, 40))
def test_workdays_counts_weekdays_like_a_calendar(day: date, n: int) -> None:
    # The oracle: walk the calendar one day at a time, counting Monday to Friday.
    step, left, want = (1 if n > 0 else -1), abs(n), day
    while left:
        want += timedelta(days=step)
        left -= want.weekday() < 5
    assert dates.workdays(day, n) == want


@pytest.mark.parametrize(
    ("start", "filter_", "want"),
    [
        (date(2024, 1, 31), "add_months(1)", date(2024, 2, 29)),
        (date(2023, 1, 31), "add_months(1)", date(2023, 2, 28)),
        (date(2024, 2, 29), "add_years(1)", date(2025, 2, 28)),
        (date(2024, 2, 29), "add_years(4)", date(2028, 2, 29)),
        (date(2024, 3, 31), "add_months(-1)", date(2024, 2, 29)),
        (date(2026, 12, 1), "add_days(-1)", date(2026, 11, 30)),
        (date(2026, 12, 31), "add_days(1)", date(2027, 1, 1)),
        # Friday + 1 working day is Monday; Monday - 1 is Friday.
        (date(2026, 12, 4), "workdays(1)", date(2026, 12, 7)),
        (date(2026, 12, 7), "workdays(-1)", date(2026, 12, 4)),
        (date(2026, 12, 7), "workdays(0)", date(2026, 12, 7)),
    ],
)
def test_filters_in_an_expression(start: date, filter_: str, want: date) -> None:
    expr = environment("zh-CN", False).compile_expression(f"d | {filter_}")
    assert expr(d=start) == want


def test_workdays_skip_the_calendar_holidays() -> None:
    holidays = frozenset({date(2026, 12, 31), date(2027, 1, 1)})
    expr = environment("zh-CN", False, holidays).compile_expression("d | workdays(2)")
    # Wednesday 30 December: Thursday and Friday are holidays, then Monday, Tuesday.
    assert expr(d=date(2026, 12, 30)) == date(2027, 1, 5)
    plain = environment("zh-CN", False).compile_expression("d | workdays(2)")
    assert plain(d=date(2026, 12, 30)) == date(2027, 1, 1)


def test_counts_are_whole_numbers_and_values_dates() -> None:
    env = environment("en", False)
    assert env.compile_expression("d | add_months(n)")(d=date(2026, 1, 31), n=Decimal(1)) == date(
        2026, 2, 28
    )
    with pytest.raises(ValueError, match="whole number"):
        env.compile_expression("d | add_days(n)")(d=date(2026, 1, 1), n=Decimal("1.5"))
    with pytest.raises(TypeError, match="add_years needs a date, got '2026-01-01'"):
        env.compile_expression("d | add_years(1)")(d="2026-01-01")
    with pytest.raises(TypeError, match="whole number"):
        env.compile_expression("d | workdays(true)")(d=date(2026, 1, 1))


def test_a_missing_date_in_a_draft_prints_as_a_date_blank() -> None:
    env = environment("zh-CN", True)
    text = env.from_string("{{ term.end | add_months(1) | date }}").render()
    assert text == r"\_\_\_\_年\_\_月\_\_日"
