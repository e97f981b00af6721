"""The substitute notice (45 CFR 164.404(d)(2)) for the people whose contact information is
insufficient or out of date: for 10 or more, the web-posting text with its 90-day end date and
the toll-free number's call script ((d)(2)(ii)); for fewer, the alternative written notice and
the telephone text ((d)(2)(i)). Each carries everything 164.404(c) requires."""

from __future__ import annotations

from datetime import date
from typing import Any

import riskreg.services.other_notices.content as c
from riskreg import __version__
from riskreg.domain.incident_steps import PHI_TYPES
from riskreg.domain.substitute_notice import POSTING_DAYS, posting_ends, substitute_form
from riskreg.domain.text import plural
from riskreg.errors import BadInput
from riskreg.services.incident_notices import plain_date
from riskreg.services.reports.doc import Bullets, Document, Facts, Para, Section, Table
from riskreg.services.reports.facts import NOT_LEGAL_ADVICE

PUBLIC = Para("This text is public: check that it names no one and says no more than the people "
              "affected need to know.", "warn")


def posted_on(record: dict[str, Any]) -> date | None:
    """The day the web posting went up, as recorded in Tracking (the substitute notice sent by
    "Website posting"), or None while it is not recorded."""
    days = [s["sent_on"] for o in record.get("obligations", []) if o["id"] == "substitute_notice"
            for s in o["sent"] if s["method"] == "website"]
    return min(days) if days else None


def period_words(record: dict[str, Any], due: date | None) -> str:
    """Until when the posting stays up and the number answers: posted on + 90 days, or how that
    will be computed while the posting date is not recorded."""
    start = posted_on(record)
    if start is not None:
        return (f"posted on {start.isoformat()}: keep it up, and the toll-free number active, "
                f"until at least {posting_ends(start).isoformat()} ({start.isoformat()} + "
                f"{POSTING_DAYS} days)")
    example = (f"; posted on the due date, {due.isoformat()}, that is "
               f"{posting_ends(due).isoformat()}") if due else ""
    return (f"the posting date is not recorded yet: it stays up until the posting date + "
            f"{POSTING_DAYS} days{example}. Record the posting in Tracking (Website posting) "
            "and write this notice again to see the date")


def build(facts: c.NoticeFacts) -> Document:
    record = facts.record
    count = record["insufficient_contact"]
    form = substitute_form(count)
    obligation = facts.plan.obligation("substitute_notice")
    if form is None or obligation is None:
        raise BadInput(f"{facts.reference}: everyone affected has current contact information "
                       "(none recorded without it in the scope): no substitute notice is needed "
                       "(45 CFR 164.404(d)(2))")
    due = facts.plan.obligation("individuals")
    header = [
        ("Reference", facts.reference),
        ("Who it is for", plural(count, "person", "people")
         + " with insufficient or out-of-date contact information"),
        ("Form", "web posting and toll-free number (45 CFR 164.404(d)(2)(ii))" if form == "posting"
         else "alternative written notice, telephone or other means (45 CFR 164.404(d)(2)(i))"),
        ("Due", "with the individual notice: " + c.due_words(due, facts.today)),
    ]
    if form == "posting":
        header.append(("Posting period", period_words(record, due.due if due else None)))
        header.append(("Toll-free number", c.todo(record["contact_toll_free"],
                                                  "the toll-free number (Notices step)")))
        sections = _posting_sections(facts)
    else:
        sections = _alternative_sections(facts)
    return Document(
        title=f"Substitute notice — {facts.reference}",
        subtitle=f"45 CFR 164.404(d)(2), written by riskreg on {facts.today.isoformat()}. A "
        "draft to finish: complete every [TO DO] and read it as the client would.",
        header=Facts(header), notice=NOT_LEGAL_ADVICE, sections=sections,
        footer="Keep a copy with the incident's records for six years (45 CFR 164.530(j)).",
        meta={"generator": f"riskreg {__version__}"},
    )


