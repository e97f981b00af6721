"""Dates as the user types them: strictly YYYY-MM-DD, with messages they can act on."""

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
        raise ValueError(f"{what} {value} is not a date") from None
    if out_of_range(day):
        raise ValueError(f"{what} {value} {OUT_OF_RANGE}")
    return day


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]
