"""Law-enforcement holds on notification (45 CFR 164.412).

A written statement that specifies a period delays notice for that period (164.412(a)). An oral
statement delays it no longer than 30 days from the statement, unless a written statement is
submitted during those 30 days, whose period then applies from its own date (164.412(b)).

The regulation does not say how a hold shifts a deadline. Two readings (RULES.md):
- conservative (the due date shown): due = max(original due, hold end), notify the day it lapses;
- tolling (shown beside it, an interpretation for counsel): the clock pauses for the hold,
  tolling_due = hold_end + (original_due - hold_start) when the hold starts on or before the due.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from riskreg.errors import ValidationError

ORAL_HOLD_DAYS = 30
HoldKind = Literal["oral", "written"]

MAX_HOLD_DAYS = 3650
"""The longest written delay taken (ten years): a longer one is surely a typo, and dates computed
from it would run off the calendar (Python's dates end in 9999)."""


@dataclass(frozen=True)
class Hold:
    """A law-enforcement statement: oral (no period) or written with the delay it asks, in days."""

    kind: HoldKind
    statement_on: date
    days: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("oral", "written"):
            raise ValidationError("holds", f"hold kind {self.kind!r} is not 'oral' or 'written'")
        if self.kind == "written" and (self.days is None or self.days < 1):
            raise ValidationError(
                "holds", "a written law-enforcement statement needs a delay of at least 1 day"
            )
        if self.kind == "written" and self.days > MAX_HOLD_DAYS:
            raise ValidationError(
                "holds", f"a delay of {self.days:,} days is more than {MAX_HOLD_DAYS:,} "
                "(ten years): check the written statement's period"
            )
        if self.kind == "oral" and self.days is not None:
            raise ValidationError(
                "holds", "an oral statement has no period of its own: it lasts at most 30 days"
            )


@dataclass(frozen=True)
class HoldWindow:
    """The days on which notice is held back: from `statement_on` until `ends_on`.

    Notice may go out on `ends_on` itself (RULES.md example 5: an oral statement on 05-20 holds
    notice until 06-19, the day the due date moves to).
    """

    kind: HoldKind
    statement_on: date
    ends_on: date
    note: str = ""


def hold_windows(holds: tuple[Hold, ...] | list[Hold]) -> list[HoldWindow]:
    """Each statement's window under 164.412(a)-(b), in date order.

    An oral statement followed within its 30 days by a written one ends the day the written
    statement arrives; the written statement's period runs from its own date (164.412(b)).
    """
    ordered = sorted(holds, key=lambda h: (h.statement_on, h.kind))
    windows = []
    for hold in ordered:
        if hold.kind == "written":
            end = hold.statement_on + timedelta(days=hold.days or 0)
            windows.append(HoldWindow("written", hold.statement_on, end))
            continue
        limit = hold.statement_on + timedelta(days=ORAL_HOLD_DAYS)
        follow_up = next(
            (
                h
                for h in ordered
                if h.kind == "written" and hold.statement_on <= h.statement_on <= limit
            ),
            None,
        )
        if follow_up is None:
            windows.append(HoldWindow("oral", hold.statement_on, limit))
        else:
            note = (
                f"oral statement of {hold.statement_on} was followed within 30 days by a written "
                f"statement on {follow_up.statement_on}, whose period applies from its date "
                "(45 CFR 164.412(b))"
            )
            windows.append(HoldWindow("oral", hold.statement_on, follow_up.statement_on, note))
    return windows


def merged_periods(windows: list[HoldWindow]) -> list[tuple[date, date]]:
    """Overlapping or touching windows joined into disjoint [start, end) periods."""
    periods: list[tuple[date, date]] = []
    for window in sorted(windows, key=lambda w: (w.statement_on, w.ends_on)):
        if periods and window.statement_on <= periods[-1][1]:
            start, end = periods[-1]
            periods[-1] = (start, max(end, window.ends_on))
        else:
            periods.append((window.statement_on, window.ends_on))
    return periods


def conservative_due(original: date, periods: list[tuple[date, date]]) -> date:
    """due = max(original due, hold end) for every hold starting on or before the due (164.412)."""
    due = original
    for start, end in periods:
        if start <= due:
            due = max(due, end)
    return due


def tolling_due(original: date, periods: list[tuple[date, date]], clock_start: date) -> date | None:
    """The tolling reading of 164.412 (an interpretation): the clock pauses while a hold runs.

    For a clock running from `clock_start` this is hold_end + (original_due - hold_start) when the
    hold starts on or before the due date (RULES.md). Only days of the hold on which the clock is
    running pause it, so a hold that ends before `clock_start` pauses nothing. None when no hold
    reaches this deadline.
    """
    due = original
    applied = False
    for start, end in periods:
        if start > due:
            continue
        paused = (end - max(start, clock_start)).days
        if paused > 0:
            due += timedelta(days=paused)
            applied = True
    return due if applied else None


def oral_only_days(windows: list[HoldWindow], until: date | None = None) -> int:
    """Days on which notice is held back by oral statements alone, no written one covering them.

    An oral statement delays notice at most 30 days unless a written statement is submitted
    within them (164.412(b)); chained oral statements can add up to more, which 164.412(b) does
    not contemplate. Only statements made on or before `until` (the due date they could extend)
    count.
    """
    def days(kind: str) -> set[date]:
        out: set[date] = set()
        for w in windows:
            if w.kind == kind and (until is None or w.statement_on <= until):
                out.update(
                    w.statement_on + timedelta(days=n)
                    for n in range((w.ends_on - w.statement_on).days)
                )
        return out

    return len(days("oral") - days("written"))


def inside_hold(day: date, periods: list[tuple[date, date]]) -> date | None:
    """If `day` falls inside a hold window, the day the window ends; else None."""
    for start, end in periods:
        if start <= day < end:
            return end
    return None
