"""The HHS breach portal checklist (45 CFR 164.408): every question the OCR portal asks, in its
sections (covered entity, business associate, the breach, safeguards in place before it, the
notices given, the actions taken), each answered from the incident where the wizard knows it and
a visible [TO DO] where it does not, with the deadline of the incident's track: with the
individual notice for 500 or more (164.408(b)), within 60 days of the end of the calendar year
of discovery for fewer than 500 (164.408(c))."""

from __future__ import annotations

from datetime import date
from typing import Any

import riskreg.services.other_notices.content as c
from riskreg import __version__
from riskreg.domain.incident_steps import BREACH_TYPES, PHI_TYPES
from riskreg.domain.text import plural
from riskreg.domain.vocabulary import SAFEGUARD_CATEGORIES
from riskreg.services.incident_notices import PORTAL_LOCATIONS
from riskreg.services.reports.doc import Bullets, Cell, Document, Facts, Para, Section, Table
from riskreg.services.reports.facts import NOT_LEGAL_ADVICE

PORTAL = "https://ocrportal.hhs.gov/ocr/breach"

# The portal's type of PHI: its four groups and their boxes, by the wizard's PHI types (step 2).
PORTAL_PHI = {
    "name": ("Demographic", "Name"), "address": ("Demographic", "Address/ZIP"),
    "contact": ("Demographic", "Other identifier"),
    "date_of_birth": ("Demographic", "Date of birth"), "ssn": ("Demographic", "SSN"),
    "drivers_license": ("Demographic", "Driver's license"),
    "insurance": ("Financial", "Claims information"),
    "financial": ("Financial", "Credit card/bank account number"),
    "appointments": ("Clinical", "Other treatment information"),
    "diagnosis": ("Clinical", "Diagnosis/conditions"),
    "treatment_notes": ("Clinical", "Other treatment information"),
    "medications": ("Clinical", "Medications"),
    "login": ("Other", "Other"), "biometric": ("Other", "Other"), "other": ("Other", "Other"),
}

# The portal's safeguards in place prior to the breach, by the register's safeguard category.
PORTAL_SAFEGUARDS = {
    "administrative": "Security Rule Administrative Safeguards",
    "physical": "Security Rule Physical Safeguards",
    "technical": "Security Rule Technical Safeguards",
}

# The portal's actions taken in response: boxes the practitioner ticks there.
PORTAL_ACTIONS = (
    "Adopted encryption technologies",
    "Changed password/strong password requirements",
    "Created a new/updated Security Rule Risk Management Plan",
    "Implemented new technical safeguards",
    "Implemented periodic technical and nontechnical evaluations",
    "Improved physical security",
    "Performed a new/updated Security Rule Risk Analysis",
    "Provided business associate with additional training on HIPAA requirements",
    "Provided individuals with free credit monitoring",
    "Revised business associate contracts",
    "Revised policies and procedures",
    "Sanctioned workforce members involved (including termination)",
    "Took steps to mitigate harm",
    "Trained or retrained workforce members",
    "Other",
)


def _a(value: str | None, what: str = "") -> str | Cell:
    """An answer, or a visible [TO DO] (flagged) where the incident does not say."""
    text = (value or "").strip()
    if text:
        return text
    return Cell(f"[TO DO: {what}]" if what else c.TODO, "warn")


def _d(day: date | None, what: str) -> str | Cell:
    return day.isoformat() if day else Cell(f"[TO DO: {what}]", "warn")


def _table(rows: list[list[str | Cell]]) -> Table:
    return Table(["The portal asks", "Answer"], rows)


def deadline_words(facts: c.NoticeFacts) -> str:
    hhs = facts.plan.obligation("hhs")
    if hhs is None:
        return "[TO DO: no HHS notice in the plan]"
    if hhs.track == "with_individual_notice":
        rule = ("500 or more affected: at the same time as the individual notices, no later "
                "than 60 calendar days after discovery (45 CFR 164.408(b))")
    else:
        rule = ("Fewer than 500 affected: in the yearly log, no later than 60 days after the end "
                "of the calendar year of discovery (45 CFR 164.408(c)); it may be filed earlier")
    return f"{c.due_words(hhs, facts.today)}. {rule}"


