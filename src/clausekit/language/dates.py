"""Calendar arithmetic for expressions: `add_days`, `add_months`, `add_years`, `workdays`.

Months are calendar months, as contracts count them: a day past the end of the
target month becomes its last day (31 January + 1 month = 29 February in a leap
year; 29 February + 1 year = 28 February).  Working days skip Saturdays,
Sundays and the library's holidays (`calendar:` in clausekit.yml).
"""

from __future__ import annotations

from collections.abc import Set
from datetime import date, timedelta
from decimal import Decimal

# Far enough for any contract period; a bigger count is a mistake in a value.
MAX_WORKDAYS = 100_000


def whole(n: object, what: str) -> int:
    """A count of days, months or years: an integer (a whole Decimal too), never a bool."""
    if isinstance(n, bool) or not isinstance(n, int | Decimal):
        shown = repr(n) if isinstance(n, str) else "a " + type(n).__name__
        raise TypeError(f"{what} needs a whole number, got {shown}")
    if n != int(n):
        raise ValueError(f"{what} needs a whole number, got {n}")
    return int(n)


def add_days(day: date, n: int | Decimal) -> date:
    return day + timedelta(days=whole(n, "add_days"))


def add_months(day: date, n: int | Decimal) -> date:
    """`day` moved by `n` calendar months, clamped to the target month's last day."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + whole(n, "add_months"), 12)
    if not 1 <= year <= 9999:
        raise OverflowError(f"add_months: year {year} is out of range")
    import calendar  # here: most documents move no date by months (1 ms off each start)

    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_years(day: date, n: int | Decimal) -> date:
    return add_months(day, 12 * whole(n, "add_years"))


def is_workday(day: date, holidays: Set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def workdays(day: date, n: int | Decimal, holidays: Set[date] = frozenset()) -> date:
    """The `n`-th working day after `day` (before it when `n` is negative; `day` itself
    when `n` is 0): 工作日 periods, "within 5 working days after signing"."""
    count = whole(n, "workdays")
    if abs(count) > MAX_WORKDAYS:
        raise ValueError(f"workdays: {count} is more than {MAX_WORKDAYS} working days")
    step = timedelta(days=1 if count > 0 else -1)
    left = abs(count)
    while left:
        day += step
        if is_workday(day, holidays):
            left -= 1
    return day
