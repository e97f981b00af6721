"""The state rules table (data/state_rules.json) as data: its vocabulary, the dataclasses the
engine reads (`StateRule`, `Duty`...), and `parse_table`, which checks every field and refuses a
malformed table with a ValueError naming the state, the rule and the field. `state_rules` holds
what the engine does with the rules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

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
