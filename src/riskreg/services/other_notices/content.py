"""What every notice to the public says (45 CFR 164.404(c), and through 164.406(c) the media
notice): what happened with its dates, the information involved, what people can do, what the
practice is doing, and how to reach it, in plain language, as report blocks (reports/doc.py).

What the incident's facts do not say is a visible [TO DO], never invented."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from riskreg.domain.deadlines import Plan
from riskreg.domain.incident_steps import PHI_TYPES
from riskreg.domain.obligations import Obligation
from riskreg.domain.text import plural
from riskreg.domain.workdays import WEEKDAY_NAMES
from riskreg.services.incident_notices import checklist_items, contact_items, plain_date
from riskreg.services.reports.doc import Block, Bullets, Cell, Para, Section

TODO = "[TO DO]"


@dataclass(frozen=True)
class NoticeFacts:
    """One incident as the notices read it: the service's full record, its plan, the practice
    settings and the register's safeguards against the incident's hazards."""

    record: dict[str, Any]
    plan: Plan
    settings: dict[str, Any]
    today: date
    safeguards: list[dict[str, str]] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return self.record["reference"]


def todo(value: str | None, what: str) -> str:
    """`value` stripped, or a visible "[TO DO: what]"."""
    text = (value or "").strip()
    return text if text else f"[TO DO: {what}]"


def practice(facts: NoticeFacts) -> str:
    return todo(facts.settings.get("practice_name"), "the practice's name (Settings)")


def when_words(record: dict[str, Any]) -> str:
    occurred, until = record["occurred_on"], record["occurred_until"]
    if occurred and until and until != occurred:
        return f"between {plain_date(occurred)} and {plain_date(until)}"
    if occurred:
        return f"on {plain_date(occurred)}"
    return "on a date not yet established [TO DO: the date of the breach, if known]"


def due_words(obligation: Obligation | None, today: date) -> str:
    """"2026-10-31 (Saturday), 51 days from 2026-09-10; 45 CFR 164.406", or no fixed day."""
    if obligation is None or obligation.due is None:
        return "as soon as possible (no fixed day)"
    due = obligation.due
    days = (due - today).days
    left = (f"{plural(days, 'day')} from {today}" if days >= 0
            else f"{plural(-days, 'day')} ago: late")
    return f"{due.isoformat()} ({WEEKDAY_NAMES[due.weekday()]}), {left}; {obligation.citation}"


def what_happened(record: dict[str, Any]) -> list[Block]:
    return [
        Para(todo(record["description"], "describe what happened in plain words, naming no one")),
        Para(f"It happened {when_words(record)}. It was discovered on "
             f"{plain_date(record['discovered_on'])}."),
    ]


def information(record: dict[str, Any]) -> list[Block]:
    types = record.get("phi_types") or []
    if not types:
        return [Para("[TO DO: the kinds of information involved (name, date of birth, "
                     "diagnosis...): step 2 of the incident]", "warn")]
    return [Bullets([PHI_TYPES.get(t, t) for t in types])]


def what_to_do(record: dict[str, Any]) -> list[Block]:
    steps = (record["notice_steps"] or "").strip()
    if steps:
        return [Para(steps)]
    return [
        Para("[TO DO: adapt these to what was involved, in the Notices step]", "warn"),
        Bullets([
            "Review the statements you receive from us and from your health insurer, and tell "
            "us about any visit or service you do not recognise.",
            "Be careful with unexpected calls, texts or emails that mention your care; we will "
            "never ask for your password.",
            "If payment or Social Security details were involved: consider a free fraud alert "
            "or credit freeze with the credit bureaus.",
        ]),
    ]


def what_we_do(record: dict[str, Any]) -> list[Block]:
    return [Para(todo(record["notice_actions"], "what the practice did to investigate, to "
                      "reduce harm to the people affected, and to prevent it happening again"))]


def contact(record: dict[str, Any]) -> list[Block]:
    found = contact_items(record)
    if not found:
        return [Para("[TO DO: how people can ask questions: a toll-free number, email address, "
                     "website or postal address (45 CFR 164.404(c)(1)(E))]", "warn")]
    return [Bullets(list(found))]


def body_sections(record: dict[str, Any], prefix: str, *, we: str = "we",
                  people: str = "you") -> list[Section]:
    """The five content items of 164.404(c)(1), as sections anchored `prefix`-..."""
    doing = "What we are doing" if we == "we" else f"What {we} is doing"
    return [
        Section(f"{prefix}-what", "What happened", what_happened(record)),
        Section(f"{prefix}-info", "What information was involved", information(record)),
        Section(f"{prefix}-steps", f"What {people} can do", what_to_do(record)),
        Section(f"{prefix}-actions", doing, what_we_do(record)),
        Section(f"{prefix}-contact", "For more information", contact(record)),
    ]


def checklist(record: dict[str, Any]) -> Bullets:
    """The content checklist of 164.404(c): done where the facts supply it."""
    return Bullets([Cell(("✓ " if done else "[TO DO] ") + text, "ok" if done else "warn")
                    for done, text in checklist_items(record)])
