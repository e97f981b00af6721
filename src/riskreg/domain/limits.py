"""The ranges every value the register keeps stays within, whoever gives it (a form, a CLI flag,
an imported file), so that every later computation on it stays in range too.

Dates get deadlines, review intervals and calendar alarms added to them (Python's dates end in
9999); whole numbers are stored by SQLite (64 bits) and written into calendar files (RFC 5545's
INTEGER is 32 bits, and an event's SEQUENCE may add two revisions).
"""

from datetime import date

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)

MAX_WHOLE = 2**31 - 1
"""Any whole number the register keeps (RFC 5545's INTEGER range)."""

MAX_REVISION = 1_000_000_000
"""A record's revision: two of them added make a calendar event's SEQUENCE, which must stay a
32-bit INTEGER after many more saves."""

MAX_COUNT = 1_000_000_000
"""People affected, notices sent: more than anyone will ever count, far from any limit."""

LONG_TEXT = 20_000
"""Characters of a free-text field (a description, notes) without a tighter limit of its own:
the same in the forms, the incident steps, the CLI and an import."""


OUT_OF_RANGE = f"is not between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}"
"""The words for a date outside the range, to follow the value."""


def out_of_range(day: date) -> bool:
    return not FIRST_DAY <= day <= LAST_DAY
