"""One notification obligation of a breach: who is told, by when, under which rule, and why."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from riskreg.domain.holds import inside_hold
from riskreg.domain.obligation_names import obligation_name
from riskreg.domain.workdays import is_weekend


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class Obligation:
    """A notice the practice owes, with the date it is due and how that date was computed.

    `due` is None where the law sets no fixed day ("most expedient time"). Under a law-enforcement
    hold, `due` is the conservative reading and `tolling_due` the tolling one (45 CFR 164.412).
    `original_due` is the date before any hold. `keep_until` is, for a substitute notice by web
    posting and toll-free number, the first day they may come down if they go up on the due date
    (45 CFR 164.404(d)(2)(ii): 90 days).
    """

    id: str
    who: str
    due: date | None
    citation: str
    explanation: str
    track: str | None = None
    tolling_due: date | None = None
    internal_target: date | None = None
    verify_with_counsel: bool = False
    original_due: date | None = None
    keep_until: date | None = None
    hipaa_status: str | None = None
    """State rows only: applies, exempt, deemed_compliant or unknown (data/state_rules.json)."""

    @property
    def name(self) -> str:
        """The obligation in the practitioner's words (the id stays in JSON)."""
        return obligation_name(self.id, self.track, self.citation)

    @property
    def weekend(self) -> bool:
        """True when the due date is a Saturday or Sunday (warned, never extended)."""
        return self.due is not None and is_weekend(self.due)

    def to_json_dict(self) -> dict[str, Any]:
        """The obligation as in the issue 3 JSON shape (`track` only for hhs and hhs_part2,
        `keep_until` only for substitute_notice, `hipaa_status` only for a state's rows)."""
        out: dict[str, Any] = {"id": self.id, "due": iso(self.due)}
        if self.id in ("hhs", "hhs_part2"):
            out["track"] = self.track
        if self.id == "substitute_notice":
            out["keep_until"] = iso(self.keep_until)
        out.update(
            tolling_due=iso(self.tolling_due),
            weekend=self.weekend,
            internal_target=iso(self.internal_target),
            citation=self.citation,
            explanation=self.explanation,
            verify_with_counsel=self.verify_with_counsel,
        )
        if self.hipaa_status is not None:
            out["hipaa_status"] = self.hipaa_status
        return out


def internal_target(
    due: date | None, discovered: date, days_before: int, holds: list[tuple[date, date]]
) -> date | None:
    """A suggested date `days_before` the legal one: the 60 days are an outer limit, and waiting
    to the last day can itself be unreasonable delay (45 CFR 164.404(b)).

    Never before discovery, and never inside a law-enforcement hold (164.412): if it would be,
    the target is the day the hold lapses.
    """
    if due is None:
        return None
    target = max(discovered, due - timedelta(days=days_before))
    target = min(target, due)
    lapse = inside_hold(target, holds)
    return min(lapse, due) if lapse else target


HHS_EARLY = "sent before the individual notices"
"""Words that mark the warning below (the tracking step toasts it when it first appears)."""


def hhs_sent_early(hhs_sent: list[date], individuals_sent: list[date], hhs_name: str) -> str | None:
    """A warning when the HHS notice for 500 or more people was recorded as sent before any
    notice to the affected individuals: 45 CFR 164.408(b) has it given contemporaneously with
    them. A warning, not a refusal: the practitioner may have sent the individual notices and not
    recorded them yet, or typed a date wrong. `hhs_sent`: the HHS notice's sent dates (of the
    track with the individual notices only; the yearly log for fewer than 500 may go first)."""
    if not hhs_sent:
        return None
    first = min(hhs_sent)
    if individuals_sent and min(individuals_sent) <= first:
        return None
    after = (f"the first individual notice is recorded on {min(individuals_sent).isoformat()}"
             if individuals_sent else "no individual notice is recorded as sent yet")
    return (f"{hhs_name}: {HHS_EARLY} (HHS on {first.isoformat()}; {after}). 45 CFR 164.408(b) "
            "has the HHS notice for 500 or more people given at the same time as the notices to "
            "the individuals: send those now and record them, or check the dates recorded.")


def latest_day(obligations: Sequence[Obligation]) -> date | None:
    """The day by which an obligation with no fixed day ("most expedient time", "as soon as
    possible") is owed at the latest, for the reminders and the calendar: the HIPAA individual
    notice's due date (60 days from discovery, after any hold: 45 CFR 164.404(b)). A state's
    notice with no fixed day goes to residents who are also affected individuals, and HIPAA
    owes them notice by then in any case: no reading of "as soon as possible" runs later, and
    an earlier day would be one the law does not set. Without an individual notice (a business
    associate's duty to its covered entity), the plan's earliest fixed day; None without any."""
    individuals = [o.due for o in obligations if o.id == "individuals" and o.due is not None]
    if individuals:
        return min(individuals)
    dated = [o.due for o in obligations if o.due is not None]
    return min(dated) if dated else None
