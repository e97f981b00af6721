"""Weekends, US federal holidays and business days, for warnings and business-day state clocks.

Federal breach deadlines are never moved for a weekend or holiday (RULES.md "Day counting"); these
helpers only let the engine warn about them, and count the few state clocks stated in business days.
"""

from datetime import date, timedelta

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def is_weekend(day: date) -> bool:
    """Saturday or Sunday."""
    return day.weekday() >= 5


def add_business_days(start: date, days: int) -> date:
    """`days` Monday-to-Friday days after `start` (start itself is day 0).

    Public holidays are not skipped: skipping them would only make a date later, so counting
    them keeps the result on the safe (earlier) side.
    """
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if not is_weekend(day):
            remaining -= 1
    return day


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday of a month; n = -1 is the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    """A fixed-date holiday falling on Saturday is observed Friday; on Sunday, Monday (5 U.S.C. 6103)."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def federal_holidays(year: int) -> dict[date, str]:
    """The legal public holidays of 5 U.S.C. 6103(a) in a year, with their observed days."""
    fixed = {
        date(year, 1, 1): "New Year's Day",
        date(year, 6, 19): "Juneteenth",
        date(year, 7, 4): "Independence Day",
        date(year, 11, 11): "Veterans Day",
        date(year, 12, 25): "Christmas Day",
    }
    holidays: dict[date, str] = {}
    for day, name in fixed.items():
        holidays[day] = name
        if _observed(day) != day:
            holidays.setdefault(_observed(day), f"{name} (observed)")
    holidays[_nth_weekday(year, 1, 0, 3)] = "Martin Luther King Jr. Day"
    holidays[_nth_weekday(year, 2, 0, 3)] = "Washington's Birthday"
    holidays[_nth_weekday(year, 5, 0, -1)] = "Memorial Day"
    holidays[_nth_weekday(year, 9, 0, 1)] = "Labor Day"
    holidays[_nth_weekday(year, 10, 0, 2)] = "Columbus Day"
    holidays[_nth_weekday(year, 11, 3, 4)] = "Thanksgiving Day"
    # Jan 1 of next year on a Saturday is observed on Dec 31 of this one.
    if date(year + 1, 1, 1).weekday() == 5:
        holidays[date(year, 12, 31)] = "New Year's Day (observed)"
    return holidays


def federal_holiday(day: date) -> str | None:
    """The name of the US federal holiday (or observed holiday) on `day`, if any."""
    return federal_holidays(day.year).get(day)