def build(facts: c.NoticeFacts) -> Document:
    record = facts.record
    affected = record["affected"] or 0
    header = Facts([
        ("Reference", facts.reference),
        ("Where", PORTAL),
        ("Deadline", deadline_words(facts)),
    ])
    sections = [
        _filing(facts), _entity(facts), _associate(record), _breach(record),
        _safeguards(facts), _notices(facts), _actions(record),
    ]
    part2 = facts.plan.obligation("hhs_part2")
    if part2 is not None:
        sections.append(Section("part2", "8. Part 2 records (42 CFR 2.16)", [Para(
            f"Part 2 substance use disorder records of {plural(record['part2_affected'] or affected, 'person', 'people')} "
            f"were involved: file a separate Part 2 breach report as well, due "
            f"{c.due_words(part2, facts.today)}.")]))
    return Document(
        title=f"HHS breach portal checklist — {facts.reference}",
        subtitle=f"45 CFR 164.408, written by riskreg on {facts.today.isoformat()}: each of the "
        "portal's questions, answered from the incident where it is known. Check each answer "
        "as you type it in; keep the portal's confirmation number and record it in Tracking.",
        header=header, notice=NOT_LEGAL_ADVICE, sections=sections,
        footer="Keep a copy with the incident's records for six years (45 CFR 164.530(j)).",
        meta={"generator": f"riskreg {__version__}"},
    )


def _filing(facts: c.NoticeFacts) -> Section:
    affected = facts.record["affected"] or 0
    return Section("filing", "1. The report", [_table([
        ["Report type", "Initial breach report (an addendum only to correct or add to one "
                        "already filed)"],
        ["Filing as", "Covered entity, filing for its own organization"],
        ["Breach affecting", "500 or more individuals" if affected >= 500
         else "Fewer than 500 individuals"],
        ["Deadline", deadline_words(facts)],
    ])])


def _entity(facts: c.NoticeFacts) -> Section:
    r, s = facts.record, facts.settings
    return Section("entity", "2. Covered entity", [_table([
        ["Name of covered entity", _a(s.get("practice_name"), "the practice's name (Settings)")],
        ["Type of covered entity", "Healthcare Provider"],
        ["Street address, city, state, ZIP", _a(r["contact_postal"], "the practice's address")],
        ["Contact name", _a(s.get("practitioner"), "your name (Settings)")],
        ["Contact phone", _a(r["contact_toll_free"] and r["contact_toll_free"]
                             + " (the notices' toll-free number: check)", "a phone number")],
        ["Contact email", _a(r["contact_email"], "an email address")],
    ])])


def _associate(r: dict[str, Any]) -> Section:
    if not r["ba_involved"]:
        return Section("associate", "3. Business associate", [
            Para("None: no business associate was involved (step 1, What happened). Leave the "
                 "portal's business associate section empty.")])
    role = ("acting as the practice's agent" if r["ba_is_agent"]
            else "an independent contractor")
    return Section("associate", "3. Business associate", [_table([
        ["Business associate involved", "Yes, " + role],
        ["Name of business associate", _a(r.get("ba_tool_name"), "its name")],
        ["Street address, city, state, ZIP", _a("", "its address")],
        ["Contact name, phone, email", _a("", "its contact")],
        ["Date it discovered the breach", _d(r["ba_discovered_on"], "when it found out")],
    ])])


def _phi_rows(r: dict[str, Any]) -> str | Cell:
    groups: dict[str, list[str]] = {}
    for t in r.get("phi_types") or ():
        group, box = PORTAL_PHI.get(t, ("Other", "Other"))
        if box not in groups.setdefault(group, []):
            groups[group].append(box)
    if not groups:
        return Cell("[TO DO: the types of PHI (step 2)]", "warn")
    lines = [f"{g}: {', '.join(boxes)}" for g, boxes in groups.items()]
    told = ", ".join(PHI_TYPES.get(t, t) for t in r["phi_types"])
    return "\n".join(lines) + f"\n(from step 2: {told})"


