"""State breach-notification overlays (RULES.md "State overlays"): loaded from data/state_rules.json.

Informational only: each rule carries its statute, source, confidence and review date, and every
obligation built from it is flagged "verify with counsel". A state has one or more rules, oldest
first, each in force from `effective_from` to `effective_to` (the last day in force); the engine
uses the rule in force on the discovery date (`rule_in_force`).

The HIPAA status of a rule (and, where it differs, of one duty) is machine-readable:
- `applies`: the state's own clock runs, as for anyone;
- `exempt`: a HIPAA covered entity owes nothing under it: the row stays, marked exempt, undated;
- `deemed_compliant`: the HIPAA notice satisfies it (on a condition, shown): the row carries the
  HIPAA individual-notice date;
- `unknown`: not determined: computed as if it applied, and said so.

The federal law-enforcement hold (45 CFR 164.412) does not govern a state's own clocks: they are
never moved by one. A state date inside a federal hold is warned about on its own row, with the
state's own delay provision (`hold_warnings`). The table's shape and its checks are
`state_rules_table`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache

from riskreg.datafiles import load_json
from riskreg.domain.obligations import Obligation, internal_target
from riskreg.domain.state_rules_table import (
    PHI_TYPE_ELEMENTS,
    TRIGGER_WORDS,
    TRIGGERS,
    UNKNOWN_TYPES,
    Duty,
    StateEntry,
    StateRule,
    parse_table,
)
from riskreg.domain.workdays import add_business_days


@cache
def _table() -> tuple[date, frozenset[str], dict[str, StateEntry]]:
    return parse_table(load_json("state_rules.json"))


def jurisdictions() -> frozenset[str]:
    """The 2-letter USPS codes of the 50 states, DC, PR, VI, GU, AS and MP ("State", 160.103)."""
    return _table()[1]


def state_rules() -> dict[str, StateEntry]:
    """Every state with rules on file, by code."""
    return _table()[2]


def state_rules_as_of() -> date:
    """The date the table was last reviewed (its `reviewed_on`)."""
    return _table()[0]


def rule_in_force(code: str, on: date) -> StateRule | None:
    """The state's rule in force on `on` (the discovery date), or None."""
    entry = state_rules().get(code)
    if entry is None:
        return None
    return next((rule for rule in entry.rules if rule.in_force(on)), None)


# --- data elements ------------------------------------------------------------------------


def elements_of(information: Iterable[str]) -> frozenset[str] | None:
    """The state data elements among the incident's types of information; None when unknown
    (nothing recorded, or "other")."""
    types = tuple(information)
    if not types or any(t in UNKNOWN_TYPES for t in types):
        return None
    return frozenset(PHI_TYPE_ELEMENTS[t] for t in types if t in PHI_TYPE_ELEMENTS)


def triggered(rule: StateRule, information: Iterable[str]) -> bool:
    """Whether the state's law applies to these types of information (unknown: it does)."""
    elements = elements_of(information)
    return not rule.triggers or elements is None or bool(elements & set(rule.triggers))


def _elements_words(elements: Iterable[str]) -> str:
    """"Social Security number; financial account or card number; or biometric data"."""
    words = [TRIGGER_WORDS[e] for e in TRIGGERS if e in set(elements)]
    return "; ".join(words[:-1]) + "; or " + words[-1] if len(words) > 1 else "".join(words)


def _trigger_line(rule: StateRule, information: Iterable[str]) -> str:
    if not rule.triggers or elements_of(information) is not None or rule.hipaa_status == "exempt":
        return ""
    return (
        f" Applies only if the breach involved, with the person's name: "
        f"{_elements_words(rule.triggers)} (the types of information are not recorded)."
    )


def trigger_warnings(
    residents: Mapping[str, int], information: Iterable[str], start: date
) -> list[str]:
    """One line per state whose law the recorded types of information do not trigger."""
    out = []
    types = tuple(information)
    for code, count in residents.items():
        rule = rule_in_force(code, start)
        if not count or rule is None or triggered(rule, types):
            continue
        after_hhs = any(d.deadline.kind == "business_days_after_hhs" for d in rule.duties)
        still = " (the notice that follows the HHS notice still stands)" if after_hhs else ""
        out.append(
            f"{rule.name} ({rule.statute}): none of the types of information recorded is "
            f"personal information under its law ({_elements_words(rule.triggers)}), so no "
            f"{rule.name} notice is listed for its {count:,} residents{still}; verify with "
            "counsel."
        )
    return out


