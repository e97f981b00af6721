"""Dates as the user types them: strictly YYYY-MM-DD, with messages they can act on."""

import re
from datetime import date

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str, what: str = "date") -> date:
    """Parse YYYY-MM-DD; anything else raises ValueError naming the value ("2026-02-30 is not a date")."""
    value = text.strip()
    if not _ISO.fullmatch(value):
        raise ValueError(f"{what} {value!r} is not in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} {value} is not a date") from None


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]
