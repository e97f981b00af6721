"""The substitute notice's form and period (45 CFR 164.404(d)(2)).

Pure: counts and dates in, the form and the dates out.
"""

from __future__ import annotations

from datetime import date, timedelta

POSTING_THRESHOLD = 10
"""164.404(d)(2)(ii): 10 or more people without current contact information."""

POSTING_DAYS = 90
"""164.404(d)(2)(ii)(A)-(B): a web posting for 90 days; a toll-free number for at least 90."""


def substitute_form(insufficient_contact: int) -> str | None:
    """Which substitute notice 164.404(d)(2) asks for: "posting" (10 or more people: a
    conspicuous web posting for 90 days or major print or broadcast media, and a toll-free number,
    (d)(2)(ii)), "alternative" (1 to 9: another written form, telephone or other means,
    (d)(2)(i)), or None when everyone can be reached."""
    if insufficient_contact <= 0:
        return None
    return "posting" if insufficient_contact >= POSTING_THRESHOLD else "alternative"


def posting_ends(posted_on: date) -> date:
    """The first day the web posting may come down: the posting date + 90 calendar days
    (164.404(d)(2)(ii)(A)); calendar days, so a February 29 in between counts as one."""
    return posted_on + timedelta(days=POSTING_DAYS)