def _posting_sections(facts: c.NoticeFacts) -> list[Section]:
    record = facts.record
    name = c.practice(facts)
    toll_free = c.todo(record["contact_toll_free"], "TOLL-FREE NUMBER")
    how = Section("how", "1. How to give it", [
        Para("Post the text below conspicuously on the home page of the practice's website for "
             f"{POSTING_DAYS} days, or give conspicuous notice in major print or broadcast media "
             "in the areas where the people affected likely live; in both cases, with a "
             f"toll-free number that stays active for at least {POSTING_DAYS} days, where people "
             "can learn whether their information was involved (45 CFR 164.404(d)(2)(ii))."),
        Para("Period: " + period_words(record, _due(facts)) + "."),
        Bullets([
            "Link to it from the home page with words people will notice, e.g. \"Notice of a "
            "privacy incident\", above the fold.",
            "Have the call script (section 3) beside the phone, and the list of the people "
            "affected where only you can see it.",
            "Record the posting in Tracking (Website posting, the day it went up): that is "
            "your proof (45 CFR 164.414(b)).",
        ]),
        c.checklist(record),
    ])
    posting = [
        Section("posting", "2. The web posting: Notice of a privacy incident", [
            PUBLIC,
            Para(f"{name} is writing to tell people about an incident that involved some of "
                 "their health information. We could not reach everyone by mail, so we are "
                 "posting this notice."),
            Para(f"To find out whether your information was involved, call us free of charge at "
                 f"{toll_free}. This number will be answered for at least {POSTING_DAYS} days."),
        ]),
        *c.body_sections(record, "posting"),
    ]
    return [how, *posting, _script(facts, "3. The toll-free number: call script")]


def _alternative_sections(facts: c.NoticeFacts) -> list[Section]:
    record = facts.record
    count = record["insufficient_contact"]
    how = Section("how", "1. How to give it", [
        Para(f"{plural(count, 'person', 'people')} cannot be reached at the address you have, "
             "fewer than 10: give each the notice another way, in another written form "
             "(a new address, email, a letter through someone you may contact), by telephone, "
             "or by other means (45 CFR 164.404(d)(2)(i)). Record each in Tracking."),
        c.checklist(record),
    ])
    name = c.practice(facts)
    written = [
        Section("written", "2. The written notice", [
            Para(f"{name} is writing to tell you about an incident that involved some of your "
                 "health information, what we have done about it, and what you can do."),
        ]),
        *c.body_sections(record, "written"),
    ]
    return [how, *written, _script(facts, "3. The telephone text")]


def _due(facts: c.NoticeFacts) -> date | None:
    individuals = facts.plan.obligation("individuals")
    return individuals.due if individuals else None


def _script(facts: c.NoticeFacts, title: str) -> Section:
    """What the caller is told, and the questions they may ask with the answers from the facts."""
    record = facts.record
    name = c.practice(facts)
    happened = c.todo(record["description"], "what happened, in plain words, naming no one")
    types = ", ".join(PHI_TYPES.get(t, t) for t in record.get("phi_types") or ()) or (
        "[TO DO: the kinds of information involved]")
    contact = "; ".join(c.contact_items(record)) or "[TO DO: other ways to reach the practice]"
    posting = substitute_form(record["insufficient_contact"]) == "posting"
    you = c.todo(facts.settings.get("practitioner"), "YOUR NAME")
    opening = (
        f"Opening: \"Thank you for calling {name}. This line answers questions about a privacy "
        "incident that may have involved some of your health information. I can tell you "
        "whether your information was involved, what happened, and what you can do.\""
        if posting else
        f"Opening: \"Hello, this is {you} from {name}. I am calling about a privacy incident "
        "that involved some of your health information. We could not reach you by mail. I can "
        "tell you what happened, what information was involved and what you can do.\""
    )
    rows = [
        ["Was my information involved?",
         "Confirm who is calling (the person, or their personal representative) without asking "
         "for more than you need, check your list of the people affected, and say yes or no. "
         "Never confirm anything to anyone else."],
        ["What happened?", f"{happened} It happened {c.when_words(record)}; we discovered it on "
                           f"{plain_date(record['discovered_on'])}."],
        ["What information was involved?", types + "."],
        ["What should I do?", c.todo(record["notice_steps"], "the steps people should take "
                                     "(Notices step)")],
        ["What are you doing about it?", c.todo(record["notice_actions"], "what the practice "
                                                "is doing (Notices step)")],
        ["Why was I not told by letter?", "We did not have a current address for you, so we are "
                                          "giving this notice another way."],
        ["How else can I reach you?", contact],
    ]
    if posting:
        start = posted_on(record)
        until = (f"until at least {plain_date(posting_ends(start))}" if start else
                 f"[TO DO: until the posting date + {POSTING_DAYS} days; riskreg shows the date "
                 "once the posting is recorded in Tracking]")
        rows.append(["How long is this number available?",
                     f"At least {POSTING_DAYS} days from the posting: {until}."])
    return Section("script", title, [
        Para(opening),
        Para("What the caller is told: what happened and when, the kinds of information "
             "involved, the steps they can take, what the practice is doing, and how to reach "
             "it (45 CFR 164.404(c)). Note only the date and the number of calls, never a name."),
        Table(["The caller asks", "The answer"], rows),
        Para("Anything the facts do not answer: say you will find out and call back; never "
             "guess. If misuse may be imminent, call the people affected now (164.404(d)(3))."),
    ])
