"""Dates as the user types them: strictly YYYY-MM-DD, with messages they can act on."""

import calendar
import re
from datetime import date

from riskreg.domain.limits import OUT_OF_RANGE, out_of_range

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str, what: str = "date") -> date:
    """Parse YYYY-MM-DD; anything else raises ValueError naming the value ("2026-02-30 is not a
    date"), as does a date outside the years the register keeps (see `limits`)."""
    value = text.strip()
    if not _ISO.fullmatch(value):
        raise ValueError(f"{what} {value!r} is not in the form YYYY-MM-DD")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(not_a_date(value, what)) from None
    if out_of_range(day):
        raise ValueError(f"{what} {value} {OUT_OF_RANGE}")
    return day


def not_a_date(value: str, what: str = "date") -> str:
    """"date 2026-13-01 is not a date (there is no month 13)": the reason says which part to fix
    (new-user run, finding 30: "is not a date" alone left the user to find it). `value` is in the
    form YYYY-MM-DD."""
    year, month, day = (int(part) for part in value.split("-"))
    if not 1 <= month <= 12:
        reason = f"there is no month {month}"
    elif year < 1:
        reason = "there is no year 0"
    else:
        days = calendar.monthrange(year, month)[1]
        reason = (f"there is no day {day}" if day < 1
                  else f"{calendar.month_name[month]} {year} has {days} days")
    return f"{what} {value} is not a date ({reason})"


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]
