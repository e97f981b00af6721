"""State breach-notification overlays (RULES.md "State overlays"): loaded from data/state_rules.json.

Informational only: each row carries its source and confidence, and every obligation built from it
is flagged "verify with counsel". The federal law-enforcement hold (45 CFR 164.412) does not govern
these clocks, so they are never moved by one (state laws have their own delay provisions).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from riskreg.datafiles import load_json
from riskreg.domain.obligations import Obligation, internal_target
from riskreg.domain.workdays import add_business_days

DEADLINE_KINDS = (
    "days",
    "business_days",
    "with_residents",
    "before_residents",
    "business_days_after_hhs",
    "none",
)


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
class RegulatorNotice:
    """A notice to a state official: who, above which threshold (None = any resident), by when."""

    who: str
    threshold: Threshold | None
    kind: str
    days: int | None = None
    counted_from: str | None = None
    note: str = ""


@dataclass(frozen=True)
class StateRule:
    """One row of the overlay table. `residents_days` None = no fixed number of days."""

    code: str
    name: str
    residents_days: int | None
    residents_from: str
    residents_wording: str
    regulators: tuple[RegulatorNotice, ...]
    hipaa_covered_entity: str
    source: str
    confidence: str


def _notice(raw: dict) -> RegulatorNotice:
    threshold = raw.get("threshold")
    deadline = raw["deadline"]
    if deadline["kind"] not in DEADLINE_KINDS:
        raise ValueError(f"state_rules.json: unknown deadline kind {deadline['kind']!r}")
    return RegulatorNotice(
        who=raw["who"],
        threshold=Threshold(threshold["op"], threshold["count"]) if threshold else None,
        kind=deadline["kind"],
        days=deadline.get("days"),
        counted_from=deadline.get("counted_from"),
        note=raw.get("note", ""),
    )


@cache
def _table() -> dict:
    return load_json("state_rules.json")


@cache
def jurisdictions() -> frozenset[str]:
    """The 2-letter USPS codes of the 50 states, DC, PR, VI, GU, AS and MP ("State", 160.103)."""
    return frozenset(_table()["jurisdictions"])


@cache
def state_rules() -> dict[str, StateRule]:
    """Every overlay row, by state code."""
    rules = {}
    for code, raw in _table()["states"].items():
        residents = raw["residents"]
        rules[code] = StateRule(
            code=code,
            name=raw["name"],
            residents_days=residents["days"],
            residents_from=residents["counted_from"],
            residents_wording=residents["wording"],
            regulators=tuple(_notice(n) for n in raw["regulator"]),
            hipaa_covered_entity=raw["hipaa_covered_entity"],
            source=raw["source"],
            confidence=raw["confidence"],
        )
    return rules


def _start(counted_from: str | None, discovered: date, determined: date) -> date:
    return determined if counted_from == "determination" else discovered


def _trailer(rule: StateRule) -> str:
    return (
        f"HIPAA covered entity: {rule.hipaa_covered_entity} Source: {rule.source} "
        f"(confidence {rule.confidence}); verify with counsel."
    )


def residents_obligation(
    rule: StateRule, discovered: date, determined: date, days_before: int
) -> Obligation:
    """`state:XX`: notice to the state's residents under its breach law (RULES.md overlay table)."""
    start = _start(rule.residents_from, discovered, determined)
    if rule.residents_days is None:
        due = None
        how = f"{rule.name}: {rule.residents_wording}."
    else:
        due = start + timedelta(days=rule.residents_days)
        how = (
            f"{rule.name}: {rule.residents_wording}: {rule.residents_from} {start} "
            f"+ {rule.residents_days} days = {due}."
        )
    return Obligation(
        id=f"state:{rule.code}",
        who=f"{rule.name} residents (state law)",
        due=due,
        original_due=due,
        citation=rule.source,
        explanation=f"{how} {_trailer(rule)}",
        internal_target=internal_target(due, discovered, days_before, []),
        verify_with_counsel=True,
    )


def _notice_due(
    notice: RegulatorNotice,
    discovered: date,
    determined: date,
    residents_due: date | None,
    hhs: Obligation,
) -> tuple[date | None, date | None, str]:
    """(due, tolling due, how) for one regulator notice."""
    start = _start(notice.counted_from, discovered, determined)
    days = notice.days or 0
    if notice.kind == "days":
        due = start + timedelta(days=days)
        return due, None, f"{notice.counted_from} {start} + {days} days = {due}"
    if notice.kind == "business_days":
        due = add_business_days(start, days)
        how = f"{notice.counted_from} {start} + {days} business days (Mon-Fri) = {due}"
        return due, None, how
    if notice.kind == "with_residents":
        when = f" ({residents_due})" if residents_due else " (no fixed day)"
        return residents_due, None, "no later than the residents' notice" + when
    if notice.kind == "before_residents":
        due = residents_due - timedelta(days=1) if residents_due else None
        when = f": at the latest {due}, the day before theirs" if due else " (no fixed day)"
        return due, None, "before the residents' notice" + when
    if notice.kind == "business_days_after_hhs":
        # The law counts from the day HHS is actually notified; the latest possible date is
        # counted from the HHS due date, so an earlier HHS filing makes this earlier too.
        assert hhs.due is not None
        due = add_business_days(hhs.due, days)
        tolled = add_business_days(hhs.tolling_due, days) if hhs.tolling_due else None
        how = (
            f"within {days} business days of notifying HHS: at the latest {due}, counted from the "
            f"HHS due date {hhs.due} (count from the day you actually notify HHS)"
        )
        return due, tolled, how
    return None, None, "no fixed day"


def regulator_obligation(
    rule: StateRule,
    residents: int,
    discovered: date,
    determined: date,
    residents_due: date | None,
    hhs: Obligation,
    days_before: int,
) -> Obligation | None:
    """`regulator:XX`: the state officials to notify, when a notice's threshold is met.

    With several notices (NY, IL), the due date is the earliest one that has a date.
    """
    parts = []
    whos = []
    dated: list[tuple[date, date | None]] = []
    for notice in rule.regulators:
        if notice.threshold is not None and not notice.threshold.met(residents):
            continue
        due, tolled, how = _notice_due(notice, discovered, determined, residents_due, hhs)
        trigger = notice.threshold.describe() if notice.threshold else "any resident"
        note = f" {notice.note}" if notice.note else ""
        whos.append(notice.who)
        parts.append(f"{notice.who} ({trigger}; {residents:,} here): {how}.{note}")
        if due is not None:
            dated.append((due, tolled))
    if not parts:
        return None
    due, tolled = min(dated, key=lambda pair: pair[0]) if dated else (None, None)
    return Obligation(
        id=f"regulator:{rule.code}",
        who=" / ".join(whos),
        due=due,
        original_due=due,
        tolling_due=tolled,
        citation=rule.source,
        explanation=" ".join(parts) + " " + _trailer(rule),
        internal_target=internal_target(due, discovered, days_before, []),
        verify_with_counsel=True,
    )