def uncovered_warning(code: str, start: date) -> str | None:
    """Why a state on file has no rule for this discovery date (its rules start later)."""
    entry = state_rules().get(code)
    if entry is None or rule_in_force(code, start) is not None:
        return None
    dates = "; ".join(rule.dates for rule in entry.rules if rule.dates)
    return (
        f"riskreg has no rule on file for {entry.name} in force on {start} (rules on file: "
        f"{dates}): check {entry.name}'s breach-notification law with counsel."
    )


# --- obligations --------------------------------------------------------------------------


def _start(counted_from: str | None, discovered: date, determined: date) -> date:
    return determined if counted_from == "determination" else discovered


def _trailer(rule: StateRule) -> str:
    verify = f" Verify: {rule.verify}" if rule.verify else ""
    return (
        f"HIPAA covered entity: {rule.hipaa_condition} Source: {rule.source} "
        f"(confidence {rule.confidence}); verify with counsel.{verify}"
    )


def _amendment(rule: StateRule) -> str:
    """" Rule in force from 2026-01-01 (SB 446 (2025))." for a dated or amended rule."""
    if not (rule.amended_by or rule.dates):
        return ""
    dates = f" {rule.dates}" if rule.dates else ""
    law = f" ({rule.amended_by})" if rule.amended_by else ""
    return f" Rule in force{dates}{law}."


@dataclass(frozen=True)
class StateInputs:
    """What a state's obligations are computed from."""

    count: int
    discovered: date
    determined: date
    individuals: Obligation
    hhs: Obligation
    days_before: int
    information: tuple[str, ...] = ()
    periods: tuple[tuple[date, date], ...] = ()


def residents_obligation(rule: StateRule, s: StateInputs) -> Obligation:
    """`state:XX`: notice to the state's residents under its breach law."""
    status = rule.hipaa_status
    start = _start(rule.residents.counted_from, s.discovered, s.determined)
    tolled = None
    original = None
    if status == "exempt":
        due = None
        how = (
            f"{rule.name}: exempt for a HIPAA covered entity, so no {rule.name} residents' "
            f"notice is due under this law (the HIPAA individual notice still is)."
        )
    elif status == "deemed_compliant":
        due, original = s.individuals.due, s.individuals.original_due
        tolled = s.individuals.tolling_due
        how = (
            f"{rule.name}: deemed compliant: the HIPAA individual notice satisfies the residents' "
            f"notice ({rule.residents.wording} otherwise), so it is due with it: {due}."
        )
    elif rule.residents.days is None:
        due = None
        how = f"{rule.name}: {rule.residents.wording}."
    else:
        due = start + timedelta(days=rule.residents.days)
        how = (
            f"{rule.name}: {rule.residents.wording}: {rule.residents.counted_from} {start} "
            f"+ {rule.residents.days} days = {due}."
        )
    obligation = Obligation(
        id=f"state:{rule.code}",
        who=f"{rule.name} residents (state law)",
        due=due,
        original_due=original or due,
        tolling_due=tolled,
        citation=rule.statute,
        explanation=(
            f"{how}{_amendment(rule)} {_trailer(rule)}{_trigger_line(rule, s.information)}"
        ),
        internal_target=(s.individuals.internal_target if status == "deemed_compliant"
                         else internal_target(due, s.discovered, s.days_before, [])),
        verify_with_counsel=True,
        hipaa_status=status,
    )
    return _with_hold_text(rule, obligation, s.periods)


def _duty_due(
    duty: Duty, status: str, s: StateInputs, residents_due: date | None
) -> tuple[date | None, date | None, str]:
    """(due, tolling due, how) for one duty."""
    d = duty.deadline
    if status == "exempt":
        return None, None, "exempt for a HIPAA covered entity, so not due (no date)"
    if status == "deemed_compliant":
        due = s.individuals.due
        return due, s.individuals.tolling_due, (
            f"deemed compliant: due with the HIPAA individual notice ({due})"
        )
    start = _start(d.counted_from, s.discovered, s.determined)
    days = d.days or 0
    if d.kind == "days":
        due = start + timedelta(days=days)
        return due, None, f"{d.counted_from} {start} + {days} days = {due}"
    if d.kind == "business_days":
        due = add_business_days(start, days)
        how = f"{d.counted_from} {start} + {days} business days (Mon-Fri) = {due}"
        return due, None, how
    if d.kind == "with_residents":
        when = f" ({residents_due})" if residents_due else " (no fixed day)"
        return residents_due, None, "no later than the residents' notice" + when
    if d.kind == "before_residents":
        due = residents_due - timedelta(days=1) if residents_due else None
        when = f": at the latest {due}, the day before theirs" if due else " (no fixed day)"
        return due, None, "before the residents' notice" + when
    if d.kind == "days_after_residents":
        if residents_due is None:
            return None, None, (
                f"within {days} days after the residents' notice (no fixed day: the residents' "
                "notice has none; count from the day you notify them)"
            )
        due = residents_due + timedelta(days=days)
        return due, None, (
            f"within {days} days after the residents' notice: at the latest {due}, counted from "
            f"the residents' due date {residents_due} (count from the day you actually notify "
            "them)"
        )
    if d.kind == "business_days_after_hhs":
        # The law counts from the day HHS is actually notified; the latest possible date is
        # counted from the HHS due date, so an earlier HHS filing makes this earlier too.
        hhs = s.hhs
        assert hhs.due is not None
        due = add_business_days(hhs.due, days)
        tolled = add_business_days(hhs.tolling_due, days) if hhs.tolling_due else None
        how = (
            f"within {days} business days of notifying HHS: at the latest {due}, counted from the "
            f"HHS due date {hhs.due} (count from the day you actually notify HHS)"
        )
        return due, tolled, how
    return None, None, "no fixed day"


