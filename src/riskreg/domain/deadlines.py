"""The breach-notification deadline engine (45 CFR 164.404-164.412, 42 CFR 2.16, state overlays).

Pure: the facts and "today" come in, a `Plan` comes out. No wall clock, no storage, no UI.
Day counting (RULES.md): deadline = discovery + 60 days, discovery is day 0, the 60th day is the
last compliant day, never rolled forward for a weekend or holiday (warned instead).
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from riskreg.domain import state_rules as overlays
from riskreg.domain.breach_facts import PART2_COMPLIANCE_DATE, BreachFacts, checked_count
from riskreg.domain.holds import (
    HoldWindow,
    conservative_due,
    hold_windows,
    merged_periods,
    tolling_due,
)
from riskreg.domain.obligation_names import HHS_TRACKS
from riskreg.domain.obligations import Obligation, internal_target, iso
from riskreg.domain.plan_warnings import plan_warnings

NOTICE_DAYS = 60
HHS_IMMEDIATE_THRESHOLD = 500  # 164.408(b): "500 or more"
MEDIA_THRESHOLD = 500  # 164.406(a): "more than 500 residents"


@dataclass(frozen=True)
class Plan:
    """Every obligation a breach triggers, with the holds and warnings behind them."""

    discovered: date
    affected: int
    today: date
    obligations: tuple[Obligation, ...]
    holds: tuple[HoldWindow, ...]
    warnings: tuple[str, ...]
    state_rules_as_of: date | None = None
    """The review date of the state rules the plan used (data/state_rules.json)."""

    @property
    def earliest_due(self) -> date | None:
        """The first date anything is due (obligations without a fixed day, exempt ones
        included, are skipped)."""
        dues = [o.due for o in self.obligations if o.due is not None]
        return min(dues) if dues else None

    def obligation(self, obligation_id: str) -> Obligation | None:
        return next((o for o in self.obligations if o.id == obligation_id), None)

    def to_json_dict(self) -> dict[str, Any]:
        """The plan in the JSON shape of issue 3 (`riskreg deadlines --json`)."""
        return {
            "discovered": self.discovered.isoformat(),
            "affected": self.affected,
            "obligations": [o.to_json_dict() for o in self.obligations],
            "earliest_due": iso(self.earliest_due),
            "holds": [
                {
                    "kind": h.kind,
                    "statement_on": h.statement_on.isoformat(),
                    "ends_on": h.ends_on.isoformat(),
                }
                for h in self.holds
            ],
            "warnings": list(self.warnings),
            "state_rules_as_of": iso(self.state_rules_as_of),
        }


def individual_notice_due(discovered: date) -> date:
    """Individual notice: no later than 60 calendar days after discovery (45 CFR 164.404(b))."""
    return discovered + timedelta(days=NOTICE_DAYS)


def annual_log_due(discovered: date) -> date:
    """Annual log deadline: Dec 31 of the discovery year + 60 days (45 CFR 164.408(c))."""
    return date(discovered.year, 12, 31) + timedelta(days=NOTICE_DAYS)


def hhs_track(affected: int) -> str:
    """`with_individual_notice` for 500 or more in total (164.408(b)); else `annual_log` (c)."""
    return "with_individual_notice" if affected >= HHS_IMMEDIATE_THRESHOLD else "annual_log"


def media_states(residents: Mapping[str, int]) -> list[str]:
    """States with more than 500 residents affected: media notice (45 CFR 164.406(a))."""
    return sorted(code for code, n in residents.items() if n > MEDIA_THRESHOLD)


@dataclass(frozen=True)
class _Clock:
    """A federal 60-day-style clock with the law-enforcement hold applied (164.412)."""

    original: date
    due: date
    tolling: date | None
    base: str

    @property
    def held(self) -> bool:
        return self.due != self.original or self.tolling is not None

    def hold_text(self) -> str:
        if not self.held:
            return ""
        return (
            f" Law-enforcement hold (45 CFR 164.412): conservative reading, notify by {self.due} "
            f"(no notice inside the hold); tolling reading {self.tolling or self.due}, an "
            "interpretation for counsel."
        )

    def cite(self, citation: str) -> str:
        return f"{citation}, 164.412" if self.held else citation


def _clock(original: date, periods: list[tuple[date, date]], start: date, base: str) -> _Clock:
    return _Clock(
        original, conservative_due(original, periods), tolling_due(original, periods, start), base
    )


def compute_plan(facts: BreachFacts, today: date, internal_target_days: int = 15) -> Plan:
    """Every notification obligation of RULES.md for these facts, as of `today`.

    Individuals, substitute notice and media: 45 CFR 164.404-164.406; HHS: 164.408(b) or (c);
    Part 2: 42 CFR 2.16; holds: 164.412; state overlays: data/state_rules.json.
    """
    checked_count("internal_target_days", internal_target_days)
    start = facts.effective_discovered
    windows = hold_windows(facts.holds)
    periods = merged_periods(windows)
    agent_first = facts.ba_is_agent and facts.ba_discovered is not None and start < facts.discovered
    base = (
        f"the business associate's discovery (as the practice's agent) {start}"
        if agent_first
        else f"discovery {start}"
    )
    # Holds apply to every notice of subpart D (164.412 says "a notification, notice, or posting
    # required under this subpart"), so also to the annual HHS log of 164.408(c). That clock only
    # starts running at the end of the calendar year, so only hold days after Dec 31 pause it.
    notice = _clock(individual_notice_due(start), periods, start, base)

    def target(due: date | None) -> date | None:
        return internal_target(due, start, internal_target_days, periods)

    def sixty(obligation_id: str, who: str, citation: str, text: str) -> Obligation:
        return Obligation(
            id=obligation_id,
            who=who,
            due=notice.due,
            original_due=notice.original,
            tolling_due=notice.tolling,
            citation=notice.cite(citation),
            explanation=text + notice.hold_text(),
            internal_target=target(notice.due),
            verify_with_counsel=notice.held,
        )

    individuals = _individuals(facts, notice, sixty)
    obligations = [individuals]
    if facts.insufficient_contact >= 1:
        obligations.append(_substitute(facts.insufficient_contact, notice, sixty))
    for code in media_states(facts.residents):
        entry = overlays.state_rules().get(code)
        name = entry.name if entry else code
        obligations.append(
            sixty(
                f"media:{code}",
                f"prominent media outlets serving {name}",
                "45 CFR 164.406(b)",
                f"{facts.residents[code]:,} residents of {code}, more than 500: media notice "
                f"without unreasonable delay, no later than {notice.base} + 60 days = "
                f"{notice.original}.",
            )
        )
    hhs = _hhs(facts, start, notice, periods, target)
    obligations.append(hhs)
    if facts.part2_report_applies:
        obligations.append(_part2(facts, start, notice, periods, target, hhs))
    obligations.extend(_states(facts, start, individuals, hhs, internal_target_days, periods))
    warnings = plan_warnings(facts, today, start, windows, periods, obligations)
    return Plan(start, facts.affected, today, tuple(obligations), tuple(windows), tuple(warnings),
                overlays.state_rules_as_of())


def _individuals(facts: BreachFacts, notice: _Clock, sixty: Any) -> Obligation:
    text = (
        f"Without unreasonable delay, no later than {notice.base} + 60 calendar days = "
        f"{notice.original} (discovery is day 0; no roll-forward for weekends or holidays)."
    )
    who = "each affected individual (first-class mail, or email if they agreed)"
    if facts.deceased_with_kin:
        text += (
            f" Includes written notice to the next of kin or personal representative of "
            f"{facts.deceased_with_kin:,} deceased individual(s) (45 CFR 164.404(d)(1)(ii))."
        )
        who += "; next of kin or personal representative of the deceased"
    if facts.urgent:
        text += " Possible imminent misuse: also telephone individuals (45 CFR 164.404(d)(3))."
    return sixty("individuals", who, "45 CFR 164.404(b)", text)


SUBSTITUTE_NOTICE_DAYS = 90  # 164.404(d)(2)(ii)(A)-(B): posting for 90 days, number at least 90


def _substitute(count: int, notice: _Clock, sixty: Any) -> Obligation:
    """Substitute notice (45 CFR 164.404(d)(2)): the method depends on how many lack contact.

    For 10 or more, the web posting runs 90 days and the toll-free number at least 90 days: the
    plan gives `keep_until`, 90 days from the latest day they may start (the due date), which is
    safe whenever they start on or before it.
    """
    keep_until = None
    if count < 10:
        method = (
            f"{count} with insufficient or out-of-date contact information, fewer than 10: "
            "an alternative form of written notice, telephone or other means "
            "(45 CFR 164.404(d)(2)(i))."
        )
        citation = "45 CFR 164.404(d)(2)(i)"
        ends = ""
    else:
        method = (
            f"{count:,} with insufficient or out-of-date contact information, 10 or more: a "
            "conspicuous posting on the website home page for 90 days, or conspicuous notice in "
            "major print or broadcast media where they likely live, AND a toll-free number active "
            "for at least 90 days (45 CFR 164.404(d)(2)(ii))."
        )
        citation = "45 CFR 164.404(d)(2)(ii)"
        keep_until = notice.due + timedelta(days=SUBSTITUTE_NOTICE_DAYS)
        ends = (
            f" Keep the web posting up and the toll-free number active until at least "
            f"{keep_until} (90 days from {notice.due}, the latest day they may start); if they "
            "start earlier, 90 days from the day they start. A print or broadcast notice in place "
            "of the posting has no period of its own; the toll-free number still runs 90 days."
        )
    text = f"{method} Due with the individual notice: {notice.original}.{ends}"
    obligation = sixty(
        "substitute_notice", "individuals who cannot be reached by mail", citation, text
    )
    return replace(obligation, keep_until=keep_until)


def _annual_log_clock(start: date, periods: list) -> tuple[_Clock, date]:
    """The clock of the HHS annual log (164.408(c)), which starts at the end of the year."""
    year_end = date(start.year, 12, 31)
    return _clock(annual_log_due(start), periods, year_end, f"{year_end}"), year_end


def _hhs(facts: BreachFacts, start: date, notice: _Clock, periods: list, target: Any) -> Obligation:
    track = hhs_track(facts.affected)
    if track == "with_individual_notice":
        clock = notice
        citation = "45 CFR 164.408(b)"
        text = (
            f"{facts.affected:,} affected in total, 500 or more: notify HHS through the OCR portal "
            f"contemporaneously with the individual notice, no later than {notice.base} + 60 days "
            f"= {notice.original}."
        )
    else:
        clock, year_end = _annual_log_clock(start, periods)
        citation = "45 CFR 164.408(c)"
        text = (
            f"{facts.affected:,} affected in total, fewer than 500: log it and report it to HHS "
            f"through the OCR portal no later than 60 days after the end of the calendar year of "
            f"discovery: {year_end} + 60 days = {clock.original}. May be filed earlier."
        )
    return Obligation(
        id="hhs",
        who="Secretary of HHS (OCR breach portal)",
        due=clock.due,
        original_due=clock.original,
        track=track,
        tolling_due=clock.tolling,
        citation=clock.cite(citation),
        explanation=text + clock.hold_text(),
        internal_target=target(clock.due),
        verify_with_counsel=clock.held,
    )


def _part2(
    facts: BreachFacts, start: date, notice: _Clock, periods: list, target: Any, hhs: Obligation
) -> Obligation:
    """The separate Part 2 breach report to HHS (42 CFR 2.16, from its compliance date).

    2.16 applies 45 CFR 164 subpart D to breaches of Part 2 records "in the same manner", so the
    report's track counts the people whose Part 2 records were involved, not the HIPAA total:
    500 or more with the individual notice (164.408(b)), fewer in the annual log (164.408(c)).
    """
    count = facts.part2_affected
    track = hhs_track(count)
    if track == "with_individual_notice":
        clock = notice
        rule = "45 CFR 164.408(b)"
        how = (
            f"500 or more: file it contemporaneously with the individual notice, no later than "
            f"{notice.base} + 60 days = {notice.original} ({rule})."
        )
    else:
        clock, year_end = _annual_log_clock(start, periods)
        rule = "45 CFR 164.408(c)"
        how = (
            f"fewer than 500: file it no later than 60 days after the end of the calendar year of "
            f"discovery, {year_end} + 60 days = {clock.original} ({rule}); it may be filed earlier."
        )
    if facts.part2_count_given:
        who = (
            f"{count:,} of the {facts.affected:,} affected had Part 2 substance use disorder "
            "records involved"
        )
    else:
        who = (
            f"Part 2 substance use disorder records were involved, with no count of the people "
            f"whose Part 2 records they were: all {facts.affected:,} affected are counted (enter "
            "the Part 2 count if it is smaller)"
        )
    text = (
        f"{who}. 42 CFR 2.16 (as amended in 2024, compliance date {PART2_COMPLIANCE_DATE}) "
        "applies 45 CFR 164 subpart D to breaches of Part 2 records in the same manner, so the "
        "separate Part 2 report to HHS takes its track from the Part 2 count, not the HIPAA "
        f"total. {count:,} Part 2 individual(s), {how}"
    )
    if track != hhs.track:
        text += (
            f" The HIPAA report counts all {facts.affected:,} affected and is on the other track "
            f"({HHS_TRACKS.get(hhs.track or '', hhs.track)}, due {hhs.due})."
        )
    return Obligation(
        id="hhs_part2",
        who="Secretary of HHS (separate Part 2 breach report)",
        due=clock.due,
        original_due=clock.original,
        track=track,
        tolling_due=clock.tolling,
        citation=clock.cite(f"42 CFR 2.16, {rule}"),
        explanation=text + clock.hold_text(),
        internal_target=target(clock.due),
        verify_with_counsel=clock.held,
    )


def _states(
    facts: BreachFacts,
    start: date,
    individuals: Obligation,
    hhs: Obligation,
    days_before: int,
    periods: list[tuple[date, date]],
) -> list[Obligation]:
    """`state:XX`, `regulator:XX[:id]` and `cra:XX[:id]` for every listed state with residents
    and a rule in force on the discovery date (state_rules.rule_in_force)."""
    out = []
    for code, count in facts.residents.items():
        rule = overlays.rule_in_force(code, start)
        if count == 0 or rule is None:
            continue
        inputs = overlays.StateInputs(
            count=count,
            discovered=start,
            determined=facts.determined.get(code, start),
            individuals=individuals,
            hhs=hhs,
            days_before=days_before,
            information=facts.information,
            periods=tuple(periods),
        )
        out.extend(overlays.state_obligations(rule, inputs))
    return out
