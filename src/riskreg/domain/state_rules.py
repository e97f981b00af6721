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
state's own delay provision (`hold_warnings`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Any

from riskreg.datafiles import load_json
from riskreg.domain.obligations import Obligation, internal_target
from riskreg.domain.workdays import add_business_days

DEADLINE_KINDS = (
    "days",
    "business_days",
    "with_residents",
    "before_residents",
    "business_days_after_hhs",
    "days_after_residents",
    "none",
)
# Kinds that count a number of days, and those that count from discovery or determination.
_COUNTED = ("days", "business_days", "business_days_after_hhs", "days_after_residents")
_FROM_START = ("days", "business_days")
COUNTED_FROM = ("discovery", "determination")
HIPAA_STATUSES = ("applies", "exempt", "deemed_compliant", "unknown")
DUTY_KINDS = ("regulator", "credit_agencies")
CONFIDENCES = ("high", "medium", "low")
# The data elements that, with the person's name, make a state's law apply.
TRIGGERS = (
    "medical",
    "health_insurance",
    "ssn",
    "financial",
    "drivers_license",
    "credentials",
    "biometric",
)
TRIGGER_WORDS = {
    "medical": "medical information",
    "health_insurance": "health insurance information",
    "ssn": "Social Security number",
    "financial": "financial account or card number",
    "drivers_license": "driver's licence or state ID number",
    "credentials": "username or email with password",
    "biometric": "biometric data",
}
# The incident's types of information (domain/incident_steps.PHI_TYPES) as state data elements.
# Types not listed (name, address, contact, date of birth) trigger no state law on their own;
# "other" could be anything, so with it the elements are taken as unknown. "appointments" (the
# fact of being a client) counts as medical: at a therapist's practice it reveals mental-health
# treatment, which the states' "medical information" covers (the conservative reading).
PHI_TYPE_ELEMENTS = {
    "appointments": "medical",
    "diagnosis": "medical",
    "treatment_notes": "medical",
    "medications": "medical",
    "insurance": "health_insurance",
    "ssn": "ssn",
    "financial": "financial",
    "drivers_license": "drivers_license",
    "login": "credentials",
    "biometric": "biometric",
}
UNKNOWN_TYPES = ("other",)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLUG = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
_RULE_KEYS = {
    "effective_from", "effective_to", "statute", "amended_by", "triggers", "hipaa_status",
    "hipaa_condition", "residents", "duties", "law_enforcement_delay", "source", "confidence",
    "reviewed_on", "verify",
}
_RULE_OPTIONAL = {"amended_by"}
_DUTY_KEYS = {"kind", "id", "who", "threshold", "deadline", "hipaa_status", "note"}
_DUTY_OPTIONAL = {"hipaa_status", "note"}


@dataclass(frozen=True)
class Threshold:
    """How many residents trigger a notice: `op` is ">" or ">="."""

    op: str
    count: int

    def met(self, residents: int) -> bool:
        return residents > self.count if self.op == ">" else residents >= self.count

    def describe(self) -> str:
        word = "more than" if self.op == ">" else "at least"
        return f"{word} {self.count:,} residents"


@dataclass(frozen=True)
class Deadline:
    """When a duty is due: `kind` of DEADLINE_KINDS, `days` where it counts days."""

    kind: str
    days: int | None = None
    counted_from: str | None = None


@dataclass(frozen=True)
class Duty:
    """A notice to a state official (`regulator`) or to the consumer reporting agencies."""

    kind: str
    id: str | None
    who: str
    threshold: Threshold | None
    deadline: Deadline
    hipaa_status: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Residents:
    """The residents' notice: `days` None = no fixed number of days."""

    days: int | None
    counted_from: str
    wording: str


@dataclass(frozen=True)
class StateRule:
    """One dated rule of a state's breach law."""

    code: str
    name: str
    effective_from: date | None
    effective_to: date | None
    statute: str
    amended_by: str
    triggers: tuple[str, ...]
    hipaa_status: str
    hipaa_condition: str
    residents: Residents
    duties: tuple[Duty, ...]
    law_enforcement_delay: str
    source: str
    confidence: str
    reviewed_on: date
    verify: str

    def in_force(self, on: date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_to is None or on <= self.effective_to
        )

    def duty_status(self, duty: Duty) -> str:
        return duty.hipaa_status or self.hipaa_status

    @property
    def dates(self) -> str:
        """"from 2026-01-01", "until 2025-12-31", "2024-12-21 to 2025-03-20" or ""."""
        start, end = self.effective_from, self.effective_to
        if start and end:
            return f"{start} to {end}"
        if start:
            return f"from {start}"
        return f"until {end}" if end else ""


