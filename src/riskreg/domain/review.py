"""Review cadence: when a hazard or a safeguard is next due for review or verification."""

from datetime import date

from dateutil.relativedelta import relativedelta


def next_due(anchor: date, cadence_months: int) -> date:
    """The next review date: the anchor (the day of the last review) plus the cadence in months.

    relativedelta clamps to the end of a shorter month (Jan 31 + 1 month = Feb 28), and each next
    date is computed from the day the review actually happened, never by adding to an earlier
    computed date, so clamping never accumulates.
    """
    if cadence_months < 1:
        raise ValueError(f"review cadence must be at least 1 month, got {cadence_months}")
    return anchor + relativedelta(months=cadence_months)


def is_overdue(next_review: date | None, today: date) -> bool:
    """A review is overdue the day after its due date."""
    return next_review is not None and next_review < today


def days_until(due: date, today: date) -> int:
    """Days left until a date (negative when it has passed)."""
    return (due - today).days
