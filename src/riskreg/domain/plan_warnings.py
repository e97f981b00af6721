"""The warnings beside a deadline plan: things the practitioner must see, none of which move a date."""

from __future__ import annotations

from datetime import date, timedelta

from riskreg.domain import state_rules as overlays
from riskreg.domain.breach_facts import PART2_COMPLIANCE_DATE, BreachFacts
from riskreg.domain.holds import (
    ORAL_HOLD_DAYS,
    HoldWindow,
    conservative_due,
    inside_hold,
    merged_periods,
    oral_only_days,
)
from riskreg.domain.obligation_names import state_name
from riskreg.domain.obligations import Obligation
from riskreg.domain.text import plural
from riskreg.domain.workdays import WEEKDAY_NAMES, federal_holiday, is_weekend

BA_NOTICE_DAYS = 60  # 164.410(b)


def _last_weekday_before(day: date) -> date:
    day -= timedelta(days=1)
    while is_weekend(day) or federal_holiday(day):
        day -= timedelta(days=1)
    return day


def _day_warning(o: Obligation, periods: list[tuple[date, date]]) -> str | None:
    """A due date on a weekend or federal holiday is warned, never extended (RULES.md)."""
    if o.due is None:
        return None
    holiday = federal_holiday(o.due)
    if not (is_weekend(o.due) or holiday):
        return None
    what = WEEKDAY_NAMES[o.due.weekday()]
    if holiday:
        what += f", {holiday} (US federal holiday)"
    text = f"{o.name}: due {o.due} falls on a {what}; deadlines are not extended"
    earlier = _last_weekday_before(o.due)
    if inside_hold(earlier, periods):
        return text + " (the day before is inside the law-enforcement hold)."
    return text + f", so send by {earlier} if offices or mail are closed."


def plan_warnings(
    facts: BreachFacts,
    today: date,
    start: date,
    windows: list[HoldWindow],
    periods: list[tuple[date, date]],
    obligations: list[Obligation],
) -> list[str]:
    """Warnings in a stable order: dates, business associate, holds, scope, then each obligation."""
    out = []
    if start > today:
        out.append(
            f"Discovery date {start} is after today ({today}): a planning or training scenario."
        )
    out += _business_associate(facts, start)
    out += _holds(windows, obligations)
    out += _oral_chain(windows, obligations)
    out += _part2_before_compliance(facts, start)
    out += _scope(facts, start)
    out += overlays.hold_warnings(obligations, periods, start)
    for o in obligations:
        day = _day_warning(o, periods)
        if day:
            out.append(day)
        if o.due is not None and o.due < today:
            out.append(f"{o.name}: due {o.due} has passed (today is {today}).")
    return out


def _business_associate(facts: BreachFacts, start: date) -> list[str]:
    """Whose discovery starts the clocks, and whether the business associate told in time."""
    if facts.ba_discovered is None:
        return []
    out = []
    ba_due = facts.ba_discovered + timedelta(days=BA_NOTICE_DAYS)
    if facts.ba_is_agent:
        out.append(
            f"Business associate acting as the practice's agent: its discovery on "
            f"{facts.ba_discovered} counts as the practice's (45 CFR 164.404(a)(2)); clocks run "
            f"from {start}. If it is an independent contractor, document that and record it as "
            "not an agent (the calculator's --ba-not-agent)."
        )
    else:
        out.append(
            f"Business associate not acting as the practice's agent: clocks run from the "
            f"practice's own discovery {facts.discovered}, not the business associate's "
            f"{facts.ba_discovered}. Keep the documentation of that status."
        )
    if facts.discovered > ba_due:
        out.append(
            f"The business associate had to tell the practice by {ba_due} (60 days after its "
            f"discovery, 45 CFR 164.410(b)); it was told later, on {facts.discovered}."
        )
    return out


def _holds(windows: list[HoldWindow], obligations: list[Obligation]) -> list[str]:
    """Each hold's note, how holds move the dates, and any statement that came too late."""
    out = [f"Law-enforcement hold: {window.note}." for window in windows if window.note]
    if not windows:
        return out
    out.append(
        "Law-enforcement hold: due dates use the conservative reading (notify the day the hold "
        "lapses); the later date shown as the tolling reading (the clock paused for the "
        "hold) is an interpretation for counsel. Send no "
        "notice inside a hold window; document oral statements with the official's identity "
        "(45 CFR 164.412). State clocks are not moved by the federal hold: verify with counsel."
    )
    original = obligations[0].original_due  # the individuals' notice
    if original is None:
        return out
    for w in windows:
        # The due date in force when this statement came: the original one, as extended by
        # the holds stated before it (a statement made while an earlier hold runs still
        # extends the deadline, as conservative_due computes).
        earlier = merged_periods([x for x in windows if x.statement_on < w.statement_on])
        in_force = conservative_due(original, earlier)
        if w.statement_on > in_force:
            since = "original due date" if in_force == original else "due date in force"
            out.append(
                f"The {w.kind} law-enforcement statement of {w.statement_on} came after the "
                f"{since} {in_force}: it does not extend a deadline that had already passed."
            )
    return out


def _oral_chain(windows: list[HoldWindow], obligations: list[Obligation]) -> list[str]:
    """Oral statements that together hold notice back beyond 30 days without a written one."""
    due = obligations[0].due  # the individuals' notice, as the holds extend it
    held = oral_only_days(windows, due)
    if held <= ORAL_HOLD_DAYS:
        return []
    dates = ", ".join(
        str(w.statement_on) for w in windows if w.kind == "oral" and w.statement_on <= due
    )
    return [
        f"Law-enforcement hold: oral statements ({dates}) hold notice back {plural(held, 'day')} in total "
        "without a written statement covering them. 45 CFR 164.412(b) limits an oral "
        "statement's delay to 30 days unless a written statement is submitted within them, so a "
        "delay beyond 30 days is expected to rest on a written statement: ask the official for "
        "one, and verify with counsel before relying on the later dates."
    ]


def _part2_before_compliance(facts: BreachFacts, start: date) -> list[str]:
    """Part 2 records discovered before 2.16's breach rule applied: why no Part 2 report."""
    if not facts.part2 or start >= PART2_COMPLIANCE_DATE:
        return []
    return [
        f"Part 2 records: no separate Part 2 breach report to HHS, because discovery ({start}) is "
        f"before {PART2_COMPLIANCE_DATE}, the compliance date of the 2024 amendments by which "
        "42 CFR 2.16 applies the breach notification rule to Part 2 records. The HIPAA notices "
        "still apply to the PHI."
    ]


def _scope(facts: BreachFacts, start: date) -> list[str]:
    """Affected people without a state, states riskreg has no rules for (or none in force on the
    discovery date), and states whose law the recorded types of information do not trigger."""
    out = []
    listed = sum(facts.residents.values())
    if listed < facts.affected:
        out.append(
            f"{facts.affected - listed:,} of the {facts.affected:,} affected have no state recorded: "
            "media and state obligations cover only the states listed."
        )
    for code, count in facts.residents.items():
        if count and code not in overlays.state_rules():
            out.append(
                f"riskreg has no rules on file for {state_name(code)} ({plural(count, 'resident')}): "
                f"check {state_name(code)}'s breach-notification law with counsel."
            )
        elif count and (uncovered := overlays.uncovered_warning(code, start)):
            out.append(uncovered)
    return out + overlays.trigger_warnings(facts.residents, facts.information, start)
