"""An incident's events: each notice it owes (and its internal target), its law-enforcement
holds; named by the incident's reference only."""

from __future__ import annotations

from datetime import date

from riskreg.domain.calendar_event import (
    NOT_LEGAL_ADVICE,
    SUMMARY_OCTETS,
    CalendarEvent,
    IncidentInput,
    Stamp,
    as_aware,
    cut_summary,
    make_event,
    summary_octets,
)
from riskreg.domain.obligation_names import obligation_name

# -- incidents ----------------------------------------------------------------------------------


def _with_title(summary: str, incident: IncidentInput, details: bool, *, mark: str = "",
                short: str = "") -> str:
    """The event's title; with `details`, `short` (the title without its citation) and the
    incident's title after " - ", cut at a word so that the SUMMARY with its `mark` fits one
    line (`cut_summary`). Where not even its first word fits, the title is left to the
    description (`_details`), which also holds the citation."""
    if not (details and incident.title):
        return summary
    head = f"{short or summary} - "
    room = SUMMARY_OCTETS - summary_octets(f"[{mark}] {head}" if mark else head)
    first_word = incident.title.split(" ", 1)[0]
    if summary_octets(first_word + "…") > room:
        return short or summary
    return head + cut_summary(incident.title, room)


def _details(description: str, incident: IncidentInput, details: bool) -> str:
    """With `details`, the description ends with the incident's whole title."""
    return f"{description} Incident: {incident.title}" if details and incident.title else \
        description


def _mark(ended: str | None, day: date, today: date, past: str) -> str:
    """The mark `make_event` gives an event: its end, else `past` once its day has passed."""
    return ended or (past if day < today else "")


def incident_events(
    incident: IncidentInput, today: date, *, details: bool = False
) -> list[CalendarEvent]:
    """Every obligation with a due date and its internal target, and each hold's end.

    A done obligation (its notice recorded as sent) is kept as CANCELLED with the same UID (see
    the module docstring); so is a closed incident's hold. A closed incident's obligation still
    owed stays open, alarms and all: closing the incident does not end the duty to notify.
    """
    out: list[CalendarEvent] = []
    stamp = Stamp(incident.revision, as_aware(incident.updated_at))
    target_stamp = Stamp(
        incident.revision + incident.settings_revision,
        max(stamp.updated_at, as_aware(incident.settings_updated_at))
        if incident.settings_updated_at else stamp.updated_at,
    )
    ref = incident.reference
    closed = "CLOSED" if incident.closed else None
    for ob in incident.obligations:
        if ob.due is None:  # no fixed day and no day to put it on (`latest_day`)
            continue
        label = obligation_name(ob.id, ob.track)
        if ob.tentative:
            label += ", if it is a breach"
        when = f"due {ob.due.isoformat()} ({ob.citation})"
        summary = f"{ref}: {label} ({ob.citation})"
        if ob.no_fixed_day:
            # No day in the law, but still owed: the event falls on the latest day that makes
            # sense (the individual notice's, `latest_day` says why) and says so in words.
            summary = f"{ref}: {label}: as soon as possible"  # fits one line of the file
            label += ": no fixed day, notify as soon as possible"
            when = (f"no fixed day in the law ({ob.citation}): notify as soon as possible. "
                    f"This reminder is on {ob.due.isoformat()}, the individual notice's due "
                    f"date under HIPAA (45 CFR 164.404(b)): the latest day that still makes "
                    f"sense")
        done = "DONE" if ob.done_on is not None else ("NOT REQUIRED" if ob.not_required else None)
        done_text = f" Recorded as sent on {ob.done_on.isoformat()}." if ob.done_on else ""
        if closed and not done:
            # Closing the incident does not end the duty to notify: the event stays open.
            done_text = " The incident is closed, but this notice is still owed."
        citation = ob.citation
        description = (
            f"{ref}: {label}, {when}. How the date was computed: "
            f"{ob.explanation}{done_text} {NOT_LEGAL_ADVICE} Open {ref} in riskreg for the plan."
        ).replace("  ", " ")
        out.append(make_event(
            public_id=incident.public_id, kind=ob.id, day=ob.due,
            summary=_with_title(summary, incident, details,
                                mark=_mark(done, ob.due, today, "OVERDUE"),
                                short=f"{ref}: {label}"),
            description=_details(description, incident, details), stamp=stamp,
            group="incidents", today=today,
            ended=done, past_label="OVERDUE",
            what=label, record_kind="incident", record_name=ref,
        ))
        if ob.internal_target is not None:
            description = (
                f"{ref}: suggested internal target ({label}), ahead of the legal deadline "
                f"{ob.due.isoformat()} ({citation}). The deadline is an outer limit: waiting until "
                f"the last day can itself be unreasonable delay (45 CFR 164.404(b)). The target's "
                f"distance before the deadline is set in riskreg's practice settings."
                f"{done_text} {NOT_LEGAL_ADVICE}"
            )
            out.append(make_event(
                public_id=incident.public_id, kind=f"{ob.id}-target", day=ob.internal_target,
                summary=_with_title(f"{ref}: internal target: {label}", incident, details,
                                    mark=_mark(done, ob.internal_target, today, "PASSED")),
                description=_details(description, incident, details), stamp=target_stamp,
                group="incidents", today=today,
                ended=done, past_label="PASSED",
                what=f"Internal target: {label}", record_kind="incident", record_name=ref,
            ))
    for hold in incident.holds:
        description = (
            f"{ref}: the {hold.kind} law-enforcement statement of "
            f"{hold.statement_on.isoformat()} holds notice back until {hold.ends_on.isoformat()}"
            f" (45 CFR 164.412{'(a)' if hold.kind == 'written' else '(b): at most 30 days'}). "
            f"No notice may go out inside the hold. {NOT_LEGAL_ADVICE}"
        )
        out.append(make_event(
            public_id=incident.public_id, kind=f"hold-{hold.key}-end", day=hold.ends_on,
            summary=_with_title(f"{ref}: law-enforcement hold ends (45 CFR 164.412)", incident,
                                details, mark=_mark(closed, hold.ends_on, today, "ENDED"),
                                short=f"{ref}: law-enforcement hold ends"),
            description=_details(description, incident, details), stamp=stamp,
            group="incidents", today=today,
            ended=closed, past_label="ENDED",
            what="Law-enforcement hold ends", record_kind="incident", record_name=ref,
        ))
    return out