def duty_id(code: str, duty: Duty) -> str:
    """`regulator:XX` or `cra:XX` for the first duty of its kind; `...:XX:<id>` for others."""
    head = "regulator" if duty.kind == "regulator" else "cra"
    return f"{head}:{code}" + (f":{duty.id}" if duty.id else "")


def duty_obligations(rule: StateRule, s: StateInputs, residents_due: date | None,
                     applies: bool = True) -> list[Obligation]:
    """One obligation per duty whose threshold is met. When the recorded types of information
    do not trigger the state's law (`applies` False), only duties that follow the HHS notice
    remain (they attach to notifying HHS, not to the state's definition)."""
    out = []
    for duty in rule.duties:
        if duty.threshold is not None and not duty.threshold.met(s.count):
            continue
        if not applies and duty.deadline.kind != "business_days_after_hhs":
            continue
        status = rule.duty_status(duty)
        due, tolled, how = _duty_due(duty, status, s, residents_due)
        trigger = duty.threshold.describe() if duty.threshold else "any resident"
        note = f" {duty.note}" if duty.note else ""
        condition = (
            f" Condition: {rule.hipaa_condition}"
            if status in ("deemed_compliant", "exempt") and duty.hipaa_status else ""
        )
        obligation = Obligation(
            id=duty_id(rule.code, duty),
            who=duty.who,
            due=due,
            original_due=(s.individuals.original_due if status == "deemed_compliant" else due),
            tolling_due=tolled,
            citation=rule.statute,
            explanation=(
                f"{duty.who} ({trigger}; {s.count:,} here): {how}.{note}{condition}"
                f"{_amendment(rule)} {_trailer(rule)}"
            ),
            internal_target=(s.individuals.internal_target if status == "deemed_compliant"
                             else internal_target(due, s.discovered, s.days_before, [])),
            verify_with_counsel=True,
            hipaa_status=status,
        )
        out.append(_with_hold_text(rule, obligation, s.periods))
    return out


def state_obligations(rule: StateRule, s: StateInputs) -> list[Obligation]:
    """`state:XX`, then one obligation per duty, for a state whose rule is in force."""
    if not triggered(rule, s.information):
        return duty_obligations(rule, s, None, applies=False)
    residents = residents_obligation(rule, s)
    return [residents, *duty_obligations(rule, s, residents.due)]


# --- the federal law-enforcement hold -----------------------------------------------------


def _held(o: Obligation, periods: Iterable[tuple[date, date]]) -> tuple[date, date] | None:
    if o.due is None or o.hipaa_status == "deemed_compliant":
        return None
    return next(((a, b) for a, b in periods if a <= o.due <= b), None)


def _with_hold_text(
    rule: StateRule, o: Obligation, periods: Iterable[tuple[date, date]]
) -> Obligation:
    if _held(o, periods) is None:
        return o
    return replace(o, explanation=(
        f"{o.explanation} Inside the federal law-enforcement hold: the state's own delay "
        f"provision: {rule.law_enforcement_delay}"
    ))


def hold_warnings(
    obligations: Iterable[Obligation], periods: list[tuple[date, date]], start: date
) -> list[str]:
    """A warning on each state row whose date falls inside a federal hold (164.412): the hold
    does not move it; the state's own delay provision decides."""
    out = []
    for o in obligations:
        head, _, rest = o.id.partition(":")
        if head not in ("state", "regulator", "cra"):
            continue
        window = _held(o, periods)
        rule = rule_in_force(rest.split(":")[0], start)
        if window is None or rule is None:
            continue
        out.append(
            f"{o.name}: due {o.due} falls inside the federal "
            f"law-enforcement hold ({window[0]} to {window[1]}), which does not move a state's "
            f"date. {rule.name}'s own delay provision: {rule.law_enforcement_delay} Verify with "
            "counsel."
        )
    return out