def _location(r: dict[str, Any]) -> str | Cell:
    found = list(dict.fromkeys(PORTAL_LOCATIONS.get(k, "Other (name it)")
                               for k in r.get("tool_categories") or ()))
    if not found:
        return Cell("[TO DO: laptop, desktop computer, network server, email, other portable "
                    "electronic device, electronic medical record, paper/films, other]", "warn")
    return "; ".join(found) + " (from the tools linked to this incident: check)"


def _breach(r: dict[str, Any]) -> Section:
    affected = r["affected"]
    return Section("breach", "4. The breach", [_table([
        ["Breach start date", _d(r["occurred_on"], "when it began (step 1)")],
        ["Breach end date", _d(r["occurred_until"] or r["occurred_on"], "when it ended")],
        ["Discovery start date", r["discovered_on"].isoformat()],
        ["Discovery end date", r["discovered_on"].isoformat()
         + " (the same day unless the discovery took longer)"],
        ["Approximate number of individuals affected",
         f"{affected:,}" if affected is not None else Cell("[TO DO: the scope]", "warn")],
        ["Type of breach", _a(BREACH_TYPES.get(r.get("breach_type") or ""),
                              "choose it in step 1, What happened")],
        ["Location of breached information", _location(r)],
        ["Type of protected health information involved", _phi_rows(r)],
        ["Brief description of the breach", _a(r["description"], "what happened, naming no "
                                               "one")],
    ])])


def _safeguards(facts: c.NoticeFacts) -> Section:
    by_kind: dict[str, list[str]] = {}
    for s in facts.safeguards:
        by_kind.setdefault(s["category"], []).append(
            s["title"] + (f" ({s['citation']})" if s.get("citation") else ""))
    rows: list[list[str | Cell]] = [
        ["None", "Tick only if none of the following was in place"],
        ["Privacy Rule Safeguards (Training, Policies and Procedures, etc.)",
         Cell("[TO DO: tick if your privacy training and policies were in place]", "warn")],
    ]
    for kind, label in PORTAL_SAFEGUARDS.items():
        named = by_kind.get(kind)
        rows.append([label, "Yes: " + "; ".join(named) if named else Cell(
            f"[TO DO: no {SAFEGUARD_CATEGORIES[kind].lower()} safeguard in place against this "
            "incident's hazards in the register: tick only if one was]", "warn")])
    return Section("safeguards", "5. Safeguards in place prior to the breach", [
        Para("From the register: the safeguards in place or verified against the hazards linked "
             "to this incident. Check that each was in place before the breach."),
        _table(rows),
    ])


def _notices(facts: c.NoticeFacts) -> Section:
    r = facts.record
    by_id = {o["id"]: o for o in r.get("obligations", [])}
    sent = [n["sent_on"] for n in by_id.get("individuals", {}).get("sent", [])]
    individuals = facts.plan.obligation("individuals")
    due = f"not yet recorded in Tracking; due {individuals.due}" if individuals and \
        individuals.due else "not yet recorded in Tracking"
    media = [o.id.split(":", 1)[1] for o in facts.plan.obligations if o.id.startswith("media:")]
    count = r["insufficient_contact"]
    return Section("notices", "6. Notice of the breach", [_table([
        ["Individual notice provided: start date", _d(min(sent) if sent else None, due)],
        ["Individual notice provided: end date", _d(max(sent) if sent else None, due)],
        ["Was substitute notice required?",
         f"Yes: {plural(count, 'person', 'people')} without current contact information"
         if count else "No"],
        ["Was media notice required?",
         f"Yes: {', '.join(media)} (more than 500 residents)" if media else "No"],
    ])])


def _actions(r: dict[str, Any]) -> Section:
    return Section("actions", "7. Actions taken in response to the breach", [
        Para("Tick each that applies on the portal:"),
        Bullets([f"[ ] {a}" for a in PORTAL_ACTIONS]),
        _table([["Describe the actions taken", _a(r["notice_actions"], "what the practice did "
                                                   "(Notices step, What you are doing)")]]),
    ])
