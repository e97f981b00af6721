"""The media notice (45 CFR 164.406): for each state or jurisdiction with more than 500 of its
residents affected (exactly 500 does not trigger it), a press release to prominent media outlets
serving it, no later than 60 calendar days after discovery, with the content of the individual
notice (164.406(c), through 164.404(c))."""

from __future__ import annotations

import riskreg.services.other_notices.content as c
from riskreg import __version__
from riskreg.domain.obligation_names import JURISDICTIONS, state_name
from riskreg.domain.text import plural
from riskreg.errors import BadInput
from riskreg.services.reports.doc import Bullets, Document, Facts, Para, Section
from riskreg.services.reports.facts import NOT_LEGAL_ADVICE

MEDIA_THRESHOLD = 500
"""164.406(a): MORE than 500 residents of a State or jurisdiction."""


def media_states(facts: c.NoticeFacts) -> list[str]:
    """The states the plan owes a media notice, in the plan's order (one obligation each)."""
    return [o.id.split(":", 1)[1] for o in facts.plan.obligations if o.id.startswith("media:")]


def chosen_states(facts: c.NoticeFacts, state: str | None) -> list[str]:
    """The states to write a press release for: `state` alone, or every state that needs one.
    A code that is no state, or a state without more than 500 residents affected, is refused."""
    owed = media_states(facts)
    listed = ", ".join(owed) or "none"
    if state is not None:
        code = state.strip().upper()
        if code not in JURISDICTIONS:
            raise BadInput(f"--state {state!r} is not a state or jurisdiction code (two letters, "
                           "e.g. FL, DC, PR)")
        if code not in owed:
            count = facts.record["residents"].get(code, 0)
            raise BadInput(f"{facts.reference}: {plural(count, 'resident')} of {state_name(code)} "
                           f"affected, not more than {MEDIA_THRESHOLD}: no media notice there "
                           f"(45 CFR 164.406); media notices owed: {listed}")
        return [code]
    if not owed:
        raise BadInput(f"{facts.reference}: no state has more than {MEDIA_THRESHOLD} residents "
                       "affected: no media notice is needed (45 CFR 164.406)")
    return owed


def build(facts: c.NoticeFacts, state: str) -> Document:
    record = facts.record
    name = state_name(state)
    practice = c.practice(facts)
    obligation = facts.plan.obligation(f"media:{state}")
    residents = record["residents"].get(state, 0)
    affected = record["affected"] or 0
    header = Facts([
        ("Reference", facts.reference),
        ("To", f"prominent media outlets serving {name}"),
        ("Residents of " + name, f"{residents:,} affected (more than {MEDIA_THRESHOLD})"),
        ("All affected", plural(affected, "person", "people")),
        ("Due", c.due_words(obligation, facts.today)
         + " (no later than 60 calendar days after discovery; without unreasonable delay)"),
    ])
    where = Section("where", "1. Where to send it", [
        Para(f"To prominent media outlets serving {name} (45 CFR 164.406(a)): the major "
             "newspapers, television and radio stations, and their news websites, that serve "
             "the areas where the affected residents live. Usually a press release. A paid "
             "advertisement is not a substitute for it."),
        Bullets(["[TO DO: name the outlets, e.g. the main daily newspaper and the main "
                 "television stations serving the areas where your clients live]"]),
        Para("Record it in Tracking (Print or broadcast media, the day it went out, to whom) "
             "for the proof 164.414(b) asks of the practice."),
        Para("It must say what the individual notice says (164.406(c)):"),
        c.checklist(record),
    ])
    release = Section("release", f"2. Press release: {practice} notifies clients of a privacy "
                      "incident", [
        Para("This text is public: check that it names no one and says no more than the people "
             "affected need to know.", "warn"),
        Para("FOR IMMEDIATE RELEASE"),
        Para(f"[CITY, {state}], [DATE]. {practice} is notifying people whose health information "
             f"was involved in an incident, about {plural(affected, 'person', 'people')} in "
             f"all, including {residents:,} residents of {name}."),
    ])
    media_contact = Section("press-contact", "Media contact", [
        Para(c.todo(facts.settings.get("practitioner"), "who answers the press (Settings)")
             + ", " + practice),
        *c.contact(record),
    ])
    return Document(
        title=f"Media notice — {facts.reference} — {name}",
        subtitle=f"45 CFR 164.406, written by riskreg on {facts.today.isoformat()}. A draft to "
        "finish: complete every [TO DO] before it goes out.",
        header=header, notice=NOT_LEGAL_ADVICE,
        sections=[where, release, *c.body_sections(record, "release", we=practice,
                                                    people="people"), media_contact],
        footer="Keep a copy with the incident's records for six years (45 CFR 164.530(j)).",
        meta={"generator": f"riskreg {__version__}"},
    )