@dataclass(frozen=True)
class StateEntry:
    """A state's rules, oldest first (at most one in force on any date)."""

    code: str
    name: str
    rules: tuple[StateRule, ...]


# --- loading and validation ---------------------------------------------------------------


class _Check:
    """Raises ValueError naming the state, the rule and the field."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, field: str, problem: str) -> None:
        raise ValueError(f"state_rules.json: {self.where}: {field}: {problem}")

    def keys(self, raw: Any, field: str, allowed: set[str], optional: set[str]) -> dict:
        if not isinstance(raw, dict):
            self.fail(field, f"must be an object, not {raw!r}")
        unknown = sorted(set(raw) - allowed)
        if unknown:
            self.fail(field, f"unknown field(s) {', '.join(unknown)}")
        missing = sorted(allowed - optional - set(raw))
        if missing:
            self.fail(field, f"missing field(s) {', '.join(missing)}")
        return raw

    def text(self, value: Any, field: str, empty: bool = False) -> str:
        if not isinstance(value, str) or (not empty and not value.strip()):
            self.fail(field, f"must be {'a' if empty else 'non-empty'} text, not {value!r}")
        return value

    def day(self, value: Any, field: str, null: bool = True) -> date | None:
        if value is None and null:
            return None
        if not isinstance(value, str) or not _DATE.match(value):
            self.fail(field, f"must be a YYYY-MM-DD date{' or null' if null else ''}, not {value!r}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(field, f"{value!r} is not a real date")
        raise AssertionError  # unreachable

    def days(self, value: Any, field: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(field, f"must be a whole number of days (0 or more) or null, not {value!r}")
        return value

    def choice(self, value: Any, field: str, choices: Iterable[str]) -> str:
        options = tuple(choices)
        if value not in options:
            self.fail(field, f"{value!r} is not one of {', '.join(options)}")
        return value


def _threshold(check: _Check, raw: Any, field: str) -> Threshold | None:
    if raw is None:
        return None
    raw = check.keys(raw, field, {"op", "count"}, set())
    op = check.choice(raw["op"], f"{field}.op", (">", ">="))
    count = raw["count"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        check.fail(f"{field}.count", f"must be a whole number, not {count!r}")
    return Threshold(op, count)


def _deadline(check: _Check, raw: Any, field: str) -> Deadline:
    raw = check.keys(raw, field, {"kind", "days", "counted_from"}, {"days", "counted_from"})
    kind = check.choice(raw["kind"], f"{field}.kind", DEADLINE_KINDS)
    days = check.days(raw.get("days"), f"{field}.days")
    counted_from = raw.get("counted_from")
    if kind in _COUNTED and days is None:
        check.fail(f"{field}.days", f"a {kind} deadline needs a number of days")
    if kind not in _COUNTED and days is not None:
        check.fail(f"{field}.days", f"a {kind} deadline counts no days (null or left out)")
    if kind in _FROM_START:
        check.choice(counted_from, f"{field}.counted_from", COUNTED_FROM)
    elif counted_from is not None:
        check.choice(counted_from, f"{field}.counted_from", COUNTED_FROM)
    return Deadline(kind, days, counted_from)


def _duties(check: _Check, raw: Any) -> tuple[Duty, ...]:
    if not isinstance(raw, list):
        check.fail("duties", f"must be a list, not {raw!r}")
    out: list[Duty] = []
    seen: set[tuple[str, str | None]] = set()
    for n, item in enumerate(raw):
        field = f"duties[{n}]"
        item = check.keys(item, field, _DUTY_KEYS, _DUTY_OPTIONAL)
        kind = check.choice(item["kind"], f"{field}.kind", DUTY_KINDS)
        slug = item["id"]
        first = not any(d.kind == kind for d in out)
        if first and slug is not None:
            check.fail(f"{field}.id", f"the first {kind} duty has id null, not {slug!r}")
        if not first and (not isinstance(slug, str) or not _SLUG.match(slug)):
            check.fail(f"{field}.id", f"a second or later {kind} duty needs a slug id "
                                      f"(lower case, digits, underscores), not {slug!r}")
        if (kind, slug) in seen:
            check.fail(f"{field}.id", f"{kind} duty id {slug!r} is given twice")
        seen.add((kind, slug))
        status = item.get("hipaa_status")
        if status is not None:
            check.choice(status, f"{field}.hipaa_status", HIPAA_STATUSES)
        out.append(Duty(
            kind=kind,
            id=slug,
            who=check.text(item["who"], f"{field}.who"),
            threshold=_threshold(check, item["threshold"], f"{field}.threshold"),
            deadline=_deadline(check, item["deadline"], f"{field}.deadline"),
            hipaa_status=status,
            note=check.text(item.get("note", ""), f"{field}.note", empty=True),
        ))
    return tuple(out)


def _rule(code: str, name: str, n: int, raw: Any) -> StateRule:
    check = _Check(f"{code} rule {n + 1}")
    raw = check.keys(raw, "rule", _RULE_KEYS, _RULE_OPTIONAL)
    triggers = raw["triggers"]
    if not isinstance(triggers, list):
        check.fail("triggers", f"must be a list, not {triggers!r}")
    for item in triggers:
        check.choice(item, "triggers", TRIGGERS)
    if len(set(triggers)) != len(triggers):
        check.fail("triggers", "an element is listed twice")
    residents = check.keys(raw["residents"], "residents", {"days", "counted_from", "wording"},
                           set())
    rule = StateRule(
        code=code,
        name=name,
        effective_from=check.day(raw["effective_from"], "effective_from"),
        effective_to=check.day(raw["effective_to"], "effective_to"),
        statute=check.text(raw["statute"], "statute"),
        amended_by=check.text(raw.get("amended_by", ""), "amended_by", empty=True),
        triggers=tuple(triggers),
        hipaa_status=check.choice(raw["hipaa_status"], "hipaa_status", HIPAA_STATUSES),
        hipaa_condition=check.text(raw["hipaa_condition"], "hipaa_condition"),
        residents=Residents(
            days=check.days(residents["days"], "residents.days"),
            counted_from=check.choice(residents["counted_from"], "residents.counted_from",
                                      COUNTED_FROM),
            wording=check.text(residents["wording"], "residents.wording"),
        ),
        duties=_duties(check, raw["duties"]),
        law_enforcement_delay=check.text(raw["law_enforcement_delay"], "law_enforcement_delay"),
        source=check.text(raw["source"], "source"),
        confidence=check.choice(raw["confidence"], "confidence", CONFIDENCES),
        reviewed_on=check.day(raw["reviewed_on"], "reviewed_on", null=False),
        verify=check.text(raw["verify"], "verify", empty=True),
    )
    if rule.effective_from and rule.effective_to and rule.effective_to < rule.effective_from:
        check.fail("effective_to", f"{rule.effective_to} is before effective_from "
                                   f"{rule.effective_from}")
    return rule


def _entry(code: str, raw: Any) -> StateEntry:
    check = _Check(code)
    raw = check.keys(raw, "state", {"name", "rules"}, set())
    name = check.text(raw["name"], "name")
    if not isinstance(raw["rules"], list) or not raw["rules"]:
        check.fail("rules", "must be a non-empty list of rules")
    rules = tuple(_rule(code, name, n, item) for n, item in enumerate(raw["rules"]))
    for n, (older, newer) in enumerate(zip(rules, rules[1:], strict=False)):
        # Oldest first, and no date on which both are in force.
        if older.effective_to is None or newer.effective_from is None or (
            newer.effective_from <= older.effective_to
        ):
            check.fail(
                f"rules {n + 1} and {n + 2}",
                "two rules are in force on one date (the older needs an effective_to before the "
                "newer's effective_from, oldest first)",
            )
    return StateEntry(code, name, rules)


def parse_table(raw: Mapping[str, Any]) -> tuple[date, frozenset[str], dict[str, StateEntry]]:
    """(reviewed_on, jurisdictions, states) from the JSON table; a malformed table raises
    ValueError naming the state and the field."""
    top = _Check("table")
    top.keys(raw, "table", {"_about", "reviewed_on", "jurisdictions", "states"}, {"_about"})
    reviewed = top.day(raw["reviewed_on"], "reviewed_on", null=False)
    codes = raw["jurisdictions"]
    if not isinstance(codes, list) or not all(isinstance(c, str) and len(c) == 2 for c in codes):
        top.fail("jurisdictions", "must be a list of 2-letter codes")
    valid = frozenset(codes)
    if not isinstance(raw["states"], dict):
        top.fail("states", "must be an object keyed by state code")
    states = {}
    for code, item in raw["states"].items():
        if code not in valid:
            top.fail("states", f"{code!r} is not one of the jurisdictions")
        states[code] = _entry(code, item)
    assert reviewed is not None
    return reviewed, valid, states


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
