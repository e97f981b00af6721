"""The letters, one per recipient, as HTML (one printed page each, the address placed for a
windowed #10 envelope) or Markdown (separated by page-break markers).

The wording is the drafts' (services/incident_notices.py): the same facts in the same plain
language, every element of 45 CFR 164.404(c)(1) (A)-(E). A resident of a state whose law
requires a title, headings or an offer (data/state_notice_content.json) gets them. Every string
from the recipients file is escaped: a name `<script>` prints as text, `=SUM(A1)` as itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from riskreg.domain.state_notice_content import DEFAULT_ORDER, StateContent, state_notice_content
from riskreg.domain.text import escaped
from riskreg.services.incident_notices import _common, checklist_items, plain_date
from riskreg.services.letters.recipients import Recipient
from riskreg.services.reports.md import md

DEFAULT_TITLE = "Important notice about your health information"
PAGE_BREAK_MD = '<div style="page-break-after: always;"></div>'
"""Between two Markdown letters: a page break for word processors and Markdown converters."""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"

# A US Letter page; the recipient's block sits where a #10 window envelope shows it (the window
# is about 7/8 in from the left and 2 in from the top of the letter folded in three).
CSS = """
@page { size: 8.5in 11in; margin: 0.5in 0.75in 0.45in 0.75in; }
* { box-sizing: border-box; }
html { font-family: Georgia, "Times New Roman", serif; color: #000; background: #fff; }
body { margin: 0; font-size: 10.5pt; line-height: 1.25; }
.cover { font-family: system-ui, sans-serif; max-width: 7in; margin: 1rem auto 2rem;
         padding: 0.8rem 1rem; border: 2px solid #b45309; background: #fff7ed; font-size: 10pt; }
.cover h1 { font-size: 13pt; margin: 0 0 0.4rem; }
.cover li { margin: 0.15rem 0; }
.letter { width: 7in; margin: 0 auto; position: relative;
          break-after: page; page-break-after: always; }
.letter:last-child { break-after: auto; page-break-after: auto; }
.sender { height: 1.5in; font-size: 10pt; white-space: pre-line; }
.sender strong { font-size: 11pt; }
.window { height: 1.2in; width: 3.9in; margin-left: 0.125in; padding-top: 0.03in;
          font-family: Arial, Helvetica, sans-serif; font-size: 10.5pt; line-height: 1.2; }
.window .kin { font-size: 9pt; }
.dateline { margin: 0.05in 0 0.05in; display: flex; justify-content: space-between; }
.dateline .ref { font-size: 9pt; }
h1.title { font-size: 13pt; margin: 0.06in 0 0.05in; }
h2 { font-size: 11pt; margin: 0.08in 0 0.01in; }
p, ul { margin: 0.04in 0; }
ul { padding-left: 0.25in; }
.todo { background: #fde68a; }
.signature { margin-top: 0.08in; white-space: pre-line; }
@media screen {
  body { background: #e5e7eb; padding: 1rem 0; }
  .letter { background: #fff; padding: 0.5in 0.75in; width: 8.5in; height: auto;
            min-height: 11in; margin: 0 auto 1rem; box-shadow: 0 1px 4px #0003; }
}
@media print { .cover { display: none; } }
"""


def e(text: object) -> str:
    return escape(escaped(str(text), keep_lines=True), quote=True)


@dataclass(frozen=True)
class LetterFacts:
    """What every letter of a run says: the drafts' values, filled once."""

    values: dict[str, str]
    phi_types: tuple[str, ...]
    reference: str
    today: date
    todo: tuple[str, ...]
    """The 164.404(c)(1) elements the facts do not supply yet (shown as [TO DO])."""


def letter_facts(record: dict[str, Any], settings: dict[str, Any], today: date) -> LetterFacts:
    values = _common(record, settings, today)
    todo = tuple(text for done, text in checklist_items(record)[:5] if not done)
    return LetterFacts(values, tuple(record.get("phi_types") or ()), record["reference"], today,
                       todo)


def content_for(state: str) -> StateContent | None:
    return state_notice_content().get(state)


# -- the parts of a letter, as (heading, text in the drafts' light Markdown) ------------------------

def _intro(kin: bool) -> str:
    if kin:
        return ("We are writing to you as the next of kin or personal representative of a "
                "person who has died and who was a client of our practice. An incident involved "
                "some of their health information. This letter explains what happened, what we "
                "have done about it, and what you can do.")
    return ("We are writing to tell you about an incident that involved some of your health "
            "information, what we have done about it, and what you can do.")


def _parts(facts: LetterFacts, content: StateContent | None) -> list[tuple[str, str]]:
    v = facts.values
    doing = v["actions"]
    months = content.monitoring_for(facts.phi_types) if content else 0
    if months:
        doing += (f"\n\nWe are offering you {months} months of identity theft prevention and "
                  "credit monitoring services at no cost to you. [TO DO: the provider, how to "
                  "enroll, the activation code and the date to enroll by; and how to place a "
                  "credit freeze]")
    text = {
        "what_happened": v["what_happened"],
        "what_involved": v["phi_types"],
        "what_you_can_do": v["steps"],
        "what_we_do": doing,
        "more_info": "If you have questions, please contact us:\n\n" + v["contact"],
    }
    order = content.order if content else DEFAULT_ORDER
    return [(content.heading(part) if content else _default_heading(part), text[part])
            for part in order]


def _default_heading(part: str) -> str:
    from riskreg.domain.state_notice_content import DEFAULT_HEADINGS

    return DEFAULT_HEADINGS[part]


def _html_text(text: str) -> str:
    """The drafts' light Markdown (paragraphs, "- " lists) as HTML, every character escaped and
    each [TO DO] highlighted."""
    out = []
    for block in text.strip().split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{_todo(e(line.lstrip()[2:]))}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append("<p>" + "<br>".join(_todo(e(line)) for line in lines) + "</p>")
    return "".join(out)


def _todo(html: str) -> str:
    if "[TO DO" not in html:
        return html
    return html.replace("[TO DO", '<span class="todo">[TO DO').replace("]", "]</span>") \
        if html.count("[TO DO") == html.count("]") else html


def html_letter(recipient: Recipient, facts: LetterFacts) -> str:
    content = content_for(recipient.state)
    v = facts.values
    title = content.title if content and content.title else DEFAULT_TITLE
    window = "".join(f"<div>{e(line)}</div>" for line in (recipient.name, *recipient.lines))
    if recipient.next_of_kin:
        window = '<div class="kin">Next of kin or personal representative of a former ' \
                 "client</div>" + window
    parts = "".join(f"<h2>{e(h)}</h2>{_html_text(t)}" for h, t in _parts(facts, content))
    return (
        '<section class="letter">'
        f'<div class="sender"><strong>{_todo(e(v["practice_name"]))}</strong>\n'
        f'{_todo(e(v["practice_postal"]))}</div>'
        f'<div class="window">{window}</div>'
        f'<div class="dateline"><span>{e(plain_date(facts.today))}</span>'
        f'<span class="ref">Our reference: {e(facts.reference)}</span></div>'
        f'<h1 class="title">{e(title)}</h1>'
        f"<p>Dear {e(recipient.name)},</p>"
        f"<p>{e(_intro(recipient.next_of_kin))}</p>"
        f"{parts}"
        "<p>We take the privacy of your information seriously, and we are sorry this "
        "happened.</p>"
        f'<div class="signature">Sincerely,\n\n{_todo(e(v["practitioner"]))}\n'
        f'{_todo(e(v["practice_name"]))}</div>'
        "</section>\n"
    )


def md_letter(recipient: Recipient, facts: LetterFacts) -> str:
    content = content_for(recipient.state)
    v = facts.values
    title = content.title if content and content.title else DEFAULT_TITLE
    address = [md(line, inline=True) for line in (recipient.name, *recipient.lines)]
    if recipient.next_of_kin:
        address.insert(0, "Next of kin or personal representative of a former client")
    lines = [
        v["practice_name"], v["practice_postal"], "",
        "  \n".join(address), "",
        f"{plain_date(facts.today)} (our reference: {facts.reference})", "",
        f"# {title}", "",
        f"Dear {md(recipient.name, inline=True)},", "",
        _intro(recipient.next_of_kin), "",
    ]
    for heading, text in _parts(facts, content):
        lines += [f"## {heading}", "", text.strip(), ""]
    lines += ["We take the privacy of your information seriously, and we are sorry this happened.",
              "", "Sincerely,", "", v["practitioner"] + "  ", v["practice_name"], ""]
    return "\n".join(lines)


# -- the cover note (on screen only; never printed) ---------------------------------------------------

def cover_lines(facts: LetterFacts, warnings: list[str], states: set[str]) -> list[str]:
    lines = [f"Letters for {facts.reference}, made {facts.today.isoformat()} by riskreg. Check "
             "them before printing: this note does not print.",
             "Send by first-class mail to each person's last known address (45 CFR "
             "164.404(d)(1)). Not legal advice: have counsel review the final text."]
    lines += [f"Still to do (164.404(c)(1)): {item}" for item in facts.todo]
    lines += [f"Warning: {w}" for w in warnings]
    for code in sorted(states):
        content = content_for(code)
        if content:
            lines.append(f"{content.name} residents: {content.note} ({content.citation}, "
                         f"reviewed {content.reviewed_on.isoformat()}; verify with counsel)")
    lines.append("Delete the recipients file and these letters once mailed (or keep them in an "
                 "encrypted folder).")
    return lines


def html_document(letters: Iterator[str], cover: list[str], reference: str) -> Iterator[str]:
    yield ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">\n'
           '<meta name="referrer" content="no-referrer">\n'
           f"<title>Letters {e(reference)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n")
    items = "".join(f"<li>{_todo(e(line))}</li>" for line in cover[1:])
    yield (f'<aside class="cover"><h1>{e(cover[0])}</h1><ul>{items}</ul></aside>\n<main>\n')
    yield from letters
    yield "</main>\n</body>\n</html>\n"


def md_document(letters: Iterator[str], cover: list[str]) -> Iterator[str]:
    note = "\n".join(line.replace("--", "- -") for line in cover)
    yield f"<!--\n{note}\n-->\n\n"
    first = True
    for letter in letters:
        if not first:
            yield f"\n{PAGE_BREAK_MD}\n\n"
        first = False
        yield letter
